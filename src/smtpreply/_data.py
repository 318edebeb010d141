"""Reading the data files shipped in ``smtpreply/data``.

Each file is read once, on first use, validated, and cached. Nothing here runs at
import time: ``import smtpreply`` reads no data file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import attrs

from smtpreply._grammar import NUMBER_PATTERN, STATUS_PATTERN
from smtpreply._public import public

__all__ = [
    "PARTIES",
    "REGISTRY_VERSION",
    "CodeInfo",
    "DataError",
    "GroupInfo",
    "RegistryEntry",
    "StatusData",
    "categories",
    "load_document",
    "locales",
    "reply_classes",
    "reply_codes",
    "statuses",
]

#: The version (last-updated date) of the IANA enhanced status registry shipped in
#: ``data/enhanced_status.json``; a test keeps the two equal.
REGISTRY_VERSION = "2019-11-27"

#: Who must act on a reply: the values of ``smtpreply.Party``.
PARTIES = ("nobody", "sender", "recipient")

_RFC = re.compile(r"(?:RFC [1-9][0-9]{0,4}|draft-[a-z0-9]+(?:-[a-z0-9]+)+)\Z")
_STATUS_CODE = re.compile(rf"X\.{NUMBER_PATTERN}\.{NUMBER_PATTERN}\Z")
_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\Z")
_ENHANCED = re.compile(rf"{STATUS_PATTERN}\Z")
_COMMAND = re.compile(r"(?:[A-Z]{4,8}|\*)\Z")


class DataError(RuntimeError):
    """A shipped data file is missing or malformed: a packaging bug, not bad input."""


@attrs.frozen
class CodeInfo:
    """What the catalogue says about one basic reply code."""

    code: int
    name: str
    title: str
    description: str
    when: str
    fix: str
    rfcs: tuple[str, ...]
    party: str
    commands: tuple[str, ...]
    enhanced: tuple[str, ...]


@attrs.frozen
class GroupInfo:
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

    @property
    def code(self) -> str:
        """The code as the registry writes it, e.g. ``"X.1.1"``."""
        return f"X.{self.subject}.{self.detail}"


@attrs.frozen
class StatusData:
    """The enhanced status registry, as loaded."""

    version: str
    classes: Mapping[int, GroupInfo]
    subjects: Mapping[int, GroupInfo]
    entries: Mapping[tuple[int, int], RegistryEntry]


def _load(name: str) -> dict[str, Any]:
    import json
    from importlib.resources import files

    try:
        raw = files("smtpreply").joinpath("data", name).read_text(encoding="utf-8")
        document = json.loads(raw)
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
        if sentence and value and not value.endswith("."):
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
            description=read.text("description", sentence=True),
            when=read.text("when", sentence=True),
            fix=read.text("fix", sentence=True),
            rfcs=read.texts("rfcs", _RFC),
            party=read.choice("party", PARTIES),
            commands=read.texts("commands", _COMMAND),
            enhanced=read.texts("enhanced", _ENHANCED),
        )
    _unique(file, "codes", [info.code for info in infos.values()])
    return infos


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
    """The headings of each locale, keyed by locale and heading key."""
    file = "locales.json"
    document = _load(file)
    keys = document.get("keys")
    table = document.get("locales")
    if not isinstance(keys, list) or not isinstance(table, dict) or "en" not in table:
        raise DataError(f"data file {file!r}: needs 'keys' and 'locales' with 'en'")
    result: dict[str, dict[str, str]] = {}
    for locale, headings in table.items():
        read = _Reader(file, f"locale {locale!r}", headings)
        if set(read.obj) != set(keys):
            raise DataError(f"data file {file!r}: locale {locale!r} must have exactly {keys}")
        result[locale] = {key: read.text(key) for key in keys}
    return result


@functools.cache
def load_document(name: str) -> Mapping[str, Any]:
    """A data file's whole document, after the checks every file passes (cached).

    The caller checks the rest of its structure.
    """
    return _load(name)
