"""Reading the data files shipped in ``smtpreply/data``.

Each file is read once, on first use, validated, and cached. Nothing here runs at
import time: ``import smtpreply`` reads no data file.
"""

from __future__ import annotations

import enum
import functools
import re
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from smtpreply._grammar import COMMANDS, NUMBER_PATTERN, STATUS_PATTERN
from smtpreply._public import public

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["REGISTRY_VERSION", "Party", "RegistryEntry"]

#: The version (last-updated date) of the IANA enhanced status registry shipped in
#: ``data/enhanced_status.json``; a test keeps the two equal.
REGISTRY_VERSION = "2024-12-06"

#: What a reply can be about, from the widest to the narrowest.
AFFECTS = ("connection", "session", "transaction", "recipient", "message", "command")

_RFC = re.compile(r"(?:RFC [1-9][0-9]{0,4}|draft-[a-z0-9]+(?:-[a-z0-9]+)+)\Z")
# A citation: a document, and where in it.
_SOURCE = re.compile(
    r"(?:RFC [1-9][0-9]{0,4}(?:, (?:sections?|appendix) [0-9A-Z][0-9A-Za-z.,\- ]*)?"
    r"|IANA [A-Za-z ]*registry[A-Za-z0-9 .,()\-]*"
    r"|draft-[a-z0-9]+(?:-[a-z0-9]+)+(?:, section [0-9.]+)?)\Z"
)
_STATUS_PATTERN_X = re.compile(rf"X\.{NUMBER_PATTERN}\.(?:{NUMBER_PATTERN}|\*)\Z")
# A placeholder of a sentence template: "{name}".
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_STATUS_CODE = re.compile(rf"X\.{NUMBER_PATTERN}\.{NUMBER_PATTERN}\Z")
_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\Z")
_ENHANCED = re.compile(rf"{STATUS_PATTERN}\Z")
# A command verb the grammar knows, or "*" for any command.
_COMMAND = re.compile("(?:{}|\\*)\\Z".format("|".join(sorted(COMMANDS))))


class DataError(RuntimeError):
    """A shipped data file is missing or malformed: a packaging bug, not bad input."""


@public
@enum.unique
class Party(str, enum.Enum):
    """Which side must act on a reply."""

    #: Nothing needs to be done: the reply reports progress or success.
    NOBODY = "nobody"
    #: The sender must act: its configuration, credentials, message or addresses.
    SENDER = "sender"
    #: The recipient's side must act: the recipient or the receiving server's administrator.
    RECIPIENT = "recipient"


PARTIES = tuple(party.value for party in Party)


class Meaning(NamedTuple):
    """One meaning of a reply code, and the commands it is the meaning for."""

    commands: tuple[str, ...]
    default: bool
    source: str
    text: str

    def answers(self, command: str | None) -> bool:
        """True when this is the meaning of a reply to ``command`` (``None``: unknown)."""
        if command is None:
            return self.default
        return "*" in self.commands or command in self.commands


class Advice(NamedTuple):
    """One piece of advice, and the replies it is for: all, or those with a status or command."""

    statuses: tuple[str, ...]
    commands: tuple[str, ...]
    text: str

    @property
    def general(self) -> bool:
        """True for advice that holds for every reply with the code."""
        return not self.statuses and not self.commands

    def fits(self, subject: int | None, detail: int | None, command: str | None) -> bool:
        """True when the advice is for a reply with this status and command."""
        if self.general:
            return True
        if command is not None and command in self.commands:
            return True
        return subject is not None and any(
            pattern in (f"X.{subject}.{detail}", f"X.{subject}.*") for pattern in self.statuses
        )


class CodeInfo(NamedTuple):
    """What the catalogue says about one basic reply code."""

    code: int
    name: str
    title: str
    meanings: tuple[Meaning, ...]
    when: str
    advice: tuple[Advice, ...]
    rfcs: tuple[str, ...]
    sources: tuple[str, ...]
    party: Party
    deprecated: bool
    affects: str
    closes: bool
    commands: tuple[str, ...]
    enhanced: tuple[str, ...]


class Contrast(NamedTuple):
    """A hand-written contrast between two reply codes, in every locale, with its sources."""

    codes: tuple[int, int]
    sources: tuple[str, ...]
    texts: Mapping[str, str]


class GroupInfo(NamedTuple):
    """The text for a group of codes: a reply class, a category, a status class or subject."""

    number: int
    title: str
    description: str
    when: str
    fix: str
    rfcs: tuple[str, ...]
    party: str = ""


