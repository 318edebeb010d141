"""``explain`` and ``diff``: what a code means, and how two codes differ."""

from __future__ import annotations

import enum
import functools
from typing import TYPE_CHECKING, Union

import attrs

from smtpreply import _data
from smtpreply._codes import ReplyClass, ReplyCode
from smtpreply._errors import InvalidReply
from smtpreply._public import public
from smtpreply._reply import Reply, parse
from smtpreply._status import EnhancedStatus

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "LOCALES",
    "Aspect",
    "Comparison",
    "Difference",
    "Explanation",
    "Party",
    "diff",
    "explain",
]

#: The locales that headings can be rendered in. The body text stays English.
LOCALES = ("de", "en", "es", "fr", "id", "ko", "pt", "ru", "tr", "vi", "zh-Hans")

#: The output formats of ``render``.
FORMATS = ("text", "markdown", "html", "json")

Explainable = Union[int, str, bytes, Reply, EnhancedStatus]


@public
class Party(str, enum.Enum):
    """Which side must act on a reply."""

    #: Nothing needs to be done: the reply reports progress or success.
    NOBODY = "nobody"
    #: The sender must act: its configuration, credentials, message or addresses.
    SENDER = "sender"
    #: The recipient's side must act: the recipient or the receiving server's administrator.
    RECIPIENT = "recipient"


@public
class Aspect(str, enum.Enum):
    """What a :class:`Difference` is about, from the most to the least important."""

    #: The reply class: success, intermediate, transient or permanent failure.
    CLASS = "class"
    #: What each code means.
    MEANING = "meaning"
    #: When each code is seen.
    WHEN = "when"
    #: Whether a sender should try again.
    RETRY = "retry"
    #: Which side must act.
    PARTY = "party"
    #: The subject of the enhanced status codes.
    STATUS_SUBJECT = "status_subject"
    #: The detail of the enhanced status codes.
    STATUS_DETAIL = "status_detail"
    #: The RFCs that define each code.
    RFCS = "rfcs"


_CLASS_GIST = {
    1: "the server asks the client to wait for another reply",
    2: "the command succeeded",
    3: "the server accepted the command so far and waits for more input",
    4: "the command failed for now and may succeed later",
    5: "the command failed and will fail again unless something changes",
}
_RETRY = {
    1: "there is nothing to retry yet, since another reply follows",
    2: "there is nothing to retry, since the command succeeded",
    3: "there is nothing to retry, since the client goes on with the next step",
    4: "the sender should keep the message and try again later",
    5: "trying the same command again unchanged will fail again",
}
_PARTY_TEXT = {
    Party.NOBODY: "nobody needs to act",
    Party.SENDER: "the sender must act, on its configuration, its credentials, its message "
    "or the address it used",
    Party.RECIPIENT: "the recipient's side must act, which means the recipient or the "
    "administrator of the receiving server",
}
_CLASS_KEYS = {
    1: "positive_preliminary",
    2: "positive_completion",
    3: "positive_intermediate",
    4: "transient_negative",
    5: "permanent_negative",
}


@public
@attrs.frozen
class Explanation:
    """What a reply code, an enhanced status or a whole reply means.

    Made by :func:`explain`. ``str(explanation)`` is the plain-text rendering.

    >>> exp = explain("550 5.1.1 User unknown")
    >>> exp.label, exp.title
    ('550 5.1.1', 'Mailbox Unavailable: Bad destination mailbox address')
    >>> exp.party
    <Party.SENDER: 'sender'>

    Attributes:
        label: How the subject is written: ``"252"``, ``"5.7.0"`` or ``"550 5.1.1"``.
        title: A short name.
        description: What it means.
        when: When a sender sees it.
        fix: What to do about it.
        rfcs: The documents that define it.
        code: The basic reply code, or ``None`` for a status on its own.
        status: The enhanced status, or ``None``.
        reply_class: The class, from the code or the status.
        party: Which side must act.
        server_text: The text the server sent, for an explained reply; else ``None``.
    """

    label: str
    title: str
    description: str
    when: str
    fix: str
    rfcs: tuple[str, ...]
    code: int | None = None
    status: EnhancedStatus | None = None
    reply_class: ReplyClass | None = None
    party: Party = Party.NOBODY
    server_text: str | None = None

    @property
    def name(self) -> str:
        """The label and the title, e.g. ``"252 (Cannot Verify User)"``."""
        return f"{self.label} ({self.title})"

    def render(self, format: str = "text", locale: str = "en") -> str:  # noqa: A002
        """Render the explanation.

        Args:
            format: ``"text"``, ``"markdown"``, ``"html"`` or ``"json"``.
            locale: One of :data:`LOCALES`; it sets the headings, the body stays English.

        Returns:
            The rendering. Markdown and HTML escape every text, the server's included.

        Raises:
            ValueError: An unknown format or locale.
        """
        from smtpreply._render import render_explanation

        return render_explanation(self, format, locale)

    def __str__(self) -> str:
        return self.render()


