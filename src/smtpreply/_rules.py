"""The classification rules, read from the data files into frozen records.

Three files hold them, each checked row by row when it is first read (a bad row
raises :class:`DataError` naming the file and the row):

- ``classify.json``: what each reason means for retries, and which reason a
  status, a status subject, a basic code or the command's stage points to;
- ``text_rules.json``: the phrases that servers write, each with the reason it
  supports and how strongly; the phrases that ask for a later try; the words
  after which a reply's text is trailing context; the words that say a reply is
  about the sender's address;
- ``provider_rules.json``: what large providers document about their own
  replies, and the names and tokens that show a reply came from them.

Every phrase of every table goes into one :class:`PhraseMatcher`, so reading a
reply's words is one pass, whatever the number of tables.
"""

from __future__ import annotations

import datetime
import functools
from typing import TYPE_CHECKING, NamedTuple

from smtpreply import _data
from smtpreply._data import DataError, _Reader
from smtpreply._grammar import COMMANDS
from smtpreply._matcher import PhraseMatcher
from smtpreply._status import EnhancedStatus
from smtpreply._taxonomy import Action, Reason, Scope

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = [
    "CONTEXT",
    "FAILURE",
    "PROVIDER",
    "RETRY",
    "RULE",
    "SENDER",
    "TEXT",
    "Phrase",
    "ProviderRule",
    "ReasonInfo",
    "Rules",
    "StatusRule",
    "rules",
]

# What a phrase found in a text tells: one bit per kind, so that one phrase may be
# listed by several tables (a provider's token that is also a rule's phrase).
#: A phrase of a reason (``Phrase.reason``), of a strength (``Phrase.strength``).
TEXT = 1
#: Words that ask the sender to try again later.
RETRY = 2
#: A name or token of a provider (``Phrase.providers``).
PROVIDER = 4
#: A phrase of provider rules (``Phrase.rules``, their indexes).
RULE = 8
#: Words after which the rest of a reply's text is trailing context.
CONTEXT = 16
#: Words that say the reply is about the sender's address, not the recipient's.
SENDER = 32
#: Words that say a delivery failed, naming no cause ("undeliverable", "rejected").
FAILURE = 64


class Phrase(NamedTuple):
    """What one phrase tells, across every table that lists it."""

    kinds: int = 0
    reason: Reason | None = None
    strength: str = ""
    providers: tuple[str, ...] = ()
    rules: tuple[int, ...] = ()


class ReasonInfo(NamedTuple):
    """What a reason means for the sender."""

    retry: bool
    hard_bounce: bool
    action: Action
    scope: Scope
    delay: datetime.timedelta | None
    description: str


class StatusRule(NamedTuple):
    """The reason an enhanced status points to; ``loose`` when servers use it loosely."""

    reason: Reason
    loose: bool


class ProviderRule(NamedTuple):
    """What a provider documents about one of its replies.

    The rule applies only to a reply that shows evidence of the provider. Its
    conditions (code, status, phrases) must all hold; the more it has, the more
    specific it is.
    """

    provider: str
    source: str
    code: int | None
    status: EnhancedStatus | None
    phrases: tuple[str, ...]
    reason: Reason
    retry: bool
    delay: datetime.timedelta | None
    note: str
    fix: str = ""

    @property
    def specificity(self) -> int:
        """How many conditions the rule has: a phrase counts most."""
        return 4 * bool(self.phrases) + 2 * (self.status is not None) + (self.code is not None)


class Rules(NamedTuple):
    """Every table, as loaded."""

    reasons: Mapping[Reason, ReasonInfo]
    statuses: Mapping[tuple[int, int], StatusRule]
    subjects: Mapping[int, Reason]
    codes: Mapping[int, Reason]
    stages: Mapping[str, Reason]
    refinements: Mapping[Reason, frozenset[Reason]]
    providers: tuple[ProviderRule, ...]
    by_provider: Mapping[str, tuple[int, ...]]
    matcher: PhraseMatcher[Phrase]


def _seconds(read: _Reader, key: str) -> datetime.timedelta | None:
    value = read.obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise read.fail(key, "a whole number of seconds or null")
    return datetime.timedelta(seconds=value)


def _reason(read: _Reader, key: str) -> Reason:
    value = read.obj.get(key)
    try:
        return Reason(value)
    except ValueError:
        raise read.fail(key, "one of the reasons") from None


