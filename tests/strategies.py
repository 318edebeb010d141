"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import strategies as st

if TYPE_CHECKING:
    from smtpreply import Reply

sub_codes = st.integers(min_value=0, max_value=999)
status_classes = st.sampled_from([2, 4, 5])
status_triples = st.tuples(status_classes, sub_codes, sub_codes)
status_texts = status_triples.map(lambda t: f"{t[0]}.{t[1]}.{t[2]}")

_TEXT_ALPHABET = st.characters(codec="utf-8", exclude_characters="\r\n", max_codepoint=0x2FFF)
_STRICT_ALPHABET = st.characters(min_codepoint=32, max_codepoint=126) | st.just("\t")


@st.composite
def replies(draw: st.DrawFn, *, strict: bool = False) -> Reply:
    """Replies as a server could send them; strict ones obey RFC 5321 exactly."""
    from smtpreply import Reply

    if strict:
        code = (
            draw(st.integers(2, 5)) * 100 + draw(st.integers(0, 5)) * 10 + draw(st.integers(0, 9))
        )
        alphabet = _STRICT_ALPHABET
    else:
        code = draw(st.integers(100, 999))
        alphabet = _TEXT_ALPHABET
    count = draw(st.integers(1, 5))
    lines = []
    for _ in range(count):
        status = ""
        if code // 100 in (2, 4, 5) and draw(st.booleans()):
            status = f"{code // 100}.{draw(sub_codes)}.{draw(sub_codes)} "
        text = draw(st.text(alphabet, max_size=40))
        lines.append(status + text)
    # A line that is only blank would read as a trailing blank line if it were last.
    if not strict and not lines[-1].strip():
        lines[-1] = lines[-1].strip()
    return Reply(code, tuple(lines))
