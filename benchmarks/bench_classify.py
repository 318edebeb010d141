"""Classify the labelled corpus: agreement with its labels, and throughput beside parse.

Run from the repository root, after ``pip install .``::

    python benchmarks/bench_classify.py

The corpus, ``tests/data/labelled_replies.jsonl``, holds real reply texts from
public sources, each labelled by hand with a reason, whether to retry, and whether
it is a hard bounce. The throughput is measured on the same texts, repeated, with
``classify`` and with ``parse`` (the part of the work that reads the reply) side by
side; texts that are log wording rather than replies go through ``extract``.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import time
from pathlib import Path
from typing import Any

import smtpreply

CORPUS = Path(__file__).parent.parent / "tests" / "data" / "labelled_replies.jsonl"


def load() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


def agreement(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Fractions of rows where classify agrees with the labels, and the misses by reason."""
    hits = collections.Counter()
    misses: collections.Counter[tuple[str, str]] = collections.Counter()
    for row in rows:
        try:
            verdict = smtpreply.classify(row["text"], command=row.get("command"))
            got = (verdict.reason.value, verdict.retry, verdict.hard_bounce)
        except smtpreply.InvalidReply:  # no reply found: counts as "undefined"
            got = ("no reply found", False, False)
        hits["reason"] += got[0] == row["reason"]
        hits["retry"] += got[1] == row["retry"]
        hits["hard_bounce"] += got[2] == row["hard_bounce"]
        if got[0] != row["reason"]:
            misses[row["reason"], got[0]] += 1
    total = len(rows)
    return {
        "total": total,
        **{key: hits[key] / total for key in ("reason", "retry", "hard_bounce")},
        "misses": misses,
    }


def throughput(texts: list[str], rounds: int) -> dict[str, float]:
    def read(text: str) -> object:
        try:
            return smtpreply.parse(text)
        except smtpreply.InvalidReply:
            return smtpreply.extract(text)

    best = {"parse (or extract)": float("inf"), "classify": float("inf")}
    for _ in range(rounds):
        start = time.perf_counter()
        for text in texts:
            read(text)
        best["parse (or extract)"] = min(best["parse (or extract)"], time.perf_counter() - start)
        start = time.perf_counter()
        for text in texts:
            with contextlib.suppress(smtpreply.InvalidReply):
                smtpreply.classify(text)
        best["classify"] = min(best["classify"], time.perf_counter() - start)
    return {name: len(texts) / elapsed for name, elapsed in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rows = load()
    result = agreement(rows)
    print(f"Labelled corpus: {result['total']} replies.\n")
    print("| label | agreement |")
    print("| --- | ---: |")
    for key in ("reason", "retry", "hard_bounce"):
        print(f"| {key} | {result[key]:.1%} |")
    print("\nMost frequent disagreements (label -> verdict):")
    for (label, got), count in result["misses"].most_common(10):
        print(f"- {label} -> {got}: {count}")
    texts = [row["text"] for row in rows] * args.repeat
    speeds = throughput(texts, args.rounds)
    print(f"\n{len(texts):,} texts, best of {args.rounds} rounds.\n")
    print("| function | replies/s |")
    print("| --- | ---: |")
    for name, speed in speeds.items():
        print(f"| {name} | {speed:,.0f} |")


if __name__ == "__main__":
    main()
