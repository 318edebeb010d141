"""Reading replies: ``parse``, and building every ``Reply`` smtpreply reads.

The grammar itself lives in ``_grammar``; this module turns what the grammar read
into :class:`Reply` values. It holds no class, so that the optional compiled build
(mypyc) can compile it with the grammar; ``_reply`` re-exports its names.
"""

from __future__ import annotations

from typing import Union

from smtpreply._codes import ReplyCode
from smtpreply._errors import InvalidReply
from smtpreply._grammar import fast_reply, leading_status, reply_lines
from smtpreply._public import public
from smtpreply._reply import Reply, check_unicode
from smtpreply._status import EnhancedStatus, status_of

__all__ = ["parse"]

#: The most of a server's message that is read from an exception or a repr of one:
#: far beyond any real reply.
MAX_MESSAGE = 64 * 1024

new_instance = object.__new__
# The slots' own setters: the fastest way to fill a frozen instance.
set_code = Reply.__dict__["code"].__set__
set_lines = Reply.__dict__["lines"].__set__
# Each code mapped to what a Reply holds: the ReplyCode member, else the int. The
# values are typed object so that the compiled build keeps the members as they are.
CODE_VALUES: dict[int, object] = {number: number for number in range(100, 1000)}
CODE_VALUES.update((member.value, member) for member in ReplyCode)

Text = Union[str, bytes, bytearray, memoryview]


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


def first_status(code: int, lines: tuple[str, ...]) -> EnhancedStatus | None:
    """The enhanced status of the first line that carries one (``Reply.enhanced``)."""
    digit = code // 100
    for line in lines:
        found = _WORDS.get(line.partition(" ")[0])
        if found is None:
            found = line_status(code, line)[0]
        elif found.class_ != digit:
            continue
        if found is not None:
            return found
    return None


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
    reply = new_instance(Reply)
    set_code(reply, CODE_VALUES[code])
    set_lines(reply, lines)
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
            check_unicode(text, text)  # decoded bytes never hold a lone surrogate
    if not strict:
        # The grammar's fast path reads the common replies; None sends the rest
        # to the full reading, which also finds what is wrong with them.
        fast = fast_reply(text)
        if fast is not None:
            reply = new_instance(Reply)
            set_code(reply, CODE_VALUES[fast[0]])
            set_lines(reply, fast[1])
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
    fast = fast_reply(text)
    if fast is not None:
        return build(*fast)
    if "\n" not in text and "\r" not in text:
        return None
    try:
        code, lines = reply_lines(text)
    except InvalidReply:
        return None
    return build(code, lines)


def _text_of(message: object) -> str:
    """A server's message as text, whatever type it came as."""
    if isinstance(message, (bytes, bytearray, memoryview)):
        return decode(bytes(message[:MAX_MESSAGE]))
    if isinstance(message, str):
        return message[:MAX_MESSAGE]
    return ""


def reply_from(code: object, message: object) -> Reply | None:
    """A reply from the code and message an exception carries, when they make one."""
    if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 999:
        return None
    text = _text_of(message)
    lines = tuple(line.rstrip("\r") for line in text.split("\n"))
    try:
        return Reply(code, lines)
    except InvalidReply:  # a lone CR inside a line
        return Reply(code, (" ".join(text.split()),))
