from __future__ import annotations

import datetime
import smtplib
import ssl

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import smtpreply
from smtpreply import (
    Action,
    EnhancedStatus,
    InvalidReply,
    Reason,
    ReplyCode,
    Scope,
    classify,
    extract,
    from_exception,
    from_refused,
    parse,
    should_retry,
)


def test_user_unknown() -> None:
    verdict = classify("550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown")
    assert verdict.reason is Reason.USER_UNKNOWN
    assert (verdict.retry, verdict.hard_bounce) == (False, True)
    assert verdict.action is Action.STOP
    assert verdict.delay is None
    assert verdict.scope is Scope.RECIPIENT
    assert [evidence.source for evidence in verdict.evidence] == ["text", "status"]
    assert verdict.status == EnhancedStatus(5, 1, 1)
    assert verdict.reply == parse(
        "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown"
    )


def test_every_input_form() -> None:
    reply = parse("452 4.2.2 Mailbox full")
    expected = classify(reply).reason
    assert classify("452 4.2.2 Mailbox full").reason is expected
    assert classify(b"452 4.2.2 Mailbox full\r\n").reason is expected
    assert classify(EnhancedStatus.parse("4.2.2")).reason is expected
    found = extract("said: 452 4.2.2 Mailbox full (in reply to RCPT TO command)")
    assert found is not None
    assert classify(found).command == "RCPT"
    assert classify(ReplyCode.SERVICE_NOT_AVAILABLE).retry
    assert classify(421).retry


def test_log_line_is_extracted_with_its_command() -> None:
    verdict = classify(
        "host mx.example.org[192.0.2.1] said: 550 5.1.1 <bob@example.org>: User unknown "
        "(in reply to RCPT TO command)"
    )
    assert verdict.reason is Reason.USER_UNKNOWN
    assert verdict.command == "RCPT"
    assert verdict.hard_bounce


def test_success() -> None:
    verdict = classify("250 2.0.0 Ok: queued as 4F2A")
    assert verdict.reason is Reason.DELIVERED
    assert verdict.action is Action.DONE
    assert not verdict.retry
    assert not verdict.hard_bounce


def test_a_550_that_says_try_again_later_is_retryable() -> None:
    verdict = classify("550 5.7.1 Service temporarily unavailable, please try again later")
    assert verdict.retry
    assert not verdict.hard_bounce
    assert verdict.delay is not None
    assert any(evidence.source == "text" for evidence in verdict.evidence)


def test_over_quota_452_is_not_a_hard_bounce() -> None:
    verdict = classify("452 4.2.2 The email account that you tried to reach is over quota")
    assert verdict.reason is Reason.MAILBOX_FULL
    assert verdict.retry
    assert not verdict.hard_bounce
    assert verdict.action is Action.RETRY_SLOWER


def test_421_rate_limit_needs_a_slower_pace() -> None:
    verdict = classify("421 4.7.0 Too many messages, slow down")
    assert verdict.reason is Reason.RATE_LIMITED
    assert verdict.action is Action.RETRY_SLOWER
    assert verdict.scope is Scope.SESSION


def test_transient_user_unknown_is_retried_not_bounced() -> None:
    verdict = classify("450 4.1.1 <bob@example.org>: Recipient address rejected: unverified")
    assert verdict.reason is Reason.USER_UNKNOWN
    assert verdict.retry
    assert not verdict.hard_bounce


def test_command_refines() -> None:
    ehlo = classify("502 5.5.2 Error: command not recognized", command="EHLO")
    assert ehlo.reason is Reason.SYNTAX_ERROR
    assert not ehlo.hard_bounce
    assert ehlo.scope is Scope.SESSION
    assert any("HELO" in evidence.detail for evidence in ehlo.evidence)
    refused = classify("550 5.1.1 Command rejected", command="EHLO")
    assert refused.reason is Reason.BLOCKED
    assert not refused.hard_bounce
    auth = classify("535 5.7.8 Username and Password not accepted", command="AUTH")
    assert auth.reason is Reason.SECURITY_ERROR
    mail = classify("550 5.1.1 <amy@example.com>: Sender address unknown", command="mail from")
    assert mail.reason is Reason.REJECTED
    assert not mail.hard_bounce
    big = classify("552 Message exceeds the size limit", command="DATA")
    assert big.reason is Reason.MESSAGE_TOO_BIG


def test_unknown_command_is_refused() -> None:
    with pytest.raises(InvalidReply, match="unknown SMTP command 'FROB'"):
        classify(550, command="FROB")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
            Reason.BLOCKED,
        ),
        ("550 5.7.1 Message rejected: Email contains a virus", Reason.VIRUS_DETECTED),
        ("550 5.7.26 Unauthenticated email is not accepted from this domain", Reason.AUTH_FAILURE),
        (
            "450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.1]",
            Reason.REQUIRE_PTR,
        ),
        ("554 5.7.1 <bob@example.net>: Relay access denied", Reason.NO_RELAYING),
        ("552 5.3.4 Message size exceeds fixed limit", Reason.MESSAGE_TOO_BIG),
        ("556 5.1.10 Recipient address has null MX", Reason.NOT_ACCEPT),
        ("550 5.1.2 Host unknown", Reason.HOST_UNKNOWN),
        ("451 4.7.1 Greylisting in action, please come back later", Reason.GREYLISTED),
        ("452 4.5.3 Too many recipients", Reason.EXCEED_LIMIT),
        ("451 4.3.0 Local error in processing", Reason.SYSTEM_ERROR),
        ("550 5.4.7 Delivery time expired", Reason.EXPIRED),
    ],
)
def test_common_replies(text: str, reason: Reason) -> None:
    assert classify(text).reason is reason


