"""The decision behind ``classify``: evidence weighed into a verdict.

A verdict is decided by weighing evidence, not by walking down a ladder. Each
kind of evidence is read by one small function that says which reason it
supports and how strongly; ``_weigh`` takes the strongest, and the reasons for
the order are written in docs/classifying.md:

====================================  ======  =====================================
evidence                              weight  why
====================================  ======  =====================================
the class says success (2yz, 3yz)       100   nothing failed
a decisive phrase, wherever it stands    95   "retry timeout exceeded": it gave up
a provider's documented meaning          90   needs evidence of the provider
a specific phrase of the headline        70   what the server says happened
a specific enhanced status               60   a prior the words may overrule
a specific phrase of trailing context    45   "(last error: ...)" adds, not decides
the command's stage (5xx only)           30   a 5xx to MAIL is about the sender
a specific phrase around the reply       29   a log's or a bounce's own words
a weak (generic) phrase of the headline  28   "service unavailable" says little
a loosely used enhanced status           25   X.7.1, X.2.1, X.3.2... say little
a weak phrase of trailing context        18
the status's subject (X.6, X.7...)       12   better than the code alone
the basic code's usual meaning           10   the last resort
a weak phrase around the reply            8
====================================  ======  =====================================

Then the command the reply answered adjusts the reason (an address refused at
MAIL is the sender's), and the class sets whether a retry can help.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, NamedTuple

from smtpreply._matcher import maximal
from smtpreply._rules import (
    CONTEXT,
    PROVIDER,
    RETRY,
    RULE,
    SENDER,
    TEXT,
    Phrase,
    ProviderRule,
    Rules,
)
from smtpreply._taxonomy import Action, Evidence, Reason, Scope, Verdict

if TYPE_CHECKING:
    from smtpreply._matcher import Match
    from smtpreply._reading import Reading
    from smtpreply._status import EnhancedStatus

__all__: list[str] = []

# The weights of the table above.
_CLASS = 100
_PROVIDER = 90
_HEADLINE = 70
_STATUS = 60
_CONTEXT = 45
_STAGE = 30
_HEADLINE_WEAK = 28
_LOOSE_STATUS = 25
_WRAPPER = 29
_CONTEXT_WEAK = 18
_WRAPPER_WEAK = 8
_SUBJECT = 12
_CODE = 10
# Words that say the message gave up waiting decide wherever they stand, even
# over a provider's meaning of the last error it gave up on.
_DECISIVE = 95
_HEADLINE_WEIGHTS = {"decisive": _DECISIVE, "strong": _HEADLINE, "weak": _HEADLINE_WEAK}
_CONTEXT_WEIGHTS = {"decisive": _DECISIVE, "strong": _CONTEXT, "weak": _CONTEXT_WEAK}
_WRAPPER_WEIGHTS = {"decisive": _DECISIVE, "strong": _WRAPPER, "weak": _WRAPPER_WEAK}

_SCOPE_OF_COMMAND = {
    "RCPT": Scope.RECIPIENT,
    "MAIL": Scope.MESSAGE,
    "DATA": Scope.MESSAGE,
    "EHLO": Scope.SESSION,
    "AUTH": Scope.SESSION,
    "STARTTLS": Scope.SESSION,
    "CONNECT": Scope.SESSION,
}
# Reasons about the recipient's address: said of MAIL FROM, they concern the sender.
_ADDRESS_REASONS = frozenset(
    {
        Reason.USER_UNKNOWN,
        Reason.HOST_UNKNOWN,
        Reason.HAS_MOVED,
        Reason.SUSPENDED,
        Reason.NOT_ACCEPT,
        Reason.MAILBOX_FULL,
    }
)
# Reasons about the connection or the server rather than a message or an address.
_SESSION_REASONS = frozenset(
    {
        Reason.RATE_LIMITED,
        Reason.TOO_MANY_CONNECTIONS,
        Reason.SYSTEM_ERROR,
        Reason.SYSTEM_FULL,
        Reason.NETWORK_ERROR,
        Reason.BLOCKED,
        Reason.BAD_REPUTATION,
        Reason.REQUIRE_PTR,
        Reason.GREYLISTED,
    }
)
# What a refusal of the greeting or of EHLO can be about: the client and the
# session, not an address or a message (that comes later).
_CLIENT_REASONS = _SESSION_REASONS | {
    Reason.SECURITY_ERROR,
    Reason.SYNTAX_ERROR,
    Reason.NOT_COMPLIANT_RFC,
    Reason.UNDEFINED,
}
# The replies to EHLO that mean "I do not know EHLO": the client falls back to HELO.
_NO_EHLO = frozenset({500, 502, 504})


class _Support(NamedTuple):
    """One piece of evidence: the reason it supports, how strongly, and where."""

    weight: int
    position: int  # where in the text; earlier wins among equal weights
    reason: Reason
    # The evidence, or for a phrase (where it stands, the phrase): most phrases
    # support a reason that loses, so their Evidence is made only if it wins.
    evidence: Evidence | tuple[str, str]


def _evidence(support: _Support) -> Evidence:
    evidence = support.evidence
    if isinstance(evidence, Evidence):
        return evidence
    where, phrase = evidence
    source, said = _PLACES[where]
    return Evidence(source, f"{said} says {phrase!r}")


# Where a phrase stands: the source of its evidence, and how the evidence says it.
_PLACES = {
    "headline": ("text", "the text"),
    "trailing": ("context", "the trailing text"),
    "wrapper": ("context", "the wording around"),
}


class _Survey(NamedTuple):
    """What the phrases of a text say, gathered in one pass over the matches."""

    texts: list[Match[Phrase]]  # phrases of reasons, the longest at each place
    context: int  # where the headline's trailing context starts
    wrapper: int  # where the words around the reply start
    providers: list[str]  # providers the text shows, outside e-mail addresses
    rules: set[int]  # provider rules whose phrases the text holds
    retry: str | None  # headline words that ask for a later try
    sender: str | None  # headline words that say the reply is about the sender


# The evidence, one function per kind.


def _survey(rules: Rules, reading: Reading) -> _Survey:
    """Find every phrase of the headline and the wrapper, and sort what they tell."""
    headline = reading.headline
    if reading.wrapper:
        text = f"{headline} | {reading.wrapper}"
        wrapper = len(headline) + 3
    else:
        text, wrapper = headline, len(headline)
    context = wrapper
    texts: list[Match[Phrase]] = []
    providers: list[str] = []
    found_rules: set[int] = set()
    headline_words: dict[int, str] = {}  # the first RETRY and SENDER words of the headline
    for match in rules.matcher.find(text):
        kinds, start = match.value.kinds, match.start
        if kinds & TEXT:
            texts.append(match)
        if kinds & CONTEXT and start < context:
            context = start
        if kinds & (PROVIDER | RULE):
            _provider_evidence(match, text, providers, found_rules)
        if kinds & (RETRY | SENDER) and start < context:
            for kind in (RETRY, SENDER):
                if kinds & kind:
                    headline_words.setdefault(kind, match.phrase)
    return _Survey(
        maximal(texts),
        context,
        wrapper,
        providers,
        found_rules,
        headline_words.get(RETRY),
        headline_words.get(SENDER),
    )


def _provider_evidence(
    match: Match[Phrase], text: str, providers: list[str], found_rules: set[int]
) -> None:
    """Note the providers a phrase shows and the provider rules it belongs to."""
    phrase = match.value
    # A recipient at gmail.com, or "gmail.com" in an address's local part, says
    # nothing of who answered.
    if phrase.kinds & PROVIDER and not _in_address(text, match.start, match.end):
        providers += [name for name in phrase.providers if name not in providers]
    found_rules.update(phrase.rules)


def _in_address(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is part of a mail address (a word with an ``@``)."""
    if start and text[start - 1] == "@":
        return True
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    word = text[left : len(text) if right < 0 else right]
    return "@" in word