@public
@attrs.frozen
class Difference:
    """One way in which two codes differ.

    Attributes:
        aspect: What the difference is about.
        text: The difference, in one or two sentences.
    """

    aspect: Aspect
    text: str


@public
@attrs.frozen
class Comparison:
    """The key differences between two codes, statuses or replies.

    Made by :func:`diff`. ``str(comparison)`` is the plain-text rendering.

    Attributes:
        left: The explanation of the first side.
        right: The explanation of the second side.
        summary: One paragraph: both classes, what each means.
        differences: The differences, most important first; empty when both
            sides are the same.
        advice: When to use which: what to do about each.
    """

    left: Explanation
    right: Explanation
    summary: str
    differences: tuple[Difference, ...]
    advice: str

    @property
    def title(self) -> str:
        """``"SMTP 252 Cannot Verify User vs 530 Authentication Required"``."""
        return f"SMTP {self.left.label} {self.left.title} vs {self.right.label} {self.right.title}"

    def render(self, format: str = "text", locale: str = "en") -> str:  # noqa: A002
        """Render the comparison.

        Args:
            format: ``"text"``, ``"markdown"``, ``"html"`` or ``"json"``.
            locale: One of :data:`LOCALES`; it sets the headings, the body stays English.

        Returns:
            The rendering. Markdown and HTML escape every text, the server's included.

        Raises:
            ValueError: An unknown format or locale.
        """
        from smtpreply._render import render_comparison

        return render_comparison(self, format, locale)

    def __str__(self) -> str:
        return self.render()


@public
def explain(subject: Explainable) -> Explanation:
    """Explain a reply code, an enhanced status or a whole reply.

    Args:
        subject: A :class:`ReplyCode` or ``int`` (``530``), a string holding a
            code (``"530"``), a status (``"5.7.0"``) or a whole reply
            (``"530 5.7.0 Authentication required"``), reply bytes, a
            :class:`Reply` or an :class:`EnhancedStatus`. A reply that carries an
            enhanced status is explained through both.

    Returns:
        The explanation.

    Raises:
        InvalidReply: ``subject`` is none of these; the message says what was expected.

    >>> explain(252).title
    'Cannot Verify User'
    >>> explain("5.7.26").title
    'Multiple authentication checks failed'
    """
    if isinstance(subject, EnhancedStatus):
        return _explain_status(subject)
    if isinstance(subject, Reply):
        return _explain_reply(subject)
    if isinstance(subject, int) and not isinstance(subject, bool):
        if not 100 <= subject <= 999:
            raise InvalidReply(f"expected a 3-digit reply code, not {subject!r}")
        return _explain_code(int(subject))
    if isinstance(subject, (bytes, bytearray)):
        subject = bytes(subject).decode("utf-8", "replace")
    if not isinstance(subject, str):
        raise InvalidReply(
            "expected a reply code, an enhanced status, a reply, or their text, "
            f"not {type(subject).__name__}"
        )
    text = subject.strip()
    if len(text) == 3 and text.isascii() and text.isdigit():
        return explain(int(text))
    if text[:1].isdigit() and text[1:2] == ".":
        return _explain_status(EnhancedStatus.parse(text))
    try:
        reply = parse(text)
    except InvalidReply as error:
        raise InvalidReply(
            "expected a reply code such as '530', an enhanced status such as '5.7.0', "
            "or a reply such as '530 5.7.0 Authentication required'",
            subject,
            error.position,
        ) from error
    return _explain_reply(reply)


