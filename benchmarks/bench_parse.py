"""Parse the same reply bytes with smtpreply and with what users would otherwise use.

Run from the repository root, after ``pip install . aiosmtplib``::

    python benchmarks/bench_parse.py

Every parser reads the same replies: smtplib's ``getreply()`` and aiosmtplib's
reader get the stream (in 4 KiB chunks where they read a stream, as a socket
delivers it), ``smtpreply.parse`` gets each reply's bytes, ``ReplyReader`` the
stream in chunks. The corpus is the real server replies collected in
``tests/data/server_replies.jsonl``, repeated. The candidates take turns round by
round in this one process; the table gives each one's speed as a multiple of
smtplib's, measured within each round, minimum and median over the rounds.

Run it once with the pure-Python install and once with the compiled one
(``HATCH_BUILD_HOOKS_ENABLE=1 pip install .``): the first line says which this is.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import smtplib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from turns import table, take_turns

import smtpreply

if TYPE_CHECKING:
    from collections.abc import Callable

CORPUS = Path(__file__).parent.parent / "tests" / "data" / "server_replies.jsonl"
CHUNK = 4096
REFERENCE = "smtplib SMTP.getreply()"


def load_corpus(count: int, kind: str = "all") -> list[bytes]:
    """``count`` replies, cycling through the collected corpus.

    ``kind`` picks the replies: ``"all"``, ``"single"`` (one line) or ``"multi"``.
    """
    raws = [
        json.loads(line)["raw"].encode("utf-8")
        for line in CORPUS.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if kind != "all":
        raws = [raw for raw in raws if (raw.count(b"\n") > 1) == (kind == "multi")]
    return [raws[index % len(raws)] for index in range(count)]


def build() -> str:
    """Which build of smtpreply this is: compiled (mypyc) or pure Python."""
    import smtpreply._parse

    return "pure Python" if smtpreply._parse.__file__.endswith(".py") else "compiled (mypyc)"


def contenders(replies: list[bytes]) -> dict[str, Callable[[], object]]:
    stream = b"".join(replies)
    chunks = [stream[start : start + CHUNK] for start in range(0, len(stream), CHUNK)]
    count = len(replies)

    def run_smtplib() -> None:
        client = smtplib.SMTP()
        client.file = io.BytesIO(stream)  # type: ignore[assignment]
        for _ in range(count):
            client.getreply()

    def run_parse() -> None:
        parse = smtpreply.parse
        for raw in replies:
            parse(raw)

    def run_parse_enhanced() -> None:
        parse = smtpreply.parse
        for raw in replies:
            parse(raw).enhanced  # noqa: B018 - the work measured

    def run_reader() -> None:
        reader = smtpreply.ReplyReader()
        read = 0
        for chunk in chunks:
            read += len(reader.feed(chunk))
        if read + len(reader.close()) != count:
            raise AssertionError("ReplyReader read a different number of replies")

    found: dict[str, Callable[[], object]] = {
        REFERENCE: run_smtplib,
        "smtpreply.parse": run_parse,
        "smtpreply.parse + .enhanced": run_parse_enhanced,
        "smtpreply.ReplyReader": run_reader,
    }
    try:
        import aiosmtplib
        from aiosmtplib.protocol import SMTPProtocol
    except ImportError:
        print("aiosmtplib is not installed: its row is left out.", file=sys.stderr)
        return found

    def run_aiosmtplib() -> None:
        protocol = SMTPProtocol()
        read = protocol._read_response_from_buffer
        for chunk in chunks:
            protocol._buffer.extend(chunk)
            while read() is not None:
                pass

    found[f"aiosmtplib {aiosmtplib.__version__} reader"] = run_aiosmtplib
    return found


def reply_memory(replies: list[bytes]) -> float:
    """Bytes of memory held per parsed reply (its object, lines and strings)."""
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    kept = [smtpreply.parse(raw) for raw in replies]
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (size - sys.getsizeof(kept)) / len(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replies", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    print(
        f"smtpreply {smtpreply.__version__}, {build()}; CPython {platform.python_version()} "
        f"on {platform.machine()}; {args.rounds} rounds, candidates in turns."
    )
    for kind in ("single", "multi", "all"):
        replies = load_corpus(args.replies, kind)
        times = take_turns(contenders(replies), args.rounds)
        print(f"\n{kind} replies: {len(replies):,} replies.\n")
        print(table(times, REFERENCE, items=len(replies)))
    print(f"\nMemory per parsed reply: {reply_memory(load_corpus(10_000)):,.0f} bytes.")


if __name__ == "__main__":
    main()
