r"""The grammar of SMTP replies and enhanced status codes, written once.

Every reader of replies and statuses goes through this module: ``parse``,
``ReplyReader``, ``extract``, ``EnhancedStatus.parse``, ``classify`` and the
checks of the data files. It reads text and returns numbers and spans; it builds
no objects of the public API, and raises :class:`InvalidReply` at the position
where reading fails, with no second scan to explain.

The grammar (RFC 5321, section 4.2; RFC 3463; RFC 2034)::

    reply     = *( code "-" [ text ] eol ) code [ SP [ text ] ] eol
    code      = 3DIGIT                   ; the same on every line
    eol       = CRLF                     ; strict
              / CRLF / LF                ; lenient: a bare LF ends a line too
    text      = [ status ws ] textstring ; the status counts only when its class
                                         ; is the code's first digit
    ws        = SP / HTAB                ; either ends a status
    status    = class "." number "." number
    class     = "2" / "4" / "5"
    number    = "0" / %x31-39 0*2DIGIT   ; 0 to 999, no leading zero

Decided once, for every reader:

- **Leading zeros**: ``5.01.1`` is not a status anywhere (RFC 3463 numbers have
  none, and such text is more often a version number).
- **White space after a status**: a space or a tab ends it; ``550 5.1.1\tx``
  carries 5.1.1.
- **A bare LF** ends a line in lenient reading; strict reading wants CRLF.
- **A lone CR** (not followed by LF) is never part of a line: the reply is
  refused in both modes.
- **Limits** count every line, the final one included: a reply of
  ``max_lines`` lines is accepted, one more is refused; a line of
  ``max_line`` characters is accepted, one more is refused.

The fast paths (``fast_reply``) live here, beside the slow path they shortcut,
and a test proves them equal on the corpus and under hypothesis.
"""

from __future__ import annotations

import re

from smtpreply._errors import InvalidReply

__all__ = [
    "CODES",
    "COMMANDS",
    "EXCEPTION_COMMANDS",
    "MAX_LINE_LENGTH",
    "MAX_REPLY_LINES",
    "NUMBER_PATTERN",
    "STATUS_PATTERN",
    "STRICT_MAX_LINE_LENGTH",
    "command_verb",
    "expect_status",
    "fast_reply",
    "leading_status",
    "reply_lines",
    "status_at",
]

#: The longest line ``parse`` and ``ReplyReader`` accept by default, in characters
#: (bytes for the reader), line end excluded. Real servers stay far below it.
MAX_LINE_LENGTH = 8192
#: The most lines one reply may have. An EHLO reply has a few dozen at most.
MAX_REPLY_LINES = 1000
#: RFC 5321, section 4.5.3.1.5: a reply line is at most 512 octets with its CRLF.
STRICT_MAX_LINE_LENGTH = 510

#: The regular expression of a status, for readers that search text for one (extract,
#: the data files' checks). The groups are the class, the subject and the detail.
NUMBER_PATTERN = r"(0|[1-9][0-9]{0,2})"
STATUS_PATTERN = rf"([245])\.{NUMBER_PATTERN}\.{NUMBER_PATTERN}(?![0-9])"
_STATUS = re.compile(STATUS_PATTERN)
# Every code's three characters, mapped to its number: one dict lookup both checks
# and converts the start of a line.
CODES: dict[str, int] = {str(number): number for number in range(100, 1000)}
_DIGITS = frozenset("0123456789")

Status = tuple[int, int, int]

#: The SMTP command verbs, each mapped to the verb the rules use (BDAT is DATA,
#: LHLO is EHLO); CONNECT stands for the greeting.
COMMANDS = {
    "RCPT": "RCPT",
    "MAIL": "MAIL",
    "DATA": "DATA",
    "BDAT": "DATA",
    "EHLO": "EHLO",
    "HELO": "HELO",
    "LHLO": "EHLO",
    "AUTH": "AUTH",
    "STARTTLS": "STARTTLS",
    "RSET": "RSET",
    "QUIT": "QUIT",
    "VRFY": "VRFY",
    "EXPN": "EXPN",
    "ETRN": "ETRN",
    "NOOP": "NOOP",
    "HELP": "HELP",
    "ATRN": "ATRN",
    "BURL": "BURL",
    "CONNECT": "CONNECT",
}

