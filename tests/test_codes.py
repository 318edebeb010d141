from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

import smtpreply
from smtpreply import Category, InvalidReply, ReplyClass, ReplyCode, _data

# The list: RFC 5321, the extension RFCs, and the industry codes.
EXPECTED_CODES = {
    211, 214, 220, 221, 235, 250, 251, 252, 253, 334, 354, 421, 422, 430, 432, 450, 451, 452,
    453, 454, 455, 458, 459, 500, 501, 502, 503, 504, 521, 523, 524, 525, 530, 533, 534, 535,
    538, 550, 551, 552, 553, 554, 555, 556,
}  # fmt: skip
INDUSTRY_CODES = {422, 430, 523, 524, 525, 533}


def test_members_are_exactly_the_expected_codes() -> None:
    assert {member.value for member in ReplyCode} == EXPECTED_CODES


@pytest.mark.parametrize(
    ("number", "name"),
    [
        (252, "CANNOT_VERIFY_USER"),
        (530, "AUTHENTICATION_REQUIRED"),
        (535, "AUTHENTICATION_FAILED"),
        (250, "OK"),
        (550, "MAILBOX_UNAVAILABLE"),
        (554, "TRANSACTION_FAILED"),
    ],
)
def test_member_names(number: int, name: str) -> None:
    assert ReplyCode(number).name == name
    assert ReplyCode[name] == number


def test_members_are_ints() -> None:
    number: int = ReplyCode.AUTHENTICATION_REQUIRED
    assert number == 530
    assert isinstance(ReplyCode(530), int)
    assert ReplyCode(530) + 1 == 531
    assert {530: "x"}[ReplyCode(530)] == "x"


def test_titles_of_the_reference_pages() -> None:
    assert ReplyCode(530).title == "Authentication Required"
    assert ReplyCode(252).title == "Cannot Verify User"
    assert ReplyCode(535).title == "Authentication Failed"


@pytest.mark.parametrize("code", list(ReplyCode))
def test_every_code_is_complete(code: ReplyCode) -> None:
    for text in (code.title, code.description, code.when, code.fix):
        assert isinstance(text, str)
        assert text.strip() == text
        assert text
    assert isinstance(code.rfcs, tuple)
    assert all(isinstance(rfc, str) for rfc in code.rfcs)


