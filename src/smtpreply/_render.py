"""Rendering explanations and comparisons as text, Markdown, HTML or JSON.

The renderings take the locale of the explanation or comparison they are given:
every sentence smtpreply composed is in that locale, and quoted data stays
English. HTML marks each part with its language (``lang`` attributes).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal, get_args

from smtpreply._language import class_name, labelled, say

if TYPE_CHECKING:
    import datetime

    from smtpreply._compare import Comparison
    from smtpreply._explain import Explanation

__all__ = [
    "FORMATS",
    "Format",
    "markdown_escape",
    "reference_url",
    "render_comparison",
    "render_explanation",
]

#: The formats of ``render``.
Format = Literal["text", "markdown", "html", "json"]
FORMATS: tuple[Format, ...] = get_args(Format)

_WIDTH = 78
# Characters that would start markup: backslash-escaped, or written as entities.
_MARKDOWN_TABLE = str.maketrans(
    {**{char: "\\" + char for char in "\\`*_[]|~"}, "<": "&lt;", ">": "&gt;", "&": "&amp;"}
)
_MARKDOWN_LINE_START = ("#", "+", "-", "=", ">")
_SECTIONS = ("description", "when", "fix")


def _check(format: str) -> None:  # noqa: A002
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; the formats are: {', '.join(FORMATS)}")


def reference_url(reference: str) -> str:
    """Where a reference such as ``"RFC 5321"`` or an Internet-Draft name can be read."""
    if reference.startswith("RFC "):
        return f"https://www.rfc-editor.org/rfc/rfc{reference[4:]}"
    return f"https://datatracker.ietf.org/doc/{reference}/"


def _class_line(exp: Explanation) -> str | None:
    if exp.reply_class is None:
        return None
    name = class_name(exp.reply_class.value, exp.locale)
    return labelled(say("class", exp.locale), f"{exp.reply_class.value}yz {name}", exp.locale)


def _delay(delay: datetime.timedelta, locale: str) -> str:
    minutes = int(delay.total_seconds() // 60)
    if minutes % (24 * 60) == 0 and minutes >= 24 * 60:
        return say("days", locale, count=minutes // (24 * 60))
    if minutes % 60 == 0 and minutes >= 60:
        return say("hours", locale, count=minutes // 60)
    return say("minutes", locale, count=minutes)


def _verdict_segments(exp: Explanation) -> list[tuple[str, str]]:
    """What to do now, from the explanation's verdict."""
    verdict, locale = exp.verdict, exp.locale
    if verdict is None:
        return []
    if verdict.reason.value == "delivered":
        return [(locale, say("verdict_done", locale))]
    segments: list[tuple[str, str]] = []
    if verdict.reason.value != "undefined" or exp.server_text is not None:
        # A bare code has no text to read a reason from: saying so is noise.
        segments += [
            (locale, say("verdict_reason", locale, reason=verdict.reason.value)),
            ("en", verdict.reason.description),
        ]
    if verdict.retry and verdict.delay is not None:
        segments.append(
            (locale, say("verdict_retry", locale, delay=_delay(verdict.delay, locale)))
        )
    else:
        segments.append((locale, say("verdict_no_retry", locale)))
    if verdict.hard_bounce:
        segments.append((locale, say("verdict_hard_bounce", locale)))
    party = say(f"party_{exp.party.value}", locale)
    segments.append((locale, say("verdict_who", locale, party=party)))
    return segments


def _segments(text: str, locale: str) -> tuple[tuple[str, str], ...]:
    """The parts of a text with their languages; a plain string is in ``locale``."""
    return getattr(text, "segments", ((locale, text),))


_REGISTRY = (
    "IANA SMTP Enhanced Status Codes registry",
    "https://www.iana.org/assignments/smtp-enhanced-status-codes",
)


def _links(*explanations: Explanation) -> list[tuple[str, str]]:
    """Where to read more: each RFC once, and the IANA registry for statuses and industry codes."""
    seen: dict[tuple[str, str], None] = {}
    for exp in explanations:
        for reference in exp.rfcs:
            seen[reference, reference_url(reference)] = None
        if not exp.rfcs or exp.status is not None:
            seen[_REGISTRY] = None
    return list(seen)


