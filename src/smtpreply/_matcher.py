"""A multi-pattern matcher: every phrase of many tables, found in one pass.

The phrases are lower-case literals. Where a script separates its words with
spaces (Latin, Greek, Cyrillic, Arabic...), a phrase matches only as whole words:
"dkim" does not match inside "DKIM-Signature". A phrase that ends with an
ASCII letter also matches with an English ending on its last word (``s``,
``es``, ``d``, ``ed``, ``ing``): "greylist" matches "greylisted", "rate limit"
matches "rate limited". Scripts written without spaces between words (Chinese,
Japanese, Korean, Thai) match anywhere.

How the text is read, in three steps of C-level string work:

1. The text's words are collected into a set (for plain ASCII, by turning every
   other byte into a space and splitting; else by one regular expression, no
   backtracking) and intersected with the set of *anchors*: each phrase is
   filed under its least frequent whole word, so a phrase can only be in the
   text if its anchor is one of the text's words.
2. Each phrase filed under a word the text has is looked up with ``str.find``
   and its word boundaries checked.
3. Phrases with no whole word of a spaced script (``用户不存在``) form one
   regular expression shaped as a prefix tree, run only on text that is not
   plain ASCII.

``find`` gives every phrase found; ``maximal`` keeps those that do not stand
inside a longer phrase found at the same place ("too much mail" inside "too much
mail data", "access denied" inside "relay access denied"), for tables where the
longer phrase should win.
"""

from __future__ import annotations

import collections
import itertools
import re
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "Match",
    "PhraseMatcher",
    "is_word_char",
    "joined_after",
    "joined_before",
    "maximal",
    "needs_boundary",
]

T = TypeVar("T")

