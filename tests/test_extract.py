from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtpreply import EnhancedStatus, ReplyCode, _extract, extract, extract_all

from .strategies import log_texts

S = EnhancedStatus.parse


def test_postfix_said_and_command() -> None:
    found = extract(
        "host mx.example.org[192.0.2.1] said: 550 5.1.1 <bob@example.org>... User unknown"
        " (in reply to RCPT TO command)"
    )
    assert found is not None
    assert (found.code, found.enhanced, found.command) == (550, S("5.1.1"), "RCPT")
    assert found.text == "<bob@example.org>... User unknown"


def test_postfix_log_line_with_recipient() -> None:
    line = (
        "Nov 23 10:00:01 mail postfix/smtp[2211]: 4F2A01C0: to=<bob@example.org>, "
        "relay=mx.example.org[192.0.2.1]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=4.7.0, "
        "status=deferred (host mx.example.org[192.0.2.1] said: 421 4.7.0 Try again later "
        "(in reply to end of DATA command))"
    )
    found = extract(line)
    assert found is not None
    assert (found.code, found.enhanced, found.command) == (421, S("4.7.0"), "DATA")
    assert found.recipient == "bob@example.org"
    assert found.text == "Try again later"


def test_postfix_refused_greeting() -> None:
    found = extract(
        "host mx.example.org[192.0.2.1] refused to talk to me: 554 5.7.1 Service unavailable;"
        " Client host [198.51.100.7] blocked"
    )
    assert found is not None
    assert (found.code, found.command) == (554, "CONNECT")


def test_dsn_diagnostic_code_with_folding_and_recipient() -> None:
    dsn = (
        "Reporting-MTA: dns; mail.example.com\n"
        "\n"
        "Final-Recipient: rfc822; bob@example.org\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach does\n"
        "    not exist. Please try double-checking the recipient's email address.\n"
    )
    found = extract(dsn)
    assert found is not None
    assert (found.code, found.enhanced, found.recipient) == (550, S("5.1.1"), "bob@example.org")
    assert found.text.endswith("recipient's email address.")
    assert "does not exist" in found.text
    # The Status field is not listed again beside the reply it belongs to.
    assert [item.code for item in extract_all(dsn)] == [550]


def test_exim_same_line() -> None:
    found = extract(
        "** bob@example.org R=dnslookup T=remote_smtp: SMTP error from remote mail server "
        "after RCPT TO:<bob@example.org>: 550 5.1.1 <bob@example.org>: Recipient address rejected"
    )
    assert found is not None
    assert (found.code, found.command, found.recipient) == (550, "RCPT", "bob@example.org")
    assert found.text == "<bob@example.org>: Recipient address rejected"


def test_exim_bounce_reply_on_next_line() -> None:
    bounce = (
        "  bob@example.org\n"
        "    host mx.example.org [192.0.2.1]\n"
        "    SMTP error from remote mail server after end of data:\n"
        "    552 5.3.4 Message size exceeds fixed limit\n"
    )
    found = extract(bounce)
    assert found is not None
    assert (found.code, found.enhanced, found.command) == (552, S("5.3.4"), "DATA")


def test_exim_pipelined_rcpt() -> None:
    found = extract(
        "SMTP error from remote mail server after pipelined RCPT TO:<amy@example.net>: "
        "450 4.2.0 <amy@example.net>: Recipient address rejected: Greylisted"
    )
    assert found is not None
    assert (found.code, found.command, found.recipient) == (450, "RCPT", "amy@example.net")


def test_sendmail_transcript() -> None:
    bounce = (
        "   ----- Transcript of session follows -----\n"
        "... while talking to mx.example.org.:\n"
        ">>> RCPT To:<bob@example.org>\n"
        "<<< 550 5.1.1 <bob@example.org>... User unknown\n"
        "550 5.1.1 bob@example.org... User unknown\n"
    )
    found = extract(bounce)
    assert found is not None
    assert (found.code, found.command, found.recipient) == (550, "RCPT", "bob@example.org")
    assert found.text == "<bob@example.org>... User unknown"


def test_sendmail_log_fields() -> None:
    found = extract(
        "sm-mta[812]: 2ANA0a: ruleset=check_rcpt, arg1=<bob@example.org>, relay=[192.0.2.9], "
        "reject=550 5.7.1 <bob@example.org>... Relaying denied"
    )
    assert found is not None
    assert (found.code, found.enhanced) == (550, S("5.7.1"))
    deferred = extract(
        "sm-mta[812]: to=<a@b.example>, dsn=4.0.0, stat=Deferred: 451 4.3.0 Temporary failure"
    )
    assert deferred is not None
    assert (deferred.code, deferred.enhanced) == (451, S("4.3.0"))
    assert len(extract_all("stat=Deferred: 451 4.3.0 Temporary failure, dsn=4.0.0")) == 1


def test_exchange_wordings() -> None:
    found = extract("Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'")
    assert found is not None
    assert (found.code, found.enhanced) == (550, S("5.1.1"))
    assert found.text == "RESOLVER.ADR.RecipNotFound; not found"
    ndr = extract("#550 5.4.1 Recipient address rejected: Access denied. AS(201806281) ##")
    assert ndr is not None
    assert (ndr.code, ndr.enhanced) == (550, S("5.4.1"))
    assert ndr.text == "Recipient address rejected: Access denied. AS(201806281)"