#: The command whose answer each exception of smtplib (and aiosmtplib) reports, by
#: the exception's class name.
EXCEPTION_COMMANDS = {
    "SMTPSenderRefused": "MAIL",
    "SMTPRecipientRefused": "RCPT",
    "SMTPRecipientsRefused": "RCPT",
    "SMTPDataError": "DATA",
    "SMTPHeloError": "EHLO",
    "SMTPAuthenticationError": "AUTH",
    "SMTPConnectError": "CONNECT",
}


def command_verb(clause: str) -> str | None:
    """The command verb that a phrase such as "RCPT TO:<x>" or "end of data" names, or ``None``."""
    words = clause.replace(":", " ").split()
    if not words:
        return None
    if words[0].lower() == "pipelined" and len(words) > 1:
        words = words[1:]
    head = words[0].upper()
    if head == "END" and len(words) >= 3 and words[2].upper() == "DATA":
        return "DATA"
    if head in ("INITIAL", "GREETING"):
        return "CONNECT"
    return COMMANDS.get(head)


# Enhanced status codes.


def status_at(text: str, start: int = 0) -> tuple[Status, int] | None:
    """The status that starts at ``start`` and where it ends, or ``None``."""
    match = _STATUS.match(text, start)
    if match is None:
        return None
    return (int(match[1]), int(match[2]), int(match[3])), match.end()


def leading_status(digit: int, line: str) -> tuple[Status | None, int]:
    """The status at the start of a reply line's text, and where the text after it starts.

    A status counts only when its class is ``digit`` (the code's first digit) and a
    space, a tab or the end of the line follows it; otherwise it is ``None`` and the
    text starts at 0.
    """
    if not line or ord(line[0]) - 48 != digit:
        return None, 0
    found = status_at(line)
    if found is None:
        return None, 0
    status, end = found
    if end == len(line):
        return status, end
    if line[end] == " " or line[end] == "\t":
        return status, end + 1
    return None, 0


def expect_status(text: str, start: int = 0) -> tuple[Status, int]:
    """Read a status at ``start``; raise :class:`InvalidReply` where it goes wrong.

    One scan: each character is looked at once, and the error names the first
    character that cannot belong to a status.
    """
    end = len(text)
    if start >= end:
        raise InvalidReply("expected an enhanced status code such as '5.1.1', got nothing")
    head = text[start]
    if head not in "245":
        reason = (
            "the class of an enhanced status must be 2, 4 or 5"
            if head in _DIGITS
            else "expected an enhanced status code such as '5.1.1'"
        )
        raise InvalidReply(reason, text, start)
    numbers = [ord(head) - 48]
    position = start + 1
    for part in ("subject", "detail"):
        if position >= end or text[position] != ".":
            raise InvalidReply(
                f"expected '.' and the {part} of the enhanced status", text, position
            )
        position += 1
        first = position
        while position < end and text[position] in _DIGITS:
            position += 1
            if position - first > 3:
                raise InvalidReply(
                    "a sub-code of an enhanced status has at most 3 digits", text, first
                )
        if position == first:
            raise InvalidReply(
                f"expected the {part} of the enhanced status (1 to 3 digits)", text, first
            )
        if text[first] == "0" and position - first > 1:
            raise InvalidReply("a sub-code of an enhanced status has no leading zero", text, first)
        numbers.append(int(text[first:position]))
    return (numbers[0], numbers[1], numbers[2]), position


# Replies.


# A one-line reply's first four characters ("250 ") mapped to its code: one lookup
# checks the code and the space after it.
_CODE_AND_SPACE: dict[str, int] = {f"{number} ": number for number in range(100, 1000)}


def fast_reply(text: str) -> tuple[int, tuple[str, ...]] | None:
    """The code and lines of a common, well-formed reply, or ``None`` to read it slowly.

    A few C-level string operations decide the usual cases: one line, or several
    lines with LF or CRLF ends, each with the same code, no lone CR, within the
    default limits. ``None`` says nothing about validity: ``reply_lines`` decides.
    """
    # The commonest case first, in as few operations as possible: one line of a
    # code, a space and text, with CRLF, LF or nothing at its end.
    if text[-2:] == "\r\n":
        line = text[4:-2]
    elif text[-1:] == "\n":
        line = text[4:-1]
    else:
        line = text[4:]
    if "\n" not in line and "\r" not in line and len(text) <= MAX_LINE_LENGTH:
        code = _CODE_AND_SPACE.get(text[:4])
        if code is not None:
            return code, (line,)
    return _other_reply(text)


