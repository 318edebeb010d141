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
            Reason.BLOCKED,
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


# The classes of wrong verdicts that issue 9 lists, each with examples of our own.

Case = tuple[str, "str | None", Reason]
CASES: dict[str, list[Case]] = {
    "a specific phrase beats a loosely used status": [
        ("550 5.2.1 <ann@example.net>: recipient unknown", None, Reason.USER_UNKNOWN),
        ("550 5.2.1 <kim@example.com>... No such user here", None, Reason.USER_UNKNOWN),
        (
            "452 4.3.2 Too many concurrent sessions from 198.51.100.4",
            None,
            Reason.TOO_MANY_CONNECTIONS,
        ),
        ("554 5.7.9 Refused for policy reasons", None, Reason.POLICY_VIOLATION),
        ("552 5.1.10 Recipient mailbox over quota", None, Reason.MAILBOX_FULL),
        ("554 5.6.0 Message contains a virus", None, Reason.VIRUS_DETECTED),
        ("451 4.4.5 Greylisted, please retry in 5 minutes", None, Reason.GREYLISTED),
        ("550 5.7.1 Relay access denied", None, Reason.NO_RELAYING),
    ],
    "everyday wordings": [
        ("550 Rejected - message classified as SPAM", None, Reason.SPAM_DETECTED),
        ("553 Unauthenticated sending not permitted", None, Reason.SECURITY_ERROR),
        ("550 No such account here, sorry", None, Reason.USER_UNKNOWN),
        ("554 Service currently unavailable", None, Reason.SYSTEM_ERROR),
        ("550 Connection frequency limited, try later", None, Reason.TOO_MANY_CONNECTIONS),
        ("550 This mailbox is over its quota", None, Reason.MAILBOX_FULL),
        ("451 Greylisting in progress", None, Reason.GREYLISTED),
        ("550 Your IP is blocklisted", None, Reason.BLOCKED),
    ],
    "the stage and the status subject when nothing else speaks": [
        ("550 5.7.1 Denied (in reply to MAIL FROM command)", None, Reason.REJECTED),
        ("554 Go away", "CONNECT", Reason.BLOCKED),
        ("550 Refused", "MAIL", Reason.REJECTED),
        ("550 5.7.0 No", None, Reason.POLICY_VIOLATION),
        ("535 5.7.0 No", "AUTH", Reason.SECURITY_ERROR),
        ("550 5.6.99 Refused", None, Reason.CONTENT_ERROR),
        ("552 5.7.0 Nope", None, Reason.POLICY_VIOLATION),
    ],
    "the status table agrees with the taxonomy": [
        ("525 5.7.13 Account disabled", None, Reason.SUSPENDED),
        ("525 5.7.13 Nope", None, Reason.SUSPENDED),
        ("552 5.2.3 Exceeds the recipient's size limit", None, Reason.EXCEED_LIMIT),
        ("552 5.2.3 Message length exceeds administrative limit", None, Reason.EXCEED_LIMIT),
        ("552 5.3.4 Message length exceeds administrative limit", None, Reason.MESSAGE_TOO_BIG),
        ("550 5.1.0 Address rejected", None, Reason.USER_UNKNOWN),
        ("550 #5.1.0 Address rejected.", None, Reason.USER_UNKNOWN),
        ("554 5.7.1 Rejected", None, Reason.POLICY_VIOLATION),
    ],
    "wrapped, concatenated and transcript texts": [
        (
            "5.0.0 - Remote error 550-'5.2.2 <a@example.net> quota exceeded'",
            None,
            Reason.MAILBOX_FULL,
        ),
        ("451 busy 550 5.1.1 no such user", None, Reason.USER_UNKNOWN),
        (
            "220 mx.example.org ESMTP\n250 mx.example.org\n250 2.1.0 Ok\n452 4.2.2 Over quota",
            None,
            Reason.MAILBOX_FULL,
        ),
        (
            (
                ">>> RCPT To:<dan@example.org>\n<<< 550 5.1.1 <dan@example.org>... User unknown\n"
                ">>> DATA\n<<< 554 5.0.0 Service unavailable"
            ),
            None,
            Reason.USER_UNKNOWN,
        ),
        ("Status: failed, SMTP code 421 too many connections", None, Reason.TOO_MANY_CONNECTIONS),
        ("ResponseCode 552 mailbox full", None, Reason.MAILBOX_FULL),
        ("554 4.4.7 Message expired", None, Reason.EXPIRED),
    ],
    "the wording around the code": [
        (
            "Connected to 203.0.113.5 but sender was rejected. Remote host said: 553 Denied",
            None,
            Reason.REJECTED,
        ),
        (
            "Connected to 203.0.113.5 but connection died after initial connection: 554 Go away",
            None,
            Reason.BLOCKED,
        ),
        (
            "Connected to 192.0.2.9 but my name was rejected. Remote host said: 501 5.0.0 Bad",
            None,
            Reason.BLOCKED,
        ),
        ("Sorry, no mailbox here by that name. (#5.1.1)", None, Reason.USER_UNKNOWN),
    ],
    "the headline outranks trailing context": [
        (
            "554 Message expired after 5 days (last error: connection timed out)",
            None,
            Reason.EXPIRED,
        ),
        ("451 4.4.2 Connection timed out (the host said: greylisted)", None, Reason.NETWORK_ERROR),
    ],
    "command refinements do not overreach": [
        ("554 5.7.1 Access denied", "EHLO", Reason.BLOCKED),
        ("550 5.1.1 Command rejected", "EHLO", Reason.BLOCKED),
        ("500 5.5.1 Unknown command", "EHLO", Reason.SYNTAX_ERROR),
        ("552 5.2.2 Mailbox full", "DATA", Reason.MAILBOX_FULL),
        ("552 5.7.0 Attachment type not allowed", None, Reason.POLICY_VIOLATION),
    ],
    "the conventions where context decides": [
        ("550 5.1.1 User unknown (in reply to end of DATA command)", None, Reason.FILTERED),
        (
            (
                "554 delivery error: dd This user doesn't have a yahoo.com account "
                "(bob@yahoo.com) [0] - mta1.mail.example.yahoo.com"
            ),
            "DATA",
            Reason.USER_UNKNOWN,
        ),
        (
            (
                "421 4.7.0 [TSS04] Messages from 192.0.2.7 temporarily deferred due to "
                "unexpected volume or user complaints - 4.16.55.1"
            ),
            None,
            Reason.RATE_LIMITED,
        ),
        ("550 Sender blocked by recipient", None, Reason.FILTERED),
    ],
}


