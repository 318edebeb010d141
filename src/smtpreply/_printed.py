r"""Replies as Python's smtplib prints them, found in logs and tracebacks.

smtplib's exceptions carry the code and the server's words, and a log that prints
one shows them as a tuple: ``SMTPDataError: (554, b'5.7.1 Message rejected')``,
``SMTPRecipientsRefused: {'bob@example.org': (550, b'5.1.1 No such user')}``.
The words are a ``bytes`` or ``str`` repr: smtplib joins the lines of a multi-line
reply with newlines, which the repr writes as ``\n``, and non-ASCII bytes as
``\xNN``. This module finds such tuples in a text, unescapes the words, and reads
from the same line the command the exception's name stands for and, in a refused
dict, the recipient.

The scan is linear: a pattern finds each tuple's start, each line's end is found
once, and the words end at the first quote of their kind on the line that is not
escaped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from smtpreply._grammar import EXCEPTION_COMMANDS

__all__ = ["Printed", "printed_replies"]

_PRINTED_REPLY = re.compile(r"""\(([2-5][0-9][0-9]), (b?)(['"])""")
# An escape of such a repr: a run of escaped bytes, or one escaped character.
_BYTE_ESCAPES = re.compile(r"((?:\\x[0-9a-fA-F]{2})+)|\\(.)")
_TEXT_ESCAPES = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")
_ESCAPED = {"n": "\n", "r": "", "t": " "}
# Control characters other than the line break become spaces in the server's words.
_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
# The key of a refused dict right before its tuple: "'bob@example.org': ".
_DICT_KEY = re.compile(r"""(['"])([^'"\s]{1,256}@[^'"\s]{1,256})\1:\s*$""")
# How far back from a tuple the key is looked for.
_KEY_LOOKBACK = 600


class Printed(NamedTuple):
    """A reply that a text quotes as smtplib prints it."""

    start: int  # where its "(" stands
    end: int  # just past its closing quote
    code: int
    words: str  # the server's words, unescaped
    command: str | None  # the command the exception named on its line answered
    recipient: str | None  # the key of a refused dict, if the tuple is its value


def printed_replies(text: str) -> list[Printed]:
    """The replies that ``text`` quotes as smtplib prints them, in order."""
    printed = []
    limit = len(text)
    line_end = -1  # where the line of the last tuple ends
    scanned = 0  # how far the text before the tuples has been read
    command: str | None = None  # the exception named last on the current line
    match = _PRINTED_REPLY.search(text, 0, limit)
    while match is not None:
        opened = match.end()
        if opened > line_end:
            newline = text.find("\n", opened, limit)
            line_end = limit if newline < 0 else newline
        closing = _closing_quote(text, opened, match[3], line_end)
        if closing < 0:  # not closed on its line: the rest of the line is not tried
            if line_end >= limit:
                break
            match = _PRINTED_REPLY.search(text, line_end, limit)
            continue
        start = match.start()
        # Read the text since the last tuple once: a new line forgets the exception
        # named on the one before.
        newline = text.rfind("\n", scanned, start)
        if newline >= 0:
            scanned, command = newline + 1, None
        command = _exception_command(text, scanned, start) or command
        scanned = start
        key = _DICT_KEY.search(text, max(0, start - _KEY_LOOKBACK), start)
        printed.append(
            Printed(
                start=start,
                end=closing + 1,
                code=int(match[1]),
                words=_unescape(text[opened:closing], printed_bytes=match[2] == "b"),
                command=command,
                recipient=None if key is None else key[2],
            )
        )
        match = _PRINTED_REPLY.search(text, closing + 1, limit)
    return printed


def _closing_quote(text: str, start: int, quote: str, limit: int) -> int:
    """Where the quoted words that start at ``start`` end (a quote not escaped), or -1."""
    position = start
    while True:
        found = text.find(quote, position, limit)
        if found < 0:
            return -1
        escapes = found
        while escapes > start and text[escapes - 1] == "\\":
            escapes -= 1
        if (found - escapes) % 2 == 0:
            return found
        position = found + 1


def _unescape(words: str, printed_bytes: bool) -> str:
    """The server's words of a repr: bytes are decoded as UTF-8, controls dropped."""
    if "\\" in words:
        if printed_bytes:
            words = _BYTE_ESCAPES.sub(_byte_escape, words)
        else:
            words = _TEXT_ESCAPES.sub(_text_escape, words)
    return _CONTROLS.sub(" ", words)


def _byte_escape(match: re.Match[str]) -> str:
    if match[1]:
        return bytes.fromhex(match[1].replace("\\x", "")).decode("utf-8", "replace")
    return _ESCAPED.get(match[2], match[2])


def _text_escape(match: re.Match[str]) -> str:
    escaped = match[1]
    if len(escaped) > 1 and escaped[0] in "xuU":
        code_point = int(escaped[1:], 16)
        return chr(code_point) if code_point <= 0x10FFFF else " "
    return _ESCAPED.get(escaped, escaped)


def _exception_command(text: str, start: int, end: int) -> str | None:
    """The command of the smtplib exception named last in ``text[start:end]``."""
    best, command = -1, None
    for name, answered in EXCEPTION_COMMANDS.items():
        at = text.rfind(name, start, end)
        if at > best:
            best, command = at, answered
    return command
