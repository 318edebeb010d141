"""``public``: give a public name the path users import it from."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["public"]

T = TypeVar("T")


def public(obj: T) -> T:
    """Mark a class or function as ``smtpreply.<name>`` from its creation.

    Reprs, tracebacks, documentation and pickles then show the public path, not
    the private module that defines the object, whether or not the package's lazy
    namespace has been used yet.
    """
    obj.__module__ = "smtpreply"
    return obj