@pytest.mark.parametrize(
    ("text", "command", "reason"),
    [case for cases in CASES.values() for case in cases],
    ids=[f"{kind}: {case[0][:40]}" for kind, cases in CASES.items() for case in cases],
)
def test_issue_classes(text: str, command: str | None, reason: Reason) -> None:
    assert classify(text, command=command).reason is reason


def test_words_match_whole_words() -> None:
    assert classify('550 Bad header "DKIM-Signature" repeated').reason is not Reason.AUTH_FAILURE
    assert classify("552 too much mail data").reason is Reason.MESSAGE_TOO_BIG
    assert classify("452 too much mail from your IP").reason is Reason.RATE_LIMITED


def test_provider_rules_need_evidence_of_the_provider() -> None:
    google = "421 4.7.0 Connection expired, try reconnecting. - gsmtp"
    assert classify(google).reason is Reason.NETWORK_ERROR
    assert classify(google).evidence[0].source == "provider"
    elsewhere = "421 4.7.0 Connection expired, try reconnecting."
    assert classify(elsewhere).reason is Reason.POLICY_VIOLATION
    # A recipient at the provider's domain says nothing of who answered.
    address = "421 4.7.0 <bob@gmail.com> Connection expired, try reconnecting."
    assert classify(address).reason is Reason.POLICY_VIOLATION
    # A provider's meaning of a registered status beats the registry's when shown.
    microsoft = (
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
    )
    assert classify(microsoft).reason is Reason.USER_UNKNOWN
    assert classify("550 5.1.10 Nope").reason is Reason.NOT_ACCEPT


def test_the_status_is_kept_as_evidence_when_its_class_differs() -> None:
    verdict = classify("554 4.4.7 Message expired")
    assert verdict.status == EnhancedStatus(4, 4, 7)
    assert not verdict.retry  # the code's class decides the retry


