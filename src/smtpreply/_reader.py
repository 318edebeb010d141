"""``ReplyReader``: replies from a byte stream, without doing any I/O itself."""

from __future__ import annotations

from smtpreply._errors import InvalidReply
from smtpreply._reply import (
    _BY_HEAD,
    MAX_LINE_LENGTH,
    MAX_REPLY_LINES,
    Reply,
    _new,
    _set_code,
    _set_lines,
    decode,
    parse,
)

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
        self._open: list[str] = []  # the lines of the reply not yet complete
        self._ready: list[Reply] = []
        self._skipping = False  # dropping the rest of an overlong line
        self._clean = True  # the lines being read were valid UTF-8

    @property
    def pending(self) -> int:
        """How many bytes the reader holds: an open reply and a partial line."""
        return len(self._buffer) + sum(
            len(line.encode("utf-8", "surrogateescape")) + 1 for line in self._open
        )

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
        by_head, new, set_code, set_lines = _BY_HEAD, _new, _set_code, _set_lines
        buffer = self._buffer
        buffer += data
        end = buffer.rfind(b"\n")
        if end < 0:
            if len(buffer) > self._max_line + 1:
                self._overlong()
            return self._flush()
        block = bytes(buffer[:end])
        del buffer[: end + 1]
        # Decode all complete lines at once; a block that is not UTF-8 keeps its
        # bytes as surrogates, and each reply in it is decoded on its own later.
        try:
            text = block.decode()
            clean = True
        except UnicodeDecodeError:
            text = block.decode("utf-8", "surrogateescape")
            clean = False
        self._clean = clean
        rows = text.split("\n")
        overlong = len(block) > self._max_line and (
            max(map(len, block.split(b"\n"))) > self._max_line
        )
        ready = self._ready
        open_lines = self._open
        fast = clean and not overlong and not self._strict
        first = 0
        if self._skipping:  # the end of an overlong line: drop it
            self._skipping = False
            first = 1
        max_lines = self._max_lines
        for index in range(first, len(rows)):
            row = rows[index]
            if fast:
                if row[3:4] == "-":
                    if len(open_lines) < max_lines:
                        open_lines.append(row)
                        continue
                elif open_lines:
                    # The last line of a multi-line reply: parse checks the whole.
                    open_lines.append(row)
                    raw = "\n".join(open_lines) + "\n"
                    open_lines.clear()
                    try:
                        ready.append(parse(raw))
                    except InvalidReply:
                        self._keep(rows, index)
                        raise
                    continue
                else:
                    # A single-line reply, the usual case, built here directly.
                    line = row[:-1] if row[-1:] == "\r" else row
                    if (line[3:4] == " " or len(line) == 3) and "\r" not in line:
                        code = by_head.get(line[:3])
                        if code is not None:
                            reply = new(Reply)
                            set_code(reply, code)
                            set_lines(reply, (line[4:],))
                            ready.append(reply)
                            continue
            try:
                self._take(row)
            except InvalidReply:
                self._keep(rows, index)
                raise
        if len(buffer) > self._max_line + 1:
            self._overlong()
        return self._flush()

    def _keep(self, rows: list[str], index: int) -> None:
        """After an error at ``rows[index]``, keep the rows after it for the next call."""
        rest = rows[index + 1 :]
        if rest:
            self._buffer[:0] = "\n".join(rest).encode("utf-8", "surrogateescape") + b"\n"

    def _flush(self) -> list[Reply]:
        ready, self._ready = self._ready, []
        return ready

    def _overlong(self) -> None:
        self._buffer.clear()
        self._open.clear()
        self._skipping = True
        raise InvalidReply(f"a reply line has at most {self._max_line} bytes")

    def _take(self, row: str) -> None:
        """Add one line (without its LF) to the open reply; finish the reply if final."""
        size = len(row.encode("utf-8", "surrogateescape")) if len(row) > self._max_line // 4 else 0
        if size > self._max_line + 1 or (size > self._max_line and not row.endswith("\r")):
            self._open.clear()
            raise InvalidReply(f"a reply line has at most {self._max_line} bytes")
        lines = self._open
        if row[3:4] == "-":
            lines.append(row)
            if len(lines) > self._max_lines:
                lines.clear()
                raise InvalidReply(f"a reply has at most {self._max_lines} lines")
            return
        if lines:
            lines.append(row)
            raw = "\n".join(lines)
            lines.clear()
        elif not self._strict and not row.strip():
            return  # blank lines between replies
        else:
            raw = row
        if not self._clean:
            raw = decode(raw.encode("utf-8", "surrogateescape"))
        if self._strict:
            self._ready.append(parse(raw + "\n", strict=True))
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
            self._clean = True
            self._take(decode(rest))
        if self._open:
            text = "\n".join(self._open)
            self._open.clear()
            raise InvalidReply("the stream ended inside a multi-line reply", text, len(text))
        return self._flush()
