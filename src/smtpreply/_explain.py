"""``explain``: what a reply code, an enhanced status or a whole reply means.

An explanation is composed from the most specific knowledge that applies:

1. what the provider documents about the reply, when the reply shows the
   provider (the same evidence and rules that ``classify`` uses);
2. the enhanced status's meaning within the code, or, where the status's
   registered meaning does not fit the code (``535 5.7.3``), the code's meaning,
   saying that the server uses the status loosely;
3. the code's meaning for the command the reply answered (451 to RCPT is a local
   error, not its BURL or ATRN meaning), and only the advice that fits the
   reply's status and command.

Every explanation carries the verdict of :func:`classify`. The sentences that
smtpreply composes come in every locale of :data:`LOCALES`; the data it quotes is
English, and the renderings say so.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Union

import attrs

from smtpreply import _data
from smtpreply._codes import ReplyClass, ReplyCode
from smtpreply._data import Party
from smtpreply._errors import InvalidReply
from smtpreply._language import (
    LOCALES,
    Locale,
    Passage,
    check_locale,
    class_name,
    join,
    say,
    segments_of,
)
from smtpreply._parse import decode, parse
from smtpreply._public import public
from smtpreply._render import Format, render_explanation
from smtpreply._reply import Reply
from smtpreply._status import EnhancedStatus
from smtpreply._taxonomy import Verdict

if TYPE_CHECKING:
    from smtpreply._rules import ProviderRule

__all__ = ["LOCALES", "Explanation", "explain"]

Explainable = Union[
    int,
    str,
    bytes,
    bytearray,
    memoryview,
    Reply,
    EnhancedStatus,
    tuple[object, ...],
    BaseException,
]

# A placeholder whose value is quoted data, kept in its own language.
_SENTINEL = "\x00{}\x00"
_SPLIT = re.compile("\x00([^\x00]*)\x00")


def compose(
    key: str, locale: str, data: dict[str, str], **values: object
) -> list[tuple[str, str]]:
    """A template of ``locale`` as segments: its own words, and ``data`` kept English."""
    marked = {name: _SENTINEL.format(index) for index, name in enumerate(data)}
    text = say(key, locale, **values, **marked)
    texts = list(data.values())
    segments: list[tuple[str, str]] = []
    position = 0
    for match in _SPLIT.finditer(text):
        segments.append((locale, text[position : match.start()]))
        segments.append(("en", texts[int(match.group(1))]))
        position = match.end()
    segments.append((locale, text[position:]))
    return [(lang, part) for lang, part in segments if part]


def class_phrase(
    reply_class: ReplyClass | None, status: EnhancedStatus | None, locale: str
) -> str:
    """``"a 5yz Permanent Negative Completion reply"`` in ``locale``, or the status's."""
    if status is not None and reply_class is not None and status.class_ == reply_class.value:
        key = {2: "status_success", 4: "status_transient", 5: "status_permanent"}[status.class_]
        return say("class_status", locale, digit=status.class_, name=say(key, locale))
    if reply_class is None:
        return "?"
    name = class_name(reply_class.value, locale)
    return say("class_reply", locale, digit=reply_class.value, name=name)


@public
@attrs.frozen
class Explanation:
    """What a reply code, an enhanced status or a whole reply means.

    Made by :func:`explain`. ``str(explanation)`` is the plain-text rendering.

    >>> exp = explain("550 5.1.1 User unknown")
    >>> exp.label, exp.title
    ('550 5.1.1', 'Mailbox Unavailable: Bad destination mailbox address')
    >>> exp.party, exp.verdict.reason.value
    (<Party.SENDER: 'sender'>, 'user_unknown')

    Attributes:
        label: How the subject is written: ``"252"``, ``"5.7.0"`` or ``"550 5.1.1"``.
        title: A short name.
        description: What it means, for this reply: only the meanings that fit
            its command, the status's meaning within the code.
        when: When a sender sees it.
        fix: What to do about it: for a reply, only the advice that fits it.
        rfcs: The documents that define it.
        code: The basic reply code, or ``None`` for a status on its own.
        status: The enhanced status, or ``None``.
        reply_class: The class, from the code or the status.
        party: Which side must act.
        server_text: The text the server sent, for an explained reply; else ``None``.
        provider: What the provider documents about this reply, when the reply
            shows which provider sent it; else ``None``.
        verdict: What :func:`classify` decides about it.
        command: The command the reply answered, when known.
        sources: Where the facts of the description come from (RFC sections).
        locale: The locale of the sentences smtpreply composed; quoted data is English.
    """

    label: str
    title: str
    description: str
    when: str
    fix: str
    rfcs: tuple[str, ...]
    code: ReplyCode | int | None = None
    status: EnhancedStatus | None = None
    reply_class: ReplyClass | None = None
    party: Party = Party.NOBODY
    server_text: str | None = None
    provider: str | None = None
    verdict: Verdict | None = None
    command: str | None = None
    sources: tuple[str, ...] = ()
    locale: str = "en"
    _subject: object = attrs.field(default=None, eq=False, repr=False, alias="subject")

    @property
    def name(self) -> str:
        """The label and the title, e.g. ``"252 (Cannot Verify User)"``."""
        return f"{self.label} ({self.title})"

    def in_locale(self, locale: Locale) -> Explanation:
        """The same explanation, composed in ``locale``."""
        if locale == self.locale:
            return self
        return explain(self._subject, command=self.command, locale=locale)  # type: ignore[arg-type]

    def render(self, format: Format = "text", locale: Locale | None = None) -> str:  # noqa: A002
        """Render the explanation.

        Args:
            format: ``"text"``, ``"markdown"``, ``"html"`` or ``"json"``.
            locale: One of :data:`LOCALES`; the explanation's own when ``None``.

        Returns:
            The rendering. Markdown and HTML escape every text, the server's included.

        Raises:
            ValueError: An unknown format or locale.
        """
        chosen = self.locale if locale is None else check_locale(locale)
        return render_explanation(self.in_locale(chosen), format)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        """The explanation as plain data: the JSON rendering, parsed."""
        import json

        data: dict[str, object] = json.loads(self.render("json"))
        return data

    def __str__(self) -> str:
        return self.render()


