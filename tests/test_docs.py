from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).parent.parent / "docs"


def _generator() -> object:
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_reference_pages_are_up_to_date() -> None:
    generator = _generator()
    for name, build in generator.PAGES.items():  # type: ignore[attr-defined]
        page = (DOCS / "reference" / name).read_text(encoding="utf-8")
        assert page == build(), f"docs/reference/{name} is stale: run python docs/generate.py"


def test_reference_pages_list_every_code() -> None:
    import smtpreply

    page = (DOCS / "reference" / "reply-codes.md").read_text(encoding="utf-8")
    for code in smtpreply.ReplyCode:
        assert f"| {code.value} | `{code.name}` |" in page
    statuses = (DOCS / "reference" / "enhanced-status-codes.md").read_text(encoding="utf-8")
    for entry in smtpreply.registry():
        assert f"| {entry.code} |" in statuses


def test_site_has_a_page_per_confused_pair_linked_from_each_code(tmp_path: Path) -> None:
    import sys

    import smtpreply
    from smtpreply import _data

    sys.path.insert(0, str(DOCS))
    try:
        from build_reference import write_reference
    finally:
        sys.path.remove(str(DOCS))
    write_reference(tmp_path)
    for pair in _data.contrasts():
        left, right = sorted(pair)
        page = (tmp_path / f"compare-{left}-{right}.md").read_text(encoding="utf-8")
        assert page == smtpreply.diff(left, right).render("markdown")
        for code in (left, right):
            code_page = (tmp_path / f"code-{code}.md").read_text(encoding="utf-8")
            assert f"(compare-{left}-{right}.md)" in code_page
    # Each code's page shows its verdict; each status page shows its classes.
    headings = _data.locales()["en"]
    for code in smtpreply.ReplyCode:
        page = (tmp_path / f"code-{code.value}.md").read_text(encoding="utf-8")
        assert f"## {headings['verdict']}" in page
    for entry in smtpreply.registry():
        page = (tmp_path / f"status-{entry.code}.md").read_text(encoding="utf-8")
        assert "## Class\n" in page
        assert f".{entry.subject}.{entry.detail}: " in page