# Plain text.


# Characters that take two columns, and the Han characters a line may break
# before (Chinese has no spaces between words); no line starts with closing punctuation.
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NO_LINE_START = frozenset(
    "\uff0c\u3002\u3001\uff1a\uff1b\uff01\uff1f\uff09\u300d\u300f\u3011\u300b\u201d\u2019"
)


def _width(text: str) -> int:
    return len(text) + len(_WIDE.findall(text))


def _pieces(word: str) -> list[str]:
    """A word cut where a line may break inside it: around Han characters."""
    if not _HAN.search(word):
        return [word]
    pieces = [word[0]]
    for previous, char in zip(word, word[1:]):
        breakable = _HAN.match(char) or _HAN.match(previous) or previous in _NO_LINE_START
        if breakable and char not in _NO_LINE_START:
            pieces.append(char)
        else:
            pieces[-1] += char
    return pieces


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    """Fill ``text`` into lines of at most _WIDTH columns (a long word gets its own line)."""
    lines = []
    line = indent if first is None else first
    empty = True
    for word in text.split():
        for index, piece in enumerate(_pieces(word)):
            glue = "" if index else " "
            if not empty and _width(line) + len(glue) + _width(piece) > _WIDTH:
                lines.append(line)
                line, empty, glue = indent, True, ""
            line = line + piece if empty else line + glue + piece
            empty = False
    if not empty:
        lines.append(line)
    return lines


def _section_texts(exp: Explanation) -> list[tuple[str, str]]:
    """The explanation's sections: heading key and text, in the order of the reference pages."""
    sections: list[tuple[str, str]] = []
    if exp.provider is not None:
        sections.append(("provider", exp.provider))
    sections += [(key, getattr(exp, key)) for key in _SECTIONS]
    verdict = _verdict_segments(exp)
    if verdict:
        from smtpreply._language import Passage

        sections.append(("verdict", Passage(verdict)))
    return sections


def _text_sections(exp: Explanation) -> list[str]:
    locale = exp.locale
    lines = [f"{exp.label} {exp.title}"]
    class_line = _class_line(exp)
    if class_line:
        lines.append(class_line)
    if exp.server_text is not None:
        lines += ["", say("server_said", locale)]
        lines += [f"  {line}" for line in exp.server_text.splitlines()]
    for key, text in _section_texts(exp):
        lines += ["", say(key, locale), *_wrap(text)]
    return lines


def _text_learn_more(links: list[tuple[str, str]], locale: str) -> list[str]:
    return [
        "",
        say("learn_more", locale),
        *(f"  {labelled(name, url, locale)}" for name, url in links),
    ]


def _explanation_text(exp: Explanation) -> str:
    lines = _text_sections(exp)
    lines += _text_learn_more(_links(exp), exp.locale)
    return "\n".join(lines) + "\n"


def _comparison_text(cmp: Comparison) -> str:
    locale = cmp.locale
    lines = [cmp.title, "", *_wrap(cmp.summary, indent="")]
    for exp in (cmp.left, cmp.right):
        lines += ["", *_text_sections(exp)]
    if cmp.differences:
        lines += ["", say("differences", locale)]
        for number, difference in enumerate(cmp.differences, 1):
            prefix = f"  {number}. "
            lines += _wrap(difference.text, indent=" " * len(prefix), first=prefix)
    lines += ["", say("which", locale), *_wrap(cmp.advice)]
    lines += _text_learn_more(_links(cmp.left, cmp.right), locale)
    return "\n".join(lines) + "\n"


# Markdown.


