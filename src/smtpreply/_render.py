"""Rendering explanations and comparisons as text, Markdown, HTML or JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smtpreply import _data

if TYPE_CHECKING:
    from collections.abc import Mapping

    from smtpreply._explain import Comparison, Explanation

__all__ = ["render_comparison", "render_explanation"]

_WIDTH = 78
# Characters that would start markup: backslash-escaped, or written as entities.
_MARKDOWN_TABLE = str.maketrans(
    {**{char: "\\" + char for char in "\\`*_[]|~"}, "<": "&lt;", ">": "&gt;", "&": "&amp;"}
)
_MARKDOWN_LINE_START = ("#", "+", "-", "=", ">")


def _headings(locale: str, format: str) -> Mapping[str, str]:  # noqa: A002
    from smtpreply._explain import FORMATS, LOCALES

    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; the formats are: {', '.join(FORMATS)}")
    if locale not in LOCALES:
        raise ValueError(
            f"unknown locale {locale!r}; the supported locales are: {', '.join(LOCALES)}"
        )
    return _data.locales()[locale]


def reference_url(reference: str) -> str:
    """Where a reference such as ``"RFC 5321"`` or an Internet-Draft name can be read."""
    if reference.startswith("RFC "):
        return f"https://www.rfc-editor.org/rfc/rfc{reference[4:]}"
    return f"https://datatracker.ietf.org/doc/{reference}/"


def _class_line(exp: Explanation, headings: Mapping[str, str]) -> str | None:
    if exp.reply_class is None:
        return None
    from smtpreply._explain import _CLASS_KEYS

    name = headings[_CLASS_KEYS[exp.reply_class.value]]
    return f"{headings['class']}: {exp.reply_class.value}yz {name}"


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


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    """Fill ``text`` into lines of at most _WIDTH columns (a long word gets its own line)."""
    lines = []
    line = indent if first is None else first
    empty = True
    for word in text.split():
        if not empty and len(line) + 1 + len(word) > _WIDTH:
            lines.append(line)
            line, empty = indent, True
        line = line + word if empty else line + " " + word
        empty = False
    if not empty:
        lines.append(line)
    return lines


def _text_sections(exp: Explanation, headings: Mapping[str, str]) -> list[str]:
    lines = [f"{exp.label} {exp.title}"]
    class_line = _class_line(exp, headings)
    if class_line:
        lines.append(class_line)
    if exp.server_text is not None:
        lines += ["", headings["server_said"]]
        lines += [f"  {line}" for line in exp.server_text.splitlines()]
    for key, text in (("description", exp.description), ("when", exp.when), ("fix", exp.fix)):
        lines += ["", headings[key], *_wrap(text)]
    return lines


def _text_learn_more(links: list[tuple[str, str]], headings: Mapping[str, str]) -> list[str]:
    return ["", headings["learn_more"], *(f"  {name}: {url}" for name, url in links)]


def _explanation_text(exp: Explanation, headings: Mapping[str, str]) -> str:
    lines = _text_sections(exp, headings)
    lines += _text_learn_more(_links(exp), headings)
    return "\n".join(lines) + "\n"


def _comparison_text(cmp: Comparison, headings: Mapping[str, str]) -> str:
    lines = [cmp.title, "", *_wrap(cmp.summary, indent="")]
    for exp in (cmp.left, cmp.right):
        lines += ["", *_text_sections(exp, headings)]
    if cmp.differences:
        lines += ["", headings["differences"]]
        for number, difference in enumerate(cmp.differences, 1):
            prefix = f"  {number}. "
            lines += _wrap(difference.text, indent=" " * len(prefix), first=prefix)
    lines += ["", headings["which"], *_wrap(cmp.advice)]
    lines += _text_learn_more(_links(cmp.left, cmp.right), headings)
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


def _markdown_sections(exp: Explanation, headings: Mapping[str, str], level: str) -> list[str]:
    lines = [f"{level} {markdown_escape(f'{exp.label} {exp.title}')}", ""]
    class_line = _class_line(exp, headings)
    if class_line:
        lines += [markdown_escape(class_line), ""]
    if exp.server_text is not None:
        said = "  \n".join(f"> {markdown_escape(line)}" for line in exp.server_text.splitlines())
        lines += [f"{level}# {markdown_escape(headings['server_said'])}", "", said, ""]
    for key, text in (("description", exp.description), ("when", exp.when), ("fix", exp.fix)):
        lines += [f"{level}# {markdown_escape(headings[key])}", "", markdown_escape(text), ""]
    return lines


def _markdown_learn_more(
    links: list[tuple[str, str]], headings: Mapping[str, str], level: str
) -> list[str]:
    lines = [f"{level} {markdown_escape(headings['learn_more'])}", ""]
    lines += [f"- [{markdown_escape(name)}]({url})" for name, url in links]
    return [*lines, ""]


def _explanation_markdown(exp: Explanation, headings: Mapping[str, str]) -> str:
    lines = _markdown_sections(exp, headings, "#")
    lines += _markdown_learn_more(_links(exp), headings, "##")
    return "\n".join(lines).rstrip("\n") + "\n"


def _comparison_markdown(cmp: Comparison, headings: Mapping[str, str]) -> str:
    lines = [f"# {markdown_escape(cmp.title)}", "", markdown_escape(cmp.summary), ""]
    for exp in (cmp.left, cmp.right):
        lines += _markdown_sections(exp, headings, "##")
    if cmp.differences:
        lines += [f"## {markdown_escape(headings['differences'])}", ""]
        lines += [
            f"{number}. {markdown_escape(difference.text)}"
            for number, difference in enumerate(cmp.differences, 1)
        ]
        lines.append("")
    lines += [f"## {markdown_escape(headings['which'])}", "", markdown_escape(cmp.advice), ""]
    lines += _markdown_learn_more(_links(cmp.left, cmp.right), headings, "##")
    return "\n".join(lines).rstrip("\n") + "\n"


# HTML.


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _html_sections(
    exp: Explanation, headings: Mapping[str, str], level: int, lang: str
) -> list[str]:
    lines = [f"<h{level}>{_escape(f'{exp.label} {exp.title}')}</h{level}>"]
    class_line = _class_line(exp, headings)
    if class_line:
        lines.append(f'<p class="class" lang="{lang}">{_escape(class_line)}</p>')
    sub = level + 1
    if exp.server_text is not None:
        said = "<br>".join(_escape(line) for line in exp.server_text.splitlines())
        lines += [
            f'<h{sub} lang="{lang}">{_escape(headings["server_said"])}</h{sub}>',
            f"<blockquote>{said}</blockquote>",
        ]
    for key, text in (("description", exp.description), ("when", exp.when), ("fix", exp.fix)):
        lines += [
            f'<h{sub} lang="{lang}">{_escape(headings[key])}</h{sub}>',
            f"<p>{_escape(text)}</p>",
        ]
    return lines


def _html_learn_more(
    links: list[tuple[str, str]], headings: Mapping[str, str], level: int, lang: str
) -> list[str]:
    items = "".join(
        f'<li><a href="{_escape(url)}">{_escape(name)}</a></li>' for name, url in links
    )
    return [
        f'<h{level} lang="{lang}">{_escape(headings["learn_more"])}</h{level}>',
        f"<ul>{items}</ul>",
    ]


def _explanation_html(exp: Explanation, headings: Mapping[str, str], lang: str) -> str:
    lines = ['<article class="smtpreply-explanation" lang="en">']
    lines += _html_sections(exp, headings, 1, lang)
    lines += _html_learn_more(_links(exp), headings, 2, lang)
    lines.append("</article>")
    return "\n".join(lines) + "\n"


def _comparison_html(cmp: Comparison, headings: Mapping[str, str], lang: str) -> str:
    lines = [
        '<article class="smtpreply-comparison" lang="en">',
        f"<h1>{_escape(cmp.title)}</h1>",
        f"<p>{_escape(cmp.summary)}</p>",
    ]
    for exp in (cmp.left, cmp.right):
        lines += ["<section>", *_html_sections(exp, headings, 2, lang), "</section>"]
    if cmp.differences:
        items = "".join(f"<li>{_escape(difference.text)}</li>" for difference in cmp.differences)
        lines += [
            f'<h2 lang="{lang}">{_escape(headings["differences"])}</h2>',
            f"<ol>{items}</ol>",
        ]
    lines += [
        f'<h2 lang="{lang}">{_escape(headings["which"])}</h2>',
        f"<p>{_escape(cmp.advice)}</p>",
    ]
    lines += _html_learn_more(_links(cmp.left, cmp.right), headings, 2, lang)
    lines.append("</article>")
    return "\n".join(lines) + "\n"


# JSON.


def _explanation_data(exp: Explanation, headings: Mapping[str, str]) -> dict[str, Any]:
    from smtpreply._explain import _CLASS_KEYS

    reply_class = exp.reply_class
    return {
        "label": exp.label,
        "title": exp.title,
        "code": None if exp.code is None else int(exp.code),
        "status": None if exp.status is None else str(exp.status),
        "class": None
        if reply_class is None
        else {"digit": reply_class.value, "name": headings[_CLASS_KEYS[reply_class.value]]},
        "party": exp.party.value,
        "description": exp.description,
        "when": exp.when,
        "fix": exp.fix,
        "rfcs": list(exp.rfcs),
        "server_text": exp.server_text,
    }


def _dump(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_explanation(exp: Explanation, format: str, locale: str) -> str:  # noqa: A002
    """Render ``exp`` in ``format`` with the headings of ``locale``."""
    headings = _headings(locale, format)
    if format == "text":
        return _explanation_text(exp, headings)
    if format == "markdown":
        return _explanation_markdown(exp, headings)
    if format == "html":
        return _explanation_html(exp, headings, locale)
    data = _explanation_data(exp, headings)
    data["locale"] = locale
    data["headings"] = dict(headings)
    data["learn_more"] = [{"name": name, "url": url} for name, url in _links(exp)]
    return _dump(data)


def render_comparison(cmp: Comparison, format: str, locale: str) -> str:  # noqa: A002
    """Render ``cmp`` in ``format`` with the headings of ``locale``."""
    headings = _headings(locale, format)
    if format == "text":
        return _comparison_text(cmp, headings)
    if format == "markdown":
        return _comparison_markdown(cmp, headings)
    if format == "html":
        return _comparison_html(cmp, headings, locale)
    return _dump(
        {
            "title": cmp.title,
            "locale": locale,
            "headings": dict(headings),
            "summary": cmp.summary,
            "left": _explanation_data(cmp.left, headings),
            "right": _explanation_data(cmp.right, headings),
            "differences": [
                {"aspect": difference.aspect.value, "text": difference.text}
                for difference in cmp.differences
            ],
            "advice": cmp.advice,
            "learn_more": [
                {"name": name, "url": url} for name, url in _links(cmp.left, cmp.right)
            ],
        }
    )
