"""Real exceptions from smtplib and aiosmtplib, raised against aiosmtpd on loopback."""

from __future__ import annotations

import asyncio
import smtplib
import socket
import threading
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

import aiosmtplib
import pytest
from aiosmtpd.controller import Controller

from smtpreply import Action, Reason, from_exception, from_refused, should_retry

if TYPE_CHECKING:
    from collections.abc import Iterator

# What the test server answers to RCPT TO, by the recipient's local part.
RCPT_REPLIES = {
    "unknown": "550 5.1.1 <unknown@example.org>: Recipient address rejected: User unknown",
    "grey": "450 4.2.0 <grey@example.org>: Recipient address rejected: Greylisted, try again",
    "full": "452 4.2.2 The email account that you tried to reach is over quota",
    "relay": "554 5.7.1 <relay@example.net>: Relay access denied",
    "flood": "421 4.7.28 Our system has detected an unusual rate of unsolicited mail - gsmtp",
}


class Handler:
    """Answers RCPT by local part, refuses one sender, and rejects DATA for one subject."""

    async def handle_MAIL(  # noqa: N802 - the hook's name
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("refused@"):
            return "553 5.7.1 <refused@example.com>: Sender address rejected: not owned by user"
        envelope.mail_from = address
        return "250 2.1.0 Ok"

    async def handle_RCPT(  # noqa: N802 - the hook's name
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        local = address.split("@")[0]
        if local in RCPT_REPLIES:
            return RCPT_REPLIES[local]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if b"Subject: spam" in envelope.content:
            return "554 5.7.1 Message rejected as spam by Content Filtering"
        return "250 2.0.0 Ok: queued"


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def message(subject: str = "hello") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "amy@example.com"
    msg["To"] = "bob@example.org"
    msg["Subject"] = subject
    msg.set_content("Hi.")
    return msg


def test_smtplib_recipients_refused_one_verdict_each(server: int) -> None:
    with smtplib.SMTP("127.0.0.1", server, timeout=5) as client:  # noqa: SIM117 - 3.9 syntax
        with pytest.raises(smtplib.SMTPRecipientsRefused) as info:
            client.send_message(
                message(),
                to_addrs=["unknown@example.org", "grey@example.org", "full@example.org"],
            )
    failures = {failure.recipient: failure.verdict for failure in from_exception(info.value)}
    assert failures["unknown@example.org"].reason is Reason.USER_UNKNOWN
    assert failures["unknown@example.org"].hard_bounce
    assert failures["unknown@example.org"].action is Action.STOP
    assert failures["grey@example.org"].reason is Reason.GREYLISTED
    assert failures["grey@example.org"].retry
    assert failures["full@example.org"].reason is Reason.MAILBOX_FULL
    assert failures["full@example.org"].retry
    assert not failures["full@example.org"].hard_bounce
    assert should_retry(info.value)


def test_smtplib_partial_refusal_returns_the_refused_dict(server: int) -> None:
    with smtplib.SMTP("127.0.0.1", server, timeout=5) as client:
        refused = client.sendmail(
            "amy@example.com",
            ["ok@example.org", "relay@example.net"],
            message().as_bytes(),
        )
    [failure] = from_refused(refused)
    assert failure.recipient == "relay@example.net"
    assert failure.verdict.reason is Reason.NO_RELAYING
    assert not failure.verdict.retry


def test_smtplib_sender_refused(server: int) -> None:
    with smtplib.SMTP("127.0.0.1", server, timeout=5) as client:  # noqa: SIM117 - 3.9 syntax
        with pytest.raises(smtplib.SMTPSenderRefused) as info:
            client.sendmail("refused@example.com", ["ok@example.org"], message().as_bytes())
    [failure] = from_exception(info.value)
    assert failure.verdict.command == "MAIL"
    assert failure.verdict.reason is Reason.REJECTED
    assert not should_retry(info.value)


def test_smtplib_data_error(server: int) -> None:
    with smtplib.SMTP("127.0.0.1", server, timeout=5) as client:  # noqa: SIM117 - 3.9 syntax
        with pytest.raises(smtplib.SMTPDataError) as info:
            client.send_message(message("spam"), to_addrs=["ok@example.org"])
    [failure] = from_exception(info.value)
    assert failure.verdict.command == "DATA"
    assert failure.verdict.reason is Reason.SPAM_DETECTED
    assert failure.verdict.action is Action.FIX_AND_RESEND


def test_smtplib_rate_limit_at_rcpt(server: int) -> None:
    with smtplib.SMTP("127.0.0.1", server, timeout=5) as client:  # noqa: SIM117 - 3.9 syntax
        with pytest.raises(smtplib.SMTPRecipientsRefused) as info:
            client.send_message(message(), to_addrs=["flood@example.org"])
    [failure] = from_exception(info.value)
    assert failure.verdict.reason is Reason.RATE_LIMITED
    assert failure.verdict.action is Action.RETRY_SLOWER
    assert failure.verdict.delay is not None


@pytest.fixture
def closing_server() -> Iterator[int]:
    """A server that accepts a connection and closes it at once."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port: int = listener.getsockname()[1]

    def serve() -> None:
        try:
            connection, _ = listener.accept()
            connection.close()
        except OSError:
            return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        listener.close()
        thread.join(timeout=5)


def test_smtplib_dropped_connection_is_worth_a_retry(closing_server: int) -> None:
    with pytest.raises(smtplib.SMTPServerDisconnected) as info:
        smtplib.SMTP("127.0.0.1", closing_server, timeout=5)
    [failure] = from_exception(info.value)
    assert failure.reply is None
    assert failure.verdict.reason is Reason.NETWORK_ERROR
    assert failure.verdict.retry
    assert should_retry(info.value)


def test_refused_connection_is_worth_a_retry() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectionRefusedError) as info:
        smtplib.SMTP("127.0.0.1", port, timeout=5)
    assert from_exception(info.value)[0].verdict.reason is Reason.NETWORK_ERROR
    assert should_retry(info.value)


def test_aiosmtplib_recipients_refused(server: int) -> None:
    async def send() -> None:
        await aiosmtplib.send(
            message(),
            hostname="127.0.0.1",
            port=server,
            recipients=["unknown@example.org", "grey@example.org"],
            start_tls=False,
        )

    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as info:
        asyncio.run(send())
    failures = {failure.recipient: failure.verdict for failure in from_exception(info.value)}
    assert failures["unknown@example.org"].reason is Reason.USER_UNKNOWN
    assert failures["unknown@example.org"].hard_bounce
    assert failures["grey@example.org"].reason is Reason.GREYLISTED
    assert should_retry(info.value)


def test_aiosmtplib_sender_refused_and_data_error(server: int) -> None:
    async def send(sender: str, subject: str) -> None:
        await aiosmtplib.send(
            message(subject),
            sender=sender,
            hostname="127.0.0.1",
            port=server,
            recipients=["ok@example.org"],
            start_tls=False,
        )

    with pytest.raises(aiosmtplib.SMTPSenderRefused) as refused:
        asyncio.run(send("refused@example.com", "hello"))
    assert from_exception(refused.value)[0].verdict.reason is Reason.REJECTED
    with pytest.raises(aiosmtplib.SMTPDataError) as data:
        asyncio.run(send("amy@example.com", "spam"))
    assert from_exception(data.value)[0].verdict.reason is Reason.SPAM_DETECTED


def test_aiosmtplib_connection_refused_is_worth_a_retry() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def send() -> None:
        await aiosmtplib.send(
            message(), hostname="127.0.0.1", port=port, start_tls=False, timeout=5
        )

    with pytest.raises(aiosmtplib.SMTPConnectError) as info:
        asyncio.run(send())
    assert from_exception(info.value)[0].verdict.reason is Reason.NETWORK_ERROR
    assert should_retry(info.value)