def markdown_escape(text: str) -> str:
    r"""Escape ``text`` so that Markdown shows it as it is, never as markup.

    >>> markdown_escape("<script>alert(1)</script> [click](http://x) *now*")
    '&lt;script&gt;alert(1)&lt;/script&gt; \\[click\\](http://x) \\*now\\*'
    """
    escaped = text.translate(_MARKDOWN_TABLE)
    stripped = escaped.lstrip()
    if stripped.startswith(_MARKDOWN_LINE_START) or _starts_with_list_number(stripped):
        escaped = escaped[: len(escaped) - len(stripped)] + "\\" + stripped
    return escaped


def _starts_with_list_number(text: str) -> bool:
    digits = len(text) - len(text.lstrip("0123456789"))
    return 0 < digits < 10 and text[digits : digits + 1] in (".", ")")


def _markdown_sections(exp: Explanation, level: str) -> list[str]:
    locale = exp.locale
    lines = [f"{level} {markdown_escape(f'{exp.label} {exp.title}')}", ""]
    class_line = _class_line(exp)
    if class_line:
        lines += [markdown_escape(class_line), ""]
    if exp.server_text is not None:
        said = "  \n".join(f"> {markdown_escape(line)}" for line in exp.server_text.splitlines())
        lines += [f"{level}# {markdown_escape(say('server_said', locale))}", "", said, ""]
    for key, text in _section_texts(exp):
        lines += [f"{level}# {markdown_escape(say(key, locale))}", "", markdown_escape(text), ""]
    return lines


def _markdown_learn_more(links: list[tuple[str, str]], locale: str, level: str) -> list[str]:
    lines = [f"{level} {markdown_escape(say('learn_more', locale))}", ""]
    lines += [f"- [{markdown_escape(name)}]({url})" for name, url in links]
    return [*lines, ""]


def _explanation_markdown(exp: Explanation) -> str:
    lines = _markdown_sections(exp, "#")
    lines += _markdown_learn_more(_links(exp), exp.locale, "##")
    return "\n".join(lines).rstrip("\n") + "\n"


def _comparison_markdown(cmp: Comparison) -> str:
    locale = cmp.locale
    lines = [f"# {markdown_escape(cmp.title)}", "", markdown_escape(cmp.summary), ""]
    for exp in (cmp.left, cmp.right):
        lines += _markdown_sections(exp, "##")
    if cmp.differences:
        lines += [f"## {markdown_escape(say('differences', locale))}", ""]
        lines += [
            f"{number}. {markdown_escape(difference.text)}"
            for number, difference in enumerate(cmp.differences, 1)
        ]
        lines.append("")
    lines += [f"## {markdown_escape(say('which', locale))}", "", markdown_escape(cmp.advice), ""]
    lines += _markdown_learn_more(_links(cmp.left, cmp.right), locale, "##")
    return "\n".join(lines).rstrip("\n") + "\n"


# HTML.


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _html_text(text: str, locale: str) -> str:
    """A text as HTML, each part that is not in the page's language marked with its own."""
    parts = []
    for lang, part in _segments(text, locale):
        escaped = _escape(part)
        parts.append(escaped if lang == locale else f'<span lang="{lang}">{escaped}</span>')
    return "".join(parts).strip()


def _html_sections(exp: Explanation, level: int) -> list[str]:
    locale = exp.locale
    lines = [f'<h{level} lang="en">{_escape(f"{exp.label} {exp.title}")}</h{level}>']
    class_line = _class_line(exp)
    if class_line:
        lines.append(f'<p class="class">{_escape(class_line)}</p>')
    sub = level + 1
    if exp.server_text is not None:
        said = "<br>".join(_escape(line) for line in exp.server_text.splitlines())
        lines += [
            f"<h{sub}>{_escape(say('server_said', locale))}</h{sub}>",
            f'<blockquote lang="en">{said}</blockquote>',
        ]
    for key, text in _section_texts(exp):
        lines += [
            f"<h{sub}>{_escape(say(key, locale))}</h{sub}>",
            f'<p class="{key}">{_html_text(text, locale)}</p>',
        ]
    return lines


def _html_learn_more(links: list[tuple[str, str]], locale: str, level: int) -> list[str]:
    items = "".join(
        f'<li><a href="{_escape(url)}">{_escape(name)}</a></li>' for name, url in links
    )
    return [f"<h{level}>{_escape(say('learn_more', locale))}</h{level}>", f"<ul>{items}</ul>"]


