"""``ReplyReader``: replies from a byte stream, without doing any I/O itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smtpreply._errors import InvalidReply
from smtpreply._reply import MAX_LINE_LENGTH, MAX_REPLY_LINES, decode, parse

if TYPE_CHECKING:
    from smtpreply._reply import Reply

__all__ = ["ReplyReader"]


class ReplyReader:
    """Cut a stream of bytes from an SMTP server into replies (sans-IO).

    Feed it whatever the socket or asyncio protocol received; it returns the
    replies that chunk completed, in order, however the bytes were cut. Partial
    lines are buffered. Pipelined replies in one chunk all come out.

    >>> reader = ReplyReader()
    >>> reader.feed(b"250-first\\r\\n250 la")
    []
    >>> [reply.lines for reply in reader.feed(b"st\\r\\n354 go ahead\\r\\n")]
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
        self._buffer = bytearray()
        self._open: list[bytes] = []  # the lines of the reply not yet complete
        self._ready: list[Reply] = []
        self._skipping = False  # dropping the rest of an overlong line

    @property
    def pending(self) -> int:
        """How many bytes the reader holds: an open reply and a partial line."""
        return len(self._buffer) + sum(len(line) for line in self._open)

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
        ready = self._ready
        start = 0
        try:
            while True:
                end = buffer.find(b"\n", start)
                if end < 0:
                    break
                line = bytes(buffer[start : end + 1])
                start = end + 1
                if self._skipping:
                    self._skipping = False
                    continue
                self._take(line)
            if len(buffer) - start > self._max_line + 1:
                start = len(buffer)
                self._skipping = True
                self._open.clear()
                raise InvalidReply(f"a reply line has at most {self._max_line} bytes")
        finally:
            del buffer[:start]
        self._ready = []
        return ready

    def _take(self, line: bytes) -> None:
        """Add one line (with its line end) to the open reply; finish the reply if final."""
        body = line.rstrip(b"\r\n")
        if len(body) > self._max_line:
            self._open.clear()
            raise InvalidReply(f"a reply line has at most {self._max_line} bytes")
        if not self._open and not self._strict and not body.strip():
            return  # blank lines between replies
        self._open.append(line)
        if body[3:4] == b"-":
            if len(self._open) > self._max_lines:
                self._open.clear()
                raise InvalidReply(f"a reply has at most {self._max_lines} lines")
            return
        raw = b"".join(self._open)
        self._open.clear()
        self._ready.append(parse(decode(raw), strict=self._strict))

    def close(self) -> list[Reply]:
        """Say that the stream has ended; return the replies still held.

        Without ``strict``, a last line that lacks its line end still completes
        its reply.

        Returns:
            The replies not yet returned.

        Raises:
            InvalidReply: The stream ended inside a reply.
        """
        ready, self._ready = self._ready, []
        rest = bytes(self._buffer)
        self._buffer.clear()
        skipping, self._skipping = self._skipping, False
        if rest and not skipping:
            if self._strict:
                self._open.clear()
                raise InvalidReply("the stream ended inside a line", decode(rest), len(rest))
            self._ready = ready
            self._take(rest)
            ready, self._ready = self._ready, []
        if self._open:
            text = decode(b"".join(self._open))
            self._open.clear()
            self._ready = ready
            raise InvalidReply("the stream ended inside a multi-line reply", text, len(text))
        return ready