def test_undefined_only_when_nothing_speaks() -> None:
    assert classify("550 Rejected").reason is Reason.UNDEFINED
    # 421's own standard wording says nothing beyond the code (conventions, rule 9);
    # "service unavailable" with no other reason is the receiving side's problem.
    assert classify("421 Service not available, closing transmission channel").reason is (
        Reason.UNDEFINED
    )
    assert classify("554 Service unavailable").reason is Reason.SYSTEM_ERROR
    assert classify("450 try again later").reason is Reason.UNDEFINED
    assert classify("450 try again later").retry


def test_a_command_must_be_a_command_name() -> None:
    with pytest.raises(InvalidReply, match="a command is a str such as 'RCPT', not bytes"):
        classify(550, command=b"RCPT")  # type: ignore[arg-type]
    with pytest.raises(InvalidReply, match="not int"):
        classify(550, command=123)  # type: ignore[arg-type]


# Wordings that servers use across families, in invented replies (the phrases are
# facts about what servers write; these sentences are ours).
WORDINGS = [
    ("550 5.1.1 <ann@example.net>: recipient is not valid here", Reason.USER_UNKNOWN),
    ("550 sorry, user not known at this site", Reason.USER_UNKNOWN),
    ("550 5.1.1 ann does not have an account with us", Reason.USER_UNKNOWN),
    ("550 unavailable mail user ann", Reason.USER_UNKNOWN),
    ("550 5.1.1 Adresse nicht gefunden", Reason.USER_UNKNOWN),
    ("550 Indirizzo non trovato: ann@example.it", Reason.USER_UNKNOWN),
    ("550 5.1.1 Адрес не найден", Reason.USER_UNKNOWN),
    ("550 找不到地址 ann@example.cn", Reason.USER_UNKNOWN),
    ("アドレス不明 ann@example.jp", Reason.USER_UNKNOWN),
    ("주소를 찾을 수 없음 ann@example.kr", Reason.USER_UNKNOWN),
    ("552 5.2.2 ann is over their quota", Reason.MAILBOX_FULL),
    ("552 Quota exceed the hard limit for ann", Reason.MAILBOX_FULL),
    ("Das Postfach des Empfängers ist voll", Reason.MAILBOX_FULL),
    ("收件人空间不足", Reason.MAILBOX_FULL),
    ("550 5.2.1 mailbox locked by the administrator", Reason.SUSPENDED),
    ("550 User ann@example.org is disabled", Reason.SUSPENDED),
    ("421 4.7.0 Too many mails in one session, slow down", Reason.RATE_LIMITED),
    ("550 5.7.1 Limit of 300 rcpts per 24 hours reached", Reason.RATE_LIMITED),
    ("421 4.4.5 Concurrency limit reached, try later", Reason.TOO_MANY_CONNECTIONS),
    ("554 Too many Received: headers, mail loop?", Reason.NETWORK_ERROR),
    ("451 4.4.0 DNS query failed for example.net", Reason.NETWORK_ERROR),
    ("550 5.7.1 [ADM] Sender prohibited by SPF", Reason.AUTH_FAILURE),
    ("530 Must issue STARTTLS first", Reason.SECURITY_ERROR),
    ("503 This server requires authentication for that", Reason.SECURITY_ERROR),
    ("550 5.7.1 Client does not have permissions to send as this sender", Reason.REJECTED),
    ("553 sorry, mail from invalid", Reason.REJECTED),
    ("554 Relay rejected for ann@example.net", Reason.NO_RELAYING),
    ("550 5.7.1 Message rejected due to content restrictions", Reason.POLICY_VIOLATION),
    ("554 Message blocked due to virus content", Reason.VIRUS_DETECTED),
    ("550 5.7.1 Mensaje marcado como spam", Reason.SPAM_DETECTED),
    ("552 5.3.4 message line is too long", Reason.EXCEED_LIMIT),
    ("550 Rejected: user in blacklist of ann@example.cn", Reason.FILTERED),
    ("Delivery failed after retrying for 5 days", Reason.EXPIRED),
]


