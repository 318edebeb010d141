"""``ReplyReader``: replies from a byte stream, without doing any I/O itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smtpreply._errors import InvalidReply
from smtpreply._reply import MAX_LINE_LENGTH, MAX_REPLY_LINES, decode, parse

if TYPE_CHECKING:
    from smtpreply._reply import Reply

__all__ = ["ReplyReader"]


class ReplyReader:
    r"""Cut a stream of bytes from an SMTP server into replies (sans-IO).

    Feed it whatever the socket or asyncio protocol received; it returns the
    replies that chunk completed, in order, however the bytes were cut. Partial
    lines are buffered. Pipelined replies in one chunk all come out.

    >>> reader = ReplyReader()
    >>> reader.feed(b"250-first\r\n250 la")
    []
    >>> [reply.lines for reply in reader.feed(b"st\r\n354 go ahead\r\n")]
    [('first', 'last'), ('go ahead',)]
    >>> reader.close()
    []

    Memory is bounded: a line longer than ``max_line_length`` bytes, or a reply
    of more than ``max_reply_lines`` lines, raises :class:`InvalidReply`.

    After an :class:`InvalidReply`, the reader drops the bad reply and goes on
    with the next line; replies completed before the bad line in the same
    chunk come out of the next :meth:`feed` or :meth:`close`.

    Args:
        strict: Check each reply as ``parse(..., strict=True)`` does; CRLF
            line ends are then required.
        max_line_length: The longest line accepted, in bytes, line end excluded.
        max_reply_lines: The most lines one reply may have.
    """

    def __init__(
        self,
        *,
        strict: bool = False,
        max_line_length: int = MAX_LINE_LENGTH,
        max_reply_lines: int = MAX_REPLY_LINES,
    ) -> None:
        if max_line_length < 3 or max_reply_lines < 1:
            raise ValueError("max_line_length must be at least 3 and max_reply_lines at least 1")
        self._strict = strict
        self._max_line = max_line_length
        self._max_lines = max_reply_lines
        self._buffer = bytearray()  # the start of a line whose end has not come yet
        self._open: list[bytes] = []  # the lines of the reply not yet complete
        self._ready: list[Reply] = []
        self._skipping = False  # dropping the rest of an overlong line

    @property
    def pending(self) -> int:
        """How many bytes the reader holds: an open reply and a partial line."""
        return len(self._buffer) + sum(len(line) + 1 for line in self._open)

    def feed(self, data: bytes | bytearray | memoryview) -> list[Reply]:
        """Take the next bytes; return the replies they complete.

        Args:
            data: The bytes received, cut anywhere.

        Returns:
            The completed replies, oldest first; often an empty list.

        Raises:
            InvalidReply: A line or reply is malformed or over the limits.
        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise InvalidReply(f"ReplyReader.feed takes bytes, not {type(data).__name__}")
        buffer = self._buffer
        buffer += data
        end = buffer.rfind(b"\n")
        if end < 0:
            if len(buffer) > self._max_line + 1:
                self._overlong()
            return self._flush()
        rows = bytes(buffer[:end]).split(b"\n")
        del buffer[: end + 1]
        for index, row in enumerate(rows):
            try:
                self._take(row)
            except InvalidReply:  # noqa: PERF203 - only the error path pays
                # Keep what follows the bad line for the next call.
                rest = rows[index + 1 :]
                if rest:
                    buffer[:0] = b"\n".join(rest) + b"\n"
                raise
        if len(buffer) > self._max_line + 1:
            self._overlong()
        return self._flush()

    def _flush(self) -> list[Reply]:
        ready, self._ready = self._ready, []
        return ready

    def _overlong(self) -> None:
        self._buffer.clear()
        self._open.clear()
        self._skipping = True
        raise InvalidReply(f"a reply line has at most {self._max_line} bytes")

    def _take(self, row: bytes) -> None:
        """Add one line (without its LF) to the open reply; finish the reply if final."""
        if self._skipping:
            self._skipping = False
            return
        if len(row) > self._max_line + 1 or (
            len(row) > self._max_line and not row.endswith(b"\r")
        ):
            self._open.clear()
            raise InvalidReply(f"a reply line has at most {self._max_line} bytes")
        lines = self._open
        if row[3:4] == b"-":
            lines.append(row)
            if len(lines) > self._max_lines:
                lines.clear()
                raise InvalidReply(f"a reply has at most {self._max_lines} lines")
            return
        if lines:
            lines.append(row)
            raw = b"\n".join(lines)
            lines.clear()
        elif not self._strict and not row.strip():
            return  # blank lines between replies
        else:
            raw = row
        if self._strict:
            self._ready.append(parse(raw + b"\n", strict=True))
        else:
            self._ready.append(parse(raw))

    def close(self) -> list[Reply]:
        """Say that the stream has ended; return the replies still held.

        Without ``strict``, a last line that lacks its line end still completes
        its reply.

        Returns:
            The replies not yet returned.

        Raises:
            InvalidReply: The stream ended inside a reply.
        """
        rest = bytes(self._buffer)
        self._buffer.clear()
        skipping, self._skipping = self._skipping, False
        if rest and not skipping:
            if self._strict:
                self._open.clear()
                raise InvalidReply("the stream ended inside a line", decode(rest), len(rest))
            self._take(rest)
        if self._open:
            text = decode(b"\n".join(self._open))
            self._open.clear()
            raise InvalidReply("the stream ended inside a multi-line reply", text, len(text))
        return self._flush()
