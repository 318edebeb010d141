"""Collect real SMTP replies from a server on this machine into a JSONL corpus.

The collector talks to the server over a raw socket (not ``smtplib``) so that it
keeps the exact bytes of every reply. It walks through a fixed script of short
sessions, each on its own connection, that provokes as many different replies as
it can: greeting, EHLO, HELO, HELP, NOOP, VRFY, EXPN, good and bad MAIL and RCPT
commands, commands out of sequence, DATA, BDAT, unknown and overlong commands,
AUTH, STARTTLS, ETRN, RSET, QUIT and a flood of unknown commands.

Each reply is appended to the output file as one JSON object::

    {"server": ..., "command": ..., "raw": ..., "code": ..., "enhanced": ..., "lines": [...]}

``code``, ``enhanced`` and ``lines`` are computed here with plain string
operations, independently of ``smtpreply``: they are the values the parser is
tested against. A reply is written once per server: the same command answered with
the same bytes again (the greeting of every new connection, for example) is left
out.

Usage::

    python tests/data/collect_replies.py --server-name "Postfix 3.7.11" --port 2525 \\
        --out tests/data/server_replies.jsonl

Only the loopback addresses 127.0.0.1 and ::1 are ever contacted.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

#: The only addresses this script ever connects to.
ALLOWED_ADDRESSES = frozenset({"127.0.0.1", "::1"})
#: The client name sent with EHLO and HELO.
CLIENT_NAME = "localhost"
#: A sender and recipient that exist on a stock Debian system.
GOOD_ADDRESS = "root@localhost"
#: A local part that no stock system has as a user or an alias.
MISSING_USER = "nosuchuser"
#: A domain that is neither local nor one the server relays for (RFC 2606).
FOREIGN_ADDRESS = "someone@example.com"
#: The small test message sent after DATA and with BDAT, lines ending in CRLF.
MESSAGE = (
    f"From: <{GOOD_ADDRESS}>\r\n"
    f"To: <{GOOD_ADDRESS}>\r\n"
    "Subject: smtpreply reply corpus\r\n"
    "\r\n"
    "A test message sent by tests/data/collect_replies.py.\r\n"
)
#: The most unknown commands the flood step sends on one connection.
FLOOD_LIMIT = 30
#: The most bytes one reply may have before the collector gives up on it.
MAX_REPLY_BYTES = 1 << 20


class ServerClosed(Exception):
    """The server closed the connection, or sent nothing in time."""


@dataclass(frozen=True)
class Expected:
    """The values a reply parser must find in one raw reply.

    Attributes:
        code: The reply code of the first line.
        enhanced: The RFC 3463 enhanced status at the start of the first line's text
            when its class is the code's first digit, else None.
        lines: Each line's text after the code and its separator, as sent.
        notes: Anything unusual about the bytes, in words.
    """

    code: int
    enhanced: str | None
    lines: list[str]
    notes: list[str]


def split_lines(raw: str) -> list[str]:
    r"""Split a raw reply into its lines, without their line ends.

    A line ends at LF; a CR just before that LF belongs to the line end.

    Args:
        raw: The reply as sent, every line ended.

    Returns:
        The lines in order.

    >>> split_lines("250-vm\r\n250 OK\r\n")
    ['250-vm', '250 OK']
    >>> split_lines("250 bare\n")
    ['250 bare']
    """
    pieces = raw.split("\n")
    if pieces[-1] == "":
        pieces.pop()
    return [piece[:-1] if piece.endswith("\r") else piece for piece in pieces]


def is_status(token: str) -> bool:
    """Tell whether ``token`` is an RFC 3463 status code, ``class.subject.detail``.

    The class is 2, 4 or 5; the subject and the detail are 1 to 3 digits each.

    Args:
        token: The text to look at.

    Returns:
        True when the whole of ``token`` is a status code.

    >>> is_status("5.1.1"), is_status("2.0.0"), is_status("3.0.0"), is_status("5.1")
    (True, True, False, False)
    """
    parts = token.split(".")
    if len(parts) != 3 or parts[0] not in ("2", "4", "5"):
        return False
    return all(1 <= len(part) <= 3 and part.isascii() and part.isdigit() for part in parts[1:])


def expected_values(raw: str) -> Expected:
    r"""Work out the code, the enhanced status and the lines of one raw reply.

    Args:
        raw: The whole reply as sent, with its line ends.

    Returns:
        The expected values, and notes on anything unusual.

    >>> found = expected_values("550 5.1.1 <nobody@localhost>: User unknown\r\n")
    >>> found.code, found.enhanced, found.lines
    (550, '5.1.1', ['5.1.1 <nobody@localhost>: User unknown'])
    >>> found = expected_values("250-vm\r\n250 8BITMIME\r\n")
    >>> found.code, found.enhanced, found.lines
    (250, None, ['vm', '8BITMIME'])
    >>> expected_values("503 2.0.0 odd\r\n").enhanced is None
    True
    """
    notes: list[str] = []
    if "\n" in raw.replace("\r\n", ""):
        notes.append("bare LF line end")
    if "\r" in raw.replace("\r\n", ""):
        notes.append("bare CR")
    if not raw.endswith("\n"):
        notes.append("last line not ended")
    rows = split_lines(raw)
    code = int(rows[0][:3])
    lines: list[str] = []
    for index, row in enumerate(rows):
        head, separator, text = row[:3], row[3:4], row[4:]
        last = index == len(rows) - 1
        if head != rows[0][:3]:
            notes.append(f"line {index + 1} has code {head!r}, the first line {rows[0][:3]!r}")
        if separator == "":
            notes.append(f"line {index + 1} is a code without text")
        elif separator not in ("-", " "):
            notes.append(f"line {index + 1} has separator {separator!r}")
        elif (separator == "-") == last:
            notes.append(
                f"line {index + 1} has separator {separator!r} but is {'' if last else 'not '}last"
            )
        if text != text.rstrip(" \t"):
            notes.append(f"line {index + 1} ends in white space")
        if text != text.lstrip(" \t"):
            notes.append(f"line {index + 1} has white space after the separator")
        if text[:3].isdigit() and text[3:4] in ("", " ", "-"):
            notes.append(f"line {index + 1} has text that starts with a code: {text[:4]!r}")
        if separator != "" and text == "":
            notes.append(f"line {index + 1} has a separator and no text")
        lines.append(text)
    enhanced: str | None = None
    token = lines[0].split(" ", 1)[0]
    if is_status(token):
        if token[0] == str(code)[0]:
            enhanced = token
        else:
            notes.append(f"status {token} does not match the class of code {code}")
    elif is_status(token.rstrip(",;:")) or is_status(token.strip("()#")):
        notes.append(f"status-like first word {token!r} not followed by a space")
    for number, text in enumerate(lines[1:], start=2):
        word = text.split(" ", 1)[0]
        if enhanced is not None and is_status(word) and word != enhanced:
            notes.append(f"line {number} has status {word}, the first line {enhanced}")
    return Expected(code=code, enhanced=enhanced, lines=lines, notes=notes)


def loopback_address(host: str, port: int) -> tuple[int, str]:
    """Resolve ``host`` and insist that it is 127.0.0.1 or ::1.

    Args:
        host: A host name or address given on the command line.
        port: The port to connect to.

    Returns:
        The address family and the address to connect to.

    Raises:
        ValueError: ``host`` is not (only) a loopback address this script allows.
    """
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [(family, str(sockaddr[0])) for family, _, _, _, sockaddr in found]
    if not addresses or any(address not in ALLOWED_ADDRESSES for _, address in addresses):
        raise ValueError(f"{host!r} is not 127.0.0.1 or ::1; only those are contacted")
    return addresses[0]


class Connection:
    """One SMTP connection that keeps the exact bytes of each reply.

    Args:
        host: 127.0.0.1, ::1 or a name that resolves only to those.
        port: The server's port.
        timeout: Seconds to wait for a reply before giving up.
    """

    def __init__(self, host: str, port: int, timeout: float) -> None:
        family, address = loopback_address(host, port)
        self._socket = socket.socket(family, socket.SOCK_STREAM)
        self._socket.settimeout(timeout)
        self._socket.connect((address, port))
        self._buffer = b""
        self.closed = False

    def close(self) -> None:
        """Close the socket without saying QUIT."""
        self.closed = True
        self._socket.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send(self, data: bytes) -> None:
        """Send bytes as they are.

        Args:
            data: The bytes, line ends included.

        Raises:
            ServerClosed: The server has closed the connection.
        """
        try:
            self._socket.sendall(data)
        except OSError as error:
            self.closed = True
            raise ServerClosed(f"sending failed: {error}") from error

    def read_reply(self) -> bytes:
        """Read one whole reply: lines up to one whose fourth character is not ``-``.

        Returns:
            The reply's bytes, exactly as received.

        Raises:
            ServerClosed: The connection closed, or the reply did not end in time.
        """
        start = 0
        while True:
            end = self._buffer.find(b"\n", start)
            if end >= 0:
                line = self._buffer[start:end]
                if line[3:4] != b"-":
                    reply, self._buffer = self._buffer[: end + 1], self._buffer[end + 1 :]
                    return reply
                start = end + 1
                continue
            if len(self._buffer) > MAX_REPLY_BYTES:
                raise ServerClosed("reply too long")
            try:
                chunk = self._socket.recv(65536)
            except socket.timeout as error:
                raise ServerClosed(f"no whole reply in time; got {self._buffer!r}") from error
            except OSError as error:
                self.closed = True
                raise ServerClosed(f"receiving failed: {error}; got {self._buffer!r}") from error
            if not chunk:
                self.closed = True
                raise ServerClosed(f"connection closed; got {self._buffer!r}")
            self._buffer += chunk


@dataclass(frozen=True)
class Step:
    """One thing the client sends, and whether the reply goes in the corpus.

    Attributes:
        command: The command line, without its CRLF. Empty for the greeting.
        record: Whether to keep the reply.
        payload: Bytes sent right after the command line (BDAT's chunk).
        label: What to write as ``command`` instead of the command itself.
        needs: An EHLO keyword the server must offer, or the step is skipped.
        unless: An EHLO keyword that, when offered, makes the step be skipped.
        flood: Send the command again and again until the server closes the
            connection or ``FLOOD_LIMIT`` is reached, keeping each reply that
            differs from the one before it.
    """

    command: str
    record: bool = True
    payload: bytes = b""
    label: str = ""
    needs: str = ""
    unless: str = ""
    flood: bool = False


@dataclass(frozen=True)
class Session:
    """One connection's worth of steps; the greeting is read before them.

    Attributes:
        name: What the session is for, for the log.
        steps: The steps in order.
        record_greeting: Whether to keep the greeting.
        close_after: Drop the connection after the steps instead of sending QUIT.
    """

    name: str
    steps: tuple[Step, ...]
    record_greeting: bool = False
    close_after: bool = False


def _setup(command: str) -> Step:
    """A step whose reply is not kept: it only brings the session into a state."""
    return Step(command, record=False)


EHLO = _setup(f"EHLO {CLIENT_NAME}")
MAIL = _setup(f"MAIL FROM:<{GOOD_ADDRESS}>")
RCPT = _setup(f"RCPT TO:<{GOOD_ADDRESS}>")
DATA_END = Step(MESSAGE + ".", label="(message data)")

#: The scripted sessions, in order. Each keeps the errors it makes few, since some
#: servers drop a client after three syntax errors.
SESSIONS: tuple[Session, ...] = (
    Session(
        "greeting and simple commands",
        (
            Step(f"EHLO {CLIENT_NAME}"),
            Step(f"HELO {CLIENT_NAME}"),
            Step("HELP"),
            Step("HELP MAIL"),
            Step("NOOP"),
            Step("NOOP ignored argument"),
            Step("RSET"),
            Step("QUIT"),
        ),
        record_greeting=True,
    ),
    Session(
        "VRFY and EXPN",
        (
            EHLO,
            Step("VRFY root"),
            Step(f"VRFY {MISSING_USER}"),
            Step(f"VRFY <{GOOD_ADDRESS}>"),
            Step("EXPN postmaster"),
        ),
    ),
    Session("VRFY without argument", (EHLO, Step("VRFY"), Step("EXPN"))),
    Session(
        "a whole transaction",
        (
            EHLO,
            Step(f"MAIL FROM:<{GOOD_ADDRESS}>"),
            Step(f"RCPT TO:<{GOOD_ADDRESS}>"),
            Step("RCPT TO:<postmaster>"),
            Step("DATA"),
            DATA_END,
            Step("RSET"),
        ),
    ),
    Session(
        "recipients that fail",
        (
            EHLO,
            MAIL,
            Step(f"RCPT TO:<{MISSING_USER}@localhost>"),
            Step(f"RCPT TO:<{FOREIGN_ADDRESS}>"),
        ),
    ),
    Session("null sender", (EHLO, Step("MAIL FROM:<>"), Step("RSET"))),
    Session("nested MAIL", (EHLO, MAIL, Step(f"MAIL FROM:<{GOOD_ADDRESS}>"))),
    Session(
        "bad sequence",
        (EHLO, Step(f"RCPT TO:<{GOOD_ADDRESS}>"), Step("DATA")),
    ),
    Session("DATA without RCPT", (EHLO, MAIL, Step("DATA"))),
    Session("MAIL before EHLO", (Step(f"MAIL FROM:<{GOOD_ADDRESS}>"),)),
    Session(
        "MAIL with bad syntax",
        (EHLO, Step(f"MAIL FROM:<{GOOD_ADDRESS}"), Step("MAIL FROM:")),
    ),
    Session(
        "MAIL with bad syntax, continued",
        (EHLO, Step(f"MAIL FROM {GOOD_ADDRESS}"), Step("MAIL TO:<root@localhost>")),
    ),
    Session(
        "RCPT with bad syntax",
        (EHLO, MAIL, Step(f"RCPT TO:<{GOOD_ADDRESS}"), Step("RCPT TO:")),
    ),
    Session(
        "MAIL parameters",
        (
            EHLO,
            Step(f"MAIL FROM:<{GOOD_ADDRESS}> FOO=BAR"),
            Step(f"MAIL FROM:<{GOOD_ADDRESS}> SIZE=999999999999"),
        ),
    ),
    Session(
        "MAIL parameters that are fine",
        (
            EHLO,
            Step(f"MAIL FROM:<{GOOD_ADDRESS}> BODY=8BITMIME SIZE=1000"),
            Step(
                f"RCPT TO:<{GOOD_ADDRESS}> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;{GOOD_ADDRESS}",
                needs="DSN",
            ),
            Step(f"RCPT TO:<{GOOD_ADDRESS}> FOO=BAR"),
        ),
    ),
    Session(
        "BDAT",
        (
            EHLO,
            MAIL,
            RCPT,
            Step(
                f"BDAT {len(MESSAGE)} LAST",
                payload=MESSAGE.encode("ascii"),
                needs="CHUNKING",
            ),
            Step("BDAT 0 LAST", unless="CHUNKING"),
        ),
    ),
    Session("unknown command", (EHLO, Step("FOOBAR"), Step("noop"))),
    Session("empty line", (EHLO, Step(""))),
    Session("overlong command", (EHLO, Step("NOOP " + "x" * 1019))),
    Session("very long command", (EHLO, Step("NOOP " + "x" * 4995))),
    Session("EHLO without argument", (Step("EHLO"), Step("HELO"))),
    Session("AUTH", (EHLO, Step("AUTH PLAIN AHJvb3QAc2VjcmV0"))),
    Session("ETRN", (EHLO, Step("ETRN localhost"))),
    Session("STARTTLS", (EHLO, Step("STARTTLS now"), Step("STARTTLS")), close_after=True),
    Session("STARTTLS before EHLO", (Step("STARTTLS"),), close_after=True),
    Session("flood of unknown commands", (EHLO, Step("BOGUS", flood=True))),
)


@dataclass
class Collector:
    """Runs the sessions against one server and gathers the replies.

    Attributes:
        server: The server's name and version, as written in each record.
        host: Where the server listens.
        port: The server's port.
        timeout: Seconds to wait for each reply.
        records: The records gathered so far, in order.
        log: What happened, one line per event, for the caller to show.
    """

    server: str
    host: str
    port: int
    timeout: float
    records: list[dict[str, object]] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set)

    def keep(self, command: str, raw: bytes) -> None:
        """Add one reply to the records unless the same one is there already.

        Args:
            command: What the client sent just before, or a label in parentheses.
            raw: The reply's bytes.
        """
        text = raw.decode("utf-8")
        if (command, text) in self._seen:
            self.log.append(f"  {command[:60]!r}: same reply as before, not kept again")
            return
        self._seen.add((command, text))
        found = expected_values(text)
        self.records.append(
            {
                "server": self.server,
                "command": command,
                "raw": text,
                "code": found.code,
                "enhanced": found.enhanced,
                "lines": found.lines,
            }
        )
        shown = command if len(command) <= 60 else f"{command[:57]}..."
        self.log.append(f"  {shown!r} -> {text.splitlines()[0][:100]!r}")
        self.log.extend(f"    odd: {note}" for note in found.notes)

    def run(self, sessions: Sequence[Session]) -> list[dict[str, object]]:
        """Run every session, each on a new connection.

        Args:
            sessions: The sessions to run.

        Returns:
            The records gathered.
        """
        for session in sessions:
            self.log.append(f"session: {session.name}")
            with Connection(self.host, self.port, self.timeout) as connection:
                try:
                    self._run_session(connection, session)
                except ServerClosed as error:
                    self.log.append(f"  stopped early: {error}")
        return self.records

    def _run_session(self, connection: Connection, session: Session) -> None:
        """Read the greeting, then run the steps of one session."""
        greeting = connection.read_reply()
        if session.record_greeting:
            self.keep("(greeting)", greeting)
        keywords: set[str] = set()
        for step in session.steps:
            if step.needs and step.needs not in keywords:
                self.log.append(f"  skipped {step.command!r}: {step.needs} not offered")
                continue
            if step.unless and step.unless in keywords:
                continue
            if step.flood:
                self._flood(connection, step)
                return
            raw = self._exchange(connection, step)
            if step.command.upper().startswith("EHLO ") and raw.startswith(b"250"):
                keywords = {line[4:].split(" ")[0].upper() for line in split_lines(raw.decode())}
            if step.record:
                self.keep(step.label or step.command, raw)
            if raw.startswith((b"221", b"421")):
                self.log.append("  the server ended the session")
                return
        if not session.close_after and not any(s.command == "QUIT" for s in session.steps):
            connection.send(b"QUIT\r\n")
            quit_reply = connection.read_reply()
            self.keep("QUIT", quit_reply)

    def _exchange(self, connection: Connection, step: Step) -> bytes:
        """Send one step and read its reply."""
        connection.send(step.command.encode("ascii") + b"\r\n" + step.payload)
        return connection.read_reply()

    def _flood(self, connection: Connection, step: Step) -> None:
        """Send the same command until the server gives up, keeping each new reply."""
        previous = b""
        for count in range(1, FLOOD_LIMIT + 1):
            try:
                raw = self._exchange(connection, step)
            except ServerClosed as error:
                self.log.append(f"  closed after {count - 1} x {step.command!r}: {error}")
                return
            if raw != previous:
                self.keep(step.command, raw)
                self.log.append(f"    (reply to command number {count})")
            previous = raw
        self.log.append(f"  still open after {FLOOD_LIMIT} x {step.command!r}")


def write_records(path: Path, records: Sequence[dict[str, object]]) -> None:
    """Append records to a JSONL file, one object per line, keys in order.

    Args:
        path: The file; made when missing.
        records: The records.
    """
    with path.open("a", encoding="utf-8", newline="\n") as out:
        out.writelines(json.dumps(record) + "\n" for record in records)


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line.

    Args:
        argv: The arguments after the program name; None for ``sys.argv``.

    Returns:
        The options.
    """
    parser = argparse.ArgumentParser(
        description="Collect real SMTP replies from a server on this machine."
    )
    parser.add_argument("--server-name", required=True, help='e.g. "Postfix 3.7.11"')
    parser.add_argument("--host", default="127.0.0.1", help="127.0.0.1 (default) or ::1")
    parser.add_argument("--port", type=int, default=25, help="the server's port (25)")
    parser.add_argument("--out", type=Path, required=True, help="the JSONL file to append to")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for a reply (30)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Collect the replies of one server and append them to the output file.

    Args:
        argv: The arguments after the program name; None for ``sys.argv``.

    Returns:
        The exit status: 0 when replies were written, 1 when none were.
    """
    options = parse_arguments(argv)
    started = time.monotonic()
    collector = Collector(options.server_name, options.host, options.port, options.timeout)
    try:
        records = collector.run(SESSIONS)
    except (OSError, ValueError) as error:
        print("\n".join(collector.log), file=sys.stderr)
        print(f"error: {error}", file=sys.stderr)
        return 1
    print("\n".join(collector.log), file=sys.stderr)
    write_records(options.out, records)
    elapsed = time.monotonic() - started
    print(
        f"{len(records)} replies from {options.server_name} appended to {options.out}"
        f" in {elapsed:.1f} s"
    )
    return 0 if records else 1


if __name__ == "__main__":
    sys.exit(main())
