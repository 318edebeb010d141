from __future__ import annotations

import contextlib
import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtpreply import EnhancedStatus, InvalidReply, Reply, ReplyClass, ReplyCode, parse
from smtpreply._reply import MAX_LINE_LENGTH, MAX_REPLY_LINES

from .strategies import replies


def test_single_line_with_status() -> None:
    reply = parse("550 5.1.1 <bob@example.org>: Recipient address rejected\r\n")
    assert reply.code is ReplyCode.MAILBOX_UNAVAILABLE
    assert reply.enhanced == EnhancedStatus(5, 1, 1)
    assert reply.lines == ("5.1.1 <bob@example.org>: Recipient address rejected",)
    assert reply.text == "<bob@example.org>: Recipient address rejected"
    assert reply.is_permanent
    assert not (reply.is_positive)
    assert not (reply.is_transient)
    assert not (reply.is_intermediate)
    assert reply.reply_class is ReplyClass.PERMANENT_NEGATIVE


def test_multiline() -> None:
    reply = parse("250-mx.example.org\r\n250-PIPELINING\r\n250 SIZE 35882577\r\n")
    assert reply.code == 250
    assert reply.lines == ("mx.example.org", "PIPELINING", "SIZE 35882577")
    assert reply.text == "mx.example.org\nPIPELINING\nSIZE 35882577"
    assert reply.enhanced is None
    assert reply.is_multiline


def test_gmail_style_multiline_status_on_every_line() -> None:
    reply = parse(
        "550-5.7.26 This mail has been blocked because the sender is\r\n"
        "550-5.7.26 unauthenticated.\r\n"
        "550 5.7.26 Learn more at https://support.example/answer\r\n"
    )
    assert reply.enhanced == EnhancedStatus(5, 7, 26)
    assert reply.statuses == (EnhancedStatus(5, 7, 26),) * 3
    assert reply.text.splitlines()[1] == "unauthenticated."


def test_lines_that_disagree_keep_the_first_status() -> None:
    reply = parse("451-4.7.1 first\r\n451 4.3.0 second\r\n")
    assert reply.enhanced == EnhancedStatus(4, 7, 1)
    assert reply.statuses == (EnhancedStatus(4, 7, 1), EnhancedStatus(4, 3, 0))
    assert reply.text == "first\nsecond"


def test_status_of_another_class_is_text() -> None:
    reply = parse("250 5.0.0 not a status here\r\n")
    assert reply.enhanced is None
    assert reply.text == "5.0.0 not a status here"


def test_status_needs_a_space_after_it() -> None:
    assert parse("550 5.1.1x\r\n").enhanced is None
    assert parse("550 5.1.1\r\n").enhanced == EnhancedStatus(5, 1, 1)
    assert parse("550 5.1.1\r\n").text == ""


def test_intermediate_replies_have_no_status() -> None:
    reply = parse("354 3.0.0 go ahead\r\n")
    assert reply.enhanced is None
    assert reply.is_intermediate


def test_str_and_bytes() -> None:
    reply = parse(b"250-a\n250 b")
    assert reply.lines == ("a", "b")
    assert reply.code is ReplyCode.OK
    reply = parse(b"550 5.1.1 Bo\xc3\xaete pleine\r\n")
    assert reply.text == "Boîte pleine"
    assert bytes(reply) == b"550 5.1.1 Bo\xc3\xaete pleine\r\n"


def test_non_utf8_bytes_are_read_as_latin1() -> None:
    reply = parse(b"452 4.2.2 Bo\xeete pleine\r\n")
    assert reply.text == "Boîte pleine"


def test_bare_code_and_trailing_space() -> None:
    assert parse("250").lines == ("",)
    assert parse("250\r\n", strict=True).lines == ("",)
    assert parse("250 OK  \r\n").lines == ("OK  ",)
    assert parse("250 OK  \r\n").text == "OK"


def test_unknown_codes_stay_ints() -> None:
    reply = parse("571 5.7.1 Delivery not authorized\r\n")
    assert type(reply.code) is int
    assert reply.code == 571
    assert reply.enhanced == EnhancedStatus(5, 7, 1)
    assert parse("150 ok").reply_class is ReplyClass.POSITIVE_PRELIMINARY
    assert parse("650 odd").reply_class is None


