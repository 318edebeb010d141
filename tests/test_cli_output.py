from __future__ import annotations

import io
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtpreply._cli_output import ClosedPipe, CommandError, Output, inert, inert_json

# Every character that could act on a terminal or forge a column or a line.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("bob@example.org", "bob@example.org"),
        ("a\tb", "a\\tb"),
        ("a\rb\nc", "a\\rb\\nc"),
        ("\x1b[2J\x1b[31mred\x1b[0m", "\\x1b[2J\\x1b[31mred\\x1b[0m"),
        (
            "\x1b]8;;http://evil.example\x07link\x1b]8;;\x07",
            "\\x1b]8;;http://evil.example\\x07link\\x1b]8;;\\x07",
        ),
        ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),
        ("left\u202eright\u2066\u2069", "left\\u202eright\\u2066\\u2069"),
        ("one\u2028two\u2029", "one\\u2028two\\u2029"),
        ("caf\udce9", "caf\\xe9"),  # an undecodable byte of an argument
        ("\ud800", "\\ud800"),
        ("café 日本 ☃ \\x1b", "café 日本 ☃ \\x1b"),  # printable text and backslashes stay
    ],
)
def test_inert_escapes_what_acts_on_a_terminal(raw: str, shown: str) -> None:
    assert inert(raw) == shown


def test_inert_keeps_newlines_only_when_asked() -> None:
    assert inert("a\nb\r\n", keep_newlines=True) == "a\nb\\r\n"
    assert inert("a\nb", keep_newlines=False) == "a\\nb"


@given(st.text())
def test_inert_output_holds_no_unsafe_character(text: str) -> None:
    shown = inert(text)
    assert UNSAFE.search(shown) is None
    assert UNSAFE.search(inert(text, keep_newlines=True).replace("\n", "")) is None
    if UNSAFE.search(text) is None:
        assert shown == text


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), st.lists))
def test_inert_json_means_the_same_data(value: object) -> None:
    for text in (json.dumps(value, ensure_ascii=False), json.dumps(value, indent=2)):
        shown = inert_json(text)
        assert UNSAFE.search(shown.replace("\n", "")) is None
        assert json.loads(shown) == value


class _Failing(io.StringIO):
    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def write(self, text: str) -> int:
        raise self.error


def test_output_failures_become_one_line_errors() -> None:
    with pytest.raises(ClosedPipe):
        Output(_Failing(BrokenPipeError(32, "Broken pipe"))).write("x")
    with pytest.raises(CommandError) as info:
        Output(_Failing(OSError(28, "No space left on device"))).write("x")
    assert info.value.message == "cannot write output: No space left on device"
    assert info.value.status == 1
    with pytest.raises(CommandError) as info:
        Output(None)
    assert info.value.message == "cannot write output: standard output is closed"


def test_output_escapes_what_its_encoding_lacks() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    Output(stream).write("Adresse inconnue\xa0: café\n")
    stream.flush()
    assert raw.getvalue() == b"Adresse inconnue\\xa0: caf\\xe9\n"
