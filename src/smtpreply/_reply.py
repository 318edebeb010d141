"""The ``Reply`` value; ``parse`` and the other readers are in ``_parse``.

The grammar itself, and every decision about its edges, lives in ``_grammar``;
``_parse`` turns what the grammar read into :class:`Reply` values, and builds
every ``Reply`` that smtpreply makes (``build``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from smtpreply._codes import ReplyClass, ReplyCode, is_intermediate, is_permanent, is_positive
from smtpreply._codes import is_transient as _is_transient
from smtpreply._errors import InvalidReply
from smtpreply._grammar import (
    MAX_LINE_LENGTH,
    MAX_REPLY_LINES,
)
from smtpreply._public import public

if TYPE_CHECKING:
    from smtpreply._status import EnhancedStatus

__all__ = ["MAX_LINE_LENGTH", "MAX_REPLY_LINES", "Reply"]

_KNOWN: dict[int, ReplyCode] = {member.value: member for member in ReplyCode}


def _code_of(number: object) -> object:
    """The ``ReplyCode`` member for ``number`` when there is one, else the value itself."""
    if isinstance(number, int) and not isinstance(number, bool):
        return _KNOWN.get(number, number)
    return number


def _check_code(instance: Reply, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 999:
        raise InvalidReply(f"a reply code is a number from 100 to 999, not {value!r}")


def _check_lines(
    instance: Reply, attribute: attrs.Attribute[tuple[str, ...]], value: object
) -> None:
    if not isinstance(value, tuple) or not value:
        raise InvalidReply(f"the lines of a reply are a non-empty tuple of str, not {value!r}")
    for line in value:
        if not isinstance(line, str) or "\n" in line or "\r" in line:
            raise InvalidReply(f"a line of a reply is a str without CR or LF, not {line!r}")
        check_unicode(line, line)


def check_unicode(text: str, whole: str) -> None:
    """Refuse lone surrogates: a reply's text must be encodable as UTF-8."""
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidReply(
            "reply text must be valid Unicode, not a lone surrogate", whole, error.start
        ) from None


@public
@attrs.frozen
class Reply:
    r"""One SMTP reply: a code and one or more lines of text.

    Made by :func:`parse`, :class:`ReplyReader` or :func:`extract`; immutable,
    hashable and picklable. Two replies are equal when their codes and lines are.

    >>> reply = parse("550 5.1.1 <bob@example.org>: Recipient address rejected\r\n")
    >>> reply.code, reply.enhanced
    (<ReplyCode.MAILBOX_UNAVAILABLE: 550>, EnhancedStatus(class_=5, subject=1, detail=1))
    >>> reply.text
    '<bob@example.org>: Recipient address rejected'
    >>> str(reply)
    '550 5.1.1 <bob@example.org>: Recipient address rejected\r\n'

    Attributes:
        code: The reply code: a :class:`ReplyCode` member when a standard defines
            it, else a plain ``int`` (for example 571 from some servers).
        lines: Each line's text after the code and its separator, exactly as sent
            (enhanced status included).
    """

    code: ReplyCode | int = attrs.field(validator=_check_code, converter=_code_of)
    lines: tuple[str, ...] = attrs.field(validator=_check_lines)

    @property
    def enhanced(self) -> EnhancedStatus | None:
        """The enhanced status of the first line that carries one, or ``None``.

        When lines disagree, this is the first line's status; :attr:`statuses`
        has each line's.
        """
        return _readers.first_status(self.code, self.lines)

    @property
    def statuses(self) -> tuple[EnhancedStatus | None, ...]:
        """The enhanced status of each line, ``None`` where a line has none."""
        return tuple(_readers.line_status(self.code, line)[0] for line in self.lines)

    @property
    def text(self) -> str:
        r"""The human text: the lines joined by ``"\n"``, enhanced statuses taken out."""
        return _readers.text_and_status(self)[0]

    @property
    def standard_code(self) -> ReplyCode | None:
        """The :class:`ReplyCode` when a standard defines the code, else ``None``.

        The typed way to reach a code's title, description and advice:

        >>> parse("571 go away").standard_code is None
        True
        >>> parse("550 no").standard_code.title
        'Mailbox Unavailable'
        """
        code = self.code
        return code if isinstance(code, ReplyCode) else None

    @property
    def reply_class(self) -> ReplyClass | None:
        """The class (first digit), or ``None`` for a first digit no class has (6 to 9)."""
        return ReplyClass.of(self.code)

    @property
    def is_positive(self) -> bool:
        """True for 2yz: the command succeeded."""
        return is_positive(self.code)

    @property
    def is_intermediate(self) -> bool:
        """True for 3yz: the server waits for more input."""
        return is_intermediate(self.code)

    @property
    def is_transient(self) -> bool:
        """True for 4yz: the command failed but may succeed later."""
        return _is_transient(self.code)

    @property
    def is_permanent(self) -> bool:
        """True for 5yz: the command failed and will fail again unchanged."""
        return is_permanent(self.code)

    @property
    def is_multiline(self) -> bool:
        """True when the reply has more than one line."""
        return len(self.lines) > 1

    def __str__(self) -> str:
        """The reply as a server sends it, CRLF line ends included."""
        code = str(int(self.code))
        last = len(self.lines) - 1
        parts = []
        for index, line in enumerate(self.lines):
            if index < last:
                parts.append(f"{code}-{line}\r\n")
            elif line:
                parts.append(f"{code} {line}\r\n")
            else:
                parts.append(f"{code}\r\n")
        return "".join(parts)

    def __bytes__(self) -> bytes:
        """The wire form encoded as UTF-8 (RFC 6531)."""
        return str(self).encode("utf-8")


# The readers (parse, the status of a line) live in _parse, which builds Reply
# values and so imports this module; the module itself is imported here, at the
# end, which works whichever of the two is imported first.
import smtpreply._parse as _readers  # noqa: E402