def _bracketed(text: str, position: int) -> bool:
    """True when ``position`` stands inside parentheses or square brackets."""
    depth = text.count("(", 0, position) - text.count(")", 0, position)
    return depth > 0 or text.count("[", 0, position) > text.count("]", 0, position)


def _text_support(survey: _Survey, headline: str) -> list[_Support]:
    supports = []
    for match in survey.texts:
        start, phrase = match.start, match.value
        if start >= survey.wrapper:
            weights, where = _WRAPPER_WEIGHTS, "wrapper"
        elif start < survey.context and not _bracketed(headline, start):
            weights, where = _HEADLINE_WEIGHTS, "headline"
        else:
            weights, where = _CONTEXT_WEIGHTS, "trailing"
        assert phrase.reason is not None  # noqa: S101 - every TEXT phrase has one
        supports.append(
            _Support(weights[phrase.strength], start, phrase.reason, (where, match.phrase))
        )
    return supports


def _provider_rule(rules: Rules, reading: Reading, survey: _Survey) -> ProviderRule | None:
    """The most specific rule of an evidenced provider that the reply matches."""
    best: ProviderRule | None = None
    for provider in survey.providers:
        for index in rules.by_provider.get(provider, ()):
            rule = rules.providers[index]
            if (
                (rule.code is None or rule.code == reading.code)
                and (rule.status is None or rule.status == reading.status)
                and (not rule.phrases or index in survey.rules)
            ):
                if best is None or rule.specificity > best.specificity:
                    best = rule
                break
    return best


