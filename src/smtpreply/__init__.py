"""Understand what an SMTP server answered, and decide what to do next.

Everything public lives in this one namespace::

    >>> import smtpreply
    >>> smtpreply.ReplyCode(535).title
    'Authentication Failed'
    >>> smtpreply.parse("530 5.7.0 Authentication required").enhanced
    EnhancedStatus(class_=5, subject=7, detail=0)
"""

from __future__ import annotations

from smtpreply._errors import InvalidReply
from smtpreply._version import __version__

# Not typing.TYPE_CHECKING: importing typing would cost more than the package itself.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from smtpreply._bulk import (
        LOG_COLUMNS,
        VERDICT_COLUMNS,
        classify_log_lines,
        classify_many,
        verdict_columns,
        verdict_rows,
    )
    from smtpreply._classify import classify
    from smtpreply._codes import Category, ReplyClass, ReplyCode
    from smtpreply._compare import Aspect, Comparison, Difference, diff
    from smtpreply._data import REGISTRY_VERSION, Party, RegistryEntry
    from smtpreply._exceptions import from_exception, from_refused, should_retry
    from smtpreply._explain import LOCALES, Explanation, explain
    from smtpreply._extract import ExtractedReply, extract, extract_all
    from smtpreply._parse import parse
    from smtpreply._reader import ReplyReader
    from smtpreply._reply import MAX_LINE_LENGTH, MAX_REPLY_LINES, Reply
    from smtpreply._status import EnhancedStatus, registry
    from smtpreply._taxonomy import Action, Evidence, Failure, Reason, Scope, Verdict

# Every module loads on first use of one of its names (PEP 562), so that "import
# smtpreply" costs next to nothing; each module is listed with its public names:
# its own __all__, which a test keeps equal.
_LAZY_MODULES: dict[str, tuple[str, ...]] = {
    "smtpreply._codes": ("Category", "ReplyClass", "ReplyCode"),
    "smtpreply._data": ("REGISTRY_VERSION", "Party", "RegistryEntry"),
    "smtpreply._reply": ("MAX_LINE_LENGTH", "MAX_REPLY_LINES", "Reply"),
    "smtpreply._parse": ("parse",),
    "smtpreply._status": ("EnhancedStatus", "registry"),
    "smtpreply._bulk": (
        "LOG_COLUMNS",
        "VERDICT_COLUMNS",
        "classify_log_lines",
        "classify_many",
        "verdict_columns",
        "verdict_rows",
    ),
    "smtpreply._classify": ("classify",),
    "smtpreply._exceptions": ("from_exception", "from_refused", "should_retry"),
    "smtpreply._compare": ("Aspect", "Comparison", "Difference", "diff"),
    "smtpreply._explain": ("LOCALES", "Explanation", "explain"),
    "smtpreply._extract": ("ExtractedReply", "extract", "extract_all"),
    "smtpreply._reader": ("ReplyReader",),
    "smtpreply._taxonomy": ("Action", "Evidence", "Failure", "Reason", "Scope", "Verdict"),
}
_LAZY = {name: module for module, names in _LAZY_MODULES.items() for name in names}

__all__ = [
    "Action",
    "Aspect",
    "Category",
    "Comparison",
    "Difference",
    "EnhancedStatus",
    "Evidence",
    "Explanation",
    "ExtractedReply",
    "Failure",
    "InvalidReply",
    "LOCALES",
    "LOG_COLUMNS",
    "MAX_LINE_LENGTH",
    "MAX_REPLY_LINES",
    "Party",
    "REGISTRY_VERSION",
    "Reason",
    "RegistryEntry",
    "Reply",
    "ReplyClass",
    "ReplyCode",
    "ReplyReader",
    "Scope",
    "VERDICT_COLUMNS",
    "Verdict",
    "__version__",
    "classify",
    "classify_log_lines",
    "classify_many",
    "diff",
    "explain",
    "extract",
    "extract_all",
    "from_exception",
    "from_refused",
    "parse",
    "registry",
    "should_retry",
    "verdict_columns",
    "verdict_rows",
]


def __getattr__(name: str) -> Any:
    import importlib

    module = _LAZY.get(name)
    if module is None:
        if name.startswith("_") and not name.startswith("__"):
            try:  # a private module, reached as an attribute (smtpreply._data)
                return importlib.import_module(f"{__name__}.{name}")
            except ModuleNotFoundError:
                pass
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