def one_line_replies(rows: list[str], start: int, limit: int) -> tuple[list[tuple[int, str]], int]:
    """The run of one-line replies that starts at ``rows[start]``, and where it ends.

    ``rows`` are lines without their CRLF. Each row of the run is a code, a space
    and text with no CR, of at most ``limit`` characters (and the default limit):
    what ``fast_reply`` reads as a one-line reply. The row at the returned index is
    the first that is not, for the full reading; it is ``len(rows)`` at the end.
    """
    found: list[tuple[int, str]] = []
    limit = min(limit, MAX_LINE_LENGTH)
    get = _CODE_AND_SPACE.get
    for index in range(start, len(rows)):
        row = rows[index]
        code = get(row[:4])
        if code is None or "\r" in row or len(row) > limit:
            return found, index
        found.append((code, row[4:]))
    return found, len(rows)


def _other_reply(text: str) -> tuple[int, tuple[str, ...]] | None:
    """``fast_reply`` for what its first test leaves: several lines, a bare code."""
    if len(text) > MAX_LINE_LENGTH:
        return None
    line, newline, rest = text.partition("\n")
    if rest:
        return _fast_lines(text)
    if newline and line[-1:] == "\r":
        line = line[:-1]
    if "\r" in line:
        return None
    code = _CODE_AND_SPACE.get(line[:4])
    if code is not None:
        return code, (line[4:],)
    if len(line) == 3 and line in CODES:
        return CODES[line], ("",)
    return None


def _fast_lines(text: str) -> tuple[int, tuple[str, ...]] | None:
    """The multi-line case of ``fast_reply``."""
    flat = text.replace("\r\n", "\n") if "\r" in text else text
    if "\r" in flat:
        return None
    rows = flat.split("\n")
    if not rows[-1]:
        rows.pop()
    if not 1 < len(rows) <= MAX_REPLY_LINES:
        return None
    first, final = rows[0], rows[-1]
    head = first[:3]
    code = CODES.get(head)
    if (
        code is not None
        and first[3:4] == "-"
        and final[:3] == head
        and (final[3:4] == " " or final[3:4] == "")
        and flat.count("\n" + head + "-") == len(rows) - 2
    ):
        return code, tuple([row[4:] for row in rows])
    return None


def reply_lines(
    text: str,
    *,
    strict: bool = False,
    max_line: int = MAX_LINE_LENGTH,
    max_lines: int = MAX_REPLY_LINES,
) -> tuple[int, tuple[str, ...]]:
    """The code and the lines of one whole reply; :class:`InvalidReply` where it is not.

    Args:
        text: The reply, line ends included.
        strict: Read RFC 5321 to the letter: CRLF ends, codes 200 to 559,
            printable text, lines of at most 512 octets with their CRLF.
        max_line: The longest line accepted, line end excluded.
        max_lines: The most lines accepted, the final line included.
    """
    if strict:
        return _strict(text, min(max_line, STRICT_MAX_LINE_LENGTH), max_lines)
    if max_line >= MAX_LINE_LENGTH and max_lines >= MAX_REPLY_LINES:
        fast = fast_reply(text)
        if fast is not None:
            return fast
    return _lenient(text, max_line, max_lines)


def _rows(text: str, separator: str, max_lines: int) -> list[str]:
    """The lines of ``text``, at most one more than ``max_lines``; the rest stays in the last."""
    rows = text.split(separator, max_lines)
    if len(rows) > max_lines and rows[-1] and not rows[-1].isspace():
        position = len(text) - len(rows[-1])
        raise InvalidReply(f"a reply has at most {max_lines} lines", text, position)
    return rows