@public
@attrs.frozen
class RegistryEntry:
    """One enumerated code of the IANA "SMTP Enhanced Status Codes" registry.

    The registry writes its codes with an ``X`` for the class (``X.1.1``): the
    same subject and detail mean the same thing in a success (2), a transient
    failure (4) and a permanent failure (5).

    Attributes:
        subject: The subject sub-code (the middle number).
        detail: The detail sub-code (the last number).
        title: The registry's title for the code, as the registry writes it.
        description: What the code means, in smtpreply's words.
        when: When a sender sees it.
        fix: What to do about it.
        basic_codes: The basic reply codes the registry associates with it.
        basic_codes_note: Anything the registry adds about those codes, such as
            a wildcard ("any 5XX"), or ``""``.
        rfcs: The documents the registry cites, e.g. ``("RFC 3463",)``.
        deprecated: True when the registry marks the code deprecated.
        sources: Where smtpreply's description, ``when`` and ``fix`` come from:
            RFC sections and the registry itself.
    """

    subject: int
    detail: int
    title: str
    description: str
    when: str
    fix: str
    basic_codes: tuple[int, ...]
    basic_codes_note: str
    rfcs: tuple[str, ...]
    deprecated: bool
    sources: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        """The code as the registry writes it, e.g. ``"X.1.1"``."""
        return f"X.{self.subject}.{self.detail}"


class StatusData(NamedTuple):
    """The enhanced status registry, as loaded."""

    version: str
    classes: Mapping[int, GroupInfo]
    subjects: Mapping[int, GroupInfo]
    entries: Mapping[tuple[int, int], RegistryEntry]


def _load(name: str) -> dict[str, Any]:
    import json
    import pkgutil  # importlib.resources would cost several times its import

    try:
        raw = pkgutil.get_data("smtpreply", f"data/{name}")
        if raw is None:
            raise OSError("the package's loader cannot read data files")
        document = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as error:
        raise DataError(f"cannot read the data file {name!r}: {error}") from error
    if not isinstance(document, dict):
        raise DataError(f"data file {name!r}: the top level must be an object")
    for key in ("name", "source", "version", "notice"):
        if not isinstance(document.get(key), str) or not document[key]:
            raise DataError(f"data file {name!r}: missing the {key!r} field")
    return document


class _Reader:
    """Typed access to one JSON object, with errors that name the file and the entry."""

    def __init__(self, file: str, where: str, obj: object) -> None:
        if not isinstance(obj, dict):
            raise DataError(f"data file {file!r}: {where} is not an object")
        self.file = file
        self.where = where
        self.obj: dict[str, object] = obj

    def fail(self, key: str, expected: str) -> DataError:
        value = self.obj.get(key)
        return DataError(
            f"data file {self.file!r}: {self.where}: {key!r} must be {expected}, not {value!r}"
        )

    def integer(self, key: str) -> int:
        value = self.obj.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(key, "an integer")
        return value

    def text(self, key: str, *, sentence: bool = False, allow_empty: bool = False) -> str:
        value = self.obj.get(key)
        if not isinstance(value, str) or value != value.strip() or (not value and not allow_empty):
            raise self.fail(key, "a non-empty string without outer spaces")
        if sentence and value and not value.endswith((".", "。")):
            raise self.fail(key, "text ending with a full stop")
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.obj.get(key)
        if value not in allowed:
            raise self.fail(key, "one of " + ", ".join(allowed))
        return str(value)

    def flag(self, key: str) -> bool:
        value = self.obj.get(key)
        if not isinstance(value, bool):
            raise self.fail(key, "true or false")
        return value

    def texts(self, key: str, pattern: re.Pattern[str]) -> tuple[str, ...]:
        value = self.obj.get(key)
        if not isinstance(value, list) or not all(
            isinstance(item, str) and pattern.match(item) for item in value
        ):
            raise self.fail(key, f"a list of strings matching {pattern.pattern!r}")
        if len(set(value)) != len(value):
            raise self.fail(key, "a list without repeats")
        return tuple(value)

    def integers(self, key: str) -> tuple[int, ...]:
        value = self.obj.get(key)
        if not isinstance(value, list) or not all(
            isinstance(item, int) and not isinstance(item, bool) and 200 <= item <= 599
            for item in value
        ):
            raise self.fail(key, "a list of reply codes")
        if sorted(set(value)) != value:
            raise self.fail(key, "sorted without repeats")
        return tuple(value)

    def group(self, number_key: str) -> GroupInfo:
        return GroupInfo(
            number=self.integer(number_key),
            title=self.text("title"),
            description=self.text("description", sentence=True),
            when=self.text("when", sentence=True),
            fix=self.text("fix", sentence=True),
            rfcs=self.texts("rfcs", _RFC),
            party=self.choice("party", PARTIES) if "party" in self.obj else "",
        )