def _status_support(rules: Rules, status: EnhancedStatus | None) -> list[_Support]:
    if status is None:
        return []
    found = rules.statuses.get((status.subject, status.detail))
    if found is not None and found.reason is Reason.DELIVERED:
        return []  # a success status beside a failing code says nothing of why
    if found is not None:
        weight = _LOOSE_STATUS if found.loose else _STATUS
        loosely = ", a status servers use loosely" if found.loose else ""
        detail = f"{status} {status.title}{loosely}"
        return [_Support(weight, -1, found.reason, Evidence("status", detail))]
    subject = rules.subjects.get(status.subject)
    if subject is None:
        return []
    detail = f"{status}: {status.subject_title}"
    return [_Support(_SUBJECT, -1, subject, Evidence("status", detail))]


def _stage_support(rules: Rules, reading: Reading) -> list[_Support]:
    """A 5xx with no telling words: the command says who was refused."""
    command = reading.command
    if command is None or reading.digit != 5:
        return []
    if command == "EHLO" and reading.code in _NO_EHLO:
        detail = f"{reading.code} to EHLO: the client should fall back to HELO"
        return [_Support(_STAGE, -1, Reason.SYNTAX_ERROR, Evidence("command", detail))]
    reason = rules.stages.get(command)
    if reason is None:
        return []
    detail = f"a permanent failure in answer to {command}"
    return [_Support(_STAGE, -1, reason, Evidence("command", detail))]


def _code_support(rules: Rules, code: int | None) -> list[_Support]:
    if code is None:
        return []
    reason = rules.codes.get(code)
    if reason is None or reason is Reason.UNDEFINED:
        return []
    return [_Support(_CODE, -1, reason, Evidence("code", f"{code} {_code_title(code)}"))]


def _code_title(code: int) -> str:
    from smtpreply._codes import ReplyCode

    member = ReplyCode.get(code)
    return member.title if member is not None else "(no standard meaning)"


# Weighing.


def _weigh(rules: Rules, supports: list[_Support]) -> tuple[Reason, list[Evidence], int]:
    """The reason with the strongest support, its evidence (strongest first), its weight.

    Where words cannot be more precise than a specific status (a message too big:
    for the server, or for the recipient's own limit, X.2.3), the status refines
    the reason the words name.
    """
    if not supports:
        return Reason.UNDEFINED, [], 0
    if len(supports) == 1:
        return supports[0].reason, [_evidence(supports[0])], supports[0].weight
    best = max(supports, key=lambda support: (support.weight, -support.position))
    narrower = rules.refinements.get(best.reason, frozenset())
    for support in supports:
        if (
            support.weight == _STATUS
            and support.reason in narrower
            and isinstance(support.evidence, Evidence)
            and support.evidence.source == "status"
        ):
            best = support
            break
    agreeing = sorted(
        (support for support in supports if support.reason is best.reason),
        key=lambda support: (-support.weight, support.position),
    )
    evidence: list[Evidence] = []
    for support in agreeing:
        made = _evidence(support)
        if made not in evidence:
            evidence.append(made)
    return best.reason, evidence, max(support.weight for support in supports)


def _adjust(
    reason: Reason,
    reading: Reading,
    evidence: list[Evidence],
    provider: ProviderRule | None,
    sender: str | None,
) -> Reason:
    """Adjust a reason to the command the reply answered, or to the address it names.

    A provider's documented meaning is kept as it is: the provider says what its
    reply means at that stage; so is ``expired``, which is about the queue that
    gave up, whatever stage the last try reached. ``sender`` is the headline's
    words that say the reply is about the sender's address ("Sender address
    rejected: ...").
    """
    if reason in (Reason.DELIVERED, Reason.EXPIRED) or provider is not None:
        return reason
    if sender is not None and reason in _ADDRESS_REASONS:
        evidence.append(Evidence("text", f"the text is about the sender's address ({sender!r})"))
        return Reason.REJECTED
    command = reading.command
    if command is None:
        return reason
    return _adjust_to_command(reason, command, evidence)


def _adjust_to_command(reason: Reason, command: str, evidence: list[Evidence]) -> Reason:
    """Adjust a reason to the command the reply answered: who or what was refused."""
    if command in ("CONNECT", "EHLO") and reason not in _CLIENT_REASONS:
        evidence.append(Evidence("command", f"refused at {command}: the client itself"))
        return Reason.BLOCKED
    if command == "AUTH" and reason is Reason.SUSPENDED:
        evidence.append(Evidence("command", "the reply answered AUTH: the sender's own account"))
        return Reason.REJECTED
    if command in ("AUTH", "STARTTLS") and reason not in _SESSION_REASONS | {Reason.SYNTAX_ERROR}:
        if reason is not Reason.SECURITY_ERROR:
            evidence.append(Evidence("command", f"the reply answered {command}"))
        return Reason.SECURITY_ERROR
    if command == "MAIL" and reason in _ADDRESS_REASONS:
        evidence.append(Evidence("command", "the reply answered MAIL: the sender's address"))
        return Reason.REJECTED
    if command == "DATA" and reason is Reason.USER_UNKNOWN:
        evidence.append(
            Evidence("command", "an unknown user only after DATA: a filter of the recipient's")
        )
        return Reason.FILTERED
    return reason


