from __future__ import annotations

import inspect

import smtpreply


def test_all_is_sorted_and_complete() -> None:
    assert smtpreply.__all__ == sorted(smtpreply.__all__)
    public = {
        name
        for name, value in vars(smtpreply).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert public == set(smtpreply.__all__) - {"__version__"}


def test_every_export_is_documented() -> None:
    for name in smtpreply.__all__:
        value = getattr(smtpreply, name)
        if isinstance(value, (str, int, tuple)):
            continue  # constants: documented by #: comments and in the docs
        assert inspect.getdoc(value), name
        assert value.__module__ == "smtpreply", name