def _phrases(read: _Reader, key: str) -> tuple[str, ...]:
    """A list of phrases: lower case, single spaces, no repeats."""
    value = read.obj.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item and item == " ".join(item.lower().split()) for item in value
    ):
        raise read.fail(key, "a list of lower-case phrases with single spaces")
    if len(set(value)) != len(value):
        raise read.fail(key, "a list without repeats")
    return tuple(value)


def _rows(file: str, document: Mapping[str, object], key: str, name: str) -> Iterator[_Reader]:
    items = document.get(key)
    if not isinstance(items, list) or not items:
        raise DataError(f"data file {file!r}: {key!r} must be a non-empty list")
    for number, item in enumerate(items):
        yield _Reader(file, f"{name} {number}", item)


def _table(file: str, document: Mapping[str, object], key: str) -> _Reader:
    return _Reader(file, f"the {key!r} table", document.get(key))


def _reasons(file: str, document: Mapping[str, object]) -> dict[Reason, ReasonInfo]:
    reasons = {}
    for read in _rows(file, document, "reasons", "reason entry"):
        reason = _reason(read, "reason")
        read.where = f"reason {reason.value!r}"
        reasons[reason] = ReasonInfo(
            retry=read.flag("retry"),
            hard_bounce=read.flag("hard_bounce"),
            action=Action(read.choice("action", tuple(action.value for action in Action))),
            scope=Scope(read.choice("scope", tuple(scope.value for scope in Scope))),
            delay=_seconds(read, "delay_seconds"),
            description=read.text("description", sentence=True),
        )
    missing = set(Reason) - set(reasons)
    if missing:
        names = ", ".join(sorted(reason.value for reason in missing))
        raise DataError(f"data file {file!r}: no entry for the reasons {names}")
    return reasons


def _statuses(file: str, document: Mapping[str, object]) -> dict[tuple[int, int], StatusRule]:
    table = _table(file, document, "statuses")
    statuses = {}
    for code, item in table.obj.items():
        read = _Reader(file, f"status {code!r}", item)
        try:
            status = EnhancedStatus.parse(code.replace("X", "5", 1))
        except ValueError:
            raise DataError(
                f"data file {file!r}: status {code!r} is not a registry code such as 'X.1.1'"
            ) from None
        if not code.startswith("X."):
            raise DataError(f"data file {file!r}: status {code!r} must start with 'X.'")
        statuses[status.subject, status.detail] = StatusRule(
            reason=_reason(read, "reason"), loose=read.flag("loose")
        )
    return statuses


def _numbered(file: str, document: Mapping[str, object], key: str) -> dict[int, Reason]:
    table = _table(file, document, key)
    result = {}
    for number in table.obj:
        if not number.isdigit():
            raise DataError(
                f"data file {file!r}: {key!r} has a key that is not a number: {number!r}"
            )
        result[int(number)] = _reason(table, number)
    return result


def _stages(file: str, document: Mapping[str, object]) -> dict[str, Reason]:
    table = _table(file, document, "stages")
    for command in table.obj:
        if command not in COMMANDS.values():
            raise DataError(f"data file {file!r}: 'stages' names an unknown command {command!r}")
    return {command: _reason(table, command) for command in table.obj}


def _refinements(file: str, document: Mapping[str, object]) -> dict[Reason, frozenset[Reason]]:
    """For a reason the words name, the narrower reasons a specific status may name."""
    table = _table(file, document, "refinements")
    result: dict[Reason, frozenset[Reason]] = {}
    for name, narrower in table.obj.items():
        read = _Reader(file, f"refinement {name!r}", {"reason": name, "narrower": narrower})
        if not isinstance(narrower, list) or not narrower:
            raise read.fail("narrower", "a non-empty list of reasons")
        reasons = [_reason(_Reader(file, f"refinement {name!r}", {"r": r}), "r") for r in narrower]
        result[_reason(read, "reason")] = frozenset(reasons)
    return result


class _Phrases:
    """The phrases of every table, gathered before they are frozen into ``Phrase`` records."""

    def __init__(self) -> None:
        self.kinds: dict[str, int] = {}
        self.texts: dict[str, tuple[Reason, str]] = {}
        self.providers: dict[str, list[str]] = {}
        self.rules: dict[str, list[int]] = {}

    def add(self, phrase: str, kind: int) -> None:
        self.kinds[phrase] = self.kinds.get(phrase, 0) | kind

    def freeze(self) -> dict[str, Phrase]:
        table = {}
        for phrase, kinds in self.kinds.items():
            reason, strength = self.texts.get(phrase, (None, ""))
            table[phrase] = Phrase(
                kinds=kinds,
                reason=reason,
                strength=strength,
                providers=tuple(self.providers.get(phrase, ())),
                rules=tuple(self.rules.get(phrase, ())),
            )
        return table


