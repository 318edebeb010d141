"""Verdicts from smtplib's and aiosmtplib's exceptions, whatever shape they take."""

from __future__ import annotations

import smtplib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtpreply import InvalidReply, Reason, classify, from_exception, from_refused, should_retry


class BrokenStr(smtplib.SMTPException):
    def __str__(self) -> str:
        raise RuntimeError("no text for you")


@pytest.mark.parametrize(
    "refused",
    [
        {"a@example.org": 550},
        {"a@example.org": (550,)},
        {"a@example.org": (550, None)},
        {"a@example.org": None},
        {"a@example.org": ()},
        {"a@example.org": (550, 12345)},
        {"a@example.org": ("550", b"x")},
        {"a@example.org": (550, bytearray(b"5.1.1 unknown"), "extra")},
    ],
)
def test_odd_refused_values_give_a_verdict(refused: dict[str, object]) -> None:
    error = smtplib.SMTPRecipientsRefused(refused)  # type: ignore[arg-type]
    [failure] = from_exception(error)
    assert failure.recipient == "a@example.org"
    assert failure.verdict.reason in set(Reason)
    assert should_retry(error) == failure.verdict.retry


def test_a_bare_code_is_read_as_the_code() -> None:
    [failure] = from_refused({"a@example.org": 452})  # type: ignore[dict-item]
    assert failure.reply is not None
    assert failure.reply.code == 452
    assert failure.verdict.retry


def test_a_huge_message_is_cut_to_a_bounded_size() -> None:
    # The work stays bounded: only the first 64 KB of a 10 MB message are read.
    message = b"5.1.1 " + b"x" * 10_000_000
    [failure] = from_exception(smtplib.SMTPResponseException(550, message))
    assert failure.verdict.reason is Reason.USER_UNKNOWN
    assert failure.reply is not None
    assert len(failure.reply.text) <= 64 * 1024


def test_an_exception_whose_str_raises() -> None:
    assert from_exception(BrokenStr())[0].verdict.reason is Reason.UNDEFINED
    assert not should_retry(BrokenStr())


def test_not_an_exception() -> None:
    with pytest.raises(InvalidReply, match="expected an exception, not str"):
        from_exception("550 5.1.1 unknown")  # type: ignore[arg-type]


def test_recipients_refused_without_recipients() -> None:
    error = smtplib.SMTPRecipientsRefused({})
    [failure] = from_exception(error)
    assert failure.recipient is None
    error.recipients = "nonsense"  # type: ignore[assignment]
    assert from_exception(error)[0].verdict.reason is Reason.UNDEFINED


def test_commands_of_the_exceptions() -> None:
    sender = smtplib.SMTPSenderRefused(550, b"5.1.1 unknown", "a@example.org")
    assert classify(sender).reason is Reason.REJECTED
    data = smtplib.SMTPDataError(550, b"5.1.1 User unknown")
    assert classify(data).reason is Reason.FILTERED


values = st.one_of(
    st.none(),
    st.integers(-10, 1000),
    st.binary(max_size=30),
    st.text(max_size=30),
    st.tuples(st.integers(-10, 1000), st.binary(max_size=30)),
    st.tuples(),
    st.tuples(st.text(max_size=3)),
)


@given(st.dictionaries(st.text(max_size=10), values, max_size=3))
def test_any_refused_dict_gives_verdicts(refused: dict[str, object]) -> None:
    error = smtplib.SMTPRecipientsRefused(refused)  # type: ignore[arg-type]
    failures = from_exception(error)
    assert failures
    for failure in failures:
        assert not (failure.verdict.retry and failure.verdict.hard_bounce)


@given(st.one_of(st.none(), st.integers(), st.text(max_size=20)), values)
def test_any_response_exception_gives_a_verdict(code: object, message: object) -> None:
    error = smtplib.SMTPResponseException(code, message)  # type: ignore[arg-type]
    [failure] = from_exception(error)
    assert failure.verdict.reason in set(Reason)