@public
def explain(
    subject: Explainable, *, command: str | None = None, locale: Locale = "en"
) -> Explanation:
    """Explain a reply code, an enhanced status or a whole reply.

    Args:
        subject: A :class:`ReplyCode` or ``int`` (``530``); a string holding a
            code (``"530"``), a status (``"5.7.0"``) or a reply, as a server sends
            it or as logs and people paste it (``"530 5.7.0 Authentication
            required"``, continuation lines such as ``"534-5.7.9 ..."``, a reply
            flattened onto one line, a log line that quotes one); reply bytes,
            decoded as :func:`parse` decodes them; a :class:`Reply`; an
            :class:`EnhancedStatus`; smtplib's ``(code, message)`` pair; or an
            smtplib or aiosmtplib exception.
        command: The command the reply answered, when the text does not say it.
        locale: The locale of the sentences smtpreply composes.

    Returns:
        The explanation.

    Raises:
        InvalidReply: ``subject`` is none of these; the message says what was expected.
        ValueError: ``locale`` is not one of :data:`LOCALES`.

    >>> explain(252).title
    'Cannot Verify User'
    >>> explain("5.7.26").title
    'Multiple authentication checks failed'
    >>> explain("534-5.7.9 Application-specific password required.").label
    '534 5.7.9'
    """
    check_locale(locale)
    from smtpreply._reading import normal_command

    normal = normal_command(command)
    if isinstance(subject, EnhancedStatus):
        return _explain_status(subject, locale)
    if isinstance(subject, Reply):
        return _explain_reply(subject, normal, locale)
    if isinstance(subject, int) and not isinstance(subject, bool):
        if not 100 <= subject <= 999:
            raise InvalidReply(f"expected a 3-digit reply code, not {subject!r}")
        return _explain_code(int(subject), locale)
    if isinstance(subject, BaseException):
        return _explain_exception(subject, normal, locale)
    if isinstance(subject, tuple):
        return _explain_pair(subject, normal, locale)
    if isinstance(subject, (bytes, bytearray, memoryview)):
        subject = decode(subject)
    if not isinstance(subject, str):
        raise InvalidReply(
            "expected a reply code, an enhanced status, a reply, or their text, "
            f"not {type(subject).__name__}"
        )
    return _explain_text(subject, normal, locale)


def _explain_text(subject: str, command: str | None, locale: str) -> Explanation:
    text = subject.strip()
    if len(text) == 3 and text.isascii() and text.isdigit():
        return _explain_code(int(text), locale)
    if text[:1].isdigit() and text[1:2] == "." and " " not in text:
        return _explain_status(EnhancedStatus.parse(text), locale)
    try:
        reply = parse(text)
    except InvalidReply as error:
        from smtpreply._extract import extract

        found = extract(text)
        if found is None or found.reply is None:
            raise InvalidReply(
                "expected a reply code such as '530', an enhanced status such as '5.7.0', "
                "or a reply such as '530 5.7.0 Authentication required'",
                subject,
                error.position,
            ) from error
        from smtpreply._reading import normal_command

        return _explain_reply(found.reply, command or normal_command(found.command), locale)
    return _explain_reply(reply, command, locale)


