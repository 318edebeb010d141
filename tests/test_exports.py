from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import smtpreply


def test_all_is_sorted_and_complete() -> None:
    assert smtpreply.__all__ == sorted(smtpreply.__all__)
    public = {
        name
        for name in dir(smtpreply)
        if not name.startswith("_")
        and not inspect.ismodule(getattr(smtpreply, name))
        and name not in ("annotations", "TYPE_CHECKING", "Any")
    }
    assert public == set(smtpreply.__all__) - {"__version__"}


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'smtpreply' has no attribute 'nope'"):
        smtpreply.nope  # noqa: B018


def test_import_loads_classification_and_comparison_on_first_use() -> None:
    script = (
        "import sys, smtpreply\n"
        "lazy = ['smtpreply._classify', 'smtpreply._explain', 'smtpreply._extract']\n"
        "print([m in sys.modules for m in lazy])\n"
        "smtpreply.classify\n"
        "print([m in sys.modules for m in lazy])\n"
    )
    output = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert output == ["[False, False, False]", "[True, False, True]"]


def test_every_export_is_documented() -> None:
    for name in smtpreply.__all__:
        value = getattr(smtpreply, name)
        if isinstance(value, (str, int, tuple)):
            continue  # constants: documented by #: comments and in the docs
        assert inspect.getdoc(value), name
        assert value.__module__ == "smtpreply", name
