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


def load_corpus(count: int) -> list[bytes]:
    """``count`` replies, cycling through the collected corpus."""
    raws = [
        json.loads(line)["raw"].encode("utf-8")
        for line in CORPUS.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
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
    function: Callable[[list[bytes], bytes], int], replies: list[bytes], stream: bytes, rounds: int
) -> float:
    """The best time of ``rounds`` runs, in seconds."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        count = function(replies, stream)
        elapsed = time.perf_counter() - start
        if count != len(replies):
            raise AssertionError(f"{function.__name__} read {count} replies, not {len(replies)}")
        best = min(best, elapsed)
    return best


def reply_memory(replies: list[bytes]) -> float:
    """Bytes of memory held per parsed reply (its object, lines and strings)."""
    gc.collect()
    tracemalloc.start()
    kept = [smtpreply.parse(raw) for raw in replies]
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (size - sys.getsizeof(kept)) / len(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replies", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    replies = load_corpus(args.replies)
    stream = b"".join(replies)
    contenders: list[tuple[str, Callable[[list[bytes], bytes], int]]] = [
        ("`int(line[:3])` split loop (floor)", run_floor),
        ("smtpreply.parse", run_parse),
        ("smtpreply.ReplyReader", run_reader),
        ("smtplib SMTP.getreply()", run_smtplib),
    ]
    try:
        import aiosmtplib

        contenders.append((f"aiosmtplib {aiosmtplib.__version__} protocol", run_aiosmtplib))
    except ImportError:
        print("aiosmtplib is not installed: its row is left out.", file=sys.stderr)
    times = {
        name: measure(function, replies, stream, args.rounds) for name, function in contenders
    }
    reference = times["smtpreply.parse"]
    floor = times["`int(line[:3])` split loop (floor)"]
    print(
        f"{len(replies):,} replies ({len(stream):,} bytes) from {CORPUS.name}; "
        f"CPython {platform.python_version()} on {platform.machine()}; best of {args.rounds}.\n"
    )
    print("| parser | replies/s | time vs smtpreply.parse | time vs floor |")
    print("| --- | ---: | ---: | ---: |")
    for name, elapsed in times.items():
        print(
            f"| {name} | {len(replies) / elapsed:,.0f} | {elapsed / reference:.2f}x | "
            f"{elapsed / floor:.2f}x |"
        )
    print(f"\nMemory per parsed reply: {reply_memory(replies[:10_000]):,.0f} bytes.")


if __name__ == "__main__":
    main()
