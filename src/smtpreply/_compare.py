"""``diff``: the key differences between two codes, statuses or replies.

The differences are relations between the two sides, never a restatement of what
each means (each side's own section says that once):

- the class of each, when they differ, and what that means for the sender;
- a hand-written contrast for the pairs people confuse most (``data/contrasts.json``,
  each with its sources): the point that tells them apart;
- the commands each answers, and whether they share any;
- what each affects: the connection, the session, the transaction, one recipient,
  the whole message, or only the command;
- whether the connection stays open;
- what happens next, and who acts, from each side's verdict;
- the enhanced statuses, when the sides carry them.
"""

from __future__ import annotations

import enum
import functools
import re
from typing import TYPE_CHECKING

import attrs

from smtpreply import _data
from smtpreply._codes import ReplyCode
from smtpreply._explain import Explainable, Explanation, class_phrase, compose, explain
from smtpreply._language import Locale, Passage, check_locale, join, say, segments_of
from smtpreply._public import public
from smtpreply._render import Format, render_comparison
from smtpreply._status import EnhancedStatus
from smtpreply._taxonomy import Action

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Aspect", "Comparison", "Difference", "diff"]


@public
@enum.unique
class Aspect(str, enum.Enum):
    """What a :class:`Difference` is about, from the most to the least important."""

    #: The reply class: success, intermediate, transient or permanent failure.
    CLASS = "class"
    #: The point that tells the two apart, written for this pair, with its sources.
    CONTRAST = "contrast"
    #: The commands each answers.
    COMMANDS = "commands"
    #: What each affects: the connection, the session, one recipient, the message...
    SCOPE = "scope"
    #: Whether the connection stays open.
    CONNECTION = "connection"
    #: What happens next, and who acts.
    NEXT = "next"
    #: The subject of the enhanced status codes.
    STATUS_SUBJECT = "status_subject"
    #: The detail of the enhanced status codes.
    STATUS_DETAIL = "status_detail"


@public
@attrs.frozen
class Difference:
    """One way in which two codes differ.

    Attributes:
        aspect: What the difference is about.
        text: The difference, in one or two sentences.
        sources: Where its facts come from, for a hand-written contrast.
    """

    aspect: Aspect
    text: str
    sources: tuple[str, ...] = ()


@public
@attrs.frozen
class Comparison:
    """The key differences between two codes, statuses or replies.

    Made by :func:`diff`. ``str(comparison)`` is the plain-text rendering.

    Attributes:
        left: The explanation of the first side.
        right: The explanation of the second side.
        summary: One paragraph: both classes, and what tells the two apart.
        differences: The differences, most important first; empty when both
            sides are the same.
        advice: When to use which: what to do about each.
        locale: The locale of the sentences smtpreply composed.
    """

    left: Explanation
    right: Explanation
    summary: str
    differences: tuple[Difference, ...]
    advice: str
    locale: str = "en"

    @property
    def title(self) -> str:
        """``"SMTP 252 Cannot Verify User vs 530 Authentication Required"``."""
        return say(
            "comparison_title",
            self.locale,
            left=f"{self.left.label} {self.left.title}",
            right=f"{self.right.label} {self.right.title}",
        )

    def in_locale(self, locale: Locale) -> Comparison:
        """The same comparison, composed in ``locale``."""
        if locale == self.locale:
            return self
        return _build(self.left.in_locale(locale), self.right.in_locale(locale), locale)

    def render(self, format: Format = "text", locale: Locale | None = None) -> str:  # noqa: A002
        """Render the comparison.

        Args:
            format: ``"text"``, ``"markdown"``, ``"html"`` or ``"json"``.
            locale: One of :data:`LOCALES`; the comparison's own when ``None``.

        Returns:
            The rendering. Markdown and HTML escape every text, the server's included.

        Raises:
            ValueError: An unknown format or locale.
        """
        chosen = self.locale if locale is None else check_locale(locale)
        return render_comparison(self.in_locale(chosen), format)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        """The comparison as plain data: the JSON rendering, parsed."""
        import json

        data: dict[str, object] = json.loads(self.render("json"))
        return data

    def __str__(self) -> str:
        return self.render()