@functools.lru_cache(maxsize=1024)
def _explain_code(number: int) -> Explanation:
    member = ReplyCode.get(number)
    reply_class = ReplyClass.of(number)
    if member is not None:
        return Explanation(
            label=str(number),
            title=member.title,
            description=member.description,
            when=member.when,
            fix=member.fix,
            rfcs=member.rfcs,
            code=member,
            reply_class=reply_class,
            party=Party(_data.reply_codes()[number].party),
        )
    if reply_class is None:
        raise InvalidReply(f"{number} is not a reply code: its first digit names no class")
    party = {2: Party.NOBODY, 3: Party.NOBODY, 1: Party.NOBODY}.get(reply_class, Party.SENDER)
    return Explanation(
        label=str(number),
        title=f"Unassigned {reply_class.title} Code",
        description=f"No standard defines {number}. {reply_class.description}",
        when=(
            f"A server chose {number} on its own; its text, and the enhanced status if it "
            "sends one, carry the meaning."
        ),
        fix=_data.reply_classes()[reply_class.value].fix,
        rfcs=("RFC 5321",),
        code=number,
        reply_class=reply_class,
        party=party,
    )


@functools.lru_cache(maxsize=4096)
def _explain_status(status: EnhancedStatus) -> Explanation:
    party = Party.NOBODY if status.class_ == 2 else Party(status._subject_info().party)
    return Explanation(
        label=str(status),
        title=status.title,
        description=status.description,
        when=status.when,
        fix=status.fix,
        rfcs=status.rfcs,
        status=status,
        reply_class=ReplyClass(status.class_),
        party=party,
    )


def _explain_reply(reply: Reply) -> Explanation:
    code = _explain_code(int(reply.code))
    status = reply.enhanced
    text = reply.text or None
    if status is None:
        return attrs.evolve(code, code=reply.code, server_text=text)
    detail = _explain_status(status)
    return Explanation(
        label=f"{int(reply.code)} {status}",
        title=f"{code.title}: {detail.title}",
        description=(
            f"{code.description} The enhanced status {status} ({detail.title}) says more: "
            f"{detail.description}"
        ),
        when=detail.when,
        fix=f"{detail.fix} {code.fix}",
        rfcs=tuple(dict.fromkeys(code.rfcs + detail.rfcs)),
        code=reply.code,
        status=status,
        reply_class=code.reply_class,
        party=detail.party if code.party is not Party.NOBODY else Party.NOBODY,
        server_text=text,
    )


@public
def diff(left: Explainable, right: Explainable) -> Comparison:
    """The key differences between two codes, statuses or replies.

    Args:
        left: Anything :func:`explain` takes.
        right: Anything :func:`explain` takes.

    Returns:
        The comparison. ``diff(a, a)`` has no differences, and ``diff(b, a)``
        mirrors ``diff(a, b)``.

    Raises:
        InvalidReply: A side is not something :func:`explain` takes.

    >>> cmp = diff(252, 530)
    >>> [difference.aspect.value for difference in cmp.differences][:3]
    ['class', 'meaning', 'meaning']
    >>> diff(530, 530).differences
    ()
    """
    return _compare(explain(left), explain(right))


@functools.lru_cache(maxsize=8192)
def _compare(left: Explanation, right: Explanation) -> Comparison:
    return Comparison(
        left=left,
        right=right,
        summary=_summary(left, right),
        differences=tuple(_differences(left, right)) if left != right else (),
        advice=f"If you see {left.name}: {left.fix} If you see {right.name}: {right.fix}",
    )


def _class_phrase(exp: Explanation) -> str:
    """``"a 5yz Permanent Negative Completion reply"``, or the like for a status alone."""
    if exp.reply_class is None:
        return "a reply of no standard class"
    if exp.code is None and exp.status is not None:
        return f"a {exp.status.class_}.X.X {exp.status.class_title} status"
    return f"a {exp.reply_class.value}yz {exp.reply_class.title} reply"


