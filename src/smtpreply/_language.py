"""The sentences smtpreply composes, in every locale it speaks.

Everything the library writes itself (headings, summaries, the differences
between two codes, advice framing, labels) comes from templates in
``data/locales.json``, one set per locale, each with the same placeholders. The
data it quotes (what a code means, when you see it, how to fix it) is English: a
:class:`Passage` remembers which of its parts are in which language, so that
renderings can say so (HTML ``lang`` attributes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

from smtpreply import _data

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "LOCALES",
    "Locale",
    "Passage",
    "check_locale",
    "class_name",
    "join",
    "labelled",
    "passage",
    "say",
    "segments_of",
]

#: The locales smtpreply writes in.
Locale = Literal["de", "en", "es", "fr", "id", "ko", "pt", "ru", "tr", "vi", "zh-Hans"]
#: The locales that explanations and comparisons can be written in.
LOCALES: tuple[Locale, ...] = get_args(Locale)


def check_locale(locale: object) -> str:
    """``locale`` itself when smtpreply speaks it; else ``ValueError``."""
    if locale not in LOCALES:
        raise ValueError(
            f"unknown locale {locale!r}; the supported locales are: {', '.join(LOCALES)}"
        )
    return str(locale)


class _Values(dict[str, object]):
    """Placeholder values; a missing one stays visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def say(key: str, locale: str, **values: object) -> str:
    """The template ``key`` of ``locale``, with its placeholders filled in."""
    return _data.locales()[locale][key].format_map(_Values(values))


# The template of each reply class's name, by the code's first digit.
_CLASS_KEYS = {
    1: "positive_preliminary",
    2: "positive_completion",
    3: "positive_intermediate",
    4: "transient_negative",
    5: "permanent_negative",
}


def class_name(digit: int, locale: str) -> str:
    """The name of the reply class of first digit ``digit`` ("Permanent Negative Completion")."""
    return say(_CLASS_KEYS[digit], locale)


# How a label is joined to its value: French puts a no-break space before the
# colon, Chinese uses the full-width colon.
_LABEL_SEPARATORS = {"fr": "\u00a0: ", "zh-Hans": "\uff1a"}


def labelled(label: str, value: str, locale: str) -> str:
    """``"Class: 5yz ..."``, with the colon as ``locale`` writes it."""
    return f"{label}{_LABEL_SEPARATORS.get(locale, ': ')}{value}"


def join(items: Iterable[str], locale: str, conjunction: str = "or") -> str:
    """``"A, B or C"`` in ``locale``; ``conjunction`` is ``"or"`` or ``"and"``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    spaced = "" if locale == "zh-Hans" else " "
    separator = say("list_separator", locale) + spaced
    last = say(conjunction, locale)
    return separator.join(items[:-1]) + f"{spaced}{last}{spaced}" + items[-1]


# A part that ends with one of these ends a sentence or a label: the next part
# starts after a space. Other boundaries are joined as they are, since the
# templates carry their own spaces (and Chinese uses none between sentences).
_SENTENCE_ENDS = frozenset(".!?:;")


def _spaced(parts: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for lang, text in parts:
        if not text:
            continue
        if out:
            last_lang, last = out[-1]
            if last[-1] in _SENTENCE_ENDS and not text[0].isspace():
                out[-1] = (last_lang, last + " ")
        out.append((lang, text))
    return tuple(out)


class Passage(str):
    """A text made of parts in different languages: composed sentences and quoted data.

    It is a ``str`` (the whole text, the parts joined); ``segments`` says which
    language each part is in, for renderings that can mark it. A part that ends a
    sentence is followed by a space.
    """

    segments: tuple[tuple[str, str], ...]

    def __new__(cls, segments: Iterable[tuple[str, str]]) -> Passage:
        parts = _spaced(segments)
        self = super().__new__(cls, "".join(text for _, text in parts).strip())
        self.segments = parts
        return self

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Passage, (self.segments,))


def segments_of(text: str, locale: str) -> tuple[tuple[str, str], ...]:
    """The ``(language, text)`` parts of ``text``: its own for a :class:`Passage`, else one."""
    if isinstance(text, Passage):
        return text.segments
    return ((locale, text),) if text else ()


def passage(*segments: tuple[str, str]) -> Passage:
    """A :class:`Passage` of ``(language, text)`` parts, joined with spaces."""
    return Passage(segments)
