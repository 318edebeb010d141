"""The ``Reply`` value and ``parse``, the reader of one whole server reply.

The grammar itself, and every decision about its edges, lives in ``_grammar``;
this module turns what the grammar read into :class:`Reply` values, and builds
every ``Reply`` that smtpreply makes (``build``).
"""

from __future__ import annotations

from typing import Union

import attrs

from smtpreply._codes import ReplyClass, ReplyCode, is_intermediate, is_permanent, is_positive
from smtpreply._codes import is_transient as _is_transient
from smtpreply._errors import InvalidReply
from smtpreply._grammar import (
    MAX_LINE_LENGTH,
    MAX_REPLY_LINES,
    fast_reply,
    leading_status,
    reply_lines,
)
from smtpreply._public import public
from smtpreply._status import EnhancedStatus, status_of

__all__ = ["MAX_LINE_LENGTH", "MAX_REPLY_LINES", "Reply", "parse"]

_new = object.__new__
_KNOWN: dict[int, ReplyCode] = {member.value: member for member in ReplyCode}
# Each "250 " that starts a one-line reply, mapped to the code a Reply holds.
HEADS: dict[str, int] = {f"{number} ": _KNOWN.get(number, number) for number in range(100, 1000)}

Text = Union[str, bytes, bytearray, memoryview]


def _code_of(number: object) -> object:
    """The ``ReplyCode`` member for ``number`` when there is one, else the value itself."""
    if isinstance(number, int) and not isinstance(number, bool):
        return _KNOWN.get(number, number)
    return number


# The statuses seen so far at the start of a line, by the word they are written as
# ("5.1.1"): one dict lookup reads the common lines; the grammar reads the rest and
# fills the table, up to a bound.
_WORDS: dict[str, EnhancedStatus] = {}
_WORDS_SIZE = 4096


def line_status(code: int, line: str) -> tuple[EnhancedStatus | None, int]:
    """The enhanced status at the start of ``line`` and where the text after it starts.

    A status counts only when its class is the code's first digit and a space, a
    tab or the end of the line follows it (see ``_grammar``).
    """
    word, space, _ = line.partition(" ")
    status = _WORDS.get(word)
    if status is not None:
        if status.class_ == code // 100:
            return status, len(word) + len(space)
        return None, 0
    numbers, start = leading_status(code // 100, line)
    if numbers is None:
        return None, 0
    status = status_of(*numbers)
    if len(_WORDS) < _WORDS_SIZE and str(status) == word:
        _WORDS[word] = status
    return status, start


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
        _check_unicode(line, line)


def _check_unicode(text: str, whole: str) -> None:
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
        code = self.code
        digit = code // 100
        for line in self.lines:
            found = _WORDS.get(line.partition(" ")[0])
            if found is None:
                found = line_status(code, line)[0]
            elif found.class_ != digit:
                continue
            if found is not None:
                return found
        return None

    @property
    def statuses(self) -> tuple[EnhancedStatus | None, ...]:
        """The enhanced status of each line, ``None`` where a line has none."""
        return tuple(line_status(self.code, line)[0] for line in self.lines)

    @property
    def text(self) -> str:
        r"""The human text: the lines joined by ``"\n"``, enhanced statuses taken out."""
        return text_and_status(self)[0]

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


# The slots' own setters: the fastest way to fill a frozen instance.
_set_code = Reply.__dict__["code"].__set__
_set_lines = Reply.__dict__["lines"].__set__


def text_and_status(reply: Reply) -> tuple[str, EnhancedStatus | None]:
    """A reply's human text and its first status, read in one pass over its lines."""
    code = reply.code
    first: EnhancedStatus | None = None
    parts = []
    for line in reply.lines:
        status, start = line_status(code, line)
        if first is None:
            first = status
        parts.append(line[start:].rstrip() if start else line.rstrip())
    return "\n".join(parts), first


def build(code: int, lines: tuple[str, ...]) -> Reply:
    """Build a reply from a code and lines that the grammar has already checked.

    Every ``Reply`` that smtpreply reads is made here.
    """
    reply = _new(Reply)
    _set_code(reply, _KNOWN.get(code, code))
    _set_lines(reply, lines)
    return reply


def decode(data: bytes | bytearray | memoryview) -> str:
    """Decode reply bytes: UTF-8 (RFC 6531), else Latin-1, which never fails.

    Servers that predate SMTPUTF8 often send their local 8-bit charset; Latin-1
    keeps every byte as one character, so nothing is lost.
    """
    try:
        return str(data, "utf-8")
    except UnicodeDecodeError:
        return str(data, "latin-1")


def _as_text(data: object) -> str:
    if type(data) is str:
        return data
    if isinstance(data, (bytes, bytearray, memoryview)):
        return decode(data)
    if isinstance(data, str):
        return str(data)
    raise InvalidReply(f"expected a reply as str or bytes, not {type(data).__name__}")


@public
def parse(data: Text, *, strict: bool = False) -> Reply:
    r"""Read one whole reply, single-line or multi-line.

    Args:
        data: The reply as ``str`` or ``bytes``. Bytes are decoded as UTF-8, or
            as Latin-1 when they are not valid UTF-8.
        strict: Enforce RFC 5321 exactly: CRLF after every line, a space or
            ``-`` (or nothing) after the code, codes 200 to 559, printable text,
            and lines of at most 512 octets. By default the parser also accepts
            what real servers and logs produce: LF line ends, a missing final
            line end, trailing blank lines, any code from 100 to 999, and lines
            up to :data:`MAX_LINE_LENGTH` characters.

    Returns:
        The reply.

    Raises:
        InvalidReply: ``data`` is not exactly one reply. The message gives the
            position and what was expected there.

    >>> parse("250-mx.example.org\r\n250-PIPELINING\r\n250 SIZE 35882577\r\n").lines
    ('mx.example.org', 'PIPELINING', 'SIZE 35882577')
    >>> parse("250 OK\n").code
    <ReplyCode.OK: 250>
    >>> parse("250 OK\n", strict=True)
    Traceback (most recent call last):
    ...
    smtpreply.InvalidReply: expected CRLF at the end of the line at position 6: '250 OK\n'
        250 OK\n
              ^
    """
    if type(data) is bytes:
        try:
            text = data.decode()
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    else:
        text = _as_text(data)
        if not text.isascii() and isinstance(data, str):
            _check_unicode(text, text)  # decoded bytes never hold a lone surrogate
    if not strict:
        # The grammar's fast path reads the common replies; None sends the rest
        # to the full reading, which also finds what is wrong with them.
        fast = fast_reply(text, HEADS)
        if fast is not None:
            reply = _new(Reply)
            _set_code(reply, fast[0])
            _set_lines(reply, fast[1])
            return reply
    code, lines = reply_lines(text, strict=strict)
    return build(code, lines)


def parse_or_none(text: str) -> Reply | None:
    """``parse(text)``, or ``None`` where it would raise: for callers that try a text.

    The common refusals cost no error: a text of one line that the grammar's fast
    path does not read is never a reply (``tests/test_grammar.py`` proves it).
    """
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return None
    fast = fast_reply(text, HEADS)
    if fast is not None:
        reply = _new(Reply)
        _set_code(reply, fast[0])
        _set_lines(reply, fast[1])
        return reply
    if "\n" not in text and "\r" not in text:
        return None
    try:
        code, lines = reply_lines(text)
    except InvalidReply:
        return None
    return build(code, lines)