@public
def diff(left: Explainable, right: Explainable, *, locale: Locale = "en") -> Comparison:
    """The key differences between two codes, statuses or replies.

    Args:
        left: Anything :func:`explain` takes.
        right: Anything :func:`explain` takes.
        locale: The locale of the sentences smtpreply composes.

    Returns:
        The comparison. ``diff(a, a)`` has no differences, and ``diff(b, a)``
        mirrors ``diff(a, b)``.

    Raises:
        InvalidReply: A side is not something :func:`explain` takes.
        ValueError: ``locale`` is not one of :data:`LOCALES`.

    >>> first = diff(421, 450).differences[0]
    >>> first.aspect, first.sources
    (<Aspect.CONTRAST: 'contrast'>, ('RFC 5321, section 4.2.2', 'RFC 5321, section 3.8'))
    >>> [difference.aspect.value for difference in diff(221, 250).differences]
    ['commands', 'scope', 'connection']
    >>> diff(530, 530).differences
    ()
    """
    check_locale(locale)
    keys = (_cache_key(left), _cache_key(right))
    if keys[0] is not None and keys[1] is not None:
        # Codes and statuses carry no server text: their comparisons are cached.
        return _cached(keys[0], keys[1], locale)
    return _build(explain(left, locale=locale), explain(right, locale=locale), locale)


def _cache_key(subject: object) -> int | EnhancedStatus | None:
    if isinstance(subject, EnhancedStatus):
        return subject
    if isinstance(subject, int) and not isinstance(subject, bool):
        return int(subject)
    return None


@functools.lru_cache(maxsize=4096)
def _cached(left: int | EnhancedStatus, right: int | EnhancedStatus, locale: str) -> Comparison:
    return _build(explain(left, locale=locale), explain(right, locale=locale), locale)  # type: ignore[arg-type]


def _build(left: Explanation, right: Explanation, locale: str) -> Comparison:
    if left == right:
        summary = say(
            "summary_same",
            locale,
            left=left.label,
            left_class=class_phrase(left.reply_class, _lone_status(left), locale),
            gist=_gist(left, locale),
        )
        return Comparison(left, right, summary, (), _which(left, right, locale), locale)
    differences = tuple(_differences(left, right, locale))
    return Comparison(
        left,
        right,
        _summary(left, right, differences, locale),
        differences,
        _which(left, right, locale),
        locale,
    )


def _lone_status(exp: Explanation) -> EnhancedStatus | None:
    """The status of an explanation of a status alone (not of a reply)."""
    return exp.status if exp.code is None else None


def _gist(exp: Explanation, locale: str) -> str:
    return say(f"gist_{exp.reply_class.value}", locale) if exp.reply_class is not None else "?"


def _summary(
    left: Explanation, right: Explanation, differences: tuple[Difference, ...], locale: str
) -> str:
    left_class = class_phrase(left.reply_class, _lone_status(left), locale)
    right_class = class_phrase(right.reply_class, _lone_status(right), locale)
    if left_class == right_class:
        opening = say(
            "summary_same_class",
            locale,
            left=left.name,
            right=right.name,
            class_phrase=left_class,
            gist=_gist(left, locale),
        )
    else:
        opening = say(
            "summary_other_class",
            locale,
            left=left.name,
            right=right.name,
            left_class=left_class,
            right_class=right_class,
        )
    segments = [(locale, opening)]
    for difference in differences:
        if difference.aspect is not Aspect.CLASS:
            segments += getattr(difference.text, "segments", [(locale, difference.text)])
            break
    return Passage(segments)


def _differences(left: Explanation, right: Explanation, locale: str) -> Iterator[Difference]:
    a, b = left.label, right.label
    left_class = class_phrase(left.reply_class, _lone_status(left), locale)
    right_class = class_phrase(right.reply_class, _lone_status(right), locale)
    if left_class != right_class:
        text = say(
            "diff_class",
            locale,
            left=a,
            right=b,
            left_class=left_class,
            right_class=right_class,
            left_gist=_gist(left, locale),
            right_gist=_gist(right, locale),
        )
        yield Difference(Aspect.CLASS, text)
    codes = _codes(left), _codes(right)
    if codes[0] is not None and codes[1] is not None and codes[0] != codes[1]:
        yield from _code_differences(left, right, codes[0], codes[1], locale)
    yield from _status_differences(left, right, locale)


def _codes(exp: Explanation) -> int | None:
    """The code of a side when the catalogue describes it."""
    if exp.code is None or ReplyCode.get(int(exp.code)) is None:
        return None
    return int(exp.code)


