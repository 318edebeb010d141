from __future__ import annotations

import pickle

import pytest

import smtpreply
from smtpreply import InvalidReply


def test_is_a_value_error() -> None:
    assert issubclass(InvalidReply, ValueError)
    assert InvalidReply.__module__ == "smtpreply"


def test_message_with_position_has_caret_line() -> None:
    error = InvalidReply("expected a 3-digit reply code", "5x0 oops", 1)
    assert str(error) == (
        "expected a 3-digit reply code at position 1: '5x0 oops'\n    5x0 oops\n     ^"
    )
    assert (error.reason, error.text, error.position) == (
        "expected a 3-digit reply code",
        "5x0 oops",
        1,
    )


def test_message_without_position_quotes_input() -> None:
    assert str(InvalidReply("not a reply", "hello")) == "not a reply: 'hello'"


def test_message_without_text_is_the_reason() -> None:
    assert str(InvalidReply("nothing to read")) == "nothing to read"


def test_caret_accounts_for_escaped_characters() -> None:
    error = InvalidReply("bad character", "a\tb\x00c", 4)
    lines = str(error).splitlines()
    assert lines[1] == "    a\\tb\\x00c"
    assert lines[2] == "    " + " " * len("a\\tb\\x00") + "^"


def test_long_input_is_clipped_around_the_position() -> None:
    text = "x" * 100 + "!" + "y" * 100
    lines = str(InvalidReply("unexpected '!'", text, 100)).splitlines()
    assert lines[0].startswith("unexpected '!' at position 100: '...")
    assert lines[1] == "    ..." + "x" * 40 + "!" + "y" * 39 + "..."
    assert lines[2].index("^") == lines[1].index("!")


def test_raised_from_the_public_namespace() -> None:
    with pytest.raises(smtpreply.InvalidReply, match=r"^the class of an enhanced status"):
        smtpreply.EnhancedStatus.parse("9.1.1")


def test_error_survives_pickling() -> None:
    error = InvalidReply("bad", "text", 2)
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error)
