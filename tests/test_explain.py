from __future__ import annotations

import html
import itertools
import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import smtpreply
from smtpreply import (
    LOCALES,
    Aspect,
    EnhancedStatus,
    InvalidReply,
    Party,
    ReplyClass,
    ReplyCode,
    diff,
    explain,
    parse,
)

DOUBLED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
CODES = list(ReplyCode)
PAIRS = list(itertools.permutations(CODES, 2))


def test_explain_code_forms_agree() -> None:
    expected = explain(ReplyCode.AUTHENTICATION_REQUIRED)
    assert explain(530) == expected
    assert explain("530") == expected
    assert explain(" 530 ") == expected
    assert expected.title == "Authentication Required"
    assert expected.rfcs == ("RFC 4954", "RFC 3207")
    assert expected.reply_class is ReplyClass.PERMANENT_NEGATIVE
    assert expected.party is Party.SENDER
    assert expected.status is None


def test_explain_status() -> None:
    exp = explain("5.7.26")
    assert exp == explain(EnhancedStatus.parse("5.7.26"))
    assert exp.code is None
    assert exp.status == EnhancedStatus(5, 7, 26)
    assert exp.title == "Multiple authentication checks failed"
    assert "RFC 7372" in exp.rfcs
    assert exp.party is Party.SENDER
    assert explain("2.1.5").party is Party.NOBODY


def test_explain_reply_uses_code_and_status() -> None:
    exp = explain("550 5.1.1 User unknown")
    assert exp == explain(parse("550 5.1.1 User unknown"))
    assert exp.label == "550 5.1.1"
    assert exp.title == "Mailbox Unavailable: Bad destination mailbox address"
    assert exp.code is ReplyCode.MAILBOX_UNAVAILABLE
    assert exp.status == EnhancedStatus(5, 1, 1)
    assert ReplyCode(550).description in exp.description
    assert EnhancedStatus.parse("5.1.1").description in exp.description
    assert exp.fix.startswith(EnhancedStatus.parse("5.1.1").fix)
    assert exp.rfcs == ("RFC 5321", "RFC 3463")
    assert exp.server_text == "User unknown"


def test_explain_reply_without_status_keeps_server_text() -> None:
    exp = explain(b"421 mx.example.org busy, try later\r\n")
    assert exp.label == "421"
    assert exp.server_text == "mx.example.org busy, try later"
    assert exp.title == ReplyCode(421).title


def test_explain_unassigned_code() -> None:
    exp = explain(571)
    assert exp.code == 571
    assert exp.title == "Unassigned Permanent Negative Completion Code"
    assert exp.description.startswith("No standard defines 571.")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (99, "expected a 3-digit reply code, not 99"),
        (999, "999 is not a reply code: its first digit names no class"),
        ("9.1.1", "the class of an enhanced status must be 2, 4 or 5"),
        ("hello", "expected a reply code such as '530', an enhanced status such as '5.7.0'"),
        (2.5, "expected a reply code, an enhanced status, a reply, or their text, not float"),
        (None, "expected a reply code, an enhanced status, a reply, or their text, not NoneType"),
        (True, "expected a reply code, an enhanced status, a reply, or their text, not bool"),
    ],
)
def test_bad_input(bad: object, message: str) -> None:
    with pytest.raises(InvalidReply) as info:
        explain(bad)  # type: ignore[arg-type]
    assert str(info.value).startswith(message)
    with pytest.raises(InvalidReply):
        diff(530, bad)  # type: ignore[arg-type]


def test_diff_of_the_reference_pages() -> None:
    cmp = diff(252, 530)
    assert cmp.left == explain(252)
    assert cmp.right == explain(530)
    assert cmp.title == "SMTP 252 Cannot Verify User vs 530 Authentication Required"
    assert cmp.summary.startswith(
        "SMTP 252 (Cannot Verify User) is a 2yz Positive Completion reply, while 530 "
        "(Authentication Required) is a 5yz Permanent Negative Completion reply."
    )
    assert " In contrast, with 530, " in cmp.summary
    aspects = [difference.aspect for difference in cmp.differences]
    assert aspects == [
        Aspect.CLASS,
        Aspect.MEANING,
        Aspect.MEANING,
        Aspect.WHEN,
        Aspect.WHEN,
        Aspect.RETRY,
        Aspect.PARTY,
        Aspect.RFCS,
    ]
    assert cmp.advice.startswith("If you see 252 (Cannot Verify User): ")