def _code_differences(
    left: Explanation, right: Explanation, first: int, second: int, locale: str
) -> Iterator[Difference]:
    a, b = left.label, right.label
    contrast = _data.contrasts().get(frozenset((first, second)))
    if contrast is not None:
        sources = join(contrast.sources, locale, "and")
        contrast_text = Passage(
            [(locale, contrast.texts[locale]), (locale, say("source", locale, sources=sources))]
        )
        yield Difference(Aspect.CONTRAST, contrast_text, contrast.sources)
    infos = _data.reply_codes()
    one, two = infos[first], infos[second]
    yield from _commands(a, b, one, two, locale)
    # A hand-written contrast already says what each affects and whether the
    # connection stays open, in the words that fit the pair.
    if contrast is None and one.affects != two.affects:
        text = say(
            "diff_affects",
            locale,
            left=a,
            right=b,
            left_affects=say(f"affects_{one.affects}", locale),
            right_affects=say(f"affects_{two.affects}", locale),
        )
        yield Difference(Aspect.SCOPE, text)
    if contrast is None and one.closes != two.closes:
        closing, open_ = (a, b) if one.closes else (b, a)
        yield Difference(
            Aspect.CONNECTION, say("diff_closes", locale, closing=closing, open=open_)
        )
    left_next, right_next = _next(left, locale), _next(right, locale)
    if left_next != right_next:
        text = say(
            "diff_next", locale, left=a, right=b, left_next=left_next, right_next=right_next
        )
        yield Difference(Aspect.NEXT, text)


def _commands(
    a: str, b: str, one: _data.CodeInfo, two: _data.CodeInfo, locale: str
) -> Iterator[Difference]:
    if "*" in one.commands or "*" in two.commands:
        return  # a code that can answer any command shares them all
    first, second = list(one.commands), list(two.commands)
    if not first or not second or set(first) == set(second):
        return
    text = say(
        "diff_commands",
        locale,
        left=a,
        right=b,
        left_commands=join(first, locale, "and"),
        right_commands=join(second, locale, "and"),
    )
    shared = [command for command in first if command in second]
    tail = (
        say("diff_commands_shared", locale, commands=join(shared, locale, "and"))
        if shared
        else say("diff_commands_none", locale)
    )
    yield Difference(Aspect.COMMANDS, f"{text} {tail}")


_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")

_NEXT = {
    Action.DONE: "next_done",
    Action.RETRY: "next_retry",
    Action.RETRY_SLOWER: "next_retry_slower",
    Action.STOP: "next_stop",
}


def _next(exp: Explanation, locale: str) -> str:
    """What happens after the reply, and who acts, from its verdict."""
    verdict = exp.verdict
    if verdict is None:
        return "?"
    key = _NEXT.get(verdict.action)
    if key is None:  # fix and resend: the party says who must do something
        key = "next_fix_recipient" if exp.party is _data.Party.RECIPIENT else "next_fix_sender"
    return say(key, locale)


def _status_differences(
    left: Explanation, right: Explanation, locale: str
) -> Iterator[Difference]:
    first, second = left.status, right.status
    if first is None and second is None:
        return
    if first is None or second is None:
        having, status = (left, first) if second is None else (right, second)
        assert status is not None  # noqa: S101 - one of the two is set
        text = compose(
            "diff_status_only",
            locale,
            {"title": status.title, "subject": status.subject_title.lower()},
            label=having.label,
            status=status,
        )
        yield Difference(Aspect.STATUS_SUBJECT, Passage(text))
        return
    if first.subject != second.subject:
        text = compose(
            "diff_status_subject",
            locale,
            {
                "left_subject": first.subject_title.lower(),
                "right_subject": second.subject_title.lower(),
            },
            left=first,
            right=second,
        )
        yield Difference(Aspect.STATUS_SUBJECT, Passage(text))
    if (first.subject, first.detail) != (second.subject, second.detail):
        text = compose(
            "diff_status_detail",
            locale,
            {"left_title": first.title, "right_title": second.title},
            left=first,
            right=second,
        )
        yield Difference(Aspect.STATUS_DETAIL, Passage(text))


def _which(left: Explanation, right: Explanation, locale: str) -> str:
    """For each side, what to do about it: the first piece of its advice."""
    segments: list[tuple[str, str]] = []
    for exp in (left, right) if left != right else (left,):
        fix = segments_of(exp.fix, "en")
        advice = next((text for lang, text in fix if lang == "en"), str(exp.fix))
        # The first sentence is the step to take; the rest is already on the page.
        first = _FIRST_SENTENCE.split(advice.strip(), maxsplit=1)[0]
        segments += compose(
            "which_item", locale, {"title": exp.title, "text": first}, label=exp.label
        )
    return Passage(segments)
