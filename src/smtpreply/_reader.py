"""``ReplyReader``: replies from a byte stream, without doing any I/O itself."""

from __future__ import annotations

from smtpreply._errors import InvalidReply
from smtpreply._grammar import (
    MAX_LINE_LENGTH,
    MAX_REPLY_LINES,
    fast_reply,
    one_line_replies,
    reply_lines,
)
from smtpreply._parse import CODE_VALUES, build, decode, new_instance, set_code, set_lines
from smtpreply._public import public
from smtpreply._reply import Reply

__all__ = ["ReplyReader"]


@public
class ReplyReader:
    r"""Cut a stream of bytes from an SMTP server into replies (sans-IO).

    Feed it whatever the socket or asyncio protocol received; it returns the
    replies that chunk completed, in order. However the bytes are cut, the same
    replies come out, and the same bad replies are refused. Partial lines are
    buffered; pipelined replies in one chunk all come out.

    >>> reader = ReplyReader()
    >>> reader.feed(b"250-first\r\n250 la")
    []
    >>> [reply.lines for reply in reader.feed(b"st\r\n354 go ahead\r\n")]
    [('first', 'last'), ('go ahead',)]
    >>> reader.close()
    []

    Each reply is decoded on its own, as :func:`parse` decodes bytes: UTF-8 when
    all of its bytes are UTF-8, else Latin-1.

    A bad reply (a line longer than ``max_line_length`` bytes, a reply of more
    than ``max_reply_lines`` lines, a malformed line) is dropped whole, and
    :meth:`feed` raises :class:`InvalidReply` once the chunk is read: one error
    for each bad reply, or for the first of several in the same chunk with the
    count of the others in its message. The replies that the same chunk
    completed come out of the next :meth:`feed` or :meth:`close`.

    Memory is bounded whatever the input and whatever the caller does: the reader
    holds at most one partial line (``max_line_length`` bytes) and one open reply
    (``max_reply_lines`` lines of that length), besides the replies of the last
    chunk that it has not returned yet.

    Args:
        strict: Check each reply as ``parse(..., strict=True)`` does; CRLF
            line ends are then required.
        max_line_length: The longest line accepted, in bytes, line end excluded.
        max_reply_lines: The most lines one reply may have, the final line included.
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
        self._open_clean = True  # every line of the open reply was valid UTF-8
        self._ready: list[Reply] = []
        self._skipping = False  # dropping the rest of an overlong line
        self._dropping = ""  # the code of a bad reply whose remaining lines are dropped
        self._error: InvalidReply | None = None  # the first bad reply of this chunk
        self._errors = 0  # how many bad replies this chunk held
        self._refused = 0  # how many bad replies were refused in all

    @property
    def refused(self) -> int:
        """How many bad replies the reader has refused since it was made."""
        return self._refused

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
            InvalidReply: The chunk held a bad reply (see the class).
        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise InvalidReply(f"ReplyReader.feed takes bytes, not {type(data).__name__}")
        data = bytes(data)
        if self._skipping:
            end = data.find(b"\n")
            if end < 0:
                return self._flush()
            self._skipping = False
            data = data[end + 1 :]
        buffer = self._buffer
        buffer += data
        end = buffer.rfind(b"\n")
        if end >= 0:
            block = bytes(buffer[:end])
            del buffer[: end + 1]
            self._block(block)
        if len(buffer) > self._max_line + 1:  # a partial line already too long
            head = bytes(buffer[:4]).decode("latin-1")
            buffer.clear()
            self._skipping = True
            if not self._dropped(head):
                self._bad(head, InvalidReply(f"a reply line has at most {self._max_line} bytes"))
        return self._flush()

    def _block(self, block: bytes) -> None:
        """Read complete lines; a block that is all UTF-8 is decoded at once."""
        try:
            text = block.decode()
            clean = True
        except UnicodeDecodeError:
            text = block.decode("utf-8", "surrogateescape")
            clean = False
        if not clean or self._strict or not text.isascii():
            for row in text.split("\n"):
                self._line(row, clean)
            return
        # The grammar's fast path reads the common lines: ASCII, so that a line's
        # characters are its bytes, and between replies (no reply open, none dropped).
        # When every line ends with CRLF, as the standard asks, one split drops the
        # CRs, and the grammar reads each run of one-line replies in one call.
        if text[-1:] == "\r" and text.count("\n") == text.count("\r\n"):
            self._crlf_rows(text[:-1].split("\r\n"), clean)
            return
        ready, lines, limit = self._ready, self._open, self._max_line
        for row in text.split("\n"):
            if not lines and not self._dropping and len(row) <= limit:
                found = fast_reply(row[:-1] if row[-1:] == "\r" else row)
                if found is not None:
                    ready.append(build(*found))
                    continue
            self._line(row, clean)

    def _crlf_rows(self, rows: list[str], clean: bool) -> None:
        """Read lines whose CRLF was taken off; a line the fast path leaves gets its CR back."""
        append, values, lines = self._ready.append, CODE_VALUES, self._open
        index, count = 0, len(rows)
        while index < count:
            if not lines and not self._dropping:
                found, index = one_line_replies(rows, index, self._max_line)
                for code, line in found:
                    reply = new_instance(Reply)
                    set_code(reply, values[code])
                    set_lines(reply, (line,))
                    append(reply)
                if index == count:
                    return
            self._line(rows[index] + "\r", clean)
            index += 1

    def _too_long(self, row: str, size: int) -> bool:
        """True when a line of ``size`` bytes (a final CR allowed for) is over the limit."""
        return size > self._max_line + 1 or (size > self._max_line and not row.endswith("\r"))

    def _line(self, row: str, clean: bool) -> None:
        """Add one line (without its LF) to the open reply; finish the reply if final."""
        if self._dropped(row):
            return
        size = len(row.encode("utf-8", "surrogateescape")) if len(row) > self._max_line // 4 else 0
        if self._too_long(row, size):
            self._bad(row, InvalidReply(f"a reply line has at most {self._max_line} bytes"))
            return
        lines = self._open
        if row[3:4] == "-":
            lines.append(row)
            self._open_clean = self._open_clean and clean
            if len(lines) >= self._max_lines:
                self._bad(row, InvalidReply(f"a reply has at most {self._max_lines} lines"))
            return
        if not lines and not self._strict and not row.strip():
            return  # blank lines between replies
        lines.append(row)
        clean = self._open_clean and clean
        raw = "\n".join(lines)
        lines.clear()
        self._open_clean = True
        self._finish(raw, clean)

    def _dropped(self, row: str) -> bool:
        """True for a line of a refused reply: it is dropped with the reply.

        The lines of a bad reply that come after the one that made it bad (its
        continuation lines and its final line) carry its code; the first line with
        another code ends the dropping.
        """
        if not self._dropping:
            return False
        if row[:3] == self._dropping:
            if row[3:4] != "-":
                self._dropping = ""
            return True
        self._dropping = ""
        return False

    def _finish(self, raw: str, clean: bool) -> None:
        """Check a whole reply and keep it, or refuse it."""
        if not clean:
            raw = decode(raw.encode("utf-8", "surrogateescape"))
        try:
            code, lines = reply_lines(
                raw + "\n", strict=self._strict, max_line=self._max_line, max_lines=self._max_lines
            )
        except InvalidReply as error:
            self._refuse(error)
            return
        self._ready.append(build(code, lines))

    def _bad(self, row: str, error: InvalidReply) -> None:
        """Refuse the open reply, and drop its remaining lines as they come."""
        if row[3:4] == "-":
            self._dropping = row[:3]
        self._open.clear()
        self._open_clean = True
        self._refuse(error)

    def _refuse(self, error: InvalidReply) -> None:
        if self._error is None:
            self._error = error
        self._errors += 1
        self._refused += 1

    def _flush(self) -> list[Reply]:
        error, count = self._error, self._errors
        self._error, self._errors = None, 0
        if error is not None:
            if count > 1:
                reason = f"{error.reason} (and {count - 1} more bad replies in the same data)"
                raise InvalidReply(reason, error.text, error.position) from error
            raise error
        ready, self._ready = self._ready, []
        return ready

    def close(self) -> list[Reply]:
        """Say that the stream has ended; return the replies still held.

        Without ``strict``, a last line that lacks its line end still completes
        its reply.

        Returns:
            The replies not yet returned.

        Raises:
            InvalidReply: The stream ended inside a reply, or its last line was bad.
        """
        rest = bytes(self._buffer)
        self._buffer.clear()
        skipping, self._skipping = self._skipping, False
        if rest and not skipping:
            if self._strict:
                self._open.clear()
                self._refuse(
                    InvalidReply("the stream ended inside a line", decode(rest), len(rest))
                )
            else:
                self._block(rest)
        if self._open:
            text = "\n".join(self._open)
            self._open.clear()
            self._refuse(
                InvalidReply("the stream ended inside a multi-line reply", text, len(text))
            )
        self._dropping = ""
        return self._flush()