# The first code point of the scripts that write words without spaces between them.
_UNSPACED = 0x0E00
# A word, as the anchors are cut: a run of letters and digits.
_WORDS = re.compile(r"[^\W_]+")
# The same cut for ASCII text, done on bytes: every byte that is not a word
# character becomes a space, and ``bytes.split`` does the rest.
_ASCII_WORD = frozenset(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_CUT = bytes(byte if byte in _ASCII_WORD else 32 for byte in range(256))
# The English endings a phrase's last word may take, longest first.
_ENDINGS = ("ing", "es", "ed", "s", "d")
# The words most frequent in real replies (counted on the labelled corpus's tuning part
# and the replies of real servers in tests/data), most frequent first. A phrase is
# filed under its least frequent word, so that common text makes few phrases be
# looked for.
_FREQUENT = {
    word: rank
    for rank, word in enumerate(
        reversed(
            (
                "to",
                "not",
                "com",
                "command",
                "mail",
                "recipient",
                "address",
                "in",
                "please",
                "from",
                "message",
                "error",
                "https",
                "for",
                "of",
                "is",
                "ok",
                "user",
                "example",
                "reply",
                "invalid",
                "this",
                "rejected",
                "visit",
                "the",
                "gsmtp",
                "google",
                "ip",
                "support",
                "has",
                "blocked",
                "your",
                "or",
                "data",
                "been",
                "domain",
                "spam",
                "rcpt",
                "our",
                "more",
                "end",
                "service",
                "host",
                "messages",
                "try",
                "syntax",
                "information",
                "see",
                "system",
                "due",
                "sender",
                "mailbox",
                "unavailable",
                "detected",
                "sent",
                "again",
                "http",
                "unrecognized",
                "with",
                "email",
                "later",
                "temporarily",
                "localhost",
                "too",
                "that",
                "rate",
                "outlook",
                "at",
                "help",
                "on",
                "smtp",
                "exceeded",
                "unknown",
                "users",
                "accepted",
                "and",
                "local",
                "does",
                "gmail",
                "prod",
                "denied",
                "org",
                "you",
                "be",
                "an",
                "found",
                "no",
                "answer",
                "protect",
                "unsolicited",
                "server",
                "by",
                "delivery",
                "size",
                "authentication",
                "policy",
                "postmaster",
                "review",
                "senders",
                "relay",
                "failed",
                "account",
                "are",
                "as",
                "it",
                "e",
            )
        )
    )
}


def is_word_char(char: str) -> bool:
    """True for a character that continues a word: a letter, a digit or ``_``."""
    return char.isalnum() or char == "_"


def joined_before(text: str, start: int) -> bool:
    """True when the word at ``start`` goes on from one before it (``DKIM-Signature``).

    A hyphen joins two words only between word characters: ``suspended--please``
    and ``- spam`` do not join.
    """
    if start == 0:
        return False
    before = text[start - 1]
    if before == "-":
        return start >= 2 and is_word_char(text[start - 2])
    return is_word_char(before)


def joined_after(text: str, end: int) -> bool:
    """True when the word that ends at ``end`` goes on after it (``DKIM-Signature``)."""
    if end >= len(text):
        return False
    after = text[end]
    if after == "-":
        return end + 1 < len(text) and is_word_char(text[end + 1])
    return is_word_char(after)


def needs_boundary(char: str) -> bool:
    """True when a phrase that starts or ends with ``char`` needs a word boundary there."""
    return char.isalnum() and ord(char) < _UNSPACED


class Match(Generic[T]):
    """One phrase found: where it stands, and the value its table gives it."""

    __slots__ = ("end", "phrase", "start", "value")

    def __init__(self, start: int, end: int, phrase: str, value: T) -> None:
        self.start = start
        self.end = end
        self.phrase = phrase
        self.value = value

    def __repr__(self) -> str:
        return f"Match({self.start}, {self.end}, {self.phrase!r}, {self.value!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Match):
            return NotImplemented
        return (self.start, self.end, self.phrase, self.value) == (
            other.start,
            other.end,
            other.phrase,
            other.value,
        )

    __hash__ = None  # type: ignore[assignment]


class PhraseMatcher(Generic[T]):
    """Find the phrases of a table in a lower-case text.

    >>> matcher = PhraseMatcher(
    ...     {"user unknown": "a", "unknown": "b", "用户不存在": "c", "dkim": "d"}
    ... )
    >>> found = matcher.find("550 user unknown; 用户不存在, unknown")
    >>> [(m.phrase, m.value) for m in found]
    [('user unknown', 'a'), ('unknown', 'b'), ('用户不存在', 'c'), ('unknown', 'b')]
    >>> [m.phrase for m in maximal(found)]
    ['user unknown', '用户不存在', 'unknown']
    >>> matcher.find("userunknown dkim-signature")
    []
    """

    def __init__(self, table: Mapping[str, T]) -> None:
        self._values: dict[str, T] = dict(table)
        anchored, unanchored, required = _file(self._values)
        # Each anchor's phrases with the words they need in the text, as whole words
        # (a phrase's last word may take an ending, so it is not required): most
        # phrases filed under a word the text has are ruled out without a search.
        pairs = {phrase: (phrase, words) for phrase, words in required.items()}
        self._candidates = {
            anchor: tuple(map(pairs.__getitem__, phrases)) for anchor, phrases in anchored.items()
        }
        self._anchors = frozenset(self._candidates)
        self._unanchored_phrases = unanchored
        self._unanchored_pattern: re.Pattern[str] | None = None  # compiled on first use
        self._edges = {phrase: _edges(phrase) for phrase in self._values}

    def __len__(self) -> int:
        return len(self._values)

    def find(self, text: str) -> list[Match[T]]:
        """Every phrase that ``text`` holds, by where it starts, the longer first."""
        found: list[tuple[int, int, str]] = []
        plain = text.isascii()
        if plain:
            tokens = set(text.encode().translate(_ASCII_CUT).decode().split())
        else:
            tokens = set(_WORDS.findall(text))
        locate = text.find
        candidates = self._candidates
        checked: set[str] = set()  # a phrase filed under several forms of its last word
        for word in self._anchors.intersection(tokens):
            for phrase, required in candidates[word]:
                if not required <= tokens:
                    continue
                position = locate(phrase)
                if position >= 0 and phrase not in checked:
                    checked.add(phrase)
                    self._occurrences(text, phrase, position, found)
        if plain or not self._unanchored_phrases:
            return self._sorted(found)
        if self._unanchored_pattern is None:
            self._unanchored_pattern = re.compile(_tree(self._unanchored_phrases))
        search = self._unanchored_pattern.search
        hit = search(text)
        while hit is not None:
            found.append((hit.start(), hit.end(), hit.group()))
            hit = search(text, hit.start() + 1)
        return self._sorted(found)

    def _occurrences(
        self, text: str, phrase: str, position: int, found: list[tuple[int, int, str]]
    ) -> None:
        """Add each place from ``position`` on where ``phrase`` stands on its boundaries."""
        size = len(phrase)
        start_bound, end_bound, inflects = self._edges[phrase]
        while position >= 0:
            end = position + size
            if not (start_bound and joined_before(text, position)):
                if end_bound and joined_after(text, end):
                    end = _ending(text, end) if inflects else -1
                if end >= 0:
                    found.append((position, end, phrase))
            position = text.find(phrase, position + 1)

    def _sorted(self, found: list[tuple[int, int, str]]) -> list[Match[T]]:
        # By place, the longer first; where two phrases cover the same text (one
        # with an English ending), the one written longer, then the first in
        # alphabetical order: an order that does not depend on set iteration.
        found.sort(key=lambda item: (item[0], -item[1], -len(item[2]), item[2]))
        values = self._values
        return [Match(start, end, phrase, values[phrase]) for start, end, phrase in found]


def _edges(phrase: str) -> tuple[bool, bool, bool]:
    """Needs ``phrase`` a boundary at its start, at its end; may its last word inflect."""
    first, last = phrase[0], phrase[-1]
    # ASCII letters and digits always need a boundary; other characters are asked
    # (needs_boundary); punctuation never needs one.
    return (
        first.isalnum() and (first.isascii() or needs_boundary(first)),
        last.isalnum() and (last.isascii() or needs_boundary(last)),
        "a" <= last <= "z",
    )


def maximal(matches: Iterable[Match[T]]) -> list[Match[T]]:
    """The matches that stand inside no longer match (``matches`` in ``find``'s order)."""
    result: list[Match[T]] = []
    reach = -1
    for match in matches:
        if match.end <= reach:
            continue  # inside a phrase that starts earlier or at the same place
        reach = match.end
        result.append(match)
    return result


def _file(
    phrases: Iterable[str],
) -> tuple[dict[str, list[str]], list[str], dict[str, frozenset[str]]]:
    """The phrases filed under their anchors, those with none, the words each needs.

    A phrase is filed under its anchor and, when its last word is the anchor and
    may take an English ending, under each form with an ending. The words a phrase
    needs are those ``_required_words`` gives.

    A phrase's anchor is its least frequent whole word: a word absent from the
    list of frequent words first, then the one the fewest phrases share, then the
    longest. Every text that has the anchor makes the phrase be looked for.

    Raises:
        ValueError: a phrase is not lower case and stripped, or has nothing to file
            it under and is plain ASCII.
    """
    whole: dict[str, list[str]] = {}
    for phrase in phrases:
        if not phrase or phrase != phrase.lower() or phrase != phrase.strip():
            raise ValueError(f"a phrase is lower case, without outer spaces: {phrase!r}")
        whole[phrase] = _whole_words(phrase)
    # How many phrases each word is in; then each word's rank as an anchor, once.
    shared = collections.Counter(itertools.chain.from_iterable(map(set, whole.values())))
    rank = {word: (_FREQUENT.get(word, -1), count, -len(word)) for word, count in shared.items()}
    anchored: dict[str, list[str]] = {}
    unanchored: list[str] = []
    required: dict[str, frozenset[str]] = {}
    for phrase, found in whole.items():
        required[phrase] = _required_words(phrase, found)
        if not found:
            if phrase.isascii():
                raise ValueError(f"a phrase needs a word of letters or digits: {phrase!r}")
            unanchored.append(phrase)
            continue
        anchor = found[0] if len(found) == 1 else min(found, key=rank.__getitem__)
        anchored.setdefault(anchor, []).append(phrase)
        if "a" <= phrase[-1] <= "z" and phrase.endswith(anchor):
            for ending in _ENDINGS:
                anchored.setdefault(anchor + ending, []).append(phrase)
    return anchored, unanchored, required


def _required_words(phrase: str, words: list[str]) -> frozenset[str]:
    """The whole words a text must have for ``phrase`` to be in it, as the text is cut.

    ``words`` are the phrase's whole words. Every whole word of a phrase that
    matches on its boundaries is a whole word of the text, except the last one
    when it takes an English ending.
    """
    required = set(words)
    if words and _inflects(phrase) and phrase.endswith(words[-1]):
        required.discard(words[-1])
    return frozenset(required)


def _inflects(phrase: str) -> bool:
    """True when the phrase's last word may take an English ending."""
    return "a" <= phrase[-1] <= "z"


def _ending(text: str, end: int) -> int:
    """Where a word ends that continues at ``end`` with an English ending, or -1."""
    for ending in _ENDINGS:
        if text.startswith(ending, end) and not joined_after(text, end + len(ending)):
            return end + len(ending)
    return -1


def _whole_words(phrase: str) -> list[str]:
    """The words of ``phrase`` written wholly in a spaced script.

    Words are maximal runs of letters and digits, so wherever the phrase matches
    on its boundaries, each such word is also a whole word of the text.
    """
    words = _WORDS.findall(phrase)
    if phrase.isascii():  # ASCII letters and digits always need a boundary
        return words
    return [word for word in words if word.isascii() or all(map(needs_boundary, word))]


def _tree(phrases: Iterable[str]) -> str:
    """A regular expression of ``phrases`` shaped as a prefix tree, longest first."""
    tree: dict[str, Any] = {}
    for phrase in phrases:
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(tree, "", first=True)


def _branches(node: Mapping[str, Any], previous: str, *, first: bool = False) -> str:
    options = []
    for char in sorted(key for key in node if key):
        literal = re.escape(char)
        if first and needs_boundary(char):
            literal += rf"(?<!\w{literal})(?<!\w-{literal})"
        options.append(literal + _branches(node[char], char))
    if "" in node:
        options.append(r"(?!\w|-\w)" if needs_boundary(previous) else "")
    if len(options) == 1:
        return options[0]
    return "(?:" + "|".join(options) + ")"