def _explain_pair(subject: tuple[object, ...], command: str | None, locale: str) -> Explanation:
    from smtpreply._parse import reply_from

    reply = reply_from(*subject) if len(subject) == 2 else None
    if reply is None:
        raise InvalidReply(f"expected smtplib's (code, message) pair, not {subject!r:.80}")
    return _explain_reply(reply, command, locale)


def _explain_exception(exc: BaseException, command: str | None, locale: str) -> Explanation:
    from smtpreply._exceptions import deciding_failure

    failure = deciding_failure(exc)  # the failure classify(exc) and should_retry answer for
    if failure.reply is None:
        raise InvalidReply(f"the exception carries no reply: {type(exc).__name__}")
    return _explain_reply(failure.reply, command or failure.verdict.command, locale)


def _verdict(subject: object, command: str | None = None) -> Verdict:
    from smtpreply._classify import classify

    return classify(subject, command=command)  # type: ignore[arg-type]


def _meanings(
    info: _data.CodeInfo, command: str | None, locale: str, *, alone: bool = False
) -> list[tuple[str, str]]:
    """The meanings of a code: all of them for the code ``alone``.

    For a reply, those that fit its ``command``, or the everyday (default) ones
    when the command is unknown.
    """
    chosen = [m for m in info.meanings if alone or m.answers(command)]
    if not chosen:
        chosen = [m for m in info.meanings if m.default]
    if len(chosen) == 1:
        return [("en", chosen[0].text)]
    segments = [(locale, say(f"meanings_{len(chosen)}", locale))]
    for meaning in chosen:
        if "*" in meaning.commands:
            segments += compose(
                "meaning_any", locale, {"text": meaning.text}, source=meaning.source
            )
        else:
            commands = join(meaning.commands, locale, "or")
            segments += compose(
                "meaning_for",
                locale,
                {"text": meaning.text},
                commands=commands,
                source=meaning.source,
            )
    return segments


def _advice(
    info: _data.CodeInfo, status: EnhancedStatus | None, command: str | None, locale: str
) -> list[tuple[str, str]]:
    """The code's advice: for a reply, what fits it; for the code alone, each case named."""
    segments: list[tuple[str, str]] = []
    alone = status is None and command is None
    for item in info.advice:
        if item.general:
            segments.append(("en", item.text))
        elif alone:
            if item.statuses:
                statuses = join([s.replace("X", "x") for s in item.statuses], locale, "or")
                segments += compose(
                    "advice_if_status", locale, {"text": item.text}, statuses=statuses
                )
            else:
                commands = join(item.commands, locale, "or")
                segments += compose(
                    "advice_if_command", locale, {"text": item.text}, commands=commands
                )
        elif item.fits(
            status.subject if status else None, status.detail if status else None, command
        ):
            segments.append(("en", item.text))
    return segments


@functools.lru_cache(maxsize=1024)
def _explain_code(number: int, locale: str) -> Explanation:
    member = ReplyCode.get(number)
    reply_class = ReplyClass.of(number)
    if reply_class is None:
        raise InvalidReply(f"{number} is not a reply code: its first digit names no class")
    if member is None:
        return _explain_unassigned(number, reply_class, locale)
    info = _data.reply_codes()[number]
    return Explanation(
        label=str(number),
        title=member.title,
        description=Passage(_meanings(info, None, locale, alone=True)),
        when=Passage([("en", info.when)]),
        fix=Passage(_advice(info, None, None, locale)),
        rfcs=info.rfcs,
        code=member,
        reply_class=reply_class,
        party=info.party,
        verdict=_verdict(number),
        sources=_sources(info),
        locale=locale,
        subject=number,
    )


def _sources(info: _data.CodeInfo) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*(m.source for m in info.meanings), *info.sources]))


def _explain_unassigned(number: int, reply_class: ReplyClass, locale: str) -> Explanation:
    name = class_name(reply_class.value, locale)
    group = _data.reply_classes()[reply_class.value]
    description = [(locale, say("unassigned_description", locale, code=number))]
    return Explanation(
        label=str(number),
        title=say("unassigned_title", locale, name=name),
        description=Passage([*description, ("en", group.description)]),
        when=Passage([(locale, say("unassigned_when", locale, code=number))]),
        fix=Passage([("en", group.fix)]),
        rfcs=("RFC 5321",),
        code=number,
        reply_class=reply_class,
        party=Party.NOBODY if reply_class.value < 4 else Party.SENDER,
        verdict=_verdict(number),
        sources=("RFC 5321, section 4.2.1",),
        locale=locale,
        subject=number,
    )


