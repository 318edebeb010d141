"""``classify``: a verdict for retry logic, from a reply or from an exception.

How a verdict is decided, most specific first:

1. a provider rule (``data/provider_rules.json``): what a large mailbox provider
   documents about one of its own replies;
2. the enhanced status, where it is specific (``5.1.1`` says "no such mailbox";
   ``5.7.1`` says little, so it is skipped here);
3. the reply text, matched against literal phrases in many languages
   (``data/text_rules.json``);
4. the basic reply code.

Then the command the reply answered refines the verdict (a 5xx to EHLO is no dead
address), and the reply's class sets whether a retry can help. Matching is linear:
the phrases are literals, indexed by their first characters.
"""

from __future__ import annotations

import datetime
import enum
import functools
from typing import TYPE_CHECKING, Any, Union

import attrs

from smtpreply import _data
from smtpreply._errors import InvalidReply
from smtpreply._extract import _COMMANDS, ExtractedReply, _verb, extract
from smtpreply._reply import Reply, decode, parse
from smtpreply._status import EnhancedStatus

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "Action",
    "Evidence",
    "Failure",
    "Reason",
    "Scope",
    "Verdict",
    "classify",
    "from_exception",
    "from_refused",
    "should_retry",
]


class Reason(str, enum.Enum):
    """Why a command failed (or ``DELIVERED`` when it did not).

    The values follow the taxonomy that the established bounce classifiers share,
    so that results can be compared with theirs.
    """

    #: The server accepted the command or the message.
    DELIVERED = "delivered"
    #: The recipient's mailbox does not exist.
    USER_UNKNOWN = "user_unknown"
    #: The recipient's domain does not exist or receives no mail.
    HOST_UNKNOWN = "host_unknown"
    #: The mailbox moved or changed owner, with no forwarding address.
    HAS_MOVED = "has_moved"
    #: The recipient's mailbox is over quota.
    MAILBOX_FULL = "mailbox_full"
    #: The recipient's account is disabled or suspended.
    SUSPENDED = "suspended"
    #: The message is too big.
    MESSAGE_TOO_BIG = "message_too_big"
    #: Another limit of the message was exceeded, such as the number of recipients.
    EXCEED_LIMIT = "exceed_limit"
    #: Too many connections from the sender at once.
    TOO_MANY_CONNECTIONS = "too_many_connections"
    #: The sender sends too much or too fast.
    RATE_LIMITED = "rate_limited"
    #: Greylisting: deferred on purpose, accepted on a later try.
    GREYLISTED = "greylisted"
    #: The sending IP or host is blocked or on a blocklist.
    BLOCKED = "blocked"
    #: The sending IP lacks a matching reverse DNS name.
    REQUIRE_PTR = "require_ptr"
    #: The sender's IP or domain reputation is poor.
    BAD_REPUTATION = "bad_reputation"
    #: The message was judged to be spam.
    SPAM_DETECTED = "spam_detected"
    #: The message carries a virus or malware.
    VIRUS_DETECTED = "virus_detected"
    #: The message breaks another policy of the receiving side.
    POLICY_VIOLATION = "policy_violation"
    #: SPF, DKIM, DMARC or ARC failed.
    AUTH_FAILURE = "auth_failure"
    #: SMTP authentication or TLS failed or is required.
    SECURITY_ERROR = "security_error"
    #: Relaying denied.
    NO_RELAYING = "no_relaying"
    #: The sender's address was refused.
    REJECTED = "rejected"
    #: The domain or host accepts no mail at all.
    NOT_ACCEPT = "not_accept"
    #: The content of the message is malformed or unsupported.
    CONTENT_ERROR = "content_error"
    #: The message or session breaks the mail standards.
    NOT_COMPLIANT_RFC = "not_compliant_rfc"
    #: The client sent a bad command.
    SYNTAX_ERROR = "syntax_error"
    #: The receiving server had a problem of its own.
    SYSTEM_ERROR = "system_error"
    #: The receiving system is out of storage.
    SYSTEM_FULL = "system_full"
    #: Network, DNS or routing trouble, or a timeout.
    NETWORK_ERROR = "network_error"
    #: A mail program on the way failed.
    MAILER_ERROR = "mailer_error"
    #: The recipient or their filter refuses this sender.
    FILTERED = "filtered"
    #: Delivery was given up after the queue lifetime.
    EXPIRED = "expired"
    #: The reply does not say why.
    UNDEFINED = "undefined"

    @property
    def description(self) -> str:
        """What the reason means, in one sentence."""
        return _rules().reasons[self].description


