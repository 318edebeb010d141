from __future__ import annotations

import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import smtpreply
from smtpreply import EnhancedStatus, InvalidReply

from .strategies import status_texts, status_triples


def test_parse_and_fields() -> None:
    status = EnhancedStatus.parse("5.7.0")
    assert (status.class_, status.subject, status.detail) == (5, 7, 0)
    assert str(status) == "5.7.0"
    assert status == EnhancedStatus(5, 7, 0)
    assert status.is_permanent
    assert not status.is_transient
    assert not status.is_success


def test_parse_bytes_and_surrounding_space() -> None:
    assert EnhancedStatus.parse(b"4.2.2") == EnhancedStatus(4, 2, 2)
    assert EnhancedStatus.parse("  2.0.0\r\n") == EnhancedStatus(2, 0, 0)


def test_registered_status() -> None:
    status = EnhancedStatus.parse("5.1.1")
    assert status.is_registered
    assert status.title == "Bad destination mailbox address"
    assert 550 in status.basic_codes
    assert status.rfcs == ("RFC 3463",)
    assert status.entry is not None
    assert status.entry.code == "X.1.1"


def test_unregistered_status_falls_back_to_class_and_subject() -> None:
    status = EnhancedStatus.parse("5.7.999")
    assert not status.is_registered
    assert status.entry is None
    assert status.title == status.subject_title == "Security or Policy Status"
    assert status.description.startswith("A status that the registry does not list.")
    assert status.basic_codes == ()
    assert status.when
    assert status.fix
    assert status.rfcs


def test_unregistered_subject_falls_back_to_other() -> None:
    status = EnhancedStatus.parse("4.9.1")
    assert not status.is_registered
    assert status.title == "Other or Undefined Status"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "5.7",
            (
                "expected '.' and the detail of the enhanced status at position 3: '5.7'\n"
                "    5.7\n"
                "       ^"
            ),
        ),
        (
            "9.1.1",
            (
                "the class of an enhanced status must be 2, 4 or 5 at position 0: '9.1.1'\n"
                "    9.1.1\n"
                "    ^"
            ),
        ),
        (
            "5.1.1000",
            (
                "a sub-code of an enhanced status has at most 3 digits at position 4: '5.1.1000'\n"
                "    5.1.1000\n"
                "        ^"
            ),
        ),
        (
            "abc",
            (
                "expected an enhanced status code such as '5.1.1' at position 0: 'abc'\n"
                "    abc\n"
                "    ^"
            ),
        ),
        (
            "5..1",
            (
                "expected the subject of the enhanced status (1 to 3 digits) "
                "at position 2: '5..1'\n"
                "    5..1\n"
                "      ^"
            ),
        ),
        (
            "5.01.1",
            (
                "a sub-code of an enhanced status has no leading zero at position 2: '5.01.1'\n"
                "    5.01.1\n"
                "      ^"
            ),
        ),
        (
            "5.1.1 x",
            (
                "unexpected text after the enhanced status code at position 5: '5.1.1 x'\n"
                "    5.1.1 x\n"
                "         ^"
            ),
        ),
        ("", "expected an enhanced status code such as '5.1.1', got nothing"),
    ],
)
def test_malformed_statuses_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidReply) as info:
        EnhancedStatus.parse(text)
    assert str(info.value) == message


def test_parse_rejects_other_types() -> None:
    with pytest.raises(InvalidReply, match="not int"):
        EnhancedStatus.parse(511)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((3, 1, 1), "the class of an enhanced status must be 2, 4 or 5, not 3"),
        ((5, 1000, 1), "the subject of an enhanced status must be 0 to 999, not 1000"),
        ((5, 1, -1), "the detail of an enhanced status must be 0 to 999, not -1"),
        ((5, True, 1), "the subject of an enhanced status must be 0 to 999, not True"),
    ],
)
def test_constructor_validates(args: tuple[int, int, int], message: str) -> None:
    with pytest.raises(InvalidReply) as info:
        EnhancedStatus(*args)
    assert str(info.value) == message


def test_immutable_hashable_ordered() -> None:
    status = EnhancedStatus(5, 1, 1)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        status.detail = 2  # type: ignore[misc]
    assert {status, EnhancedStatus(5, 1, 1)} == {status}
    assert EnhancedStatus(4, 9, 9) < EnhancedStatus(5, 0, 0) < EnhancedStatus(5, 1, 0)
    assert attrs.evolve(status, class_=4) == EnhancedStatus(4, 1, 1)
    assert pickle.loads(pickle.dumps(status)) == status
    assert repr(status) == "EnhancedStatus(class_=5, subject=1, detail=1)"


@given(status_triples)
def test_str_parse_round_trip(triple: tuple[int, int, int]) -> None:
    status = EnhancedStatus(*triple)
    assert EnhancedStatus.parse(str(status)) == status


@given(status_texts)
def test_every_well_formed_status_is_described(text: str) -> None:
    status = EnhancedStatus.parse(text)
    for value in (status.title, status.description, status.when, status.fix):
        assert value
    assert status.rfcs


@given(st.one_of(st.text(max_size=30), st.binary(max_size=30)))
def test_parse_raises_only_invalid_reply(data: str | bytes) -> None:
    try:
        status = EnhancedStatus.parse(data)
    except InvalidReply:
        return
    assert str(status) == (data.decode() if isinstance(data, bytes) else data).strip()


def test_registry_is_complete_and_ordered() -> None:
    entries = smtpreply.registry()
    keys = [(entry.subject, entry.detail) for entry in entries]
    assert keys == sorted(set(keys))
    codes = {entry.code for entry in entries}
    # Every subject's "other" code, and the last codes each RFC added.
    for code in (
        "X.0.0", "X.1.0", "X.2.0", "X.3.0", "X.4.0", "X.5.0", "X.6.0", "X.7.0",
        "X.1.10", "X.3.6", "X.5.6", "X.6.10", "X.7.27", "X.7.28", "X.7.29", "X.7.30",
    ):  # fmt: skip
        assert code in codes
    assert ("X.7.31" in codes) is False


def test_every_registered_status_is_complete() -> None:
    for entry in smtpreply.registry():
        for value in (entry.title, entry.description, entry.when, entry.fix):
            assert value
        assert entry.rfcs
        for code in entry.basic_codes:
            assert 200 <= code <= 599