def _explanation_html(exp: Explanation) -> str:
    lines = [f'<article class="smtpreply-explanation" lang="{exp.locale}">']
    lines += _html_sections(exp, 1)
    lines += _html_learn_more(_links(exp), exp.locale, 2)
    lines.append("</article>")
    return "\n".join(lines) + "\n"


def _comparison_html(cmp: Comparison) -> str:
    locale = cmp.locale
    lines = [
        f'<article class="smtpreply-comparison" lang="{locale}">',
        f"<h1>{_escape(cmp.title)}</h1>",
        f'<p class="summary">{_html_text(cmp.summary, locale)}</p>',
    ]
    for exp in (cmp.left, cmp.right):
        lines += ["<section>", *_html_sections(exp, 2), "</section>"]
    if cmp.differences:
        items = "".join(f"<li>{_html_text(d.text, locale)}</li>" for d in cmp.differences)
        lines += [f"<h2>{_escape(say('differences', locale))}</h2>", f"<ol>{items}</ol>"]
    lines += [
        f"<h2>{_escape(say('which', locale))}</h2>",
        f'<p class="which">{_html_text(cmp.advice, locale)}</p>',
    ]
    lines += _html_learn_more(_links(cmp.left, cmp.right), locale, 2)
    lines.append("</article>")
    return "\n".join(lines) + "\n"


# JSON.


def _json_text(text: str, locale: str) -> list[dict[str, str]]:
    return [{"lang": lang, "text": part} for lang, part in _segments(text, locale)]


def _explanation_data(exp: Explanation) -> dict[str, Any]:
    reply_class = exp.reply_class
    verdict = exp.verdict
    return {
        "label": exp.label,
        "title": exp.title,
        "code": None if exp.code is None else int(exp.code),
        "status": None if exp.status is None else str(exp.status),
        "command": exp.command,
        "class": None
        if reply_class is None
        else {"digit": reply_class.value, "name": class_name(reply_class.value, exp.locale)},
        "party": exp.party.value,
        "server_text": exp.server_text,
        "provider": None if exp.provider is None else str(exp.provider),
        "description": str(exp.description),
        "when": str(exp.when),
        "fix": str(exp.fix),
        "parts": {key: _json_text(text, exp.locale) for key, text in _section_texts(exp)},
        "verdict": None if verdict is None else verdict.to_dict(),
        "rfcs": list(exp.rfcs),
        "sources": list(exp.sources),
    }


def _dump(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_explanation(exp: Explanation, format: Format) -> str:  # noqa: A002
    """Render ``exp`` in ``format``, in the explanation's locale."""
    _check(format)
    if format == "text":
        return _explanation_text(exp)
    if format == "markdown":
        return _explanation_markdown(exp)
    if format == "html":
        return _explanation_html(exp)
    data = _explanation_data(exp)
    data["locale"] = exp.locale
    data["learn_more"] = [{"name": name, "url": url} for name, url in _links(exp)]
    return _dump(data)


def render_comparison(cmp: Comparison, format: Format) -> str:  # noqa: A002
    """Render ``cmp`` in ``format``, in the comparison's locale."""
    _check(format)
    if format == "text":
        return _comparison_text(cmp)
    if format == "markdown":
        return _comparison_markdown(cmp)
    if format == "html":
        return _comparison_html(cmp)
    return _dump(
        {
            "title": cmp.title,
            "locale": cmp.locale,
            "summary": str(cmp.summary),
            "left": _explanation_data(cmp.left),
            "right": _explanation_data(cmp.right),
            "differences": [
                {
                    "aspect": difference.aspect.value,
                    "text": str(difference.text),
                    "sources": list(difference.sources),
                }
                for difference in cmp.differences
            ],
            "advice": str(cmp.advice),
            "learn_more": [
                {"name": name, "url": url} for name, url in _links(cmp.left, cmp.right)
            ],
        }
    )