class Action(str, enum.Enum):
    """What the sender should do next."""

    #: Nothing: the command succeeded.
    DONE = "done"
    #: Try again after ``Verdict.delay``.
    RETRY = "retry"
    #: Try again, and send more slowly to that destination.
    RETRY_SLOWER = "retry_slower"
    #: Change something on the sender's side, then send again.
    FIX_AND_RESEND = "fix_and_resend"
    #: Stop sending to this address.
    STOP = "stop"


class Scope(str, enum.Enum):
    """What the verdict concerns."""

    #: One recipient.
    RECIPIENT = "recipient"
    #: The message, for all its recipients.
    MESSAGE = "message"
    #: The whole session or connection to that server.
    SESSION = "session"


@attrs.frozen
class Evidence:
    """One thing that decided a verdict.

    Attributes:
        source: ``"provider"``, ``"status"``, ``"text"``, ``"code"``, ``"command"``,
            ``"class"`` or ``"exception"``.
        detail: What matched, in words.
        url: The documentation a provider rule comes from, else ``None``.
    """

    source: str
    detail: str
    url: str | None = None


@attrs.frozen
class Verdict:
    """What a reply means for the sender, and what to do next.

    >>> verdict = classify("550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown")
    >>> verdict.reason, verdict.retry, verdict.hard_bounce
    (<Reason.USER_UNKNOWN: 'user_unknown'>, False, True)
    >>> verdict.action, verdict.scope
    (<Action.STOP: 'stop'>, <Scope.RECIPIENT: 'recipient'>)

    Attributes:
        reason: Why the command failed.
        retry: True when sending the same message again later can succeed.
        hard_bounce: True when the address is dead: stop sending to it.
        action: What to do next.
        delay: The least wait before a retry worth making; ``None`` when no
            retry is worth making.
        scope: Whether the verdict concerns one recipient, the message, or the session.
        evidence: What decided it, most telling first.
        reply: The reply the verdict is about, when there was one.
        status: The enhanced status the verdict used, if any.
        command: The command the reply answered, when known.
    """

    reason: Reason
    retry: bool
    hard_bounce: bool
    action: Action
    delay: datetime.timedelta | None
    scope: Scope
    evidence: tuple[Evidence, ...]
    reply: Reply | None = None
    status: EnhancedStatus | None = None
    command: str | None = None


@attrs.frozen
class Failure:
    """One failure an exception reports: for one recipient, or for the whole message.

    Attributes:
        recipient: The refused recipient, or ``None`` when the failure concerns
            the message or the session.
        reply: The server's reply, or ``None`` when there was none (a dropped
            connection, a TLS error).
        verdict: What it means.
    """

    recipient: str | None
    reply: Reply | None
    verdict: Verdict


# The rules, loaded once from the data files.


@attrs.frozen
class _ReasonInfo:
    retry: bool
    hard_bounce: bool
    action: Action
    scope: Scope
    delay: datetime.timedelta | None
    description: str


@attrs.frozen
class _ProviderRule:
    provider: str
    source: str
    code: int | None
    status: EnhancedStatus | None
    contains_any: tuple[str, ...]
    reason: Reason
    retry: bool
    delay: datetime.timedelta | None
    note: str

    def matches(self, code: int | None, status: EnhancedStatus | None, text: str) -> bool:
        if self.code is not None and code != self.code:
            return False
        if self.status is not None and status != self.status:
            return False
        return not self.contains_any or any(piece in text for piece in self.contains_any)


@attrs.frozen
class _Rules:
    reasons: Mapping[Reason, _ReasonInfo]
    statuses: Mapping[tuple[int, int], Reason]
    codes: Mapping[int, Reason]
    providers: tuple[_ProviderRule, ...]
    provider_by_status: Mapping[EnhancedStatus, tuple[int, ...]]
    provider_tokens: Mapping[str, tuple[tuple[str, int], ...]]
    text_reasons: tuple[Reason, ...]
    text_index: Mapping[str, tuple[tuple[str, int], ...]]
    retry_index: Mapping[str, tuple[tuple[str, int], ...]]