@pytest.mark.parametrize(("text", "reason"), WORDINGS, ids=[text[:40] for text, _ in WORDINGS])
def test_wordings_of_many_servers(text: str, reason: Reason) -> None:
    assert classify(text).reason is reason


def test_a_curly_apostrophe_reads_like_a_straight_one() -> None:
    for apostrophe in ("'", "\u2019"):
        assert classify(f"550 5.1.1 The user doesn{apostrophe}t exist").reason is (
            Reason.USER_UNKNOWN
        )


def test_dns_answers_decide_over_the_dns_error_heading() -> None:
    nxdomain = "DNS Error: 41 DNS type 'mx' lookup of example.invalid responded with code NXDOMAIN"
    assert classify(nxdomain).reason is Reason.HOST_UNKNOWN
    assert classify(nxdomain).hard_bounce
    null_mx = "DNS Error: 42 lookup of example.org: the domain returned Null MX"
    assert classify(null_mx).reason is Reason.NOT_ACCEPT
    # A DNS failure that says nothing of the answer stays a network error.
    assert classify("DNS Error: 43 lookup of example.org timed out").reason is (
        Reason.NETWORK_ERROR
    )


def test_a_delay_warning_asks_for_no_resend_but_is_retried() -> None:
    verdict = classify(
        "Your message has not yet been delivered after 4 hours; delivery attempts will continue"
    )
    assert verdict.reason is Reason.EXPIRED
    assert verdict.retry
    assert not verdict.hard_bounce


def test_a_reply_folded_across_lines_reads_as_one() -> None:
    """Bounces wrap a long reply onto indented lines; the words after the fold count."""
    folded = (
        "<ann@example.net>: host mx.example.net[192.0.2.7] said: 550 No such\n"
        "    domain here (in reply to RCPT TO command)"
    )
    verdict = classify(folded)
    assert verdict.reason is Reason.HOST_UNKNOWN
    assert verdict.command == "RCPT"


def test_words_that_ask_for_a_later_try_make_a_text_classifiable() -> None:
    verdict = classify("<ann@example.net>: temporary failure")
    assert verdict.reason is Reason.UNDEFINED
    assert verdict.retry
    with pytest.raises(InvalidReply):
        classify("<ann@example.net>: see you")


def test_qmail_logs_with_underscores_for_spaces() -> None:
    line = "192.0.2.9_does_not_like_recipient./Remote_host_said:_550_No_such_user/Giving_up_on_192.0.2.9./"
    verdict = classify(line)
    assert verdict.reason is Reason.USER_UNKNOWN
    assert verdict.hard_bounce


@pytest.mark.parametrize(
    "text",
    [
        "Address is undeliverable",
        "Your message wasn't delivered because the recipient's email provider rejected it.",
        "Ihre Nachricht konnte nicht zugestellt werden.",
        "指定された送信先はエラーのためお届けできませんでした。",
    ],
)
def test_words_that_only_say_it_failed_give_a_permanent_undefined(text: str) -> None:
    verdict = classify(text)
    assert verdict.reason is Reason.UNDEFINED
    assert not verdict.retry
    assert not verdict.hard_bounce


def test_words_that_say_nothing_still_raise() -> None:
    with pytest.raises(InvalidReply):
        classify("hello world, nothing to see")


@pytest.mark.parametrize("command", [None, "CONNECT", "EHLO", "AUTH", "MAIL"])
def test_a_message_that_gave_up_waiting_is_expired_at_any_stage(command: str | None) -> None:
    text = (
        "SMTP error from remote mail server after initial connection:\n"
        "host mx.example.net [192.0.2.7]: 421 4.7.1 [TS03] All messages from 192.0.2.9 "
        "will be permanently deferred:\nretry timeout exceeded"
    )
    assert classify(text, command=command).reason is Reason.EXPIRED


def test_a_provider_name_inside_an_address_is_no_evidence_of_the_provider() -> None:
    text = "552 5.2.2 <contact+me=gmail.com@example.net>: Recipient address rejected: Address does not exist"
    verdict = classify(text)
    assert verdict.reason is Reason.USER_UNKNOWN
    assert all(evidence.source != "provider" for evidence in verdict.evidence)
    # The same reply from Google's own host is read with Google's meaning of it.
    said = classify(
        "host gmail-smtp-in.l.google.com[192.0.2.1] said: 552 5.2.2 The email account that you tried to reach is over quota"
    )
    assert said.reason is Reason.MAILBOX_FULL
    assert any(evidence.source == "provider" for evidence in said.evidence)


