from __future__ import annotations

import re
from typing import TYPE_CHECKING
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtpreply import EnhancedStatus, ReplyCode, _extract, extract, extract_all

from .strategies import log_texts

if TYPE_CHECKING:
    from collections.abc import Iterator

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


# --- Long log lines: the recipient far back, the command after a cut reply ---

# An Outlook relay's Postfix line: the recipient field stands far more than 200
# characters before the reply, with an orig_to field between.
OUTLOOK_LINE = (
    "Mar  4 09:12:55 mx2 postfix/smtp[30712]: 7B1E4C0A2F: to=<j.doe@contoso.example>, "
    "orig_to=<sales@fabrikam.example>, "
    "relay=contoso-example.mail.protection.outlook.com[52.101.68.14]:25, delay=2.4, "
    "delays=0.05/0.01/1.1/1.2, dsn=4.2.2, status=deferred (host "
    "contoso-example.mail.protection.outlook.com[52.101.68.14] said: "
    "452-4.2.2 The recipient's mailbox is full and can't accept messages now. "
    "452-4.2.2 Please try again later, or contact the recipient another way. "
    "452 4.2.2 [AM4PEPF00027A5C.eurprd04.prod.outlook.com 2025-03-04T09:12:55.120Z] "
    "(in reply to RCPT TO command))"
)


def test_recipient_far_before_the_reply_on_a_long_line() -> None:
    start = OUTLOOK_LINE.index("452-")
    assert start - OUTLOOK_LINE.index("orig_to=") > 200
    found = extract(OUTLOOK_LINE)
    assert found is not None
    assert found.reply is not None
    assert (found.code, found.enhanced, found.command) == (452, S("4.2.2"), "RCPT")
    # The to= field names the recipient; orig_to= names the address it came from.
    assert found.recipient == "j.doe@contoso.example"
    assert found.reply.lines == (
        "4.2.2 The recipient's mailbox is full and can't accept messages now.",
        "4.2.2 Please try again later, or contact the recipient another way.",
        "4.2.2 [AM4PEPF00027A5C.eurprd04.prod.outlook.com 2025-03-04T09:12:55.120Z]",
    )
    assert found.span[0] == start
    assert [(item.code, item.recipient) for item in extract_all(OUTLOOK_LINE)] == [
        (452, "j.doe@contoso.example")
    ]
    # With orig_to= within 200 characters of the reply and to= beyond, to= still wins.
    shorter = OUTLOOK_LINE.replace("delay=2.4, delays=0.05/0.01/1.1/1.2, ", "")
    assert shorter.index("452-") - shorter.index("orig_to=") < 200
    assert shorter.index("452-") - shorter.index("to=<j.doe") > 200
    found = extract(shorter)
    assert found is not None
    assert found.recipient == "j.doe@contoso.example"


def test_command_after_a_flattened_reply_cut_on_a_continuation_line() -> None:
    # The log kept only the first lines of Gmail's reply: the last is a "550-" line.
    line = (
        "Mar  4 09:14:02 mx2 postfix/smtp[30719]: 2C44AC0B11: to=<amy@example.net>, "
        "relay=gmail-smtp-in.l.google.com[142.250.102.27]:25, delay=1.9, "
        "delays=0.02/0/0.9/0.98, dsn=5.7.26, status=bounced (host "
        "gmail-smtp-in.l.google.com[142.250.102.27] said: 550-5.7.26 This mail has been "
        "blocked because the sender is unauthenticated. 550-5.7.26 Gmail requires all "
        "senders to authenticate with either SPF or DKIM. (in reply to end of DATA command))"
    )
    found = extract(line)
    assert found is not None
    assert found.reply is not None
    assert (found.code, found.enhanced, found.command) == (550, S("5.7.26"), "DATA")
    assert found.recipient == "amy@example.net"
    assert found.reply.lines == (
        "5.7.26 This mail has been blocked because the sender is unauthenticated.",
        "5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM.",
    )
    short = extract(
        "said: 552-5.2.3 Your message exceeded the size limit (in reply to MAIL FROM command)"
    )
    assert short is not None
    assert (short.code, short.command) == (552, "MAIL")


def test_a_reply_that_goes_on_below_keeps_the_command_before_it() -> None:
    exim = extract(
        "SMTP error from remote mail server after RCPT TO:<bob@example.org>: 452-4.2.2 a\n"
        "452 4.2.2 b\n"
    )
    assert exim is not None
    assert exim.reply is not None
    assert (exim.command, exim.recipient, exim.reply.lines) == (
        "RCPT",
        "bob@example.org",
        ("4.2.2 a", "4.2.2 b"),
    )