def _class_name(exp: Explanation) -> str:
    """``"the 5yz Permanent Negative Completion class"``, or the like for a status alone."""
    if exp.reply_class is None:
        return "no standard class"
    if exp.code is None and exp.status is not None:
        return f"the {exp.status.class_}.X.X {exp.status.class_title} class"
    return f"the {exp.reply_class.value}yz {exp.reply_class.title} class"


def _gist(exp: Explanation) -> str:
    return _CLASS_GIST[exp.reply_class.value] if exp.reply_class is not None else "unknown"


def _lower_first(text: str) -> str:
    """Lower the first letter of a sentence, unless it starts an acronym or a code."""
    if text.startswith("This code "):
        return "the code " + text[len("This code ") :]
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _summary(left: Explanation, right: Explanation) -> str:
    if left == right:
        return (
            f"SMTP {left.name} is {_class_phrase(left)}: {_gist(left)}. "
            f"With {left.label}, {_lower_first(left.description)}"
        )
    if left.reply_class == right.reply_class:
        opening = (
            f"SMTP {left.name} and {right.name} both belong to {_class_name(left)}: "
            f"in both cases {_gist(left)}."
        )
    else:
        opening = (
            f"SMTP {left.name} is {_class_phrase(left)}, while {right.name} is "
            f"{_class_phrase(right)}."
        )
    return (
        f"{opening} With {left.label}, {_lower_first(left.description)} "
        f"In contrast, with {right.label}, {_lower_first(right.description)}"
    )


def _list(items: tuple[str, ...]) -> str:
    if not items:
        return "no RFC"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _differences(left: Explanation, right: Explanation) -> Iterator[Difference]:
    a, b = left.label, right.label
    if left.reply_class == right.reply_class:
        yield Difference(
            Aspect.CLASS,
            f"Both {a} and {b} belong to {_class_name(left)}: in both cases {_gist(left)}.",
        )
    else:
        yield Difference(
            Aspect.CLASS,
            f"{a} is {_class_phrase(left)}, so {_gist(left)}; "
            f"{b} is {_class_phrase(right)}, so {_gist(right)}.",
        )
    yield Difference(Aspect.MEANING, f"SMTP {a}: {left.description}")
    yield Difference(Aspect.MEANING, f"SMTP {b}: {right.description}")
    if left.when != right.when:
        yield Difference(Aspect.WHEN, f"When you see {a}: {left.when}")
        yield Difference(Aspect.WHEN, f"When you see {b}: {right.when}")
    retry_a = _RETRY[left.reply_class.value] if left.reply_class is not None else None
    retry_b = _RETRY[right.reply_class.value] if right.reply_class is not None else None
    if retry_a != retry_b and retry_a is not None and retry_b is not None:
        yield Difference(Aspect.RETRY, f"After {a}, {retry_a}; after {b}, {retry_b}.")
    if left.party is not right.party:
        yield Difference(
            Aspect.PARTY,
            f"For {a}, {_PARTY_TEXT[left.party]}; for {b}, {_PARTY_TEXT[right.party]}.",
        )
    yield from _status_differences(left, right)
    if left.rfcs != right.rfcs:
        yield Difference(
            Aspect.RFCS,
            f"{a} is defined in {_list(left.rfcs)}, and {b} in {_list(right.rfcs)}.",
        )


def _status_differences(left: Explanation, right: Explanation) -> Iterator[Difference]:
    first, second = left.status, right.status
    if first is None and second is None:
        return
    if first is None or second is None:
        having, status = (left, first) if second is None else (right, second)
        if status is None:  # pragma: no cover - one of the two is set
            return
        yield Difference(
            Aspect.STATUS_SUBJECT,
            f"Only {having.label} carries an enhanced status: {status} "
            f"({status.title}), about {status.subject_title.lower()}.",
        )
        return
    if first.subject != second.subject:
        yield Difference(
            Aspect.STATUS_SUBJECT,
            f"The status {first} is about {first.subject_title.lower()}, while {second} is "
            f"about {second.subject_title.lower()}.",
        )
    if (first.subject, first.detail) != (second.subject, second.detail):
        yield Difference(
            Aspect.STATUS_DETAIL,
            f'In detail, {first} is "{first.title}", and {second} is "{second.title}".',
        )