# The examples that docs/conventions.md rules on, each with the reason it gives.
CONVENTION_EXAMPLES = [
    ("550 #5.1.0 Address rejected", "user_unknown", None),
    ("501 #5.1.1 bad address", "user_unknown", None),
    ("550 5.2.1 Mailbox not available", "suspended", None),
    ("550 Blocked", "blocked", None),
    ("mailbox is full: retry timeout exceeded", "expired", None),
    (
        (
            'Command died with status 1: "procmail". Command output: Sorry, your message '
            "appears to be unsolicited"
        ),
        "spam_detected",
        None,
    ),
    ("554 delivery error: dd This user doesn't have a yahoo.com account", "user_unknown", "DATA"),
    ("550 5.1.1 User unknown", "filtered", "DATA"),
    ("550 mail from address must be same as authorization user", "rejected", "MAIL"),
    ("550 message sending for this account is disabled", "rejected", None),
    ("530 5.7.0 not logged in", "security_error", None),
    ("550 5.7.1 Recipient address rejected: Access denied", "policy_violation", "RCPT"),
    ("550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", "user_unknown", "RCPT"),
    ("550 5.7.1 Not authenticated for this mailbox or organization", "filtered", "RCPT"),
    ("554 5.4.6 Too many hops", "network_error", None),
    ("550 5.7.1 daily sending limit exceeded", "rate_limited", None),
    ("421 too many messages in this connection", "rate_limited", None),
    ("421 too many connections from your IP", "too_many_connections", None),
    ("421 all server ports are busy", "system_error", None),
    ("554 5.7.1 rejected: URL listed in Spamhaus DBL", "spam_detected", None),
    ("550 5.7.1 Client host rejected: cannot find your hostname", "require_ptr", None),
    ("550 account expired", "suspended", None),
    ("550 not our customer", "user_unknown", None),
    ("551 user has moved; please try <b@example.net>", "has_moved", None),
    ("501 5.5.2 invalid HELO name", "blocked", "EHLO"),
    ("421 Service not available", "undefined", None),
    ("550 Rejected", "undefined", None),
    ("554 Service currently unavailable", "system_error", None),
    ("552 too much mail data", "message_too_big", None),
    ("550 exceeds the recipient's size limit", "exceed_limit", None),
    ("550 no MX for example.org", "host_unknown", None),
    ("550 message is junk", "spam_detected", None),
    ("554 bad encoding", "content_error", None),
]


@pytest.mark.parametrize(("text", "reason", "command"), CONVENTION_EXAMPLES)
def test_the_examples_the_conventions_rule_on(text: str, reason: str, command: str | None) -> None:
    assert classify(text, command=command).reason.value == reason


def test_a_status_of_address_syntax_is_a_syntax_error() -> None:
    assert classify("550 5.1.3 Invalid address").reason is Reason.SYNTAX_ERROR


def test_a_disabled_account_at_auth_is_the_senders_own_refused() -> None:
    verdict = classify("535 5.7.8 Account disabled", command="AUTH")
    assert verdict.reason is Reason.REJECTED


def test_the_standard_words_of_551_name_no_move() -> None:
    assert classify("551 5.1.1 User not local").reason is Reason.USER_UNKNOWN
    assert classify("551 User not local; please try <bob@example.net>").reason is Reason.HAS_MOVED


def test_a_reply_as_smtplib_prints_it_is_read_as_a_reply() -> None:
    # An exception logged as text: the code and the server's bytes in a tuple.
    verdict = classify("smtplib.SMTPDataError: (451, b'4.3.0 Queue file write error')")
    assert verdict.reply is not None
    assert verdict.reply.code == 451
    assert verdict.status == EnhancedStatus.parse("4.3.0")
    assert verdict.retry
    # The exception's name says which command the reply answered.
    assert verdict.command == "DATA"
    refused = classify(
        "SMTPSenderRefused: (553, '5.1.8 Domain of sender does not exist', 'a@b.example')"
    )
    assert refused.command == "MAIL"
    assert refused.reason is Reason.REJECTED
    # A command given by the caller wins over the exception's name.
    assert classify("SMTPDataError: (554, b'No')", command="RCPT").command == "RCPT"