def test_trailing_blank_lines_are_accepted_when_lenient() -> None:
    assert parse("250 OK\r\n\r\n  \n").lines == ("OK",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "expected a 3-digit reply code at position 0: ''\n    \n    ^"),
        (
            "5x0 oops",
            "expected a 3-digit reply code at position 1: '5x0 oops'\n    5x0 oops\n     ^",
        ),
        (
            "250-a\r\n251 b\r\n",
            (
                "every line of a reply must carry the same code, 250 at position 7: "
                "'250-a\\r\\n251 b\\r\\n'\n"
                "    250-a\\r\\n251 b\\r\\n\n"
                "             ^"
            ),
        ),
        (
            "250-a\r\n250-b\r\n",
            (
                "the reply ends with a continuation line ('-' after the code) at position 10: "
                "'250-a\\r\\n250-b\\r\\n'\n"
                "    250-a\\r\\n250-b\\r\\n\n"
                "                ^"
            ),
        ),
        (
            "250OK",
            (
                "expected a space or the line end after the reply code at position 3: '250OK'\n"
                "    250OK\n"
                "       ^"
            ),
        ),
        (
            "250 a\r\n250 b\r\n",
            (
                "a second reply starts here: parse reads one reply (use ReplyReader for several) "
                "at position 7: '250 a\\r\\n250 b\\r\\n'\n"
                "    250 a\\r\\n250 b\\r\\n\n"
                "             ^"
            ),
        ),
        (
            "250xa\r\n250 b\r\n",
            (
                "expected '-' after the reply code of a continuation line at position 3: "
                "'250xa\\r\\n250 b\\r\\n'\n"
                "    250xa\\r\\n250 b\\r\\n\n"
                "       ^"
            ),
        ),
        ("050 x", "a reply code is from 100 to 999 at position 0: '050 x'\n    050 x\n    ^"),
    ],
)
def test_errors_say_what_and_where(data: str, message: str) -> None:
    with pytest.raises(InvalidReply) as info:
        parse(data)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("data", "reason", "position"),
    [
        ("250 OK\n", "expected CRLF at the end of the line", 6),
        ("250 OK", "expected CRLF at the end of the line", 6),
        ("250 OK\r", "expected CRLF at the end of the line", 6),
        ("150 OK\r\n", "RFC 5321 reply codes are 200 to 559", 0),
        ("571 OK\r\n", "RFC 5321 reply codes are 200 to 559", 0),
        ("250 O\x00K\r\n", "reply text may hold only printable characters and tabs", 5),
        (
            "250 " + "x" * 507 + "\r\n",
            "a reply line has at most 512 octets with its CRLF (RFC 5321, 4.5.3.1.5)",
            510,
        ),
        ("", "expected a reply, got nothing", None),
    ],
)
def test_strict_says_which_rule_broke(data: str, reason: str, position: int | None) -> None:
    with pytest.raises(InvalidReply) as info:
        parse(data, strict=True)
    assert (info.value.reason, info.value.position) == (reason, position)


def test_strict_accepts_the_rfc_forms() -> None:
    assert parse("250-a\r\n250-\r\n250 b\t c\r\n", strict=True).lines == ("a", "", "b\t c")
    assert parse("250 " + "x" * 506 + "\r\n", strict=True).code == 250
    assert parse("554 5.7.1 Zugriff verweigert: \u00fcberpr\u00fcfen\r\n", strict=True).enhanced


def test_limits() -> None:
    with pytest.raises(InvalidReply, match=f"at most {MAX_LINE_LENGTH} characters"):
        parse("250 " + "x" * MAX_LINE_LENGTH)
    with pytest.raises(InvalidReply, match=f"at most {MAX_REPLY_LINES} lines"):
        parse("250-x\n" * MAX_REPLY_LINES + "250 x\n")
    assert len(parse("250-x\n" * (MAX_REPLY_LINES - 1) + "250 x\n").lines) == MAX_REPLY_LINES
    strict = "250-x\r\n" * (MAX_REPLY_LINES - 1) + "250 x\r\n"
    assert len(parse(strict, strict=True).lines) == MAX_REPLY_LINES
    with pytest.raises(InvalidReply) as info:
        parse("250-x\r\n" + strict, strict=True)
    assert info.value.reason == f"a reply has at most {MAX_REPLY_LINES} lines"
    assert info.value.position == 7 * MAX_REPLY_LINES


def test_wrong_type() -> None:
    with pytest.raises(InvalidReply, match="expected a reply as str or bytes, not int"):
        parse(250)  # type: ignore[arg-type]


def test_constructor_validates() -> None:
    assert Reply(550, ("5.1.1 unknown",)).enhanced == EnhancedStatus(5, 1, 1)
    assert Reply(550, ("x",)).code is ReplyCode.MAILBOX_UNAVAILABLE
    with pytest.raises(InvalidReply, match="a reply code is a number from 100 to 999, not 55"):
        Reply(55, ("x",))
    with pytest.raises(InvalidReply, match="non-empty tuple"):
        Reply(550, ())
    with pytest.raises(InvalidReply, match="without CR or LF"):
        Reply(550, ("a\r\nb",))
    with pytest.raises(InvalidReply, match="from 100 to 999, not '550'"):
        Reply("550", ("x",))


def test_value_semantics() -> None:
    reply = parse("550 5.1.1 unknown\r\n")
    assert reply == Reply(550, ("5.1.1 unknown",))
    assert hash(reply) == hash(Reply(550, ("5.1.1 unknown",)))
    assert pickle.loads(pickle.dumps(reply)) == reply
    assert pickle.loads(pickle.dumps(reply)).enhanced == reply.enhanced
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        reply.code = 250  # type: ignore[misc]
    evolved = attrs.evolve(reply, lines=("4.2.2 full",), code=452)
    assert evolved.enhanced == EnhancedStatus(4, 2, 2)
    assert (
        repr(reply) == "Reply(code=<ReplyCode.MAILBOX_UNAVAILABLE: 550>, lines=('5.1.1 unknown',))"
    )


@given(replies())
def test_str_parse_round_trip(reply: Reply) -> None:
    assert parse(str(reply)) == reply
    assert parse(bytes(reply)) == reply


@given(replies(strict=True))
def test_strict_round_trip(reply: Reply) -> None:
    assert parse(str(reply), strict=True) == reply


@given(st.one_of(st.text(max_size=200), st.binary(max_size=200)), st.booleans())
def test_parse_raises_only_invalid_reply(data: str | bytes, strict: bool) -> None:
    with contextlib.suppress(InvalidReply):
        parse(data, strict=strict)


@given(replies())
def test_text_and_statuses_agree(reply: Reply) -> None:
    assert len(reply.text.split("\n")) == len(reply.lines)
    assert len(reply.statuses) == len(reply.lines)
    assert reply.enhanced == next((s for s in reply.statuses if s is not None), None)
