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


def _pairs() -> list[tuple[int, int]]:
    """The pairs that have a hand-written contrast: the ones people confuse most."""
    from smtpreply._data import contrasts

    return sorted(tuple(sorted(pair)) for pair in contrasts())  # type: ignore[misc]


def _pair_name(left: int, right: int) -> str:
    return f"compare-{left}-{right}"


def _code_page(code: smtpreply.ReplyCode, pairs: list[tuple[int, int]]) -> str:
    compared = [
        f"- [{left} vs {right}]({_pair_name(left, right)}.md)"
        for left, right in pairs
        if code.value in (left, right)
    ]
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
    if compared:
        page += "\n\n## Often confused with\n\n" + "\n".join(compared)
    return page + "\n\n## Related codes\n\n" + "\n".join(related or ["- None."]) + "\n"


_CLASS_NAMES = {2: "Success", 4: "Persistent Transient Failure", 5: "Permanent Failure"}


def _classes(entry: smtpreply.RegistryEntry) -> list[str]:
    """The classes the registry uses the status in, each with an example reply."""
    note = entry.basic_codes_note.lower()
    classes = sorted({number // 100 for number in entry.basic_codes})
    if not classes or "any basic reply code" in note:
        classes = [2, 4, 5]
    lines = []
    for digit in classes:
        examples = [number for number in entry.basic_codes if number // 100 == digit]
        status = f"{digit}.{entry.subject}.{entry.detail}"
        example = f", as in `{examples[0]} {status}`" if examples else ""
        lines.append(f"- {status}: {digit}.X.X {_CLASS_NAMES[digit]}{example}")
    return lines


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
        "## Class",
        "",
        *_classes(entry),
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
        "## Sources",
        "",
        *(f"- {esc(source)}" for source in entry.sources),
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
    pairs = _pairs()
    for code in smtpreply.ReplyCode:
        name = f"code-{code.value}"
        (folder / f"{name}.md").write_text(_code_page(code, pairs), encoding="utf-8")
        names.append(name)
    for entry in smtpreply.registry():
        name = f"status-{entry.code}"
        (folder / f"{name}.md").write_text(_status_page(entry), encoding="utf-8")
        names.append(name)
    # One page per confused pair, in the shape of the reference pages people search for.
    listing = ["# Codes that are often confused", ""]
    for left, right in pairs:
        name = _pair_name(left, right)
        (folder / f"{name}.md").write_text(
            smtpreply.diff(left, right).render("markdown"), encoding="utf-8"
        )
        listing.append(f"- [{left} vs {right}]({name}.md)")
        names.append(name)
    (folder / "confused.md").write_text("\n".join(listing) + "\n", encoding="utf-8")
    names.append("confused")
    toctree = "\n".join(names)
    (folder / "index.md").write_text(
        "# Every code and status\n\n"
        "One page per reply code and per enhanced status of the IANA registry, and one "
        "per pair of codes that people often confuse, generated from the data that "
        "smtpreply ships.\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n",
        encoding="utf-8",
    )
