from __future__ import annotations

import contextlib
import functools
from typing import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from smtpreply import InvalidReply, Reply, ReplyReader, parse

from .strategies import cuts, mutated_streams, replies


def test_partial_lines_are_buffered() -> None:
    reader = ReplyReader()
    assert reader.feed(b"250-first\r\n250 la") == []
    assert reader.pending == len(b"250-first\r\n250 la")
    replies_ = reader.feed(b"st\r\n")
    assert replies_ == [Reply(250, ("first", "last"))]
    assert reader.pending == 0
    assert reader.close() == []


def test_pipelined_replies_come_out_in_order() -> None:
    reader = ReplyReader()
    out = reader.feed(b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 no\r\n354 go\r\n")
    assert [int(reply.code) for reply in out] == [250, 250, 550, 354]


def test_close_completes_a_last_line_without_line_end() -> None:
    reader = ReplyReader()
    assert reader.feed(b"221 bye") == []
    assert reader.close() == [Reply(221, ("bye",))]


def test_close_inside_a_reply_raises() -> None:
    reader = ReplyReader()
    reader.feed(b"250-first\r\n")
    with pytest.raises(InvalidReply, match="the stream ended inside a multi-line reply"):
        reader.close()
    strict = ReplyReader(strict=True)
    strict.feed(b"250 ok")
    with pytest.raises(InvalidReply, match="the stream ended inside a line"):
        strict.close()


def test_strict_reader_requires_crlf() -> None:
    reader = ReplyReader(strict=True)
    with pytest.raises(InvalidReply, match="expected CRLF"):
        reader.feed(b"250 ok\n")
    assert reader.feed(b"250 ok\r\n") == [Reply(250, ("ok",))]


def test_recovers_after_a_bad_reply_and_keeps_earlier_ones() -> None:
    reader = ReplyReader()
    with pytest.raises(InvalidReply, match="expected a 3-digit reply code"):
        reader.feed(b"250 one\r\nxyz\r\n250 two\r\n")
    # The reply before the bad line was kept; the one after it is read next.
    assert reader.feed(b"") == [Reply(250, ("one",)), Reply(250, ("two",))]


def test_line_length_is_bounded() -> None:
    reader = ReplyReader(max_line_length=10)
    with pytest.raises(InvalidReply, match="a reply line has at most 10 bytes"):
        reader.feed(b"250 " + b"x" * 20)
    assert reader.pending == 0
    # The rest of the overlong line is dropped, then reading goes on.
    assert reader.feed(b"xxxx\r\n250 ok\r\n") == [Reply(250, ("ok",))]


def test_complete_overlong_line_is_refused() -> None:
    reader = ReplyReader(max_line_length=10)
    with pytest.raises(InvalidReply, match="a reply line has at most 10 bytes"):
        reader.feed(b"250 " + b"x" * 20 + b"\r\n250 ok\r\n")
    assert reader.feed(b"") == [Reply(250, ("ok",))]


def test_reply_lines_are_bounded() -> None:
    reader = ReplyReader(max_reply_lines=3)
    with pytest.raises(InvalidReply, match="a reply has at most 3 lines"):
        reader.feed(b"250-a\r\n" * 4)
    assert reader.pending == 0


def test_memory_stays_bounded_on_endless_garbage() -> None:
    reader = ReplyReader(max_line_length=100)
    for _ in range(1000):
        with contextlib.suppress(InvalidReply):
            reader.feed(b"x" * 1000)
        assert reader.pending <= 1000 + 101


def test_blank_lines_between_replies_are_skipped() -> None:
    reader = ReplyReader()
    assert reader.feed(b"\r\n250 ok\r\n\r\n") == [Reply(250, ("ok",))]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="max_line_length"):
        ReplyReader(max_line_length=2)
    with pytest.raises(InvalidReply, match=r"ReplyReader\.feed takes bytes, not str"):
        ReplyReader().feed("250 ok")  # type: ignore[arg-type]


@given(st.lists(replies(), min_size=1, max_size=5), st.data())
def test_every_way_of_cutting_gives_the_same_replies(
    expected: list[Reply], data: st.DataObject
) -> None:
    stream = b"".join(bytes(reply) for reply in expected)
    cuts = sorted(data.draw(st.sets(st.integers(0, len(stream)), max_size=12)))
    reader = ReplyReader()
    got: list[Reply] = []
    start = 0
    for cut in [*cuts, len(stream)]:
        got += reader.feed(stream[start:cut])
        start = cut
    got += reader.close()
    assert got == [parse(bytes(reply)) for reply in expected]


@given(st.lists(replies(), min_size=1, max_size=5))
def test_byte_at_a_time(expected: list[Reply]) -> None:
    stream = b"".join(bytes(reply) for reply in expected)
    reader = ReplyReader()
    got: list[Reply] = []
    for index in range(len(stream)):
        got += reader.feed(stream[index : index + 1])
    got += reader.close()
    assert got == expected


