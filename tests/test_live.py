"""ReplyReader and parse against a real aiosmtpd server on loopback."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import pytest
from aiosmtpd.controller import Controller

from smtpreply import Reply, ReplyReader, parse

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(object(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port
    finally:
        controller.stop()


class Session:
    """A raw client: sends commands, and reads replies through ReplyReader."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.sock = socket.create_connection(address, timeout=5)
        self.reader = ReplyReader(strict=True)
        self.raw = bytearray()
        self.pending: list[Reply] = []

    def reply(self) -> Reply:
        while not self.pending:
            chunk = self.sock.recv(7)  # small reads, so replies arrive cut up
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.raw += chunk
            self.pending += self.reader.feed(chunk)
        return self.pending.pop(0)

    def send(self, line: str) -> Reply:
        self.sock.sendall(line.encode() + b"\r\n")
        return self.reply()

    def close(self) -> None:
        self.sock.close()


def test_a_whole_session(server: tuple[str, int]) -> None:
    session = Session(server)
    try:
        greeting = session.reply()
        assert greeting.code == 220
        ehlo = session.send("EHLO client.example")
        assert ehlo.code == 250
        assert ehlo.is_multiline
        assert "8BITMIME" in ehlo.lines
        assert session.send("RCPT TO:<bob@example.org>").code == 503
        assert session.send("MAIL FROM:<amy@example.org>").code == 250
        assert session.send("RCPT TO:<bob@example.org>").code == 250
        assert session.send("DATA").code == 354
        assert session.send("Subject: hi\r\n\r\nhello\r\n.").code == 250
        assert session.send("FROB").code == 500
        assert session.send("QUIT").code == 221
        # What the reader cut out of the stream is what parse reads from each piece.
        assert session.reader.close() == []
    finally:
        session.close()
    replies = []
    reader = ReplyReader()
    replies += reader.feed(bytes(session.raw))
    assert [parse(bytes(reply)) for reply in replies] == replies
    assert [reply.code for reply in replies] == [220, 250, 503, 250, 250, 354, 250, 500, 221]


def test_pipelined_commands_come_back_in_order(server: tuple[str, int]) -> None:
    session = Session(server)
    try:
        session.reply()
        session.send("EHLO client.example")
        session.sock.sendall(b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nNOOP\r\n")
        codes = [session.reply().code for _ in range(3)]
        assert codes == [250, 250, 250]
    finally:
        session.close()
