"""Write the golden renderings that tests/test_render.py compares against.

Run ``python tests/golden/regenerate.py`` after a deliberate change to the texts or
the layout, then read the diff of the files before committing them.
"""

from __future__ import annotations

from pathlib import Path

import smtpreply

HERE = Path(__file__).parent
PAIRS = [(252, 530), (252, 535)]
RENDERINGS = [
    ("en", "text", "txt"),
    ("fr", "text", "txt"),
    ("vi", "text", "txt"),
    ("fr", "markdown", "md"),
]


def golden_files() -> dict[str, str]:
    """Every golden file's name and its expected content."""
    files = {}
    for left, right in PAIRS:
        comparison = smtpreply.diff(left, right)
        for locale, fmt, suffix in RENDERINGS:
            files[f"diff_{left}_{right}.{locale}.{suffix}"] = comparison.render(fmt, locale)
    return files


def main() -> None:
    for name, content in golden_files().items():
        (HERE / name).write_text(content, encoding="utf-8")


if __name__ == "__main__":
    main()