class _Decision(NamedTuple):
    """A reading, the reason chosen for it, and why."""

    reading: Reading
    reason: Reason
    evidence: list[Evidence]
    provider: ProviderRule | None
    hint: str | None  # words of the headline that ask for a later try
    weight: int  # the strongest support's weight


# The least weight of a reading that "says something of its own": a strong phrase
# or a specific status, not just a code, a stage or a generic phrase.
_TELLING = _CONTEXT


def _consider(rules: Rules, reading: Reading) -> _Decision:
    """Weigh all the evidence of one reading."""
    if reading.digit in (2, 3):
        success = [
            Evidence("class", f"{reading.code or reading.status} reports success or progress")
        ]
        return _Decision(reading, Reason.DELIVERED, success, None, None, _CLASS)
    survey = _survey(rules, reading)
    provider = _provider_rule(rules, reading, survey)
    supports = []
    if provider is not None:
        documented = Evidence("provider", f"{provider.provider}: {provider.note}", provider.source)
        supports.append(_Support(_PROVIDER, -1, provider.reason, documented))
    supports += _text_support(survey, reading.headline)
    supports += _status_support(rules, reading.status)
    supports += _stage_support(rules, reading)
    supports += _code_support(rules, reading.code)
    reason, evidence, weight = _weigh(rules, supports)
    if reason is Reason.UNDEFINED:
        what = str(reading.code or reading.status or "the text")
        evidence.append(Evidence("class", f"nothing says more than the class of {what}"))
    if provider is not None and reason is not provider.reason:
        provider = None
    reason = _adjust(reason, reading, evidence, provider, survey.sender)
    return _Decision(reading, reason, evidence, provider, survey.retry, weight)


def decide(rules: Rules, readings: list[Reading]) -> Verdict:
    """The verdict on the first reading that says something of its own, else the first."""
    first = _consider(rules, readings[0])
    chosen = first
    if first.weight < _TELLING:
        for other in readings[1:]:
            decision = _consider(rules, other)
            if decision.weight >= _TELLING:
                chosen = decision
                break
    return _verdict(rules, chosen)


def _retry(rules: Rules, decision: _Decision, evidence: list[Evidence]) -> bool:
    """Whether sending again later can help: the class, the reason, the provider, the words."""
    reading, reason = decision.reading, decision.reason
    if reason is Reason.DELIVERED:
        return False
    provider = decision.provider
    retry = rules.reasons[reason].retry if provider is None else provider.retry
    if retry:
        return True
    what = reading.code or reading.status
    if reading.digit == 4:
        evidence.append(Evidence("class", f"{what} is a transient failure"))
        return True
    if reading.digit in (5, None) and decision.hint is not None:
        evidence.append(Evidence("text", f"the text asks to try again ({decision.hint!r})"))
        return True
    return False


def _action(reason: Reason, retry: bool, hard: bool, planned: Action) -> Action:
    """What to do next, from the reason's plan, the retry and the hard bounce."""
    if reason is Reason.DELIVERED:
        return Action.DONE
    if retry:
        if planned in (Action.RETRY, Action.RETRY_SLOWER):
            return planned
        return Action.RETRY_SLOWER if reason in _SESSION_REASONS else Action.RETRY
    if planned in (Action.RETRY, Action.RETRY_SLOWER):
        return Action.FIX_AND_RESEND
    if planned is Action.STOP and not hard and reason is not Reason.SUSPENDED:
        return Action.FIX_AND_RESEND
    return planned


def _verdict(rules: Rules, decision: _Decision) -> Verdict:
    reading, reason, provider = decision.reading, decision.reason, decision.provider
    evidence = list(decision.evidence)
    info = rules.reasons[reason]
    retry = _retry(rules, decision, evidence)
    command = reading.command
    hard = (
        info.hard_bounce
        and not retry
        and reading.digit in (5, None)
        and command in (None, "RCPT", "DATA")
    )
    delay = None
    if retry:
        delay = provider.delay if provider is not None and provider.delay else info.delay
        delay = delay or datetime.timedelta(minutes=10)
    if reason in _SESSION_REASONS:
        scope = Scope.SESSION
    else:
        scope = _SCOPE_OF_COMMAND.get(command or "", info.scope)
    return Verdict(
        reason=reason,
        retry=retry,
        hard_bounce=hard,
        action=_action(reason, retry, hard, info.action),
        delay=delay,
        scope=scope,
        evidence=tuple(evidence),
        reply=reading.reply,
        status=reading.status,
        command=command,
    )