def _seconds(value: object, where: str) -> datetime.timedelta | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _data.DataError(f"{where}: a delay is a whole number of seconds, not {value!r}")
    return datetime.timedelta(seconds=value)


_KEY = 3  # phrases are indexed by their first three characters


def _index(groups: Iterable[tuple[int, Iterable[str]]]) -> dict[str, tuple[tuple[str, int], ...]]:
    """Phrases by their first characters, each with the index of its rule.

    Looking a text up costs one dictionary probe per character, plus a
    ``startswith`` per phrase that shares those characters: linear in the text,
    however many phrases there are.
    """
    index: dict[str, list[tuple[str, int]]] = {}
    for rule, phrases in groups:
        for phrase in phrases:
            if len(phrase) < _KEY:
                raise _data.DataError(f"a phrase needs {_KEY} characters at least: {phrase!r}")
            index.setdefault(phrase[:_KEY], []).append((phrase, rule))
    return {key: tuple(entries) for key, entries in index.items()}


def _find(index: Mapping[str, tuple[tuple[str, int], ...]], text: str) -> tuple[int, str] | None:
    """The lowest rule index among the phrases that ``text`` holds, and the phrase."""
    best: tuple[int, str] | None = None
    get = index.get
    for position in range(len(text) - _KEY + 1):
        entries = get(text[position : position + _KEY])
        if entries is None:
            continue
        for phrase, rule in entries:
            if (best is None or rule < best[0]) and text.startswith(phrase, position):
                best = (rule, phrase)
    return best


def _find_all(index: Mapping[str, tuple[tuple[str, int], ...]], text: str) -> set[int]:
    """The indexes of every rule with a phrase that ``text`` holds."""
    found: set[int] = set()
    get = index.get
    for position in range(len(text) - _KEY + 1):
        entries = get(text[position : position + _KEY])
        if entries is not None:
            found.update(rule for phrase, rule in entries if text.startswith(phrase, position))
    return found


@functools.cache
def _rules() -> _Rules:
    tables = _data.load_document("classify.json")
    reasons = {}
    for item in tables["reasons"]:
        reasons[Reason(item["reason"])] = _ReasonInfo(
            retry=bool(item["retry"]),
            hard_bounce=bool(item["hard_bounce"]),
            action=Action(item["action"]),
            scope=Scope(item["scope"]),
            delay=_seconds(item["delay_seconds"], f"reason {item['reason']}"),
            description=item["description"],
        )
    if set(reasons) != set(Reason):
        raise _data.DataError("data file 'classify.json': every reason needs an entry")
    statuses = {}
    for code, reason in tables["statuses"].items():
        _, subject, detail = code.split(".")
        statuses[int(subject), int(detail)] = Reason(reason)
    codes = {int(code): Reason(reason) for code, reason in tables["codes"].items()}
    providers = []
    for item in _data.load_document("provider_rules.json")["rules"]:
        status = item.get("status")
        rule = _ProviderRule(
            provider=item["provider"],
            source=item["source"],
            code=item.get("code"),
            status=EnhancedStatus.parse(status) if status else None,
            contains_any=tuple(piece.lower() for piece in item.get("contains_any", ())),
            reason=Reason(item["reason"]),
            retry=bool(item["retry"]),
            delay=_seconds(item.get("delay_seconds"), f"provider rule {item['provider']}"),
            note=item["note"],
        )
        if _redefines(rule, statuses):
            continue
        providers.append(rule)
    by_status: dict[EnhancedStatus, list[int]] = {}
    for number, rule in enumerate(providers):
        if rule.status is not None:
            by_status.setdefault(rule.status, []).append(number)
        elif not rule.contains_any:
            raise _data.DataError(f"provider rule {number} needs a status or a token")
    tokens = _index(
        (number, rule.contains_any) for number, rule in enumerate(providers) if rule.status is None
    )
    text = _data.load_document("text_rules.json")
    text_reasons = tuple(Reason(rule["reason"]) for rule in text["rules"])
    text_index = _index((index, rule["phrases"]) for index, rule in enumerate(text["rules"]))
    retry_index = _index([(0, text.get("retry_hints", []))])
    return _Rules(
        reasons=reasons,
        statuses=statuses,
        codes=codes,
        providers=tuple(providers),
        provider_by_status={status: tuple(numbers) for status, numbers in by_status.items()},
        provider_tokens=tokens,
        text_reasons=text_reasons,
        text_index=text_index,
        retry_index=retry_index,
    )


