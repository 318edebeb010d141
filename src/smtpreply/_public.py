"""``public``: give a public name the path users import it from."""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: "import smtpreply" does not import typing
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")

__all__ = ["public"]


def public(obj: T) -> T:
    """Mark a class or function as ``smtpreply.<name>`` from its creation.

    Reprs, tracebacks, documentation and pickles then show the public path, not
    the private module that defines the object, whether or not the package's lazy
    namespace has been used yet.
    """
    obj.__module__ = "smtpreply"
    return obj
