"""Write one reference page per reply code and per enhanced status, from the data.

Called by docs/conf.py when Sphinx starts; the pages go to docs/reference/generated/,
which git ignores.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import smtpreply
from smtpreply._render import markdown_escape as esc

if TYPE_CHECKING:
    from pathlib import Path

# Pairs that users often mix up, compared on their own page.
CONFUSED = [
    (550, 553),
    (421, 450),
    (450, 550),
    (451, 452),
    (530, 535),
    (250, 252),
    (550, 554),
    (552, 452),
    (521, 556),
    (535, 454),
]


def _shift(markdown: str) -> str:
    """Push every heading of a Markdown text one level down."""
    return "\n".join(
        "#" + line if line.startswith("#") else line for line in markdown.splitlines()
    )


def _code_page(code: smtpreply.ReplyCode) -> str:
    related = [
        f"- [{status} {esc(status.title)}](status-X.{status.subject}.{status.detail}.md)"
        for status in code.typical_statuses
        if status.is_registered
    ]
    related += [
        f"- [{other.value} {esc(other.title)}](code-{other.value}.md)"
        for other in smtpreply.ReplyCode
        if other.reply_class == code.reply_class
        and other.category == code.category
        and other != code
    ]
    page = smtpreply.explain(code).render("markdown").rstrip("\n")
    return page + "\n\n## Related codes\n\n" + "\n".join(related or ["- None."]) + "\n"


def _status_page(entry: smtpreply.RegistryEntry) -> str:
    basic = [
        f"[{number}](code-{number}.md)" if smtpreply.ReplyCode.get(number) else str(number)
        for number in entry.basic_codes
    ]
    lines = [
        f"# {entry.code} {esc(entry.title)}",
        "",
        "Deprecated by the registry." if entry.deprecated else "",
        "",
        "## Description",
        "",
        esc(entry.description),
        "",
        "## When you see it",
        "",
        esc(entry.when),
        "",
        "## How to fix",
        "",
        esc(entry.fix),
        "",
        "## Basic reply codes",
        "",
        (", ".join(basic) or "None given.")
        + (f" {esc(entry.basic_codes_note)}" if entry.basic_codes_note else ""),
        "",
        "## Learn more",
        "",
        *(f"- [{ref}]({smtpreply._render.reference_url(ref)})" for ref in entry.rfcs),
        "",
    ]
    return "\n".join(lines).replace("\n\n\n", "\n\n")


def write_reference(folder: Path) -> None:
    """Write every page into ``folder``, replacing what was there."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    names = []
    for code in smtpreply.ReplyCode:
        name = f"code-{code.value}"
        (folder / f"{name}.md").write_text(_code_page(code), encoding="utf-8")
        names.append(name)
    for entry in smtpreply.registry():
        name = f"status-{entry.code}"
        (folder / f"{name}.md").write_text(_status_page(entry), encoding="utf-8")
        names.append(name)
    confused = ["# Codes that are often confused", ""]
    for left, right in CONFUSED:
        confused += [_shift(smtpreply.diff(left, right).render("markdown")), ""]
    (folder / "confused.md").write_text("\n".join(confused), encoding="utf-8")
    names.append("confused")
    toctree = "\n".join(names)
    (folder / "index.md").write_text(
        "# Every code and status\n\n"
        "One page per reply code and per enhanced status of the IANA registry, "
        "generated from the data that smtpreply ships.\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n",
        encoding="utf-8",
    )