def _redefines(rule: _ProviderRule, statuses: Mapping[tuple[int, int], Reason]) -> bool:
    """True for a rule that would give a registered status another meaning for everyone.

    A reply does not say which provider sent it, so a rule keyed on a registered
    status alone applies to every server's replies. Such a rule is kept only when
    it agrees with what the status means anyway (then it adds the provider's
    documentation as evidence); a rule with a token of its provider is always kept.
    """
    if rule.contains_any or rule.status is None or not rule.status.is_registered:
        return False
    general = statuses.get((rule.status.subject, rule.status.detail))
    return general is not None and general is not rule.reason


def _text_reason(rules: _Rules, text: str) -> tuple[Reason, str] | None:
    """The highest-priority text rule whose phrase the text holds, and the phrase."""
    best = _find(rules.text_index, text)
    if best is None:
        return None
    return rules.text_reasons[best[0]], best[1]


# Deciding.

_SCOPE_OF_COMMAND = {
    "RCPT": Scope.RECIPIENT,
    "MAIL": Scope.MESSAGE,
    "DATA": Scope.MESSAGE,
    "EHLO": Scope.SESSION,
    "AUTH": Scope.SESSION,
    "STARTTLS": Scope.SESSION,
    "CONNECT": Scope.SESSION,
}
_ADDRESS_REASONS = frozenset(
    {
        Reason.USER_UNKNOWN,
        Reason.HOST_UNKNOWN,
        Reason.HAS_MOVED,
        Reason.SUSPENDED,
        Reason.NOT_ACCEPT,
        Reason.MAILBOX_FULL,
    }
)
_SESSION_REASONS = frozenset(
    {
        Reason.RATE_LIMITED,
        Reason.TOO_MANY_CONNECTIONS,
        Reason.SYSTEM_ERROR,
        Reason.SYSTEM_FULL,
        Reason.NETWORK_ERROR,
        Reason.BLOCKED,
        Reason.BAD_REPUTATION,
        Reason.REQUIRE_PTR,
        Reason.GREYLISTED,
    }
)


def _normal_command(command: str | None) -> str | None:
    """The verb a command names, as the rules use it (HELO and LHLO count as EHLO)."""
    if command is None or not command.split():
        return None
    verb = _verb(command)
    if verb is None:
        raise InvalidReply(
            f"unknown SMTP command {command!r}; expected one of " + ", ".join(sorted(_COMMANDS))
        )
    return "EHLO" if verb == "HELO" else verb


