from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtpreply._cli_output import CommandError
from smtpreply._cli_read import HARD, LINE_LIMIT, SOFT, Block, decode_lines, read_blocks


def blocks(data: bytes) -> list[Block]:
    return list(read_blocks(io.BufferedReader(io.BytesIO(data), 8192), "input"))


_LINES = st.lists(st.binary(max_size=300).map(lambda line: line.replace(b"\n", b"")), max_size=50)


@given(_LINES, st.booleans())
def test_short_lines_are_read_whole_and_in_order(lines: list[bytes], final_newline: bool) -> None:
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    found = blocks(data)
    assert b"".join(block.data for block in found) == data
    assert [block.done for block in found] == sorted({block.done for block in found})
    if found:
        assert found[-1].done == len(data)
    assert all(block.cut == 0 for block in found)


def test_blocks_end_at_a_blank_line_past_soft_and_at_any_line_past_hard() -> None:
    paragraph = b"x" * 1000 + b"\n"
    bounce = paragraph * (SOFT // len(paragraph) + 1) + b"\n"
    found = blocks(bounce * 3)
    assert [block.data for block in found] == [bounce] * 3
    log = b"y" * 99 + b"\n"
    found = blocks(log * (3 * HARD // len(log)))
    assert all(block.data.endswith(b"\n") for block in found)
    assert all(HARD <= len(block.data) < HARD + len(log) for block in found[:-1])


def test_a_long_line_is_cut_at_the_limit_and_the_rest_skipped() -> None:
    long_line = b"550 5.1.1 User unknown " + b"x" * (3 * LINE_LIMIT)
    data = b"first\n" + long_line + b"\nlast\n"
    found = blocks(data)
    assert b"".join(block.data for block in found) == (
        b"first\n" + long_line[:LINE_LIMIT] + b"\nlast\n"
    )
    assert sum(block.cut for block in found) == 1
    assert found[-1].done == len(data)


def test_a_long_line_without_newline_is_cut_too() -> None:
    found = blocks(b"z" * (2 * LINE_LIMIT + 5))
    assert [block.data for block in found] == [b"z" * LINE_LIMIT + b"\n"]
    assert found[0].cut == 1


@pytest.mark.parametrize(("end", "after"), [(b"", b""), (b"\n", b"next\n"), (b"\r\n", b"next\n")])
def test_a_line_just_at_the_limit_is_whole(end: bytes, after: bytes) -> None:
    data = b"w" * LINE_LIMIT + end + after
    found = blocks(data)
    assert b"".join(block.data for block in found) == data
    assert sum(block.cut for block in found) == 0


def test_a_cut_never_splits_a_utf8_character() -> None:
    line = b"a" * (LINE_LIMIT - 1) + "é".encode() + b"tail" * 10
    (block,) = blocks(line)
    assert block.data == b"a" * (LINE_LIMIT - 1) + b"\n"
    assert decode_lines(block.data) == "a" * (LINE_LIMIT - 1) + "\n"


def test_each_line_is_decoded_on_its_own() -> None:
    data = "café ok\n".encode() + b"caf\xe9 latin\n" + "日本\n".encode()
    assert decode_lines(data) == "café ok\ncafé latin\n日本\n"


class _Broken(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: object) -> int:
        raise OSError(5, "Input/output error")


def test_a_read_failure_is_one_line_naming_the_input() -> None:
    with pytest.raises(CommandError) as info:
        list(read_blocks(io.BufferedReader(_Broken()), "mail.log"))
    assert info.value.message == "cannot read mail.log: Input/output error"
    assert info.value.status == 2
