"""Write the golden renderings that tests/test_render.py compares against.

Run ``python tests/golden/regenerate.py`` after a deliberate change to the texts or
the layout, then read the diff of the files before committing them: they are what
a reader of each locale sees.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import smtpreply

if TYPE_CHECKING:
    from smtpreply._language import Locale
    from smtpreply._render import Format

HERE = Path(__file__).parent
# Three comparisons the issue tracker asked about, and a reply pasted from a log.
PAIRS = [(252, 530), (421, 450), (534, 535)]
GMAIL = (
    "534-5.7.9 Application-specific password required. Learn more at\n"
    "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor "
    "d2e1a72fcca58-7e8c5f6e0a1sm1234567b3a.12 - gsmtp"
)
# Every locale as text; the other formats once each.
OTHER_FORMATS: list[tuple[Format, str, Locale]] = [
    ("markdown", "md", "fr"),
    ("html", "html", "de"),
    ("json", "json", "en"),
]


def golden_files() -> dict[str, str]:
    """Every golden file's name and its expected content."""
    files = {}
    for locale in smtpreply.LOCALES:
        for left, right in PAIRS:
            comparison = smtpreply.diff(left, right, locale=locale)
            files[f"diff_{left}_{right}.{locale}.txt"] = comparison.render()
        files[f"explain_gmail.{locale}.txt"] = smtpreply.explain(GMAIL, locale=locale).render()
    for fmt, suffix, locale in OTHER_FORMATS:
        comparison = smtpreply.diff(421, 450, locale=locale)
        files[f"diff_421_450.{locale}.{suffix}"] = comparison.render(fmt)
        explanation = smtpreply.explain(GMAIL, locale=locale)
        files[f"explain_gmail.{locale}.{suffix}"] = explanation.render(fmt)
    return files


def main() -> None:
    for name, content in golden_files().items():
        (HERE / name).write_text(content, encoding="utf-8")


if __name__ == "__main__":
    main()