def _decide(
    code: int | None,
    status: EnhancedStatus | None,
    text: str,
    command: str | None,
    reply: Reply | None,
) -> Verdict:
    rules = _rules()
    flat = " ".join(text.lower().split())
    evidence: list[Evidence] = []
    digit = code // 100 if code is not None else (status.class_ if status is not None else None)
    provider: _ProviderRule | None = None
    reason: Reason | None = None
    if digit in (2, 3):
        reason = Reason.DELIVERED
        evidence.append(Evidence("class", f"{code or status} reports success or progress"))
    if reason is None:
        provider = _provider_rule(rules, code, status, flat)
        if provider is not None:
            reason = provider.reason
            evidence.append(
                Evidence("provider", f"{provider.provider}: {provider.note}", provider.source)
            )
    if reason is None and status is not None:
        mapped = rules.statuses.get((status.subject, status.detail))
        if mapped is not None:
            reason = mapped
            evidence.append(Evidence("status", f"{status} {status.title}"))
    if reason is None:
        found = _text_reason(rules, flat)
        if found is not None:
            reason = found[0]
            evidence.append(Evidence("text", f"the text says {found[1]!r}"))
    if reason is None and code is not None:
        mapped = rules.codes.get(code)
        if mapped is not None and mapped is not Reason.UNDEFINED:
            reason = mapped
            evidence.append(Evidence("code", f"{code} {_code_title(code)}"))
    if reason is None:
        reason = Reason.UNDEFINED
        evidence.append(
            Evidence("class", f"nothing more specific than the class of {code or status}")
        )
    reason = _refine(reason, code, command, evidence)
    info = rules.reasons[reason]
    retry = info.retry if provider is None else provider.retry
    delay = info.delay if provider is None or provider.delay is None else provider.delay
    action = info.action
    if reason is Reason.DELIVERED:
        retry, action, delay = False, Action.DONE, None
    elif digit == 4 and not retry:
        retry = True
        evidence.append(Evidence("class", f"{code or status} is a transient failure"))
    elif digit == 5 and not retry:
        hint = _find(rules.retry_index, flat)
        if hint is not None:
            retry = True
            evidence.append(Evidence("text", f"the text asks to try again ({hint[1]!r})"))
    hard = info.hard_bounce and digit in (5, None) and command in (None, "RCPT", "DATA")
    if retry:
        hard = False
        if action not in (Action.RETRY, Action.RETRY_SLOWER):
            action = Action.RETRY_SLOWER if reason in _SESSION_REASONS else Action.RETRY
        if delay is None:
            delay = datetime.timedelta(minutes=10)
    else:
        delay = None
        if action in (Action.RETRY, Action.RETRY_SLOWER):
            action = Action.FIX_AND_RESEND
        if action is Action.STOP and not hard and reason is not Reason.SUSPENDED:
            action = Action.FIX_AND_RESEND
    if reason in _SESSION_REASONS:
        scope = Scope.SESSION
    else:
        scope = _SCOPE_OF_COMMAND.get(command or "", info.scope)
    return Verdict(
        reason=reason,
        retry=retry,
        hard_bounce=hard,
        action=action,
        delay=delay,
        scope=scope,
        evidence=tuple(evidence),
        reply=reply,
        status=status,
        command=command,
    )


def _provider_rule(
    rules: _Rules, code: int | None, status: EnhancedStatus | None, text: str
) -> _ProviderRule | None:
    """The first provider rule, in the file's order, that the reply matches."""
    candidates = _find_all(rules.provider_tokens, text)
    if status is not None:
        candidates.update(rules.provider_by_status.get(status, ()))
    for number in sorted(candidates):
        rule = rules.providers[number]
        if rule.matches(code, status, text):
            return rule
    return None


def _code_title(code: int) -> str:
    from smtpreply._codes import ReplyCode

    member = ReplyCode.get(code)
    return member.title if member is not None else "(no standard meaning)"


def _refine(
    reason: Reason, code: int | None, command: str | None, evidence: list[Evidence]
) -> Reason:
    """Adjust a reason to the command the reply answered."""
    if command is None or reason is Reason.DELIVERED:
        return reason
    if command == "EHLO" and code is not None and code // 100 == 5:
        if reason in _SESSION_REASONS or reason is Reason.SECURITY_ERROR:
            return reason
        evidence.append(
            Evidence("command", "a 5xx answer to EHLO: the client should fall back to HELO")
        )
        return Reason.SYNTAX_ERROR
    if command in ("AUTH", "STARTTLS") and reason not in _SESSION_REASONS:
        if reason is not Reason.SECURITY_ERROR:
            evidence.append(Evidence("command", f"the reply answered {command}"))
        return Reason.SECURITY_ERROR
    if command == "MAIL" and reason in _ADDRESS_REASONS:
        evidence.append(Evidence("command", "the reply answered MAIL: the sender address"))
        return Reason.REJECTED
    if command == "DATA" and code == 552 and reason is Reason.MAILBOX_FULL:
        evidence.append(Evidence("command", "552 after DATA: the message is too big"))
        return Reason.MESSAGE_TOO_BIG
    return reason


# The public functions.

Classifiable = Union[Reply, str, bytes, int, EnhancedStatus, ExtractedReply, BaseException]


