"""The taxonomy of verdicts: reasons, actions, scopes, and the verdict itself.

The reasons follow the taxonomy that the established bounce classifiers share
(Sisimai's names, written in snake case), so that results can be compared with
theirs; docs/conventions.md says what each one means, case by case.
"""

from __future__ import annotations

import datetime
import enum

import attrs

from smtpreply._public import public
from smtpreply._reply import Reply
from smtpreply._status import EnhancedStatus

__all__ = ["Action", "Evidence", "Failure", "Reason", "Scope", "Verdict"]


@public
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
        from smtpreply._rules import rules

        return rules().reasons[self].description


@public
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


@public
class Scope(str, enum.Enum):
    """What the verdict concerns."""

    #: One recipient.
    RECIPIENT = "recipient"
    #: The message, for all its recipients.
    MESSAGE = "message"
    #: The whole session or connection to that server.
    SESSION = "session"


@public
@attrs.frozen
class Evidence:
    """One thing that decided a verdict.

    Attributes:
        source: What kind of evidence it is: ``"class"`` (the first digit),
            ``"provider"`` (a provider's documented meaning), ``"text"`` (a phrase of
            the reply), ``"context"`` (the wording around the reply, or a phrase in
            the reply's trailing context), ``"status"`` (the enhanced status),
            ``"command"`` (the command the reply answered), ``"code"`` (the basic
            code's usual meaning) or ``"exception"``.
        detail: What matched, in words.
        url: The documentation a provider rule comes from, else ``None``.
    """

    source: str
    detail: str
    url: str | None = None


@public
@attrs.frozen
class Verdict:
    """What a reply means for the sender, and what to do next.

    >>> from smtpreply import classify
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

    def to_dict(self) -> dict[str, object]:
        """The verdict as plain data that ``json.dumps`` takes as it is.

        Enums become their values, the delay becomes seconds, and the reply its
        code, status and text, so that a row written by one program reads the
        same in another:

        >>> from smtpreply import classify
        >>> row = classify("452 4.2.2 Mailbox full").to_dict()
        >>> row["reason"], row["retry"], row["delay_seconds"], row["code"]
        ('mailbox_full', True, 3600.0, 452)
        """
        reply = self.reply
        return {
            "reason": self.reason.value,
            "retry": self.retry,
            "hard_bounce": self.hard_bounce,
            "action": self.action.value,
            "delay_seconds": None if self.delay is None else self.delay.total_seconds(),
            "scope": self.scope.value,
            "code": None if reply is None else int(reply.code),
            "status": None if self.status is None else str(self.status),
            "command": self.command,
            "text": None if reply is None else reply.text,
            "evidence": [
                {"source": item.source, "detail": item.detail, "url": item.url}
                for item in self.evidence
            ],
        }


@public
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
