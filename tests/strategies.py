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


# Valid replies made hostile: cut, duplicated, separators swapped, CR / LF / NUL /
# bytes that are not UTF-8 inserted, lines made overlong.
_INSERTS = [b"\r", b"\n", b"\x00", b"\xff", b"\xc3", b"\r\n", b"-", b" ", b"\t", b"\xe2\x82"]


@st.composite
def mutated_streams(draw: st.DrawFn) -> bytes:
    """A stream of replies as bytes, with a few hostile mutations."""
    items = draw(st.lists(replies(), min_size=1, max_size=4))
    data = bytearray(b"".join(bytes(reply) for reply in items))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["cut", "dup", "swap", "insert", "long"]))
        at = draw(st.integers(0, len(data)))
        if kind == "cut":
            end = draw(st.integers(at, min(len(data), at + 20)))
            del data[at:end]
        elif kind == "dup":
            end = draw(st.integers(at, min(len(data), at + 30)))
            data[at:at] = data[at:end]
        elif kind == "swap":
            separators = [i for i, byte in enumerate(data) if byte in b" -"]
            if separators:
                i = draw(st.sampled_from(separators))
                data[i] = ord("-") if data[i] == ord(" ") else ord(" ")
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(_INSERTS))
        else:
            data[at:at] = b"x" * draw(st.integers(60, 300))
    return bytes(data)


def cuts(data: bytes, points: list[int]) -> list[bytes]:
    """``data`` cut at the given points (sorted, within bounds)."""
    chosen = sorted({min(max(point, 0), len(data)) for point in points})
    edges = [0, *chosen, len(data)]
    return [data[start:end] for start, end in zip(edges, edges[1:])]


# Pieces of mail logs and bounces, for the scanner of ``extract``: codes and statuses
# in and out of context, recipient fields, line ends, the characters that may or may
# not stand before a code, and a few non-ASCII letters and digits.
_LOG_PIECES = [
    "550", "452", "250", "421", "5.1.1", "4.2.2", "2.0.0", "5.7.26", "5.01.1", "5.10.0",
    "550-", "452-4.2.2 ", "550 5.1.1 ", "(#5.1.1)", "dsn=4.4.1", "said: ",
    " (in reply to RCPT TO command)", "to=<", "orig_to=<", "TO:<", "to:", ">", "@",
    "bob@example.org", "192.0.2.1", "v2.5.1", "/var/550", "%550", ":550", "#", "'", '"',
    " ", "  ", "\t", "-", ".", "/", ":", ",", ";", "\n", "\r\n", "\r", "x", "_", "é", "İ", "٣",
]  # fmt: skip
log_texts = st.lists(
    st.one_of(st.sampled_from(_LOG_PIECES), st.text(max_size=4)), max_size=40
).map("".join)