def classify(subject: Classifiable, *, command: str | None = None) -> Verdict:
    """Decide what a reply means for the sender.

    Args:
        subject: A :class:`Reply`; a reply string or bytes (parsed, or found with
            :func:`extract` in a log line or a bounce); a :class:`ReplyCode` or
            ``int``; an :class:`EnhancedStatus`; an :class:`ExtractedReply`; or an
            exception from smtplib or aiosmtplib (the first failure it reports;
            see :func:`from_exception` for each recipient's).
        command: The SMTP command the reply answered (``"EHLO"``, ``"MAIL"``,
            ``"RCPT"``, ``"DATA"``, ``"AUTH"``, ``"STARTTLS"``...), which refines
            the verdict. Found in the text when the text says it.

    Returns:
        The verdict.

    Raises:
        InvalidReply: ``subject`` is not one of these, a text holds no reply, or
            ``command`` is not an SMTP command.

    >>> classify("421 4.7.28 Unusual rate of mail from your IP, try later").action
    <Action.RETRY_SLOWER: 'retry_slower'>
    >>> classify("502 5.5.1 Unrecognized command", command="EHLO").reason
    <Reason.SYNTAX_ERROR: 'syntax_error'>
    """
    normal = _normal_command(command)
    if isinstance(subject, BaseException):
        return from_exception(subject)[0].verdict
    if isinstance(subject, ExtractedReply):
        return _classify_found(subject, normal)
    if isinstance(subject, Reply):
        return _decide(int(subject.code), subject.enhanced, subject.text, normal, subject)
    if isinstance(subject, EnhancedStatus):
        return _decide(None, subject, "", normal, None)
    if isinstance(subject, int) and not isinstance(subject, bool):
        if not 100 <= subject <= 999:
            raise InvalidReply(f"expected a 3-digit reply code, not {subject!r}")
        return _decide(int(subject), None, "", normal, None)
    if isinstance(subject, (bytes, bytearray)):
        subject = decode(bytes(subject))
    if not isinstance(subject, str):
        raise InvalidReply(
            "expected a reply, its text, a code, a status or an exception, "
            f"not {type(subject).__name__}"
        )
    try:
        reply = parse(subject)
    except InvalidReply:
        found = extract(subject)
        if found is not None:
            return _classify_found(found, normal)
        # No code and no status: a log's or a bounce's own wording may still say why.
        if _text_reason(_rules(), " ".join(subject.lower().split())) is None:
            raise InvalidReply("the text holds no SMTP reply", subject) from None
        return _decide(None, None, subject, normal, None)
    return _decide(int(reply.code), reply.enhanced, reply.text, normal, reply)


def _classify_found(found: ExtractedReply, command: str | None) -> Verdict:
    command = command or _normal_command(found.command)
    if found.reply is None:
        return _decide(None, found.enhanced, "", command, None)
    reply = found.reply
    return _decide(int(reply.code), reply.enhanced, reply.text, command, reply)


def _reply_from(code: object, message: object) -> Reply | None:
    """A reply from the code and message an exception carries, when they make one."""
    if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 999:
        return None
    if isinstance(message, (bytes, bytearray)):
        text = decode(bytes(message))
    elif isinstance(message, str):
        text = message
    else:
        text = ""
    lines = tuple(line.rstrip("\r") for line in text.split("\n")) or ("",)
    try:
        return Reply(code, lines)
    except InvalidReply:
        return Reply(code, (" ".join(text.split()),))


def _names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def _exception_verdict(exc: BaseException, reason: Reason, detail: str) -> Verdict:
    info = _rules().reasons[reason]
    retry = info.retry
    action = info.action if not retry else Action.RETRY
    return Verdict(
        reason=reason,
        retry=retry,
        hard_bounce=False,
        action=action if action is not Action.STOP else Action.FIX_AND_RESEND,
        delay=info.delay if retry else None,
        scope=Scope.SESSION,
        evidence=(Evidence("exception", f"{type(exc).__name__}: {detail}"),),
    )


_COMMAND_OF_EXCEPTION = {
    "SMTPSenderRefused": "MAIL",
    "SMTPRecipientRefused": "RCPT",
    "SMTPDataError": "DATA",
    "SMTPHeloError": "EHLO",
    "SMTPAuthenticationError": "AUTH",
    "SMTPConnectError": "CONNECT",
}


