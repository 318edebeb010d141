"""Parse the same reply bytes with smtpreply and with what users would otherwise use.

Run from the repository root, after ``pip install . aiosmtplib``::

    python benchmarks/bench_parse.py

Every parser reads the same stream, in 4 KiB chunks where it reads a stream, as
a socket would deliver it. The corpus is the real server replies collected in
``tests/data/server_replies.jsonl``, repeated. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import platform
import smtplib
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Callable

import smtpreply

CORPUS = Path(__file__).parent.parent / "tests" / "data" / "server_replies.jsonl"
CHUNK = 4096
FLOOR = "`int(line[:3])` split loop (floor)"


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


def chunks(stream: bytes) -> list[bytes]:
    return [stream[start : start + CHUNK] for start in range(0, len(stream), CHUNK)]


def run_parse(replies: list[bytes], stream: bytes) -> int:
    parse = smtpreply.parse
    return sum(1 for raw in replies if parse(raw))


def run_reader(replies: list[bytes], stream: bytes) -> int:
    reader = smtpreply.ReplyReader()
    count = 0
    for chunk in chunks(stream):
        count += len(reader.feed(chunk))
    return count + len(reader.close())


def run_smtplib(replies: list[bytes], stream: bytes) -> int:
    client = smtplib.SMTP()
    client.file = io.BytesIO(stream)  # type: ignore[assignment]
    return sum(1 for _ in replies if client.getreply())


def run_aiosmtplib(replies: list[bytes], stream: bytes) -> int:
    from aiosmtplib.protocol import SMTPProtocol

    protocol = SMTPProtocol()
    read = protocol._read_response_from_buffer
    count = 0
    for chunk in chunks(stream):
        protocol._buffer.extend(chunk)
        while read() is not None:
            count += 1
    return count


def run_floor(replies: list[bytes], stream: bytes) -> int:
    """The least any parser must do: split lines, read each code, find each reply's end."""
    count = 0
    for line in stream.split(b"\r\n"):
        if line:
            int(line[:3])
            if line[3:4] != b"-":
                count += 1
    return count


def measure(
    contenders: list[tuple[str, Callable[[list[bytes], bytes], int]]],
    replies: list[bytes],
    stream: bytes,
    rounds: int,
) -> dict[str, float]:
    """The best time of each contender over ``rounds`` rounds, in seconds.

    Each round runs every contender once, one after the other, so that all of
    them meet the same machine; the best round is the least disturbed one.
    """
    best = {name: float("inf") for name, _ in contenders}
    for _ in range(rounds):
        for name, function in contenders:
            gc.collect()
            start = time.perf_counter()
            count = function(replies, stream)
            elapsed = time.perf_counter() - start
            if count != len(replies):
                raise AssertionError(f"{name} read {count} replies, not {len(replies)}")
            best[name] = min(best[name], elapsed)
    return best


def reply_memory(replies: list[bytes]) -> float:
    """Bytes of memory held per parsed reply (its object, lines and strings)."""
    gc.collect()
    tracemalloc.start()
    kept = [smtpreply.parse(raw) for raw in replies]
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (size - sys.getsizeof(kept)) / len(kept)


def table(kind: str, count: int, rounds: int) -> None:
    replies = load_corpus(count, kind)
    stream = b"".join(replies)
    contenders: list[tuple[str, Callable[[list[bytes], bytes], int]]] = [
        (FLOOR, run_floor),
        ("smtpreply.parse", run_parse),
        ("smtpreply.ReplyReader", run_reader),
        ("smtplib SMTP.getreply()", run_smtplib),
    ]
    try:
        import aiosmtplib

        contenders.append((f"aiosmtplib {aiosmtplib.__version__} protocol", run_aiosmtplib))
    except ImportError:
        print("aiosmtplib is not installed: its row is left out.", file=sys.stderr)
    times = measure(contenders, replies, stream, rounds)
    reference = times["smtpreply.parse"]
    floor = times[FLOOR]
    print(f"\n{kind} replies: {len(replies):,} replies, {len(stream):,} bytes.\n")
    print("| parser | replies/s | time vs smtpreply.parse | time vs floor |")
    print("| --- | ---: | ---: | ---: |")
    for name, elapsed in times.items():
        print(
            f"| {name} | {len(replies) / elapsed:,.0f} | {elapsed / reference:.2f}x | "
            f"{elapsed / floor:.2f}x |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replies", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    print(
        f"Corpus: {CORPUS.name}; CPython {platform.python_version()} on "
        f"{platform.machine()}; best of {args.rounds} interleaved rounds."
    )
    for kind in ("all", "single", "multi"):
        table(kind, args.replies, args.rounds)
    replies = load_corpus(10_000)
    print(f"\nMemory per parsed reply: {reply_memory(replies):,.0f} bytes.")


if __name__ == "__main__":
    main()
