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
