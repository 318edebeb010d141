"""The ``Reply`` value and ``parse``, the reader of one whole server reply.

Grammar (RFC 5321, section 4.2, with the enhanced status codes of RFC 2034)::

    reply       = *( code "-" [ text ] CRLF ) code [ SP [ text ] ] CRLF
    code        = 3DIGIT                    ; the same on every line
    text        = [ status SP ] textstring  ; status only where its class
                                            ; is the code's first digit
    status      = class "." subject "." detail

The parser is hand-written and linear: it splits the input into lines once with
``str.split`` and looks at a fixed number of characters at the start of each line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Union

import attrs

from smtpreply._codes import ReplyClass, ReplyCode
from smtpreply._errors import InvalidReply
from smtpreply._status import EnhancedStatus

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "MAX_LINE_LENGTH",
    "MAX_REPLY_LINES",
    "STRICT_MAX_LINE_LENGTH",
    "Reply",
    "parse",
]

#: The longest line ``parse`` and ``ReplyReader`` accept by default, in characters
#: (bytes for the reader), line end excluded. Real servers stay far below it.
MAX_LINE_LENGTH = 8192
#: The most lines one reply may have. An EHLO reply has a few dozen at most.
MAX_REPLY_LINES = 1000
#: RFC 5321, section 4.5.3.1.5: a reply line is at most 512 octets with its CRLF.
STRICT_MAX_LINE_LENGTH = 510

_DIGITS = frozenset("0123456789")
_new = object.__new__
_KNOWN: dict[int, ReplyCode] = {member.value: member for member in ReplyCode}
# Every valid code's three characters, mapped to the member or the int: one dict
# lookup both checks and converts a line's code.
_BY_HEAD: dict[str, int] = {str(number): _KNOWN.get(number, number) for number in range(100, 1000)}

Text = Union[str, bytes, bytearray, memoryview]


def _code_of(number: object) -> object:
    """The ``ReplyCode`` member for ``number`` when there is one, else the value itself."""
    if isinstance(number, int) and not isinstance(number, bool):
        return _KNOWN.get(number, number)
    return number


# An enhanced status at the start of a line's text, followed by a space or the end.
# Bounded repetition only: matching is linear in the line.
_LEADING_STATUS = re.compile(r"([245])\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})(?: |\Z)")
# Statuses seen so far, so that equal ones are shared; bounded.
_STATUS_CACHE: dict[str, EnhancedStatus] = {}
_STATUS_CACHE_SIZE = 4096


def _line_status(code: int, line: str) -> tuple[EnhancedStatus | None, int]:
    """The enhanced status at the start of ``line`` and where the text after it starts.

    A status counts only when its class is the code's first digit and a space or
    the end of the line follows it.
    """
    match = _LEADING_STATUS.match(line)
    if match is None or ord(line[0]) - 48 != code // 100:
        return None, 0
    key = match.group(0).rstrip()
    status = _STATUS_CACHE.get(key)
    if status is None:
        status = EnhancedStatus._trusted(
            int(match.group(1)), int(match.group(2)), int(match.group(3))
        )
        if len(_STATUS_CACHE) < _STATUS_CACHE_SIZE:
            _STATUS_CACHE[key] = status
    return status, match.end()


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

    code: int = attrs.field(validator=_check_code, converter=_code_of)
    lines: tuple[str, ...] = attrs.field(validator=_check_lines)

    @classmethod
    def _trusted(cls, code: int, lines: tuple[str, ...]) -> Reply:
        """Build a reply from parts the parser has already checked."""
        reply = _new(cls)
        _set_code(reply, _KNOWN.get(code, code))
        _set_lines(reply, lines)
        return reply

    @property
    def enhanced(self) -> EnhancedStatus | None:
        """The enhanced status of the first line that carries one, or ``None``.

        When lines disagree, this is the first line's status; :attr:`statuses`
        has each line's.
        """
        code = self.code
        for line in self.lines:
            found = _line_status(code, line)[0]
            if found is not None:
                return found
        return None

    @property
    def statuses(self) -> tuple[EnhancedStatus | None, ...]:
        """The enhanced status of each line, ``None`` where a line has none."""
        return tuple(_line_status(self.code, line)[0] for line in self.lines)

    @property
    def text(self) -> str:
        r"""The human text: the lines joined by ``"\n"``, enhanced statuses taken out."""
        code = self.code
        parts = []
        for line in self.lines:
            start = _line_status(code, line)[1]
            parts.append(line[start:].rstrip() if start else line.rstrip())
        return "\n".join(parts)

    @property
    def reply_class(self) -> ReplyClass | None:
        """The class (first digit), or ``None`` for a first digit no class has (6 to 9)."""
        return ReplyClass.of(self.code)

    @property
    def is_positive(self) -> bool:
        """True for 2yz: the command succeeded."""
        return self.code // 100 == 2

    @property
    def is_intermediate(self) -> bool:
        """True for 3yz: the server waits for more input."""
        return self.code // 100 == 3

    @property
    def is_transient(self) -> bool:
        """True for 4yz: the command failed but may succeed later."""
        return self.code // 100 == 4

    @property
    def is_permanent(self) -> bool:
        """True for 5yz: the command failed and will fail again unchanged."""
        return self.code // 100 == 5

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


# The slots' own setters: the fastest way to fill a frozen instance the parser built.
_set_code = Reply.__dict__["code"].__set__
_set_lines = Reply.__dict__["lines"].__set__


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
    if isinstance(data, str):
        return data
    if isinstance(data, (bytes, bytearray, memoryview)):
        return decode(data)
    raise InvalidReply(f"expected a reply as str or bytes, not {type(data).__name__}")


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
    if strict:
        return _parse_strict(_as_text(data))
    if type(data) is bytes:
        try:
            text = data.decode()
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    elif type(data) is str:
        text = data
    else:
        text = _as_text(data)
    # The common cases, decided with a few C-level string operations: every line
    # carries the same code, CR only in CRLF, and the whole within one line's limit.
    if len(text) <= MAX_LINE_LENGTH:
        line = text[:-2] if text.endswith("\r\n") else text
        if "\n" not in line and "\r" not in line:
            separator = line[3:4]
            if separator == " " or separator == "":
                code = _BY_HEAD.get(line[:3])
                if code is not None:
                    reply = _new(Reply)
                    _set_code(reply, code)
                    _set_lines(reply, (line[4:],))
                    return reply
        flat = text.replace("\r\n", "\n") if "\r" in text else text
        if "\r" not in flat:
            rows = flat.split("\n")
            if not rows[-1]:
                rows.pop()
            if 1 < len(rows) <= MAX_REPLY_LINES:
                first = rows[0]
                head = first[:3]
                code = _BY_HEAD.get(head)
                final = rows[-1]
                if (
                    code is not None
                    and first[3:4] == "-"
                    and final[:3] == head
                    and (final[3:4] == " " or final[3:4] == "")
                    and flat.count("\n" + head + "-") == len(rows) - 2
                ):
                    reply = _new(Reply)
                    _set_code(reply, code)
                    _set_lines(reply, tuple([row[4:] for row in rows]))
                    return reply
    return _parse_lenient(text)


def _parse_lenient(text: str) -> Reply:
    # One more piece than the line limit: whatever follows stays in the last one.
    rows = text.split("\n", MAX_REPLY_LINES)
    # A final line end leaves an empty last row; trailing blank lines are accepted too.
    while len(rows) > 1 and (not rows[-1] or rows[-1].isspace()):
        rows.pop()
    if len(rows) > MAX_REPLY_LINES:
        raise InvalidReply(
            f"a reply has at most {MAX_REPLY_LINES} lines", text, _offset(rows, MAX_REPLY_LINES)
        )
    head = rows[0][:3]
    last = len(rows) - 1
    lines = []
    position = 0
    for index, raw in enumerate(rows):
        row = raw[:-1] if raw.endswith("\r") else raw
        if not row.startswith(head) or len(row) > MAX_LINE_LENGTH or index == 0:
            # The slow path says exactly what is wrong, or checks the first line.
            if len(row) > MAX_LINE_LENGTH:
                raise InvalidReply(
                    f"a reply line has at most {MAX_LINE_LENGTH} characters",
                    text,
                    position + MAX_LINE_LENGTH,
                )
            number = _line_code(row, text, position)
            if index == 0 and number < 100:
                raise InvalidReply("a reply code is from 100 to 999", text, position)
            if index:
                raise _code_mismatch(int(head), text, position)
        carriage = row.find("\r")
        if carriage >= 0:
            raise InvalidReply("a carriage return may only end a line", text, position + carriage)
        separator = row[3:4]
        if index < last:
            if separator != "-":
                raise _separator_error(row, text, position, position + len(raw) + 1)
        elif separator == "-":
            raise InvalidReply(
                "the reply ends with a continuation line ('-' after the code)", text, position + 3
            )
        elif separator != " " and separator != "":
            raise _separator_error(row, text, position, None)
        lines.append(row[4:])
        position += len(raw) + 1
    return Reply._trusted(int(head), tuple(lines))


def _parse_strict(text: str) -> Reply:
    if not text:
        raise InvalidReply("expected a reply, got nothing")
    rows = text.split("\r\n", MAX_REPLY_LINES)
    if len(rows) > MAX_REPLY_LINES and rows[-1]:
        raise InvalidReply(
            f"a reply has at most {MAX_REPLY_LINES} lines",
            text,
            sum(len(row) + 2 for row in rows[:-1]),
        )
    position = 0
    for row in rows:
        for bad in ("\n", "\r"):
            found = row.find(bad)
            if found >= 0:
                raise _line_end_error(text, position + found)
        position += len(row) + 2
    if rows.pop():
        raise _line_end_error(text, len(text))
    code = -1
    last = len(rows) - 1
    lines = []
    position = 0
    for index, row in enumerate(rows):
        if len(row) > STRICT_MAX_LINE_LENGTH:
            raise InvalidReply(
                "a reply line has at most 512 octets with its CRLF (RFC 5321, 4.5.3.1.5)",
                text,
                position + STRICT_MAX_LINE_LENGTH,
            )
        if len(row.encode("utf-8")) > STRICT_MAX_LINE_LENGTH:
            raise InvalidReply(
                "a reply line has at most 512 octets with its CRLF (RFC 5321, 4.5.3.1.5)",
                text,
                position,
            )
        number = _line_code(row, text, position)
        if code < 0:
            if not ("2" <= row[0] <= "5" and "0" <= row[1] <= "5"):
                raise InvalidReply("RFC 5321 reply codes are 200 to 559", text, position)
            code = number
        elif number != code:
            raise _code_mismatch(code, text, position)
        separator = row[3:4]
        if index < last and separator != "-":
            raise _separator_error(row, text, position, position + len(row) + 2)
        if index == last and separator not in ("", " "):
            raise _separator_error(row, text, position, None)
        for offset, char in enumerate(row):
            if (char < " " and char != "\t") or char == "\x7f":
                raise InvalidReply(
                    "reply text may hold only printable characters and tabs",
                    text,
                    position + offset,
                )
        lines.append(row[4:])
        position += len(row) + 2
    return Reply._trusted(code, tuple(lines))


def _line_code(row: str, text: str, position: int) -> int:
    """The number the line starts with, after checking it is three ASCII digits."""
    head = row[:3]
    if len(head) == 3 and head[0] in _DIGITS and head[1] in _DIGITS and head[2] in _DIGITS:
        return int(head)
    for offset in range(3):
        if offset >= len(row) or row[offset] not in _DIGITS:
            break
    raise InvalidReply("expected a 3-digit reply code", text, position + offset)


def _code_mismatch(code: int, text: str, position: int) -> InvalidReply:
    return InvalidReply(f"every line of a reply must carry the same code, {code}", text, position)


def _separator_error(row: str, text: str, position: int, next_line: int | None) -> InvalidReply:
    """Explain a bad character after the code; ``next_line`` is None on the last line."""
    if next_line is None:
        return InvalidReply(
            "expected a space or the line end after the reply code", text, position + 3
        )
    if row[3:4] in ("", " "):
        return InvalidReply(
            "a second reply starts here: parse reads one reply (use ReplyReader for several)",
            text,
            next_line,
        )
    return InvalidReply(
        "expected '-' after the reply code of a continuation line", text, position + 3
    )


def _line_end_error(text: str, position: int) -> InvalidReply:
    return InvalidReply("expected CRLF at the end of the line", text, position)


def _offset(rows: Iterable[str], count: int) -> int:
    total = 0
    for index, row in enumerate(rows):
        if index == count:
            break
        total += len(row) + 1
    return total
