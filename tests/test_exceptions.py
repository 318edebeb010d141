"""Verdicts from smtplib's and aiosmtplib's exceptions, whatever shape they take."""

from __future__ import annotations

import smtplib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtpreply import InvalidReply, Reason, classify, from_exception, from_refused, should_retry
from smtpreply._exceptions import deciding_failure, exception_verdict


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


# What servers answer to RCPT: gone, passing, for the session, and odd values.
RCPT_ANSWERS = st.sampled_from(
    [
        (550, b"5.1.1 <x@example.org>: Recipient address rejected: User unknown"),
        (550, b"5.1.2 Host unknown"),
        (554, b"5.7.1 Relay access denied"),
        (450, b"4.2.0 Greylisted, try again in 5 minutes"),
        (452, b"4.2.2 Mailbox full"),
        (421, b"4.7.28 Unusual rate of mail from your IP, try later"),
        (451, b"4.3.0 Temporary lookup failure"),
        (452, b"4.3.1 Insufficient system storage"),
        (550, b"5.7.1 Service temporarily unavailable, please try again later"),
        (552, b"5.2.2 Over quota"),
        (553, b"5.1.3 Bad recipient address syntax"),
        (250, b"2.1.5 Ok"),
        (550,),
        (450, None),
    ]
)


@given(
    st.dictionaries(
        st.from_regex(r"[a-z]{1,8}@example\.org", fullmatch=True),
        RCPT_ANSWERS,
        min_size=1,
        max_size=6,
    )
)
def test_should_retry_and_the_exceptions_verdict_follow_one_rule(
    refused: dict[str, tuple[int, bytes]],
) -> None:
    error = smtplib.SMTPRecipientsRefused(refused)
    failures = from_exception(error)
    retrying = [failure for failure in failures if failure.verdict.retry]
    # The documented rule: retry when a retry can succeed for some refused recipient.
    rule = bool(retrying)
    verdict = exception_verdict(error)
    assert should_retry(error) is verdict.retry is rule
    assert classify(error) == verdict
    chosen = deciding_failure(error)
    assert chosen.verdict == verdict
    assert chosen in failures
    if rule:
        # The plan: retry only these recipients, none of which is a hard bounce,
        # and the single verdict's delay covers each of them.
        assert not any(failure.verdict.hard_bounce for failure in retrying)
        assert verdict.delay is not None
        assert all(
            failure.verdict.delay is not None and failure.verdict.delay <= verdict.delay
            for failure in retrying
        )
        assert chosen == next(f for f in retrying if f.verdict.delay == verdict.delay)
    else:
        assert chosen == failures[0]


@pytest.mark.parametrize("gone_first", [True, False])
def test_a_mixed_refusal_retries_only_the_greylisted_recipient(gone_first: bool) -> None:
    gone = ("bob@example.org", (550, b"5.1.1 <bob@example.org>: User unknown"))
    grey = ("amy@example.org", (450, b"4.2.0 <amy@example.org>: Greylisted, try again"))
    error = smtplib.SMTPRecipientsRefused(dict([gone, grey] if gone_first else [grey, gone]))
    assert should_retry(error)
    verdict = exception_verdict(error)
    assert verdict.reason is Reason.GREYLISTED
    assert not verdict.hard_bounce
    plan = {failure.recipient: failure.verdict for failure in from_exception(error)}
    assert [address for address, v in plan.items() if v.retry] == ["amy@example.org"]
    assert plan["bob@example.org"].hard_bounce


def test_the_longest_delay_stands_for_the_exception() -> None:
    error = smtplib.SMTPRecipientsRefused(
        {
            "amy@example.org": (450, b"4.2.0 Greylisted"),
            "bob@example.org": (452, b"4.2.2 Mailbox full"),
            "cat@example.org": (450, b"4.2.0 Greylisted"),
        }
    )
    failure = deciding_failure(error)
    assert failure.recipient == "bob@example.org"
    assert failure.verdict.reason is Reason.MAILBOX_FULL
    assert failure.verdict.delay == max(
        f.verdict.delay for f in from_exception(error) if f.verdict.delay
    )


def test_a_refusal_with_no_retry_is_summed_up_by_its_first_failure() -> None:
    error = smtplib.SMTPRecipientsRefused(
        {
            "amy@example.org": (554, b"5.7.1 Relay access denied"),
            "bob@example.org": (550, b"5.1.1 User unknown"),
        }
    )
    assert not should_retry(error)
    assert deciding_failure(error) == from_exception(error)[0]
    assert exception_verdict(error).reason is Reason.NO_RELAYING