@pytest.mark.parametrize("code", list(ReplyCode))
def test_class_and_predicates_follow_the_first_digit(code: ReplyCode) -> None:
    first = code.value // 100
    assert code.reply_class is ReplyClass(first)
    assert code.category is Category(code.value // 10 % 10)
    predicates = (code.is_positive, code.is_intermediate, code.is_transient, code.is_permanent)
    assert predicates == (first == 2, first == 3, first == 4, first == 5)


def test_reply_class_of_530() -> None:
    assert ReplyCode(530).reply_class is ReplyClass.PERMANENT_NEGATIVE
    assert ReplyCode(252).reply_class is ReplyClass.POSITIVE_COMPLETION
    assert ReplyCode(354).reply_class is ReplyClass.POSITIVE_INTERMEDIATE
    assert ReplyCode(421).reply_class is ReplyClass.TRANSIENT_NEGATIVE


@pytest.mark.parametrize("number", sorted(INDUSTRY_CODES))
def test_industry_codes_have_no_rfc_and_say_so(number: int) -> None:
    code = ReplyCode(number)
    assert code.rfcs == ()
    assert not code.is_standard
    assert code.description.startswith("No RFC defines this basic code")


@pytest.mark.parametrize("number", sorted(EXPECTED_CODES - INDUSTRY_CODES))
def test_standard_codes_name_their_rfcs(number: int) -> None:
    code = ReplyCode(number)
    assert code.rfcs
    assert code.is_standard


@pytest.mark.parametrize(
    ("number", "rfc"),
    [
        (530, "RFC 4954"),
        (530, "RFC 3207"),
        (535, "RFC 4954"),
        (334, "RFC 4954"),
        (454, "RFC 4954"),
        (454, "RFC 3207"),
        (250, "RFC 5321"),
        (252, "RFC 5321"),
        (521, "RFC 7504"),
        (556, "RFC 7504"),
        (253, "RFC 1985"),
        (458, "RFC 1985"),
        (459, "RFC 1985"),
        (453, "RFC 2645"),
        (555, "RFC 5321"),
    ],
)
def test_rfc_facts(number: int, rfc: str) -> None:
    assert rfc in ReplyCode(number).rfcs


def test_primary_rfc_of_authentication_codes() -> None:
    for number in (235, 334, 432, 534, 535, 538):
        assert ReplyCode(number).rfcs[0] == "RFC 4954"


@pytest.mark.parametrize(
    "number", [number for number, info in _data.reply_codes().items() if len(info.meanings) > 1]
)
def test_codes_with_several_meanings_say_so(number: int) -> None:
    from smtpreply import explain

    info = _data.reply_codes()[number]
    description = explain(number).description
    # Each meaning comes with the document that gives it, and the commands it answers.
    for meaning in info.meanings:
        assert meaning.text in description
        assert meaning.source in description
    defaults = [meaning.text for meaning in info.meanings if meaning.default]
    assert ReplyCode(number).description in defaults


def test_unknown_code_raises_invalid_reply() -> None:
    with pytest.raises(InvalidReply, match=r"^599 is not a reply code that any standard defines$"):
        ReplyCode(599)
    with pytest.raises(InvalidReply, match=r"^expected a 3-digit reply code, not 5300$"):
        ReplyCode(5300)
    with pytest.raises(InvalidReply, match=r"^expected a 3-digit reply code, not '530'$"):
        ReplyCode("530")  # type: ignore[arg-type]


def test_get_returns_none_for_unknown() -> None:
    assert ReplyCode.get(530) is ReplyCode.AUTHENTICATION_REQUIRED
    assert ReplyCode.get(599) is None
    assert ReplyCode.get(-1) is None


def test_typical_statuses_are_enhanced_statuses() -> None:
    statuses = ReplyCode(535).typical_statuses
    assert smtpreply.EnhancedStatus.parse("5.7.8") in statuses
    for code in ReplyCode:
        for status in code.typical_statuses:
            # A status goes with replies of its own class.
            assert status.class_ == code.value // 100


def test_commands() -> None:
    assert "VRFY" in ReplyCode(252).commands
    assert "AUTH" in ReplyCode(535).commands
    assert "CONNECT" in ReplyCode(220).commands


def test_pickle_and_copy_keep_identity() -> None:
    code = ReplyCode(530)
    assert pickle.loads(pickle.dumps(code)) is code
    assert copy.deepcopy(code) is code


def test_reply_class_titles() -> None:
    assert ReplyClass(2).title == "Positive Completion"
    assert ReplyClass(3).title == "Positive Intermediate"
    assert ReplyClass(4).title == "Transient Negative Completion"
    assert ReplyClass(5).title == "Permanent Negative Completion"
    for reply_class in ReplyClass:
        assert reply_class.description.endswith(".")


def test_category_titles() -> None:
    titles = [category.title for category in Category]
    assert titles == [
        "Syntax",
        "Information",
        "Connections",
        "Unspecified",
        "Unspecified",
        "Mail System",
    ]


@given(st.integers(min_value=100, max_value=999))
def test_of_follows_the_digits(number: int) -> None:
    reply_class = ReplyClass.of(number)
    category = Category.of(number)
    assert (reply_class is None) == (number // 100 > 5)
    assert (category is None) == (number // 10 % 10 > 5)
    if reply_class is not None:
        assert reply_class.value == number // 100


@pytest.mark.parametrize("bad", [99, 1000, -250, True, 2.5, "250"])
def test_of_rejects_non_codes(bad: object) -> None:
    with pytest.raises(InvalidReply, match=r"^expected a 3-digit reply code from 100 to 999"):
        ReplyClass.of(bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidReply):
        Category.of(bad)  # type: ignore[arg-type]