def _lenient(text: str, max_line: int, max_lines: int) -> tuple[int, tuple[str, ...]]:
    rows = _rows(text, "\n", max_lines)
    # A final line end leaves an empty last row; trailing blank lines are accepted too.
    while len(rows) > 1 and (not rows[-1] or rows[-1].isspace()):
        rows.pop()
    if len(rows) > max_lines:
        raise InvalidReply(
            f"a reply has at most {max_lines} lines", text, sum(len(r) + 1 for r in rows[:-1])
        )
    last = len(rows) - 1
    lines = []
    position = 0
    code = -1
    for index, raw in enumerate(rows):
        row = raw[:-1] if raw.endswith("\r") else raw
        if len(row) > max_line:
            raise InvalidReply(
                f"a reply line has at most {max_line} characters", text, position + max_line
            )
        number = _line_code(row, text, position)
        if index == 0:
            if number < 100:
                raise InvalidReply("a reply code is from 100 to 999", text, position)
            code = number
        elif number != code:
            raise _code_mismatch(code, text, position)
        carriage = row.find("\r")
        if carriage >= 0:
            raise InvalidReply("a carriage return may only end a line", text, position + carriage)
        _check_separator(row, text, position, index == last, position + len(raw) + 1)
        lines.append(row[4:])
        position += len(raw) + 1
    return code, tuple(lines)


def _strict(text: str, max_line: int, max_lines: int) -> tuple[int, tuple[str, ...]]:
    if not text:
        raise InvalidReply("expected a reply, got nothing")
    rows = _rows(text, "\r\n", max_lines)
    position = 0
    for row in rows:
        for bad in ("\n", "\r"):
            found = row.find(bad)
            if found >= 0:
                raise InvalidReply("expected CRLF at the end of the line", text, position + found)
        position += len(row) + 2
    if rows.pop():
        raise InvalidReply("expected CRLF at the end of the line", text, len(text))
    code = -1
    last = len(rows) - 1
    lines = []
    position = 0
    for index, row in enumerate(rows):
        _strict_length(row, text, position, max_line)
        number = _line_code(row, text, position)
        if index == 0:
            if not ("2" <= row[0] <= "5" and "0" <= row[1] <= "5"):
                raise InvalidReply("RFC 5321 reply codes are 200 to 559", text, position)
            code = number
        elif number != code:
            raise _code_mismatch(code, text, position)
        _check_separator(row, text, position, index == last, position + len(row) + 2)
        for offset, char in enumerate(row):
            if (char < " " and char != "\t") or char == "\x7f":
                raise InvalidReply(
                    "reply text may hold only printable characters and tabs",
                    text,
                    position + offset,
                )
        lines.append(row[4:])
        position += len(row) + 2
    return code, tuple(lines)


def _strict_length(row: str, text: str, position: int, max_line: int) -> None:
    message = "a reply line has at most 512 octets with its CRLF (RFC 5321, 4.5.3.1.5)"
    if max_line < STRICT_MAX_LINE_LENGTH:
        message = f"a reply line has at most {max_line} octets"
    if len(row) > max_line:
        raise InvalidReply(message, text, position + max_line)
    if not row.isascii() and len(row.encode("utf-8", "surrogatepass")) > max_line:
        raise InvalidReply(message, text, position)


def _line_code(row: str, text: str, position: int) -> int:
    """The number the line starts with, after checking it is three ASCII digits."""
    code = CODES.get(row[:3])
    if code is not None:
        return code
    offset = 0
    while offset < 3 and offset < len(row) and row[offset] in _DIGITS:
        offset += 1
    if offset == 3:  # three digits below 100
        return int(row[:3])
    raise InvalidReply("expected a 3-digit reply code", text, position + offset)


def _code_mismatch(code: int, text: str, position: int) -> InvalidReply:
    return InvalidReply(f"every line of a reply must carry the same code, {code}", text, position)


def _check_separator(row: str, text: str, position: int, final: bool, next_line: int) -> None:
    """Check the character after the code: ``-`` on all lines but the last."""
    separator = row[3:4]
    if final:
        if separator == "-":
            raise InvalidReply(
                "the reply ends with a continuation line ('-' after the code)", text, position + 3
            )
        if separator not in (" ", ""):
            raise InvalidReply(
                "expected a space or the line end after the reply code", text, position + 3
            )
    elif separator != "-":
        if separator in (" ", ""):
            raise InvalidReply(
                "a second reply starts here: parse reads one reply (use ReplyReader for several)",
                text,
                next_line,
            )
        raise InvalidReply(
            "expected '-' after the reply code of a continuation line", text, position + 3
        )
