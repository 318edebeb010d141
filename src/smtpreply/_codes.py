"""Basic SMTP reply codes: the catalogue enum, reply classes and categories."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from smtpreply import _data
from smtpreply._errors import InvalidReply
from smtpreply._public import public

if TYPE_CHECKING:
    from smtpreply._status import EnhancedStatus

__all__ = ["Category", "ReplyClass", "ReplyCode"]


# The reply-class predicates, written once (as httpx's ``codes.is_success``): over a
# reply code, or over an enhanced status's class times 100. ``ReplyCode``, ``Reply``
# and ``EnhancedStatus`` delegate to them.


def is_positive(code: int) -> bool:
    """True for 2yz: the command succeeded."""
    return code // 100 == 2


def is_intermediate(code: int) -> bool:
    """True for 3yz: the server waits for more input."""
    return code // 100 == 3


def is_transient(code: int) -> bool:
    """True for 4yz: the command failed for now and may succeed later."""
    return code // 100 == 4


def is_permanent(code: int) -> bool:
    """True for 5yz: the command failed and will fail again unless something changes."""
    return code // 100 == 5


class _Described(enum.IntEnum):
    """An int enum whose members read their title and description from the data."""

    def _info(self) -> _data.GroupInfo:
        raise NotImplementedError

    @property
    def title(self) -> str:
        """A short name, e.g. ``"Permanent Negative Completion"``."""
        return self._info().title

    @property
    def description(self) -> str:
        """What a code in this group means."""
        return self._info().description


@public
@enum.unique
class ReplyClass(_Described):
    """The class of a reply: the first digit of its code (RFC 5321, section 4.2.1).

    >>> ReplyClass(5).title
    'Permanent Negative Completion'
    >>> ReplyClass.of(454)
    <ReplyClass.TRANSIENT_NEGATIVE: 4>
    """

    #: 1yz. Defined by the reply-code scheme but never sent by SMTP servers.
    POSITIVE_PRELIMINARY = 1
    #: 2yz. The command succeeded.
    POSITIVE_COMPLETION = 2
    #: 3yz. The command was accepted; the server waits for more (354, 334).
    POSITIVE_INTERMEDIATE = 3
    #: 4yz. The command failed for now; the same command may work later.
    TRANSIENT_NEGATIVE = 4
    #: 5yz. The command failed; repeating it unchanged will fail again.
    PERMANENT_NEGATIVE = 5

    @classmethod
    def of(cls, code: int) -> ReplyClass | None:
        """The class of a three-digit code, or ``None`` when its first digit names none.

        Args:
            code: A reply code from 100 to 999.

        Returns:
            The class, or ``None`` for codes such as 600 that no class covers.

        Raises:
            InvalidReply: ``code`` is not a three-digit number.
        """
        _check_three_digits(code)
        try:
            return cls(code // 100)
        except ValueError:
            return None

    def _info(self) -> _data.GroupInfo:
        return _data.reply_classes()[self.value]


@public
@enum.unique
class Category(_Described):
    """The category of a reply: the second digit of its code (RFC 5321, section 4.2.1).

    RFC 5321 leaves x3z and x4z unspecified; the authentication extension (RFC 4954)
    later put its codes (334, 535, 530...) in x3z.

    >>> Category.of(550)
    <Category.MAIL_SYSTEM: 5>
    >>> Category(0).title
    'Syntax'
    """

    #: x0z. Syntax errors, and commands that are syntactically right but unknown.
    SYNTAX = 0
    #: x1z. Answers to requests for information, such as status or help.
    INFORMATION = 1
    #: x2z. The transmission channel: greeting and closing.
    CONNECTIONS = 2
    #: x3z. Left unspecified by RFC 5321; used for authentication by RFC 4954.
    UNSPECIFIED_3 = 3
    #: x4z. Left unspecified by RFC 5321.
    UNSPECIFIED_4 = 4
    #: x5z. The state of the receiving mail system for the requested transfer.
    MAIL_SYSTEM = 5

    @classmethod
    def of(cls, code: int) -> Category | None:
        """The category of a three-digit code, or ``None`` when its second digit names none.

        Args:
            code: A reply code from 100 to 999.

        Returns:
            The category, or ``None`` for codes such as 571 whose second digit is
            above 5, which RFC 5321 does not allow.

        Raises:
            InvalidReply: ``code`` is not a three-digit number.
        """
        _check_three_digits(code)
        try:
            return cls(code // 10 % 10)
        except ValueError:
            return None

    def _info(self) -> _data.GroupInfo:
        return _data.categories()[self.value]


def _check_three_digits(code: object) -> None:
    if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 999:
        raise InvalidReply(f"expected a 3-digit reply code from 100 to 999, not {code!r}")


@public
@enum.unique
class ReplyCode(enum.IntEnum):
    """Every SMTP basic reply code that a standard or the IANA registry names.

    Members are ints, so they compare equal to the numbers servers send. Their
    metadata comes from the catalogue shipped with the package:

    >>> code = ReplyCode(530)
    >>> code
    <ReplyCode.AUTHENTICATION_REQUIRED: 530>
    >>> code.title
    'Authentication Required'
    >>> code.reply_class
    <ReplyClass.PERMANENT_NEGATIVE: 5>
    >>> code == 530, code.is_permanent
    (True, True)

    A code that no standard defines is not a member: ``ReplyCode(599)`` raises
    :class:`InvalidReply` (a ``ValueError``), and replies keep such codes as
    plain ints.
    """

    #: A reply to a request for system status or help.
    SYSTEM_STATUS = 211
    #: Help text meant for a human reader.
    HELP_MESSAGE = 214
    #: The greeting: the server is ready for the client.
    SERVICE_READY = 220
    #: The server is closing the connection, usually after QUIT.
    SERVICE_CLOSING = 221
    #: AUTH succeeded.
    AUTHENTICATION_SUCCEEDED = 235
    #: The command succeeded.
    OK = 250
    #: The recipient is not local; the server will forward the message.
    USER_NOT_LOCAL_WILL_FORWARD = 251
    #: The server will not confirm the address but accepts mail for it.
    CANNOT_VERIFY_USER = 252
    #: ETRN: delivery of the queued messages has started.
    PENDING_MESSAGES_STARTED = 253
    #: AUTH: the server sends a challenge and waits for the client's answer.
    SERVER_CHALLENGE = 334
    #: DATA: the server waits for the message content.
    START_MAIL_INPUT = 354
    #: The service is not available and the server is closing the connection.
    SERVICE_NOT_AVAILABLE = 421
    #: Industry usage (X.7.12): a password transition is needed.
    PASSWORD_TRANSITION_REQUIRED = 422
    #: Industry usage (X.5.1): the command is invalid.
    INVALID_COMMAND = 430
    #: AUTH: the user must authenticate once with another mechanism first.
    PASSWORD_TRANSITION_NEEDED = 432
    #: The mailbox cannot take mail right now.
    MAILBOX_TEMPORARILY_UNAVAILABLE = 450
    #: The server hit a local error and aborted the command.
    LOCAL_ERROR_IN_PROCESSING = 451
    #: The server lacks the storage, or the room, for the command.
    INSUFFICIENT_STORAGE = 452
    #: ATRN: there is no mail waiting for the client.
    NO_MAIL = 453
    #: AUTH or STARTTLS failed for a temporary reason.
    TEMPORARY_AUTHENTICATION_FAILURE = 454
    #: The server cannot honour the MAIL or RCPT parameters now.
    CANNOT_ACCOMMODATE_PARAMETERS = 455
    #: ETRN: the server cannot queue messages for the node.
    CANNOT_QUEUE_FOR_NODE = 458
    #: ETRN: the node is not allowed.
    NODE_NOT_ALLOWED = 459
    #: The command is not recognised, or its line is too long.
    SYNTAX_ERROR = 500
    #: The command's parameters or arguments are wrong.
    SYNTAX_ERROR_IN_PARAMETERS = 501
    #: The server does not implement the command.
    COMMAND_NOT_IMPLEMENTED = 502
    #: The command came in the wrong order.
    BAD_SEQUENCE_OF_COMMANDS = 503
    #: The server does not implement a parameter of the command.
    PARAMETER_NOT_IMPLEMENTED = 504
    #: The host does not accept mail at all.
    HOST_DOES_NOT_ACCEPT_MAIL = 521
    #: Industry usage (X.7.10): encryption is needed first.
    ENCRYPTION_NEEDED = 523
    #: Industry usage (X.7.11): the mechanism requires encryption.
    ENCRYPTION_REQUIRED_FOR_AUTHENTICATION = 524
    #: Industry usage (X.7.13): the user account is disabled.
    USER_ACCOUNT_DISABLED = 525
    #: The server requires AUTH (or STARTTLS) before this command.
    AUTHENTICATION_REQUIRED = 530
    #: Industry usage (X.7.1): delivery is not authorized.
    DELIVERY_NOT_AUTHORIZED = 533
    #: AUTH: the mechanism is weaker than the server allows.
    AUTHENTICATION_MECHANISM_TOO_WEAK = 534
    #: AUTH: the credentials were rejected.
    AUTHENTICATION_FAILED = 535
    #: AUTH: the mechanism may only be used over an encrypted connection.
    ENCRYPTION_REQUIRED_FOR_MECHANISM = 538
    #: The mailbox is unavailable: unknown, refused, or blocked by policy.
    MAILBOX_UNAVAILABLE = 550
    #: The recipient is not local; the client should try another path.
    USER_NOT_LOCAL = 551
    #: The message exceeds a storage allocation.
    EXCEEDED_STORAGE_ALLOCATION = 552
    #: The mailbox name is not allowed.
    MAILBOX_NAME_NOT_ALLOWED = 553
    #: The transaction failed, or the server refuses the client.
    TRANSACTION_FAILED = 554
    #: The server does not recognise or implement the MAIL or RCPT parameters.
    PARAMETERS_NOT_RECOGNIZED = 555
    #: The domain does not accept mail (null MX).
    DOMAIN_DOES_NOT_ACCEPT_MAIL = 556

    @classmethod
    def _missing_(cls, value: object) -> ReplyCode:
        if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 999:
            raise InvalidReply(f"{value} is not a reply code that any standard defines")
        raise InvalidReply(f"expected a 3-digit reply code, not {value!r}")

    @classmethod
    def get(cls, code: int) -> ReplyCode | None:
        """The member for ``code``, or ``None`` when no standard defines it.

        Args:
            code: A reply code.

        Returns:
            The member, or ``None``.

        >>> ReplyCode.get(250)
        <ReplyCode.OK: 250>
        >>> ReplyCode.get(299) is None
        True
        """
        member = cls._value2member_map_.get(code)
        return member if isinstance(member, cls) else None

    def _info(self) -> _data.CodeInfo:
        return _data.reply_codes()[self.value]

    @property
    def title(self) -> str:
        """A short name in title case, e.g. ``"Cannot Verify User"``."""
        return self._info().title

    @property
    def description(self) -> str:
        """What the code means when the command it answers is not known.

        Codes whose meaning depends on the command (``334`` answers ``AUTH``,
        ``354`` answers ``DATA`` or ``BDAT``) give that meaning here; ``explain``
        with ``command=`` picks the meaning for one command.
        """
        info = self._info()
        meaning = next((item for item in info.meanings if item.default), info.meanings[0])
        return meaning.text

    @property
    def when(self) -> str:
        """The situations in which a client sees the code."""
        return self._info().when

    @property
    def fix(self) -> str:
        """What to do about it in general (for success codes: what happens next).

        Advice that holds only for some statuses or commands is left out; ``explain``
        picks it for the reply in front of it.
        """
        return " ".join(item.text for item in self._info().advice if item.general)

    @property
    def rfcs(self) -> tuple[str, ...]:
        """The RFCs that give the code a meaning, primary first; ``()`` for industry usage."""
        return self._info().rfcs

    @property
    def commands(self) -> tuple[str, ...]:
        """The SMTP commands the code typically answers (``"CONNECT"`` for the greeting)."""
        return self._info().commands

    @property
    def typical_statuses(self) -> tuple[EnhancedStatus, ...]:
        """The enhanced status codes most often sent with this code."""
        from smtpreply._status import EnhancedStatus

        return tuple(EnhancedStatus.parse(text) for text in self._info().enhanced)

    @property
    def reply_class(self) -> ReplyClass:
        """The class, from the first digit."""
        return ReplyClass(self.value // 100)

    @property
    def category(self) -> Category:
        """The category, from the second digit."""
        return Category(self.value // 10 % 10)

    @property
    def is_standard(self) -> bool:
        """True when an RFC defines the code; False for industry usage."""
        return bool(self._info().rfcs)

    @property
    def is_positive(self) -> bool:
        """True for 2yz: the command succeeded."""
        return is_positive(self.value)

    @property
    def is_intermediate(self) -> bool:
        """True for 3yz: the server waits for more input."""
        return is_intermediate(self.value)

    @property
    def is_transient(self) -> bool:
        """True for 4yz: the command failed, but may work later."""
        return is_transient(self.value)

    @property
    def is_permanent(self) -> bool:
        """True for 5yz: the command failed and will fail again unchanged."""
        return is_permanent(self.value)
