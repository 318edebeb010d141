"""Understand what an SMTP server answered, and decide what to do next.

Everything public lives in this one namespace::

    >>> import smtpreply
    >>> smtpreply.ReplyCode(535).title
    'Authentication Failed'
    >>> smtpreply.parse("530 5.7.0 Authentication required").enhanced
    EnhancedStatus(class_=5, subject=7, detail=0)
"""

from __future__ import annotations

from smtpreply._classify import (
    Action,
    Evidence,
    Failure,
    Reason,
    Scope,
    Verdict,
    classify,
    from_exception,
    from_refused,
    should_retry,
)
from smtpreply._codes import Category, ReplyClass, ReplyCode
from smtpreply._data import REGISTRY_VERSION, RegistryEntry
from smtpreply._errors import InvalidReply
from smtpreply._explain import (
    LOCALES,
    Aspect,
    Comparison,
    Difference,
    Explanation,
    Party,
    diff,
    explain,
)
from smtpreply._extract import ExtractedReply, extract, extract_all
from smtpreply._reader import ReplyReader
from smtpreply._reply import MAX_LINE_LENGTH, MAX_REPLY_LINES, Reply, parse
from smtpreply._status import EnhancedStatus, registry
from smtpreply._version import __version__

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
    "Verdict",
    "__version__",
    "classify",
    "diff",
    "explain",
    "extract",
    "extract_all",
    "from_exception",
    "from_refused",
    "parse",
    "registry",
    "should_retry",
]

# Show the public path in tracebacks and reprs, not the private module's.
for _name in __all__:
    _obj = globals()[_name]
    if hasattr(_obj, "__module__") and not isinstance(_obj, (str, int, tuple)):
        _obj.__module__ = __name__
del _name, _obj
