"""The grammar module: one reading of replies and statuses, fast paths equal to slow."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from smtpreply import EnhancedStatus, InvalidReply, ReplyCode, extract, parse
from smtpreply._grammar import (
    STATUS_PATTERN,
    _lenient,
    expect_status,
    fast_reply,
    leading_status,
    one_line_replies,
    reply_lines,
    status_at,
)
from smtpreply._parse import line_status, parse_or_none

from .strategies import replies, status_texts

SERVER_REPLIES = Path(__file__).parent / "data" / "server_replies.jsonl"


def _corpus() -> list[str]:
    rows = [json.loads(line) for line in SERVER_REPLIES.read_text("utf-8").splitlines() if line]
    return [row["raw"] for row in rows]


@pytest.mark.parametrize("raw", _corpus())
def test_the_fast_path_equals_the_slow_path_on_real_replies(raw: str) -> None:
    fast = fast_reply(raw)
    assert fast is not None
    assert fast == _lenient(raw, 8192, 1000)


@given(replies())
def test_the_fast_path_equals_the_slow_path_on_any_reply(reply: object) -> None:
    text = str(reply)
    fast = fast_reply(text)
    if fast is not None:
        assert fast == _lenient(text, 8192, 1000)


@given(st.text(st.sampled_from("250 -\r\nx5"), max_size=30))
@example("250-a\n250-b\n250 c\n")
@example("250-a\r\n250 c")
@example("250-a\n\n250 c\n")
def test_the_fast_path_never_accepts_what_the_slow_path_refuses(text: str) -> None:
    fast = fast_reply(text)
    if fast is None:
        return
    assert fast == _lenient(text, 8192, 1000)
    # parse reads the same, and holds a ReplyCode member where a standard has one.
    reply = parse(text)
    assert (reply.code, reply.lines) == fast
    assert type(reply.code) is (int if ReplyCode.get(fast[0]) is None else ReplyCode)


@given(st.lists(st.text(st.sampled_from("250 -\rx5"), max_size=9), max_size=6), st.integers(1, 12))
@example(["250 ok", "250-a", "250 b"], 8192)
@example(["250 ok\r", "550 x"], 8192)
@example(["250 " + "x" * 20], 10)
def test_a_run_of_one_line_replies_is_what_the_fast_path_reads(
    rows: list[str], limit: int
) -> None:
    found, end = one_line_replies(rows, 0, limit)
    assert len(found) == end <= len(rows)
    for row, (code, line) in zip(rows, found):
        assert len(row) <= limit
        assert fast_reply(row) == (code, (line,)) == _lenient(row, 8192, 1000)
    if end < len(rows):  # the row that ends the run is no one-line reply within the limit
        row = rows[end]
        fast = fast_reply(row)
        assert len(row) > limit or fast is None or (len(row) == 3 and fast[1] == ("",))


@given(
    st.sampled_from([250, 421, 550, 554, 251]), st.text(st.sampled_from("2450.1 \tx"), max_size=12)
)
@example(550, "5.1.1 x")
@example(550, "5.1.1\tx")
@example(450, "5.1.1 x")
@example(550, "5.1.1")
@example(550, "5.01.1 x")
def test_the_status_word_table_equals_the_grammar(code: int, line: str) -> None:
    numbers, start = leading_status(code // 100, line)
    expected = (None, 0) if numbers is None else (EnhancedStatus(*numbers), start)
    # Twice: the first reading may fill the table, the second reads from it.
    assert line_status(code, line) == expected
    assert line_status(code, line) == expected
    assert parse(f"{code} {line}").enhanced == expected[0]


@given(status_texts)
def test_the_status_pattern_and_the_scanner_agree(text: str) -> None:
    scanned = status_at(text)
    matched = re.match(STATUS_PATTERN, text)
    assert (scanned is None) == (matched is None)
    try:
        numbers, end = expect_status(text)
    except InvalidReply:
        assert scanned is None or scanned[1] != len(text)
    else:
        assert scanned == (numbers, end)


@given(st.text(st.sampled_from("0123456789.245 \t"), max_size=12))
@example("5.10.0")
def test_every_reader_agrees_on_what_a_status_is(text: str) -> None:
    """EnhancedStatus.parse, parse, extract and the scanner read a status alike."""
    try:
        expected = EnhancedStatus.parse(text)
    except InvalidReply:
        expected = None
    scanned = status_at(text.strip())
    if scanned is not None and scanned[1] == len(text.strip()):
        assert expected == EnhancedStatus(*scanned[0])
    else:
        assert expected is None
    if expected is not None and expected.class_ == 5:
        assert parse(f"550 {text.strip()} x").enhanced == expected
        found = extract(f"dsn={text.strip()}, stat=Sent")
        # Standing alone in prose, a status needs a subject the registry defines (0-7).
        if expected.subject <= 7:
            assert found is not None
            assert found.enhanced == expected
        else:
            assert found is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("550 5.01.1 x", None),
        ("550 5.1.1\tx", EnhancedStatus(5, 1, 1)),
        ("550 5.1.1 x", EnhancedStatus(5, 1, 1)),
        ("550 5.1.1", EnhancedStatus(5, 1, 1)),
        ("550 5.1.1x", None),
        ("550 4.1.1 x", None),
        ("550 5.1.1000 x", None),
    ],
)
def test_the_edges_are_decided_once(text: str, expected: EnhancedStatus | None) -> None:
    assert parse(text).enhanced == expected
    status = text[4:].split()[0] if len(text) > 4 else ""
    found = extract(f"dsn={status}")
    extracted = found.enhanced if found is not None else None
    if expected is not None or status.startswith("4."):
        assert extracted == EnhancedStatus.parse(status)
    else:
        assert extracted is None
        with pytest.raises(InvalidReply):
            EnhancedStatus.parse(status)


def test_leading_status_needs_the_class_of_the_code() -> None:
    assert leading_status(5, "5.1.1 unknown") == ((5, 1, 1), 6)
    assert leading_status(4, "5.1.1 unknown") == (None, 0)
    assert leading_status(5, "5.1.1\tunknown") == ((5, 1, 1), 6)
    assert leading_status(5, "5.1.1, unknown") == (None, 0)


@pytest.mark.parametrize(
    ("text", "reason", "position"),
    [
        ("5x1.1", "expected '.' and the subject of the enhanced status", 1),
        ("5.1.1000", "a sub-code of an enhanced status has at most 3 digits", 4),
        ("5.01.1", "a sub-code of an enhanced status has no leading zero", 2),
        ("9.1.1", "the class of an enhanced status must be 2, 4 or 5", 0),
        ("5.", "expected the subject of the enhanced status (1 to 3 digits)", 2),
    ],
)
def test_status_errors_name_the_place_where_reading_fails(
    text: str, reason: str, position: int
) -> None:
    with pytest.raises(InvalidReply) as caught:
        expect_status(text)
    assert (caught.value.reason, caught.value.position) == (reason, position)


def test_limits_count_every_line() -> None:
    five = "250-a\n250-b\n250-c\n250-d\n250 e\n"
    assert len(reply_lines(five, max_lines=5)[1]) == 5
    with pytest.raises(InvalidReply, match="a reply has at most 4 lines"):
        reply_lines(five, max_lines=4)
    long_line = "250 " + "x" * 9000
    assert reply_lines(long_line, max_line=20000)[1] == ("x" * 9000,)
    with pytest.raises(InvalidReply, match="at most 8192 characters"):
        reply_lines(long_line)


def test_a_lone_cr_is_refused_in_both_modes() -> None:
    with pytest.raises(InvalidReply, match="a carriage return may only end a line"):
        parse("250 a\rb\n")
    with pytest.raises(InvalidReply, match="expected CRLF"):
        parse("250 a\rb\r\n", strict=True)


def test_lone_surrogates_are_refused() -> None:
    for strict in (False, True):
        with pytest.raises(InvalidReply, match="lone surrogate"):
            parse("250 \ud800\r\n", strict=strict)


@given(st.text(st.sampled_from("2505 -\t\x00a\u00e9\u2028\x0b\x0c"), max_size=12))
@example("250-x")
@example("250\tx")
def test_one_line_that_the_fast_path_refuses_is_no_reply(text: str) -> None:
    """What lets ``parse_or_none`` skip the full reading of one-line texts."""
    if "\n" in text or "\r" in text or fast_reply(text) is not None:
        return
    with pytest.raises(InvalidReply):
        reply_lines(text)


@given(st.text(st.sampled_from("2505 -\t\r\n.1x\ud800"), max_size=16))
def test_parse_or_none_is_parse_without_the_error(text: str) -> None:
    try:
        expected = parse(text)
    except InvalidReply:
        expected = None
    assert parse_or_none(text) == expected
