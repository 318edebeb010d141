"""``classify``: a verdict for retry logic, from a reply, a log line or a bounce.

The reading of the input is ``_reading``'s; the weighing of the evidence, and the
table of weights with the reasons for their order, is ``_decision``'s (compiled
in the optional compiled build, which this thin layer of entry points is not, so
that bad input is refused with ``InvalidReply`` in both builds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

from smtpreply._decision import decide
from smtpreply._errors import InvalidReply
from smtpreply._extract import ExtractedReply
from smtpreply._public import public
from smtpreply._reading import normal_command, of_reply, read, reading, words_alone
from smtpreply._reply import Reply
from smtpreply._rules import FAILURE, RETRY, RULE, TEXT, rules
from smtpreply._status import EnhancedStatus

if TYPE_CHECKING:
    from smtpreply._taxonomy import Verdict

__all__ = ["classify"]


# The public functions.

Classifiable = Union[Reply, str, bytes, int, EnhancedStatus, ExtractedReply, BaseException]


@public
def classify(subject: Classifiable, *, command: str | None = None) -> Verdict:
    """Decide what a reply means for the sender.

    Args:
        subject: A :class:`Reply`; a reply string or bytes, or a log line or a
            bounce that quotes one (see :func:`extract`); a :class:`ReplyCode` or
            ``int``; an :class:`EnhancedStatus`; an :class:`ExtractedReply`; or an
            exception from smtplib or aiosmtplib (the verdict of the failure that
            decides whether to retry; :func:`from_exception` gives each recipient's).
        command: The SMTP command the reply answered (``"EHLO"``, ``"MAIL"``,
            ``"RCPT"``, ``"DATA"``, ``"AUTH"``, ``"STARTTLS"``...), which refines
            the verdict. Found in the text when the text says it.

    Returns:
        The verdict.

    Raises:
        InvalidReply: ``subject`` is not one of these, a text holds no reply and
            no telling words, or ``command`` is not an SMTP command.

    >>> classify("421 4.7.28 Unusual rate of mail from your IP, try later").action
    <Action.RETRY_SLOWER: 'retry_slower'>
    >>> classify("502 5.5.1 Unrecognized command", command="EHLO").reason
    <Reason.SYNTAX_ERROR: 'syntax_error'>
    >>> classify("451 busy 550 5.1.1 no such user").reason
    <Reason.USER_UNKNOWN: 'user_unknown'>
    """
    normal = normal_command(command)
    if isinstance(subject, BaseException):
        from smtpreply._exceptions import exception_verdict

        return exception_verdict(subject)
    table = rules()
    readings = read(subject, normal)
    if not readings:
        assert isinstance(subject, (str, bytes, bytearray, memoryview))  # noqa: S101 - read says so
        alone = words_alone(subject if isinstance(subject, str) else "", normal)
        # Telling words: a reason's phrase, a provider's, words that ask for a later
        # try, or words that say the delivery failed (a permanent failure of no
        # named cause: undefined, as the conventions read a text with no code).
        telling = TEXT | RULE | RETRY | FAILURE
        if not any(match.value.kinds & telling for match in table.matcher.find(alone.headline)):
            raise InvalidReply("the text holds no SMTP reply", str(subject)[:200])
        readings = [alone]
    return decide(table, readings)


def classify_found(found: ExtractedReply, text: str) -> Verdict:
    """Classify a reply that :func:`extract_all` found in ``text``, with its line's words."""
    from smtpreply._reading import read_found

    start, end = found.span
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    if found.reply is None:
        wrapper = text[line_start:line_end]
    else:
        wrapper = text[line_start:start] + " | " + text[end:line_end]
    return decide(rules(), [read_found(found, None, wrapper)])


def verdict_of(reply: Reply | None, command: str | None) -> Verdict:
    """The verdict on a reply that an exception or smtplib's refused dict carries.

    ``None`` stands for an answer that carried no usable reply.
    """
    if reply is None:
        return decide(rules(), [reading(None, None, command)])
    return decide(rules(), [of_reply(reply, command)])