@functools.lru_cache(maxsize=4096)
def _explain_status(status: EnhancedStatus, locale: str) -> Explanation:
    party = Party.NOBODY if status.class_ == 2 else Party(status._subject_info().party)
    description: list[tuple[str, str]] = [("en", status.description)]
    return Explanation(
        label=str(status),
        title=status.title,
        description=Passage(description),
        when=Passage([("en", status.when)]),
        fix=Passage([("en", status.fix)]),
        rfcs=status.rfcs,
        status=status,
        reply_class=ReplyClass(status.class_),
        party=party,
        verdict=_verdict(status),
        locale=locale,
        subject=status,
    )


def status_fits(code: int, status: EnhancedStatus) -> bool:
    """True when the status's registered meaning can apply to a reply with ``code``.

    It can when the registry associates the code with it (or any code of its
    class), when the catalogue lists it among the code's usual statuses, or when
    the registry names no codes for it and the code is not one of the narrow codes
    of a session's state (authentication, TLS), whose usual statuses say it all.
    """
    entry = status.entry
    if entry is None:
        return True
    info = _data.reply_codes().get(code)
    if info is not None and str(status) in info.enhanced:
        return True
    if code in entry.basic_codes:
        return True
    note = entry.basic_codes_note.lower()
    if f"any {code // 100}xx" in note or "any basic reply code" in note:
        return True
    return not entry.basic_codes and (info is None or info.affects != "session")


def _explain_reply(reply: Reply, command: str | None, locale: str) -> Explanation:
    code = int(reply.code)
    base = _explain_code(code, locale)
    verdict = _verdict(reply, command)
    command = command or verdict.command
    status = reply.enhanced or verdict.status
    info = _data.reply_codes().get(code)
    provider = _provider(verdict)
    if info is not None:
        read = _Reading(
            base.title,
            _meanings(info, command, locale),
            base.when,
            _advice(info, status, command, locale),
        )
    else:
        read = _Reading(
            base.title,
            list(segments_of(base.description, locale)),
            base.when,
            [("en", base.fix)],
        )
    if status is not None:
        _read_status(read, code, status, locale)
    if provider is not None and provider.fix:
        # The provider says what fixes this very reply; generic advice would mislead.
        read.advice = [("en", provider.fix)]
    return Explanation(
        label=f"{code} {status}" if status is not None else str(code),
        title=read.title,
        description=Passage(read.description),
        when=read.when,
        fix=Passage(read.advice),
        rfcs=base.rfcs if status is None else tuple(dict.fromkeys(base.rfcs + status.rfcs)),
        code=reply.code,
        status=status,
        reply_class=base.reply_class,
        party=_party(base.party, status, code),
        server_text=reply.text or None,
        provider=None if provider is None else _provider_note(provider, locale),
        verdict=verdict,
        command=command,
        sources=base.sources,
        locale=locale,
        subject=reply,
    )


@attrs.define
class _Reading:
    """An explanation of a reply while it is composed: each part as segments."""

    title: str
    description: list[tuple[str, str]]
    when: str
    advice: list[tuple[str, str]]


def _read_status(read: _Reading, code: int, status: EnhancedStatus, locale: str) -> None:
    """Add what the status says, within the code ``code``, to ``read``."""
    if status.entry is None:
        read.description.append((locale, say("unregistered_status", locale, status=status)))
    elif status_fits(code, status):
        read.description += compose(
            "status_says",
            locale,
            {"title": status.title, "text": status.description},
            status=status,
        )
        if _gist_of(status.title) != _gist_of(read.title):
            read.title = f"{read.title}: {status.title}"
        read.when = Passage([("en", status.when)])
        read.advice = [("en", status.fix), *read.advice]
    else:
        read.description += compose(
            "status_loose", locale, {"title": status.title}, status=status, code=code
        )


_FILLERS = frozenset(("a", "an", "the", "is", "are"))


def _gist_of(title: str) -> tuple[str, ...]:
    """A title's telling words: "Mechanism is too weak" and "Mechanism Too Weak" agree."""
    return tuple(w for w in re.findall(r"[a-z0-9]+", title.casefold()) if w not in _FILLERS)


def _party(code_party: Party, status: EnhancedStatus | None, code: int) -> Party:
    if code_party is Party.NOBODY or status is None or not status_fits(code, status):
        return code_party
    return status.party


@functools.cache
def _documented() -> dict[tuple[str, str | None], ProviderRule]:
    """Each provider rule by the evidence classify gives when it applies."""
    from smtpreply._rules import rules

    return {(f"{rule.provider}: {rule.note}", rule.source): rule for rule in rules().providers}


def _provider(verdict: Verdict) -> ProviderRule | None:
    """The provider rule that classify applied to the reply, if any."""
    for evidence in verdict.evidence:
        if evidence.source == "provider":
            return _documented().get((evidence.detail, evidence.url))
    return None


def _provider_note(rule: ProviderRule, locale: str) -> Passage:
    return Passage(compose("provider_says", locale, {"note": rule.note}, provider=rule.provider))
