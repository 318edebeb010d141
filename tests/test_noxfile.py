"""The noxfile's choice: on CI a missing Python fails the run; elsewhere it is skipped.

The noxfile is loaded with a stand-in for nox that records the options it sets, so
that the test needs no nox and starts no session.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest

NOXFILE = Path(__file__).parent.parent / "noxfile.py"


def load_noxfile(monkeypatch: pytest.MonkeyPatch, ci: str | None) -> types.SimpleNamespace:
    """Load the noxfile with ``CI`` as given; the options it set."""
    options = types.SimpleNamespace()
    stand_in = types.ModuleType("nox")
    stand_in.__dict__.update(
        options=options, session=lambda **_: lambda function: function, Session=Any
    )
    monkeypatch.setitem(sys.modules, "nox", stand_in)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    # The noxfile puts pyenv's interpreters first on PATH; monkeypatch undoes it.
    monkeypatch.setenv("PATH", os.environ.get("PATH", ""))
    spec = importlib.util.spec_from_file_location("noxfile_under_test", NOXFILE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return options


@pytest.mark.parametrize(
    ("ci", "fails"), [("true", True), ("1", True), (None, False), ("", False)]
)
def test_a_missing_python_fails_the_run_only_on_ci(
    monkeypatch: pytest.MonkeyPatch, ci: str | None, fails: bool
) -> None:
    options = load_noxfile(monkeypatch, ci)
    assert options.error_on_missing_interpreters is fails


def test_the_default_run_includes_lint_the_packages_and_the_docs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = load_noxfile(monkeypatch, "true")
    assert options.sessions == ["tests", "scale", "lint", "package", "compiled", "docs"]
    assert options.download_python == "never"