def _items(file: str, document: dict[str, Any], key: str) -> list[object]:
    value = document.get(key)
    if not isinstance(value, list) or not value:
        raise DataError(f"data file {file!r}: {key!r} must be a non-empty list")
    return value


def _unique(file: str, key: str, numbers: list[Any]) -> None:
    if len(set(numbers)) != len(numbers) or sorted(numbers) != numbers:
        raise DataError(f"data file {file!r}: {key!r} must be in order, without repeats")


@functools.cache
def reply_codes() -> Mapping[int, CodeInfo]:
    """The reply-code catalogue, keyed by code."""
    file = "reply_codes.json"
    document = _load(file)
    infos: dict[int, CodeInfo] = {}
    for item in _items(file, document, "codes"):
        read = _Reader(file, f"code entry {item!r:.40}", item)
        code = read.integer("code")
        if not 200 <= code <= 599:
            raise read.fail("code", "a reply code from 200 to 599")
        read.where = f"code {code}"
        name = read.text("name")
        if not _NAME.match(name):
            raise read.fail("name", "an UPPER_SNAKE_CASE name")
        infos[code] = CodeInfo(
            code=code,
            name=name,
            title=read.text("title"),
            meanings=_meanings(read),
            when=read.text("when", sentence=True),
            advice=_advice(read),
            rfcs=read.texts("rfcs", _RFC),
            sources=read.texts("sources", _SOURCE),
            party=Party(read.choice("party", PARTIES)),
            deprecated=read.flag("deprecated"),
            affects=read.choice("affects", AFFECTS),
            closes=read.flag("closes"),
            commands=read.texts("commands", _COMMAND),
            enhanced=read.texts("enhanced", _ENHANCED),
        )
    _unique(file, "codes", [info.code for info in infos.values()])
    return infos


def _parts(read: _Reader, key: str) -> list[_Reader]:
    value = read.obj.get(key)
    if not isinstance(value, list) or not value:
        raise read.fail(key, "a non-empty list")
    return [
        _Reader(read.file, f"{read.where}, {key} {number}", item)
        for number, item in enumerate(value)
    ]


def _meanings(read: _Reader) -> tuple[Meaning, ...]:
    meanings = tuple(
        Meaning(
            commands=part.texts("commands", _COMMAND),
            default=part.flag("default"),
            source=part.text("source"),
            text=part.text("text", sentence=True),
        )
        for part in _parts(read, "meanings")
    )
    for meaning in meanings:
        if not all(_SOURCE.match(source) for source in meaning.source.split("; ")):
            raise read.fail(
                "meanings",
                f"sources such as 'RFC 5321, section 4.2.2' (several joined by '; '), "
                f"not {meaning.source!r}",
            )
    if not any(meaning.default for meaning in meanings):
        raise read.fail("meanings", "a list with a default meaning")
    return meanings


def _advice(read: _Reader) -> tuple[Advice, ...]:
    advice = tuple(
        Advice(
            statuses=part.texts("statuses", _STATUS_PATTERN_X),
            commands=part.texts("commands", _COMMAND),
            text=part.text("text", sentence=True),
        )
        for part in _parts(read, "advice")
    )
    if not any(item.general for item in advice):
        raise read.fail("advice", "a list with general advice (no statuses, no commands)")
    return advice


def _groups(file: str, key: str, number_key: str) -> dict[int, GroupInfo]:
    document = _load(file)
    groups = [
        _Reader(file, f"{key} entry {item!r:.40}", item).group(number_key)
        for item in _items(file, document, key)
    ]
    _unique(file, key, [group.number for group in groups])
    return {group.number: group for group in groups}


@functools.cache
def reply_classes() -> Mapping[int, GroupInfo]:
    """The text for each reply class (the first digit), keyed by digit."""
    return _groups("reply_classes.json", "classes", "class")


@functools.cache
def categories() -> Mapping[int, GroupInfo]:
    """The text for each reply category (the second digit), keyed by digit."""
    return _groups("reply_classes.json", "categories", "category")