def test_recipient_of_a_status_alone_far_back_on_its_line() -> None:
    line = (
        "Mar  4 09:20:41 mx2 postfix/smtp[30801]: 9A0F2C0C77: "
        "to=<operations.team@fabrikam-industries.example>, "
        "orig_to=<alerts-noreply@contoso-monitoring.example>, "
        "relay=fabrikam-example.mail.protection.outlook.com[52.101.41.3]:25, conn_use=2, "
        "delay=302, delays=0.02/0/1.1/301, dsn=4.4.2, status=deferred (conversation with "
        "fabrikam-example.mail.protection.outlook.com[52.101.41.3] timed out while sending "
        "end of data -- message may be sent more than once)"
    )
    # to= stands more than 200 characters before the status, orig_to= within them.
    assert line.index("dsn=4.4.2") - line.index("to=<operations") > 200
    found = extract_all(line)
    assert [(item.code, str(item.enhanced), item.recipient) for item in found] == [
        (None, "4.4.2", "operations.team@fabrikam-industries.example")
    ]


def test_recipient_look_back_stops_at_the_line_start() -> None:
    log = "to=<a@example.org>, status=sent\n" + "x" * 300 + " said: 550 5.1.1 unknown\n"
    found = extract(log)
    assert found is not None
    assert (found.code, found.recipient) == (550, None)


def test_recipient_look_back_is_bounded_by_the_line_limit() -> None:
    from smtpreply import MAX_LINE_LENGTH

    head = "to=<bob@example.org>, relay=x, status=deferred (host x said: "
    near = head + "y" * (MAX_LINE_LENGTH - len(head) - 100) + " said: 550 5.1.1 gone"
    far = head + "y" * MAX_LINE_LENGTH + " said: 550 5.1.1 gone"
    assert [item.recipient for item in extract_all(near)] == ["bob@example.org"]
    assert [item.recipient for item in extract_all(far)] == [None]


def test_every_reply_of_a_long_line_reads_the_field_at_its_start() -> None:
    line = "to=<bob@example.org>, " + "said: 550 5.1.1 no (in reply to RCPT TO command) " * 60
    found = extract_all(line)
    assert len(found) == 60
    assert {(item.code, item.command, item.recipient) for item in found} == {
        (550, "RCPT", "bob@example.org")
    }


def test_a_to_colon_field_without_an_address_leaves_the_to_field() -> None:
    found = extract("to=<bob@example.org>, note to: all, said: 550 5.1.1 unknown")
    assert found is not None
    assert found.recipient == "bob@example.org"
    exim = extract("after RCPT TO:<amy@example.net> to=<bob@example.org>: 550 5.1.1 unknown")
    assert exim is not None
    assert exim.recipient == "amy@example.net"


# --- The scanner's regular expressions, and how much text it reads ---

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


_RECIPIENT_PIECES = st.sampled_from([
    "to=", "To=", "TO:", "to:", "orig_to=", "<a@b>", "<c@d.e>", "f@g", "<", ">", "@", "<>",
    " ", "\t", "\n", "\r", ",", ";", ":", "x", "yz",
])  # fmt: skip


@given(
    st.lists(_RECIPIENT_PIECES, max_size=50).map("".join),
    st.lists(st.integers(-30, 6), max_size=40),
)
def test_recipient_look_back_reads_the_first_field_of_the_line(
    text: str, steps: list[int]
) -> None:
    # A small line limit, so that long lines are drawn. The positions asked about
    # move by small steps, mostly forward, sometimes back (a new pass).
    span = 30
    positions = []
    position = 0
    for step in steps:
        position = min(max(0, position + step), len(text))
        positions.append(position)
    with mock.patch.object(_extract, "_SPAN", span):
        reader = _extract._Recipients(text, (_extract._TO_COLON, _extract._TO_FIELD))
        for position in positions:
            low = max(text.rfind("\n", 0, position) + 1, position - span)
            window = text[low:position]
            expected = _extract._address_after(window, "to:") or _extract._address_after(
                window, "to="
            )
            assert reader.before(position) == expected


