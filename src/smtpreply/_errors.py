"""The one error type that smtpreply raises for bad input."""

from __future__ import annotations

from smtpreply._public import public

__all__ = ["InvalidReply"]

# How much of the input an error message shows on each side of the bad spot.
_WINDOW = 40


@public
class InvalidReply(ValueError):
    """Input that is not a valid SMTP reply, reply code or enhanced status code.

    The message says what was expected and where, and quotes the input with a
    caret under the offending position::

        expected a 3-digit reply code at position 1: '5x0 oops'
            5x0 oops
             ^

    Attributes:
        reason: What was expected or what went wrong, without the position.
        text: The input (or the part of it that was being read), or ``None``
            when the error is not about a position in a text.
        position: The offset in ``text`` where the problem is, or ``None``.
    """

    def __init__(self, reason: str, text: str | None = None, position: int | None = None) -> None:
        self.reason = reason
        self.text = text
        self.position = position
        super().__init__(self._render())

    def _render(self) -> str:
        if self.text is None:
            return self.reason
        if self.position is None:
            return f"{self.reason}: {_clip(self.text, 0)[0]!r}"
        shown, column = _clip(self.text, self.position)
        escaped = repr(shown)[1:-1]
        caret = len(repr(shown[:column])[1:-1])
        return (
            f"{self.reason} at position {self.position}: {shown!r}\n"
            f"    {escaped}\n"
            f"    {' ' * caret}^"
        )


def _clip(text: str, position: int) -> tuple[str, int]:
    """Cut ``text`` to a window around ``position``; return it and the new column."""
    position = max(0, min(position, len(text)))
    start = max(0, position - _WINDOW)
    end = min(len(text), position + _WINDOW)
    shown = text[start:end]
    column = position - start
    if start > 0:
        shown = "..." + shown
        column += 3
    if end < len(text):
        shown += "..."
    return shown, column
