"""diff(): comparisons built from relations, and hand-written contrasts for confused pairs."""

from __future__ import annotations

import collections
import itertools
import pickle
import re
import smtplib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtpreply import LOCALES, Aspect, Comparison, InvalidReply, ReplyCode, _data, diff

CODES = [int(code) for code in ReplyCode]
PAIRS = list(itertools.combinations(CODES, 2))
SENTENCE_END = re.compile(r"(?<=[.!?。])\s+")
# The pairs the RFCs relate, and the ones people confuse most (issue 11).
RELATED = [
    (251, 551),
    (452, 552),
    (455, 555),
    (521, 556),
    (530, 534),
    (530, 535),
    (534, 535),
    (530, 538),
    (454, 530),
    (421, 450),
    (550, 554),
]


def _strings(value: object) -> list[str]:
    """Every string in a JSON-like value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _sentences(cmp: Comparison) -> list[str]:
    """The sentences of a comparison's page: its summary, both sides, differences and advice."""
    texts = [cmp.summary, cmp.advice, *(difference.text for difference in cmp.differences)]
    for side in (cmp.left, cmp.right):
        texts += [side.description, side.when, side.fix]
    return [
        sentence.strip()
        for text in texts
        for sentence in SENTENCE_END.split(str(text))
        if len(sentence.split()) >= 4
    ]


def test_there_are_contrasts_for_the_confused_pairs() -> None:
    contrasts = _data.contrasts()
    assert len(contrasts) >= 40
    for pair in RELATED:
        assert frozenset(pair) in contrasts, pair
    for codes, contrast in contrasts.items():
        assert all(ReplyCode.get(code) for code in codes)
        assert contrast.sources
        assert set(contrast.texts) == set(LOCALES)


@pytest.mark.parametrize(("left", "right"), RELATED)
def test_a_contrast_comes_first_with_its_sources(left: int, right: int) -> None:
    cmp = diff(left, right)
    first = cmp.differences[0] if cmp.differences[0].aspect is not Aspect.CLASS else None
    contrast = next(d for d in cmp.differences if d.aspect is Aspect.CONTRAST)
    assert first is None or first is contrast
    assert contrast.sources == _data.contrasts()[frozenset((left, right))].sources
    assert str(left) in contrast.text
    assert str(right) in contrast.text
    # The generator is the fallback: it does not restate what the contrast says.
    aspects = {difference.aspect for difference in cmp.differences}
    assert not aspects & {Aspect.SCOPE, Aspect.CONNECTION}


def test_421_and_450_say_what_each_affects() -> None:
    text = str(diff(421, 450))
    assert "ends the whole session" in text
    assert "defers one mailbox" in text


@pytest.mark.parametrize(("left", "right"), PAIRS)
def test_no_sentence_appears_more_than_twice(left: int, right: int) -> None:
    counts = collections.Counter(_sentences(diff(left, right)))
    repeated = {sentence: count for sentence, count in counts.items() if count > 2}
    assert not repeated


@pytest.mark.parametrize(("left", "right"), PAIRS)
def test_a_difference_never_restates_a_description(left: int, right: int) -> None:
    cmp = diff(left, right)
    described = {
        sentence.strip()
        for side in (cmp.left, cmp.right)
        for sentence in SENTENCE_END.split(str(side.description))
        if len(sentence.split()) >= 4
    }
    for difference in cmp.differences:
        for sentence in described:
            assert sentence not in difference.text


@pytest.mark.parametrize(("left", "right"), PAIRS)
def test_diff_mirrors(left: int, right: int) -> None:
    forward, backward = diff(left, right), diff(right, left)
    assert [d.aspect for d in forward.differences] == [d.aspect for d in backward.differences]
    assert forward.left == backward.right


@pytest.mark.parametrize("code", CODES)
def test_diff_with_itself_has_no_differences(code: int) -> None:
    cmp = diff(code, code)
    assert cmp.differences == ()
    assert str(code) in cmp.summary


def test_relations_without_a_contrast() -> None:
    pairs = [
        pair
        for pair in PAIRS
        if frozenset(pair) not in _data.contrasts()
        and _data.reply_codes()[pair[0]].closes != _data.reply_codes()[pair[1]].closes
    ]
    assert pairs
    for left, right in pairs:
        assert Aspect.CONNECTION in {d.aspect for d in diff(left, right).differences}


@pytest.mark.parametrize(("left", "right"), PAIRS)
def test_commands_relation_is_true(left: int, right: int) -> None:
    one, two = _data.reply_codes()[left], _data.reply_codes()[right]
    commands = [d for d in diff(left, right).differences if d.aspect is Aspect.COMMANDS]
    if "*" in one.commands or "*" in two.commands or set(one.commands) == set(two.commands):
        assert not commands
        return
    (difference,) = commands
    shared = set(one.commands) & set(two.commands)
    assert ("never answer the same command" in difference.text) is not bool(shared)
    for command in shared:
        assert command in difference.text


def _english_fragments() -> set[str]:
    """The fixed words of the English templates, long enough to be telling."""
    english = _data.locales()["en"]
    return {
        fragment.strip()
        for template in english.values()
        for fragment in re.split(r"\{[a-z_]+\}", template)
        if len(fragment.strip()) >= 12
    }


@pytest.mark.parametrize("locale", [locale for locale in LOCALES if locale != "en"])
def test_every_composed_sentence_is_in_the_locale(locale: str) -> None:
    fragments = _english_fragments()
    for left, right in [(252, 530), (421, 450), (534, 535), (250, 550), (220, 554)]:
        cmp = diff(left, right, locale=locale)  # type: ignore[arg-type]
        texts = [cmp.summary, cmp.advice, *(d.text for d in cmp.differences)]
        for text in texts:
            for lang, part in getattr(text, "segments", ((locale, text),)):
                if lang != locale:
                    continue
                for fragment in fragments:
                    assert fragment not in part, (locale, left, right, fragment)


def test_diff_takes_what_people_paste() -> None:
    gmail = "534-5.7.9 Application-specific password required.\n534 5.7.9 Learn more - gsmtp"
    cmp = diff(gmail, "535 5.7.8 Username and Password not accepted")
    assert cmp.left.label == "534 5.7.9"
    assert cmp.left.provider is not None
    error = smtplib.SMTPAuthenticationError(535, b"5.7.8 Username and Password not accepted")
    assert diff(error, 534).left.command == "AUTH"
    assert diff((550, b"5.1.1 User unknown"), 550).left.status is not None


@pytest.mark.parametrize("bad", [None, "hello", 99, 3.5, ()])
def test_bad_sides_are_invalid(bad: object) -> None:
    with pytest.raises(InvalidReply):
        diff(bad, 530)  # type: ignore[arg-type]
    with pytest.raises(InvalidReply):
        diff(530, bad)  # type: ignore[arg-type]


def test_unknown_locale() -> None:
    with pytest.raises(ValueError, match="unknown locale"):
        diff(530, 535, locale="xx")  # type: ignore[arg-type]


@given(st.sampled_from(CODES), st.sampled_from(CODES), st.sampled_from(LOCALES))
def test_comparisons_are_values(left: int, right: int, locale: str) -> None:
    cmp = diff(left, right, locale=locale)  # type: ignore[arg-type]
    assert hash(cmp) == hash(diff(left, right, locale=locale))  # type: ignore[arg-type]
    copy = pickle.loads(pickle.dumps(cmp))
    assert copy == cmp
    assert copy.render() == cmp.render()
    assert cmp.in_locale("en") == diff(left, right)