def test_flattened_multiline() -> None:
    found = extract(
        "said: 550-5.7.26 This mail has been blocked because the sender is 550-5.7.26 "
        "unauthenticated. Gmail requires all senders to authenticate. 550 5.7.26 Learn more. "
        "(in reply to end of DATA command)"
    )
    assert found is not None
    assert found.reply is not None
    assert found.reply.lines == (
        "5.7.26 This mail has been blocked because the sender is",
        "5.7.26 unauthenticated. Gmail requires all senders to authenticate.",
        "5.7.26 Learn more.",
    )
    assert (found.code, found.enhanced, found.command) == (550, S("5.7.26"), "DATA")


def test_multiline_on_following_lines() -> None:
    found = extract("<<< 421-4.7.28 Rate limited\n<<< 421 4.7.28 Try again later\n")
    assert found is not None
    assert found.reply is not None
    assert found.reply.lines == ("4.7.28 Rate limited", "4.7.28 Try again later")


def test_qmail_status_alone() -> None:
    found = extract("Sorry, no mailbox here by that name. (#5.1.1)")
    assert found is not None
    assert (found.code, found.enhanced, found.reply, found.text) == (None, S("5.1.1"), None, "")


def test_status_in_the_middle() -> None:
    found = extract("Delivery to bob failed with 4.2.2 mailbox full, will retry")
    assert found is not None
    assert (found.code, found.enhanced) == (None, S("4.2.2"))


def test_plain_reply() -> None:
    found = extract("530 5.7.0 Authentication required")
    assert found is not None
    assert found.code is ReplyCode.AUTHENTICATION_REQUIRED
    assert found.span == (0, len("530 5.7.0 Authentication required"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nothing to see here",
        "client connected from 192.0.2.250 port 25000",
        "Postfix 2.11.3 started",
        "size 250 bytes were written",
        "2026-11-23 21:07:26 queue run started",
        "version 5.10.1-rc2 installed",
    ],
)
def test_no_reply(text: str) -> None:
    assert extract(text) is None
    assert extract_all(text) == []


def test_extract_all_in_order() -> None:
    log = (
        "to=<a@example.org>, status=bounced (host x[192.0.2.1] said: 550 5.1.1 unknown"
        " (in reply to RCPT TO command))\n"
        "to=<b@example.org>, status=deferred (host x[192.0.2.1] said: 452 4.2.2 full"
        " (in reply to RCPT TO command))\n"
        "Sorry, I couldn't find any host by that name. (#4.1.2)\n"
        "to=<c@example.org>, status=sent (250 2.0.0 Ok: queued as 4F2A)\n"
    )
    found = extract_all(log)
    assert [(item.code, str(item.enhanced)) for item in found] == [
        (550, "5.1.1"),
        (452, "4.2.2"),
        (None, "4.1.2"),
        (250, "2.0.0"),
    ]
    assert [item.recipient for item in found] == [
        "a@example.org",
        "b@example.org",
        None,
        "c@example.org",
    ]


def test_bytes() -> None:
    found = extract(b"said: 452 4.2.2 Bo\xeete pleine (in reply to RCPT TO command)")
    assert found is not None
    assert found.text == "Boîte pleine"


@given(st.text(max_size=400))
def test_never_raises(text: str) -> None:
    for found in extract_all(text):
        start, end = found.span
        assert 0 <= start < end <= len(text)
    extract(text)


@given(st.binary(max_size=200))
def test_never_raises_on_bytes(data: bytes) -> None:
    extract(data)
    extract_all(data)


# --- The scanner's regular expressions ---

# The patterns as they were when each began with a look-behind. The new ones begin
# with a character class, so that the search skips ahead; they must find the same.
OLD_CODE = re.compile(r"(?<![\w.\-/:%@])([2-5][0-9]{2})(?=[ \-]|\r?$|\r?\n)", re.MULTILINE)
OLD_STATUS = re.compile(
    r"(?<![\w.\-/])([245])\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})(?![0-9])(?![\w.\-/])"
)


def _codes(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str]]:
    return [(match.span(), match.group(0)) for match in pattern.finditer(text)]


def _statuses(
    pattern: re.Pattern[str], text: str
) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(match.span(), match.groups()) for match in pattern.finditer(text)]


def test_the_patterns_begin_with_a_character_class() -> None:
    assert _extract._CODE.pattern.startswith("[2-5]")
    assert _extract._STATUS.pattern.startswith("([245])")


@given(st.one_of(st.text(max_size=200), log_texts))
def test_the_patterns_find_what_the_old_ones_found(text: str) -> None:
    assert _codes(_extract._CODE, text) == _codes(OLD_CODE, text)
    assert _statuses(_extract._STATUS, text) == _statuses(OLD_STATUS, text)


def test_the_patterns_agree_on_the_edges() -> None:
    for text in (
        "550",
        "550 x",
        "x550 ",
        "-550 ",
        ".550 ",
        "/550-",
        ":550\n",
        "%550\r\n",
        "@550 ",
        "\u0663550 ",
        "\u00e9550 ",
        " 550 5.1.1",
        "5.1.1",
        "a5.1.1",
        "-5.1.1",
        "5.1.1-",
        "(#5.1.1)",
        "5.01.1 5.1.1000 5.1.100",
        "1.2.3.4 550.5 ",
    ):
        assert _codes(_extract._CODE, text) == _codes(OLD_CODE, text)
        assert _statuses(_extract._STATUS, text) == _statuses(OLD_STATUS, text)