def from_exception(exc: BaseException) -> list[Failure]:
    """Every failure that an exception from smtplib or aiosmtplib reports.

    Neither library is imported: the exception's class and attributes say what
    it is. ``SMTPRecipientsRefused`` gives one failure per refused recipient;
    other exceptions give one failure for the message or the session.
    Exceptions that carry no reply (a dropped connection, a timeout, a TLS
    error) get a verdict too.

    Args:
        exc: The exception.

    Returns:
        The failures, never empty.

    >>> import smtplib
    >>> error = smtplib.SMTPRecipientsRefused({
    ...     "bob@example.org": (550, b"5.1.1 <bob@example.org>: User unknown"),
    ...     "amy@example.org": (450, b"4.2.0 <amy@example.org>: Greylisted, try again"),
    ... })
    >>> [(f.recipient, f.verdict.reason.value, f.verdict.retry) for f in from_exception(error)]
    [('bob@example.org', 'user_unknown', False), ('amy@example.org', 'greylisted', True)]
    """
    names = _names(exc)
    if "SMTPRecipientsRefused" in names:
        refused: Any = getattr(exc, "recipients", None)
        if isinstance(refused, dict):
            return from_refused(refused) or [_lone(exc)]
        if isinstance(refused, list):
            failures = []
            for item in refused:
                failures += from_exception(item)
            return failures or [_lone(exc)]
    code = getattr(exc, "smtp_code", getattr(exc, "code", None))
    message = getattr(exc, "smtp_error", getattr(exc, "message", None))
    if "SMTPResponseException" in names:
        reply = _reply_from(code, message)
        if reply is not None:
            command = next(
                (cmd for name, cmd in _COMMAND_OF_EXCEPTION.items() if name in names), None
            )
            recipient = getattr(exc, "recipient", None)
            verdict = _decide(int(reply.code), reply.enhanced, reply.text, command, reply)
            return [Failure(recipient if isinstance(recipient, str) else None, reply, verdict)]
    return [_lone(exc)]


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


def _lone(exc: BaseException) -> Failure:
    """A failure for an exception that carries no usable reply."""
    names = _names(exc)
    text = str(exc)
    if names & {"SSLError", "SSLCertVerificationError", "CertificateError"}:
        verdict = _exception_verdict(exc, Reason.SECURITY_ERROR, "TLS failed")
    elif names & {"SMTPNotSupportedError", "SMTPNotSupported"}:
        lowered = text.lower()
        if "tls" in lowered or "auth" in lowered:
            verdict = _exception_verdict(exc, Reason.SECURITY_ERROR, "the server lacks it")
        else:
            verdict = _exception_verdict(exc, Reason.NOT_COMPLIANT_RFC, "the server lacks it")
    elif names & {"SMTPAuthenticationError"}:
        verdict = _exception_verdict(exc, Reason.SECURITY_ERROR, "authentication failed")
    elif names & _NETWORK_EXCEPTIONS or ("OSError" in names and "SMTPException" not in names):
        verdict = _exception_verdict(exc, Reason.NETWORK_ERROR, "no reply; try again")
    else:
        verdict = _exception_verdict(exc, Reason.UNDEFINED, "the exception says no more")
    return Failure(None, None, verdict)


def from_refused(refused: Mapping[str, tuple[int, bytes | str]]) -> list[Failure]:
    """One failure per recipient of the dict that ``smtplib.SMTP.sendmail`` returns.

    ``sendmail`` returns the recipients it could not deliver to, each with the
    code and the text of the server's answer to RCPT; so does
    ``SMTPRecipientsRefused.recipients``.

    Args:
        refused: ``{recipient: (code, message)}``.

    Returns:
        The failures, in the mapping's order.
    """
    failures = []
    for recipient, answer in refused.items():
        code, message = answer
        reply = _reply_from(code, message)
        if reply is None:
            verdict = _decide(None, None, "", "RCPT", None)
        else:
            verdict = _decide(int(reply.code), reply.enhanced, reply.text, "RCPT", reply)
        failures.append(Failure(recipient, reply, verdict))
    return failures


def should_retry(exc: BaseException) -> bool:
    """True when sending again later may succeed for some recipient that failed.

    Fits tenacity: ``retry=retry_if_exception(smtpreply.should_retry)``.

    Args:
        exc: An exception from smtplib, aiosmtplib or the network.

    Returns:
        Whether a retry is worth making.

    >>> import smtplib
    >>> should_retry(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    True
    >>> should_retry(smtplib.SMTPSenderRefused(553, b"5.7.1 Sender address rejected", "a@b.c"))
    False
    """
    return any(failure.verdict.retry for failure in from_exception(exc))
