"""Reading the input of ``smtpreply classify`` in bounded blocks.

The input is read a line at a time, each read bounded, and gathered into blocks
that end at a line boundary: at a blank line once a block passes ``SOFT`` bytes
(so a bounce's paragraphs stay whole), and at any line once it passes ``HARD``
bytes. Where blocks end depends only on the input, never on how many processes
classify them, so the output is the same for every ``--jobs``.

A line longer than ``LINE_LIMIT`` bytes is cut: its first ``LINE_LIMIT`` bytes
(back to a whole UTF-8 character) are read as a line of their own, the rest up to
the next newline is skipped unread. No SMTP reply line is that long (servers
stop at a few kilobytes), so nothing a reply could say is lost; memory stays
flat whatever the input.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

import attrs

from smtpreply._cli_output import CommandError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["HARD", "LINE_LIMIT", "SOFT", "Block", "decode_lines", "read_blocks"]

LINE_LIMIT = 64 * 1024
SOFT = 64 * 1024
HARD = 1024 * 1024


@attrs.frozen
class Block:
    """Whole lines of the input.

    Attributes:
        data: The lines, as read (a cut line ends with its kept part and a newline).
        done: How many bytes of the input are read once this block is.
        cut: How many of its lines were longer than ``LINE_LIMIT`` and were cut.
    """

    data: bytes
    done: int
    cut: int


def read_blocks(stream: IO[bytes], name: str) -> Iterator[Block]:
    """The blocks of ``stream``; a failure to read raises :class:`CommandError`.

    Args:
        stream: The input, opened in binary mode.
        name: How to name the input in an error message.
    """
    lines: list[bytes] = []
    size = done = cut = 0
    for line, length, was_cut in _lines(stream, name):
        lines.append(line)
        size += len(line)
        done += length
        cut += was_cut
        if (size >= SOFT and not line.strip()) or size >= HARD:
            yield Block(b"".join(lines), done, cut)
            lines, size, cut = [], 0, 0
    if lines:
        yield Block(b"".join(lines), done, cut)


def _lines(stream: IO[bytes], name: str) -> Iterator[tuple[bytes, int, bool]]:
    """Each line, how many bytes of the input it took, and whether it was cut."""
    while True:
        line = _read(stream, name)
        if not line:
            return
        if len(line) < LINE_LIMIT or line.endswith(b"\n"):
            yield line, len(line), False
            continue
        rest = _read(stream, name)
        if rest in (b"", b"\n", b"\r\n"):  # the line ended right at the limit
            yield line + rest, len(line) + len(rest), False
            continue
        skipped = len(rest)
        while rest and not rest.endswith(b"\n"):
            rest = _read(stream, name)
            skipped += len(rest)
        yield _whole_characters(line) + b"\n", len(line) + skipped, True


def _read(stream: IO[bytes], name: str) -> bytes:
    try:
        return stream.readline(LINE_LIMIT)
    except OSError as error:
        raise CommandError(f"cannot read {name}: {error.strerror or error}", 2) from None


def _whole_characters(data: bytes) -> bytes:
    """``data`` without a UTF-8 character that the cut split at its end."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":
            return data[: error.start]
    return data


def decode_lines(data: bytes) -> str:
    """Decode each line as UTF-8, or else Latin-1, which never fails.

    Line by line, so that a line's reading does not depend on the block it is in.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from smtpreply._parse import decode

    return "\n".join(decode(line) for line in data.split(b"\n"))