class _CountingField:
    """A recipient field's pattern that counts the characters it is asked to search."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.inner = pattern
        self.pattern = pattern.pattern
        self.searched = 0

    def search(self, text: str, start: int, end: int) -> re.Match[str] | None:
        self.searched += max(0, end - start)
        return self.inner.search(text, start, end)


@pytest.fixture
def counted_fields() -> Iterator[tuple[_CountingField, _CountingField]]:
    fields = _CountingField(_extract._TO_COLON), _CountingField(_extract._TO_FIELD)
    with mock.patch.object(_extract, "_TO_COLON", fields[0]):  # noqa: SIM117 - Python 3.9
        with mock.patch.object(_extract, "_TO_FIELD", fields[1]):
            yield fields


@pytest.mark.parametrize("head", ["", "to=<bob@example.org>, ", "to=<" + "x" * 300])
def test_a_long_line_with_many_replies_is_read_once(
    counted_fields: tuple[_CountingField, _CountingField], head: str
) -> None:
    # 200 KB on one line, a reply every 53 characters, each with a status after it.
    unit = "said: 550 no (in reply to RCPT TO command) dsn=5.1.1 "
    line = head + unit * (200_000 // len(unit))
    found = extract_all(line)
    assert sum(item.code == 550 for item in found) == 200_000 // len(unit)
    # Two fields in the pass over codes, one in the pass over statuses: each reads
    # the line about once (looking back 8 KB for each reply would read 60 MB).
    searched = sum(field.searched for field in counted_fields)
    assert searched <= 4 * len(line)
    recipients = {item.recipient for item in found}
    assert recipients == ({None, "bob@example.org"} if "bob" in head else {None})


@pytest.mark.parametrize(
    "unit",
    [
        "550-a\rb\n",
        "550-a\rb",
        "; 550 ",
        " 550-",
        "said: 550-5.1.1 ",
        "said: 550 5.1.1 x (in reply to RCPT TO command) ",
        "to=<a@b> 550 ",
        "(#5.1.1) ",
        "1.2.3.4 550.5 ",
        "to=<",
    ],
)
def test_hostile_input(unit: str) -> None:
    text = unit * (60_000 // len(unit))
    found = extract_all(text)
    for item in found:
        start, end = item.span
        assert 0 <= start < end <= len(text)
        assert item.recipient is None or len(item.recipient) <= _extract._ADDRESS
    assert [item.span for item in found] == sorted(item.span for item in found)
    first = extract(text)
    assert (first is None) == (not found)


def test_a_reply_after_a_two_angle_transcript_mark_is_found() -> None:
    found = extract("<< 220 email-smtp.example.net ESMTP ready")
    assert found is not None
    assert found.code == 220


def test_replies_as_smtplib_prints_them() -> None:
    log = (
        "10:01 ERROR smtplib.SMTPRecipientsRefused: {'ann@example.org': (550, b'5.1.1 "
        "No such user'), 'bob@example.org': (452, b'4.2.2 Mailbox full')}\n"
        "10:02 ERROR smtplib.SMTPDataError: (554, '5.7.1 Message refused\\n5.7.1 See "
        "https://mx.example.net/why')\n"
    )
    found = extract_all(log)
    assert [(item.recipient, int(item.code), item.command) for item in found] == [  # type: ignore[arg-type]
        ("ann@example.org", 550, "RCPT"),
        ("bob@example.org", 452, "RCPT"),
        (None, 554, "DATA"),
    ]
    assert found[1].enhanced == EnhancedStatus.parse("4.2.2")
    assert found[2].reply is not None
    assert found[2].reply.lines == (
        "5.7.1 Message refused",
        "5.7.1 See https://mx.example.net/why",
    )
    # Each span covers the printed tuple, from its "(" to its closing quote.
    assert log[found[2].span[0] : found[2].span[1]].startswith("(554, '5.7.1")


def test_a_reply_inside_a_printed_one_is_part_of_it() -> None:
    text = "SMTPDataError: (554, b'Remote error 550 5.1.1 nobody here')"
    found = extract_all(text)
    assert len(found) == 1
    assert found[0].code == 554


def test_a_status_near_a_printed_reply_is_not_taken_for_its_restatement() -> None:
    log = (
        "Mailbox unavailable. The server response was: 5.7.1 Unable to relay\n"
        "SMTPSenderRefused: (553, b'5.7.1 Sender address rejected', 'me@example.org')\n"
    )
    found = extract_all(log)
    assert [item.code for item in found] == [None, 553]


def test_printed_replies_that_do_not_close_are_skipped() -> None:
    assert extract_all("SMTPDataError: (554, b'no end") == []
    assert extract("(550, 'a\\' b') and (451, 'c')").code == 550  # type: ignore[union-attr]
