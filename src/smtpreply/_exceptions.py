"""Verdicts from what smtplib and aiosmtplib raise and return.

Neither library is imported: an exception's class names (its MRO) and its
attributes say what it is, so aiosmtplib stays optional and a subclass of
either library's exceptions is read like its parent. Whatever the exception
holds (an odd tuple, ``None``, a 10 MB message, a ``__str__`` that raises), the
answer is a verdict, never another error.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from smtpreply._classify import verdict_of
from smtpreply._errors import InvalidReply
from smtpreply._grammar import EXCEPTION_COMMANDS
from smtpreply._parse import MAX_MESSAGE, reply_from
from smtpreply._public import public
from smtpreply._rules import rules
from smtpreply._taxonomy import Action, Evidence, Failure, Reason, Scope, Verdict

if TYPE_CHECKING:
    from collections.abc import Mapping

    from smtpreply._reply import Reply

__all__ = ["from_exception", "from_refused", "should_retry"]


# Exceptions that mean the connection failed or timed out (smtplib's exceptions all
# derive from OSError, so OSError alone counts only outside them).
_NETWORK_EXCEPTIONS = frozenset(
    {
        "SMTPServerDisconnected",
        "ConnectionError",
        "TimeoutError",
        "timeout",
        "gaierror",
        "SMTPTimeoutError",
        "SMTPConnectError",
        "SMTPConnectTimeoutError",
        "SMTPReadTimeoutError",
        "SMTPConnectResponseError",
    }
)
_TLS_EXCEPTIONS = frozenset({"SSLError", "SSLCertVerificationError", "CertificateError"})
_UNSUPPORTED_EXCEPTIONS = frozenset({"SMTPNotSupportedError", "SMTPNotSupported"})


def _answer(answer: object) -> Reply | None:
    """The reply in one value of smtplib's refused dict: ``(code, message)``, or less."""
    if isinstance(answer, tuple):
        code = answer[0] if answer else None
        message = answer[1] if len(answer) > 1 else b""
        return reply_from(code, message)
    return reply_from(answer, b"")


def _names(exc: BaseException) -> frozenset[str]:
    return frozenset(cls.__name__ for cls in type(exc).__mro__)


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)[:MAX_MESSAGE]
    except Exception:  # noqa: BLE001 - any exception's __str__ may fail; a verdict must not
        return ""


def _exception_verdict(exc: BaseException, reason: Reason, detail: str) -> Verdict:
    info = rules().reasons[reason]
    retry = info.retry
    action = Action.RETRY if retry else info.action
    return Verdict(
        reason=reason,
        retry=retry,
        hard_bounce=False,
        action=action if action is not Action.STOP else Action.FIX_AND_RESEND,
        delay=info.delay if retry else None,
        scope=Scope.SESSION,
        evidence=(Evidence("exception", f"{type(exc).__name__}: {detail}"),),
    )


def _lone(exc: BaseException) -> Failure:
    """A failure for an exception that carries no usable reply."""
    names = _names(exc)
    if names & _TLS_EXCEPTIONS:
        verdict = _exception_verdict(exc, Reason.SECURITY_ERROR, "TLS failed")
    elif names & _UNSUPPORTED_EXCEPTIONS:
        lowered = _safe_str(exc).lower()
        reason = (
            Reason.SECURITY_ERROR
            if "tls" in lowered or "auth" in lowered
            else Reason.NOT_COMPLIANT_RFC
        )
        verdict = _exception_verdict(exc, reason, "the server lacks it")
    elif "SMTPAuthenticationError" in names:
        verdict = _exception_verdict(exc, Reason.SECURITY_ERROR, "authentication failed")
    elif names & _NETWORK_EXCEPTIONS or ("OSError" in names and "SMTPException" not in names):
        verdict = _exception_verdict(exc, Reason.NETWORK_ERROR, "no reply; try again")
    else:
        verdict = _exception_verdict(exc, Reason.UNDEFINED, "the exception says no more")
    return Failure(None, None, verdict)


def _refused(exc: BaseException) -> list[Failure] | None:
    """The failures of ``SMTPRecipientsRefused``, or ``None`` when it holds none."""
    refused = getattr(exc, "recipients", None)
    failures: list[Failure] = []
    if isinstance(refused, dict):
        failures = from_refused(refused)
    elif isinstance(refused, (list, tuple)):
        for item in refused:
            if isinstance(item, BaseException) and item is not exc:
                failures += from_exception(item)
    return failures or None