def test_a_reply_as_smtplib_prints_it_keeps_its_lines_and_its_utf8() -> None:
    text = "SMTPDataError: (550, b'5.7.1 Mail refused\\n5.7.1 see https://mx.example.org/why')"
    verdict = classify(text)
    assert verdict.reply is not None
    assert verdict.reply.lines == ("5.7.1 Mail refused", "5.7.1 see https://mx.example.org/why")
    utf8 = classify(
        "SMTPAuthenticationError: (535, b'\\xe5\\xaf\\x86\\xe7\\xa0\\x81\\xe9\\x94\\x99')"
    )
    assert utf8.reply is not None
    assert utf8.reply.text == "密码错"
    assert utf8.reason is Reason.SECURITY_ERROR


def test_of_several_refused_recipients_the_last_failure_that_says_why_decides() -> None:
    text = (
        "SMTPRecipientsRefused: {'a@example.org': (550, b'5.1.1 No such user'), "
        "'b@example.org': (451, b'4.7.1 Greylisted, come back later')}"
    )
    verdict = classify(text)
    assert verdict.reason is Reason.GREYLISTED
    assert verdict.command == "RCPT"


def test_a_tuple_that_is_no_reply_is_left_to_the_other_readings() -> None:
    # No reply code in the tuple: the text is read as before.
    assert classify("point (12, 'x') then 550 5.1.1 No such user").reason is Reason.USER_UNKNOWN
    with pytest.raises(InvalidReply):
        classify("coordinates (120, 'north')")


def test_a_client_description_of_the_code_is_not_the_servers_words() -> None:
    # .NET puts its own description of the code before the server's words.
    text = (
        "Syntax error, command unrecognized. The server response was: "
        "4.7.0 Too many connections from your address, slow down"
    )
    verdict = classify(text)
    assert verdict.reason is Reason.TOO_MANY_CONNECTIONS
    assert verdict.retry
    german = classify("Postfach nicht verfügbar. Die Serverantwort war: 5.2.2 Mailbox full")
    assert german.reason is Reason.MAILBOX_FULL


def test_bad_address_syntax_is_a_syntax_error_not_an_unknown_user() -> None:
    verdict = classify("501 5.1.3 Bad recipient address syntax", command="RCPT")
    assert verdict.reason is Reason.SYNTAX_ERROR
    assert not verdict.hard_bounce


def test_a_text_of_thousands_of_replies_is_read_from_its_last() -> None:
    # Only the last failing replies are read (a bounded number), the last first.
    many = "said: 550 no\n" * 4000 + "said: 550 5.1.1 No such user here\n"
    assert classify(many).reason is Reason.USER_UNKNOWN
    tuples = "SMTPRecipientsRefused: {" + "'a@b.c': (550, b'no'), " * 2000  # within 64 KiB
    assert classify(tuples + "'d@e.f': (452, b'4.2.2 Mailbox full')}").reason is (
        Reason.MAILBOX_FULL
    )


def test_a_printed_reply_takes_its_place_among_the_others() -> None:
    # A printed success does not hide a failing reply after it, and the last
    # failing reply decides, printed or not.
    text = "sendmail: (250, b'2.0.0 OK') then 550 5.1.1 <a@example.org>: user unknown"
    assert classify(text).reason is Reason.USER_UNKNOWN
    later = classify("error (451, 'try later') 550 5.1.1 no such user")
    assert later.reason is Reason.USER_UNKNOWN
    assert not later.retry


def test_only_an_exception_named_on_the_replys_line_names_its_command() -> None:
    text = "SMTPDataError earlier in the log.\nNow: (550, b'5.1.1 user unknown')"
    assert classify(text).command is None


def test_a_printed_str_keeps_its_escaped_characters() -> None:
    verdict = classify("SMTPAuthenticationError: (535, 'Passwort \\u00fcberpr\\xfcfen\\x00')")
    assert verdict.reply is not None
    assert verdict.reply.text == "Passwort überprüfen"