@functools.cache
def statuses() -> StatusData:
    """The enhanced status registry: class and subject texts, and every enumerated code."""
    file = "enhanced_status.json"
    document = _load(file)
    classes = _groups(file, "classes", "class")
    subjects = _groups(file, "subjects", "subject")
    entries: dict[tuple[int, int], RegistryEntry] = {}
    for item in _items(file, document, "codes"):
        read = _Reader(file, f"status entry {item!r:.40}", item)
        code = read.text("code")
        match = _STATUS_CODE.match(code)
        if match is None:
            raise read.fail("code", "a registry code such as 'X.1.1'")
        read.where = f"status {code}"
        subject, detail = int(match.group(1)), int(match.group(2))
        if subject not in subjects:
            raise read.fail("code", "a code whose subject the file describes")
        entries[subject, detail] = RegistryEntry(
            subject=subject,
            detail=detail,
            title=read.text("title"),
            description=read.text("description", sentence=True),
            when=read.text("when", sentence=True),
            fix=read.text("fix", sentence=True),
            basic_codes=read.integers("basic_codes"),
            basic_codes_note=read.text("basic_codes_note", sentence=True, allow_empty=True),
            rfcs=read.texts("rfcs", _RFC),
            deprecated=read.flag("deprecated"),
            sources=read.texts("sources", _SOURCE),
        )
    _unique(file, "codes", list(entries))
    if any(not subject.party for subject in subjects.values()):
        raise DataError(f"data file {file!r}: every subject needs a 'party'")
    if sorted(classes) != [2, 4, 5]:
        raise DataError(f"data file {file!r}: 'classes' must describe exactly 2, 4 and 5")
    return StatusData(
        version=document["version"], classes=classes, subjects=subjects, entries=entries
    )


@functools.cache
def locales() -> Mapping[str, Mapping[str, str]]:
    """The headings and sentence templates of each locale, keyed by locale and key.

    Every locale has every key, and each template has the same placeholders in
    every locale.
    """
    file = "locales.json"
    document = _load(file)
    notes = document.get("keys")
    table = document.get("locales")
    if not isinstance(notes, dict) or not isinstance(table, dict) or "en" not in table:
        raise DataError(f"data file {file!r}: needs 'keys' and 'locales' with 'en'")
    result: dict[str, dict[str, str]] = {}
    for locale, templates in table.items():
        read = _Reader(file, f"locale {locale!r}", templates)
        if set(read.obj) != set(notes):
            missing = sorted(set(notes) - set(read.obj))
            extra = sorted(set(read.obj) - set(notes))
            raise DataError(
                f"data file {file!r}: locale {locale!r} lacks {missing} and has extra {extra}"
            )
        result[locale] = {key: read.text(key) for key in notes}
    english = result["en"]
    for locale, templates in result.items():
        for key, template in templates.items():
            if set(_PLACEHOLDER.findall(template)) != set(_PLACEHOLDER.findall(english[key])):
                raise DataError(
                    f"data file {file!r}: locale {locale!r}, key {key!r}: "
                    "the placeholders differ from the English"
                )
    return result


@functools.cache
def contrasts() -> Mapping[frozenset[int], Contrast]:
    """The hand-written contrasts between pairs of reply codes, keyed by the pair."""
    file = "contrasts.json"
    document = _load(file)
    known = reply_codes()
    languages = set(locales())
    result: dict[frozenset[int], Contrast] = {}
    for number, item in enumerate(_items(file, document, "contrasts")):
        read = _Reader(file, f"contrast {number}", item)
        codes = read.integers("codes")
        if len(codes) != 2 or not set(codes) <= set(known):
            raise read.fail("codes", "two reply codes of the catalogue, in order")
        read.where = f"contrast {codes[0]}/{codes[1]}"
        texts = _Reader(file, f"{read.where}, texts", read.obj.get("text"))
        if set(texts.obj) != languages:
            raise read.fail("text", f"a text in each locale: {sorted(languages)}")
        contrast = Contrast(
            codes=(codes[0], codes[1]),
            sources=read.texts("sources", _SOURCE),
            texts={locale: texts.text(locale, sentence=True) for locale in sorted(languages)},
        )
        for locale, text in contrast.texts.items():
            if not all(str(code) in text for code in codes):
                raise texts.fail(locale, f"a text that names both {codes[0]} and {codes[1]}")
        pair = frozenset(codes)
        if pair in result:
            raise read.fail("codes", "a pair listed once")
        result[pair] = contrast
    return result


@functools.cache
def load_document(name: str) -> Mapping[str, Any]:
    """A data file's whole document, after the checks every file passes (cached).

    The caller checks the rest of its structure.
    """
    return _load(name)