@public
def from_exception(exc: BaseException) -> list[Failure]:
    """Every failure that an exception from smtplib or aiosmtplib reports.

    Neither library is imported: the exception's class and attributes say what
    it is. ``SMTPRecipientsRefused`` gives one failure per refused recipient;
    other exceptions give one failure for the message or the session: this is
    the plan for each recipient, of which ``classify(exc)`` and
    ``should_retry(exc)`` give the summary. Exceptions that carry no reply (a
    dropped connection, a timeout, a TLS error) get a verdict too, and so does
    any other exception.

    Args:
        exc: The exception.

    Returns:
        The failures, never empty.

    Raises:
        InvalidReply: ``exc`` is not an exception.

    >>> import smtplib
    >>> error = smtplib.SMTPRecipientsRefused({
    ...     "bob@example.org": (550, b"5.1.1 <bob@example.org>: User unknown"),
    ...     "amy@example.org": (450, b"4.2.0 <amy@example.org>: Greylisted, try again"),
    ... })
    >>> [(f.recipient, f.verdict.reason.value, f.verdict.retry) for f in from_exception(error)]
    [('bob@example.org', 'user_unknown', False), ('amy@example.org', 'greylisted', True)]
    """
    if not isinstance(exc, BaseException):
        raise InvalidReply(f"expected an exception, not {type(exc).__name__}")
    names = _names(exc)
    if "SMTPRecipientsRefused" in names:
        failures = _refused(exc)
        if failures is not None:
            return failures
    if "SMTPResponseException" in names:
        code = getattr(exc, "smtp_code", getattr(exc, "code", None))
        message = getattr(exc, "smtp_error", getattr(exc, "message", None))
        reply = reply_from(code, message)
        if reply is not None:
            command = next(
                (cmd for name, cmd in EXCEPTION_COMMANDS.items() if name in names), None
            )
            recipient = getattr(exc, "recipient", None)
            verdict = verdict_of(reply, command)
            return [Failure(recipient if isinstance(recipient, str) else None, reply, verdict)]
    return [_lone(exc)]


@public
def from_refused(refused: Mapping[str, tuple[int, bytes | str]]) -> list[Failure]:
    """One failure per recipient of the dict that ``smtplib.SMTP.sendmail`` returns.

    ``sendmail`` returns the recipients it could not deliver to, each with the
    code and the text of the server's answer to RCPT; so does
    ``SMTPRecipientsRefused.recipients``. A value that is not such a pair (a bare
    code, ``(550,)``, ``None``) is read as far as it goes.

    Args:
        refused: ``{recipient: (code, message)}``.

    Returns:
        The failures, in the mapping's order.
    """
    failures = []
    for recipient, answer in refused.items():
        reply = _answer(answer)
        verdict = verdict_of(reply, "RCPT")
        failures.append(Failure(str(recipient), reply, verdict))
    return failures


def deciding_failure(exc: BaseException) -> Failure:
    """The failure whose verdict stands for the whole exception.

    The one rule that ``classify(exc)`` and ``should_retry(exc)`` follow: among
    the failures whose verdict says retry, the one with the longest delay (the
    first of equals), so that a retry after that delay is worth making for every
    recipient whose verdict says retry; when none says retry, the first failure.
    The single verdict's ``retry`` is therefore True exactly when a retry can
    succeed for at least one recipient that failed; :func:`from_exception` is the
    plan for each recipient.

    Args:
        exc: The exception.

    Returns:
        One of the failures that ``from_exception(exc)`` gives.

    Raises:
        InvalidReply: ``exc`` is not an exception.
    """
    failures = from_exception(exc)
    retrying = [failure for failure in failures if failure.verdict.retry]
    if not retrying:
        return failures[0]
    return max(retrying, key=_delay_of)  # max keeps the first of equals


def _delay_of(failure: Failure) -> datetime.timedelta:
    return failure.verdict.delay or datetime.timedelta(0)


def exception_verdict(exc: BaseException) -> Verdict:
    """The verdict on an exception as a whole: see :func:`deciding_failure`."""
    return deciding_failure(exc).verdict


@public
def should_retry(exc: BaseException) -> bool:
    """True when sending again later can succeed for some recipient that failed.

    The same answer as ``classify(exc).retry``. When a refusal mixes recipients
    worth retrying with recipients that are gone, it is True: send again only to
    the recipients whose own verdict in :func:`from_exception` says retry, so
    that no hard bounce is repeated.

    Fits tenacity: ``retry=retry_if_exception(smtpreply.should_retry)``.

    Args:
        exc: An exception from smtplib, aiosmtplib or the network.

    Returns:
        Whether a retry is worth making.

    Raises:
        InvalidReply: ``exc`` is not an exception.

    >>> import smtplib
    >>> should_retry(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    True
    >>> should_retry(smtplib.SMTPSenderRefused(553, b"5.7.1 Sender address rejected", "a@b.c"))
    False
    """
    return exception_verdict(exc).retry