def test_same_class_pair_says_both_and_names_what_differs() -> None:
    cmp = diff(530, 535)
    first = cmp.differences[0]
    assert first.aspect is Aspect.CLASS
    assert first.text.startswith(
        "Both 530 and 535 belong to the 5yz Permanent Negative Completion class"
    )
    assert {difference.aspect for difference in cmp.differences} >= {Aspect.MEANING, Aspect.WHEN}
    assert "both belong to the 5yz Permanent Negative Completion class" in cmp.summary


def test_statuses_are_compared() -> None:
    cmp = diff("550 5.1.1 unknown", "550 5.7.1 refused")
    texts = {difference.aspect: difference.text for difference in cmp.differences}
    assert texts[Aspect.STATUS_SUBJECT] == (
        "The status 5.1.1 is about addressing status, while 5.7.1 is about security or "
        "policy status."
    )
    assert texts[Aspect.STATUS_DETAIL] == (
        'In detail, 5.1.1 is "Bad destination mailbox address", and 5.7.1 is '
        '"Delivery not authorized, message refused".'
    )
    only = diff("550 5.1.1 unknown", 550)
    assert any(
        difference.text.startswith("Only 550 5.1.1 carries an enhanced status: 5.1.1")
        for difference in only.differences
    )


@pytest.mark.parametrize("code", CODES)
def test_diff_with_itself_has_no_differences(code: ReplyCode) -> None:
    cmp = diff(code, code)
    assert cmp.differences == ()
    assert cmp.summary.startswith(f"SMTP {code.value} ({code.title}) is ")


def test_every_pair_mirrors_and_reads_well() -> None:
    for left, right in PAIRS:
        forward = diff(left, right)
        backward = diff(right, left)
        assert forward.left == backward.right
        assert forward.right == backward.left
        assert [d.aspect for d in forward.differences] == [d.aspect for d in backward.differences]
        assert forward.differences[0].aspect is Aspect.CLASS
        for text in (forward.summary, forward.advice, *(d.text for d in forward.differences)):
            assert text.endswith("."), (left, right, text)
            assert not DOUBLED_WORD.search(text), (left, right, text)
            assert "  " not in text, (left, right, text)
        # What each side means and when it is seen are the same sentences, swapped.
        for aspect in (Aspect.MEANING, Aspect.WHEN):
            ahead = [d.text for d in forward.differences if d.aspect is aspect]
            behind = [d.text for d in backward.differences if d.aspect is aspect]
            assert ahead == behind[::-1]


def test_every_pair_in_every_locale_renders() -> None:
    headings = smtpreply._data.locales()
    for left, right in PAIRS:
        cmp = diff(left, right)
        text = cmp.render()
        assert text.startswith(cmp.title + "\n")
        assert not DOUBLED_WORD.search(text.replace("\n", " ")), (left, right)
        for locale in LOCALES:
            page = cmp.render("html", locale)
            for key in ("description", "when", "fix", "differences", "which", "learn_more"):
                assert f'lang="{locale}">{html.escape(headings[locale][key])}</h' in page
            assert not DOUBLED_WORD.search(re.sub(r"<[^>]*>", " ", page)), (left, right, locale)


@given(st.sampled_from(CODES), st.sampled_from(CODES))
def test_comparison_values_are_frozen_and_hashable(left: ReplyCode, right: ReplyCode) -> None:
    cmp = diff(left, right)
    assert hash(cmp) == hash(diff(left, right))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        cmp.summary = ""  # type: ignore[misc]


def test_locales_constant() -> None:
    assert smtpreply.LOCALES == (
        "de",
        "en",
        "es",
        "fr",
        "id",
        "ko",
        "pt",
        "ru",
        "tr",
        "vi",
        "zh-Hans",
    )