@given(st.binary(max_size=300))
def test_feed_raises_only_invalid_reply(data: bytes) -> None:
    reader = ReplyReader()
    for chunk in (data[:100], data[100:]):
        with contextlib.suppress(InvalidReply):
            reader.feed(chunk)
    with contextlib.suppress(InvalidReply):
        reader.close()


def _read_all(chunks: list[bytes], **options: object) -> tuple[list[Reply], int, int]:
    """Every reply a reader gives for ``chunks``, the bad replies it refused, the errors."""
    reader = ReplyReader(**options)  # type: ignore[arg-type]
    out: list[Reply] = []
    errors = 0
    # Then close, and close once more for what an error held back.
    calls: list[Callable[[], list[Reply]]] = [
        *(functools.partial(reader.feed, chunk) for chunk in chunks),
        reader.close,
        reader.close,
    ]
    for call in calls:
        replies_, failed = _call(call)
        out += replies_
        errors += failed
    return out, reader.refused, errors


def _call(call: Callable[[], list[Reply]]) -> tuple[list[Reply], int]:
    try:
        return call(), 0
    except InvalidReply:
        return [], 1


@given(mutated_streams(), st.lists(st.integers(0, 400), max_size=12))
@example(b"250-\xff\r\n250 ok\r\n", [6])
@example(b"250 " + b"x" * 300 + b"\r\n250 ok\r\n", list(range(0, 310, 5)))
@example(b"100-a\r\n" * 7 + b"100" + b"x" * 250 + b"\r\n", [272])
@example(b"100-\r\n100-" + b"x" * 210 + b"\r\n10" + b"x" * 210 + b"\r\n100\r\n", [])
def test_any_cut_of_any_stream_gives_the_same_answer(data: bytes, points: list[int]) -> None:
    whole = _read_all([data], max_line_length=200, max_reply_lines=5)
    pieces = _read_all(cuts(data, points), max_line_length=200, max_reply_lines=5)
    bytewise = _read_all([data[i : i + 1] for i in range(len(data))], max_line_length=200)
    assert pieces[:2] == whole[:2]
    assert bytewise[0] == _read_all([data], max_line_length=200)[0]
    for reply in whole[0]:
        assert parse(bytes(reply)) == reply  # every reply encodes and reads back


def test_a_reply_is_decoded_whole_however_it_arrives() -> None:
    one = ReplyReader().feed(b"250-\xff\r\n250 ok\r\n")
    reader = ReplyReader()
    two = reader.feed(b"250-\xff\r\n") + reader.feed(b"250 ok\r\n")
    assert one == two == [Reply(250, ("\xff", "ok"))]
    assert bytes(two[0]) == "250-ÿ\r\n250 ok\r\n".encode()


def test_one_overlong_line_is_one_error() -> None:
    data = b"250 " + b"x" * 9000 + b"\r\n250 ok\r\n"
    for size in (len(data), 5, 1000):
        out, refused, errors = _read_all([data[i : i + size] for i in range(0, len(data), size)])
        assert (refused, errors) == (1, 1)
        assert out == [Reply(250, ("ok",))]


def test_strict_reader_raises_only_invalid_reply_on_bad_bytes() -> None:
    reader = ReplyReader(strict=True)
    assert reader.feed(b"250-\xff\r\n") == []
    assert reader.feed(b"250 ok\r\n") == [Reply(250, ("\xff", "ok"))]


def test_the_final_line_counts_toward_the_limit() -> None:
    five = b"250-a\r\n" * 4 + b"250 z\r\n"
    assert len(ReplyReader(max_reply_lines=5).feed(five)[0].lines) == 5
    reader = ReplyReader(max_reply_lines=5)
    with pytest.raises(InvalidReply, match="at most 5 lines"):
        reader.feed(b"250-a\r\n" * 5 + b"250 z\r\n220 next\r\n")
    # The bad reply is consumed whole: its final line is not read as a reply of its own.
    assert reader.feed(b"") == [Reply(220, ("next",))]


def test_a_larger_line_limit_is_honoured() -> None:
    line = b"250 " + b"y" * 15000 + b"\r\n"
    assert ReplyReader(max_line_length=20000).feed(line)[0].lines == ("y" * 15000,)


def test_recovery_is_linear_and_memory_stays_bounded() -> None:
    reader = ReplyReader()
    bad = b"xx bad line\r\n" * 8000
    for start in range(0, len(bad), 100):
        with contextlib.suppress(InvalidReply):
            reader.feed(bad[start : start + 100])
        assert reader.pending <= 100
    assert reader.refused == 8000
    with pytest.raises(InvalidReply, match=r"and 7999 more bad replies"):
        ReplyReader().feed(bad)