@pytest.mark.parametrize(
    ("text", "reason", "retry"),
    [
        (
            (
                "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your "
                "IP address. To protect our users from spam, mail sent from your IP address has been "
                "temporarily rate limited."
            ),
            Reason.RATE_LIMITED,
            True,
        ),
        (
            (
                "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail "
                "requires all senders to authenticate with either SPF or DKIM."
            ),
            Reason.AUTH_FAILURE,
            False,
        ),
        (
            (
                "451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77719) "
                "[AM4EUR05FT012.eop-eur05.prod.protection.outlook.com]"
            ),
            Reason.RATE_LIMITED,
            True,
        ),
        (
            (
                "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this "
                "IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 "
                "AS(7230) [DB5EUR03FT021.eop-EUR03.prod.protection.outlook.com]"
            ),
            Reason.BAD_REPUTATION,
            False,
        ),
        (
            (
                "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume "
                "or user complaints"
            ),
            Reason.RATE_LIMITED,
            True,
        ),
    ],
)
def test_the_five_provider_examples(text: str, reason: Reason, retry: bool) -> None:
    verdict = classify(text)
    assert verdict.reason is reason
    assert verdict.retry is retry
    assert verdict.evidence[0].source == "provider"
    assert verdict.evidence[0].url is not None


def test_exceptions_without_a_reply() -> None:
    assert classify(smtplib.SMTPServerDisconnected("gone")).reason is Reason.NETWORK_ERROR
    assert classify(TimeoutError()).retry
    assert classify(ssl.SSLError(1, "handshake failure")).reason is Reason.SECURITY_ERROR
    assert not should_retry(ssl.SSLError(1, "handshake failure"))
    tls = smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server.")
    assert classify(tls).reason is Reason.SECURITY_ERROR
    utf8 = smtplib.SMTPNotSupportedError("SMTPUTF8 not supported by server")
    assert classify(utf8).reason is Reason.NOT_COMPLIANT_RFC
    assert (
        classify(smtplib.SMTPException("No suitable authentication method found.")).reason
        is Reason.UNDEFINED
    )
    assert classify(ValueError("something else")).reason is Reason.UNDEFINED


def test_smtplib_response_exceptions() -> None:
    auth = smtplib.SMTPAuthenticationError(535, b"5.7.8 Username and Password not accepted")
    [failure] = from_exception(auth)
    assert failure.verdict.reason is Reason.SECURITY_ERROR
    assert failure.verdict.command == "AUTH"
    assert failure.reply is not None
    assert failure.reply.enhanced == EnhancedStatus(5, 7, 8)
    helo = smtplib.SMTPHeloError(501, b"Syntax: EHLO hostname")
    assert from_exception(helo)[0].verdict.command == "EHLO"
    assert (
        classify(smtplib.SMTPConnectError(554, b"5.7.1 Client host blocked")).reason
        is Reason.BLOCKED
    )
    multi = smtplib.SMTPDataError(550, b"5.7.1 first line\n5.7.1 spam detected")
    assert from_exception(multi)[0].reply == parse(
        "550-5.7.1 first line\r\n550 5.7.1 spam detected\r\n"
    )


def test_from_refused_keeps_order_and_handles_bad_codes() -> None:
    failures = from_refused({"a@example.org": (550, b"5.1.1 unknown"), "b@example.org": (-1, b"")})
    assert [failure.recipient for failure in failures] == ["a@example.org", "b@example.org"]
    assert failures[1].reply is None
    assert failures[1].verdict.reason is Reason.UNDEFINED


def test_bad_input() -> None:
    with pytest.raises(InvalidReply, match="the text holds no SMTP reply"):
        classify("nothing here")
    with pytest.raises(InvalidReply, match="expected a 3-digit reply code, not 42"):
        classify(42)
    with pytest.raises(InvalidReply, match="not list"):
        classify([550])  # type: ignore[arg-type]


def test_reasons_are_documented() -> None:
    assert len(Reason) == 32
    for reason in Reason:
        assert reason.description.endswith(".")


def test_verdicts_are_frozen() -> None:
    verdict = classify(550)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        verdict.retry = True  # type: ignore[misc]
    assert isinstance(classify(421).delay, datetime.timedelta)


@given(st.text(max_size=300))
def test_classify_raises_only_invalid_reply(text: str) -> None:
    try:
        verdict = classify(text)
    except InvalidReply:
        return
    assert verdict.reason in set(Reason)
    assert not (verdict.retry and verdict.hard_bounce)
    assert (verdict.delay is None) == (not verdict.retry)


@given(st.integers(100, 999), st.sampled_from([None, "EHLO", "MAIL", "RCPT", "DATA", "AUTH"]))
def test_laws_for_every_code(code: int, command: str | None) -> None:
    verdict = classify(code, command=command)
    if code // 100 in (2, 3):
        assert verdict.reason is Reason.DELIVERED
        assert verdict.action is Action.DONE
    if code // 100 == 4:
        assert verdict.retry
    if verdict.hard_bounce:
        assert code // 100 == 5
        assert command in (None, "RCPT", "DATA")
        assert verdict.action is Action.STOP


def test_public_names() -> None:
    for name in ("Reason", "Action", "Scope", "Verdict", "Failure", "Evidence"):
        assert getattr(smtpreply, name).__module__ == "smtpreply"
