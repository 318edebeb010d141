r"""What the command line writes: inert text, and failures told in one line.

Text taken from logs and servers may hold terminal escapes (colours, clear-screen,
OSC 8 hyperlinks), TABs and CRs that would forge columns, and bidi overrides that
reorder what the reader sees. Every such character is written as a visible escape
(``\x1b``, ``\t``, ``\u202e``) before it reaches the output.
"""

from __future__ import annotations

import os
import re
import sys
from typing import IO

__all__ = [
    "CLOSED_PIPE_STATUS",
    "ClosedPipe",
    "CommandError",
    "Output",
    "OutputError",
    "inert",
    "inert_json",
    "say",
    "say_error",
    "use_colour",
]

# C0 and DEL, C1, the line and paragraph separators, the bidi embeddings and
# overrides, the bidi isolates, and lone surrogates (undecodable bytes of an
# argument or a file name).
_UNSAFE = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_CONTROL = re.compile(f"[\x00-\x1f{_UNSAFE}]")
_CONTROL_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f{_UNSAFE}]")
# JSON escapes C0 itself; what it leaves raw is written as a \\u escape, which
# means the same character to every JSON reader.
_JSON_RAW = re.compile(f"[{_UNSAFE}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

# The exit status of a process that wrote to a pipe nobody reads: 128 + SIGPIPE,
# what a shell reports for ``cat big.log | head -1``.
CLOSED_PIPE_STATUS = 141


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    point = ord(char)
    if point <= 0xFF:
        return f"\\x{point:02x}"
    if 0xDC80 <= point <= 0xDCFF:  # an undecodable byte, as Python keeps it
        return f"\\x{point - 0xDC00:02x}"
    return f"\\u{point:04x}"


def inert(text: str, *, keep_newlines: bool = False) -> str:
    r"""``text`` with every control, separator and bidi character written as an escape.

    Backslashes already in ``text`` stay as they are: the escapes are for reading,
    not for decoding back.

    >>> print(inert("bob\t@x\x1b[2J\u202e"))
    bob\t@x\x1b[2J\u202e
    >>> print(inert("first\nsecond\r", keep_newlines=True))
    first
    second\r
    """
    pattern = _CONTROL_BUT_NEWLINE if keep_newlines else _CONTROL
    return pattern.sub(_visible, text)


def inert_json(text: str) -> str:
    r"""JSON text with the characters ``json.dumps`` leaves raw written as ``\u`` escapes.

    >>> print(inert_json('{"text": "a\u202eb\x9b"}'))
    {"text": "a\u202eb\u009b"}
    """
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def use_colour(stream: IO[str]) -> bool:
    """Colour output only on a terminal, and never when ``NO_COLOR`` is set."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


class CommandError(Exception):
    """A failure the command line reports in one line, with an exit status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class OutputError(CommandError):
    """Standard output refused what was written: a full disk, a closed descriptor."""


class ClosedPipe(Exception):
    """The reader of the output went away (``smtpreply codes | head -1``)."""


class Output:
    """Standard output, whose failures become :class:`ClosedPipe` or :class:`CommandError`."""

    def __init__(self, stream: IO[str] | None) -> None:
        if stream is None:
            raise OutputError("cannot write output: standard output is closed", 1)
        self.stream = stream

    def write(self, text: str) -> None:
        """Write ``text``; characters the output's encoding lacks become escapes."""
        try:
            self.stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(self.stream, "encoding", None) or "ascii"
            self._write_or_fail(text.encode(encoding, "backslashreplace").decode(encoding))
        except OSError as error:
            raise _output_failure(error) from None

    def _write_or_fail(self, text: str) -> None:
        try:
            self.stream.write(text)
        except OSError as error:
            raise _output_failure(error) from None

    def flush(self) -> None:
        """Flush the stream; a failure to write surfaces here at the latest."""
        try:
            self.stream.flush()
        except OSError as error:
            raise _output_failure(error) from None


def _output_failure(error: OSError) -> Exception:
    if isinstance(error, BrokenPipeError):
        return ClosedPipe()
    return OutputError(f"cannot write output: {error.strerror or error}", 1)


def say(line: str) -> None:
    """Write one line on stderr, if stderr is open; never raise."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        try:
            stream.write(line + "\n")
        except UnicodeEncodeError:
            encoding = getattr(stream, "encoding", None) or "ascii"
            stream.write((line + "\n").encode(encoding, "backslashreplace").decode(encoding))
        stream.flush()
    except OSError:  # nowhere left to tell
        pass


def say_error(message: str) -> None:
    """Write ``smtpreply: error: <message>`` on stderr, as one inert line."""
    say(f"smtpreply: error: {inert(message)}")