def _text_phrases(file: str, document: Mapping[str, object], phrases: _Phrases) -> None:
    for read in _rows(file, document, "rules", "rule"):
        reason = _reason(read, "reason")
        strength = read.choice("strength", ("decisive", "strong", "weak"))
        read.where += f" ({reason.value}, {strength})"
        for phrase in _phrases(read, "phrases"):
            if phrase in phrases.texts:
                raise read.fail("phrases", f"phrases listed once; {phrase!r} is listed twice")
            phrases.add(phrase, TEXT)
            phrases.texts[phrase] = (reason, strength)
    whole = _Reader(file, "the document", dict(document))
    markers = (
        ("retry_hints", RETRY),
        ("failure_words", FAILURE),
        ("context_markers", CONTEXT),
        ("sender_markers", SENDER),
    )
    for key, kind in markers:
        for phrase in _phrases(whole, key):
            phrases.add(phrase, kind)


def _provider_rules(
    file: str, document: Mapping[str, object], phrases: _Phrases
) -> tuple[tuple[ProviderRule, ...], dict[str, tuple[int, ...]]]:
    names = []
    for read in _rows(file, document, "providers", "provider"):
        name = read.text("provider")
        names.append(name)
        for token in _phrases(read, "evidence"):
            phrases.add(token, PROVIDER)
            phrases.providers.setdefault(token, []).append(name)
    rules: list[ProviderRule] = []
    for read in _rows(file, document, "rules", "rule"):
        provider = read.choice("provider", tuple(names))
        status = read.obj.get("status")
        code = read.obj.get("code")
        if code is not None and (
            isinstance(code, bool) or not isinstance(code, int) or not 200 <= code <= 599
        ):
            raise read.fail("code", "a reply code or null")
        rule = ProviderRule(
            provider=provider,
            source=read.text("source"),
            code=code,
            status=_rule_status(read, status),
            phrases=_phrases(read, "contains_any"),
            reason=_reason(read, "reason"),
            retry=read.flag("retry"),
            delay=_seconds(read, "delay_seconds"),
            note=read.text("note", sentence=True),
            fix=read.text("fix", sentence=True) if "fix" in read.obj else "",
        )
        if rule.status is None and not rule.phrases:
            raise read.fail("status", "a status, or phrases in 'contains_any'")
        for phrase in rule.phrases:
            phrases.add(phrase, RULE)
            phrases.rules.setdefault(phrase, []).append(len(rules))
        rules.append(rule)
    by_provider: dict[str, list[int]] = {}
    # Most specific first; the file's order among equals.
    for index in sorted(range(len(rules)), key=lambda index: -rules[index].specificity):
        by_provider.setdefault(rules[index].provider, []).append(index)
    return tuple(rules), {name: tuple(indexes) for name, indexes in by_provider.items()}


def _rule_status(read: _Reader, status: object) -> EnhancedStatus | None:
    if status is None:
        return None
    if not isinstance(status, str):
        raise read.fail("status", "an enhanced status such as '5.7.1' or null")
    try:
        return EnhancedStatus.parse(status)
    except ValueError:
        raise read.fail("status", "an enhanced status such as '5.7.1' or null") from None


@functools.cache
def rules() -> Rules:
    """Every classification table, read and checked once, on first use."""
    file = "classify.json"
    tables = _data.load_document(file)
    phrases = _Phrases()
    _text_phrases("text_rules.json", _data.load_document("text_rules.json"), phrases)
    providers, by_provider = _provider_rules(
        "provider_rules.json", _data.load_document("provider_rules.json"), phrases
    )
    return Rules(
        reasons=_reasons(file, tables),
        statuses=_statuses(file, tables),
        subjects=_numbered(file, tables, "subjects"),
        codes=_numbered(file, tables, "codes"),
        stages=_stages(file, tables),
        refinements=_refinements(file, tables),
        providers=providers,
        by_provider=by_provider,
        matcher=PhraseMatcher(phrases.freeze()),
    )
