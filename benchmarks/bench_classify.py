"""Classify the labelled corpus: agreement with its labels, part by part, and speed.

Run from the repository root, after ``pip install .``::

    python benchmarks/bench_classify.py

The corpus (``tests/data/labelled/``) holds real replies from public sources,
labelled by the written conventions of docs/conventions.md before the rules were
tuned. The *tuning* part is what the rules were written and tuned on: its figures
are in-sample. The *test* part is frozen: it was never read while writing rules,
so its figures say how the rules do on replies they never saw.

Speed is measured on the same texts, ``classify`` beside ``parse`` (or ``extract``
where the text is a log line rather than a reply), in one process, the candidates
taking turns round by round.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
from pathlib import Path
from typing import Any, Callable

from turns import table, take_turns

import smtpreply

CORPUS = Path(__file__).parent.parent / "tests" / "data" / "labelled"
PARTS = ("tune", "test")


def load(part: str) -> list[dict[str, Any]]:
    path = CORPUS / f"{part}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def verdict_of(row: dict[str, Any]) -> tuple[str, bool, bool]:
    try:
        verdict = smtpreply.classify(row["text"], command=row["command"])
    except smtpreply.InvalidReply:  # no reply and no telling words: counted apart
        return "no reply found", False, False
    return verdict.reason.value, verdict.retry, verdict.hard_bounce


def agreement(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Agreement with the labels, the share of undefined, and the confusion pairs."""
    hits: collections.Counter[str] = collections.Counter()
    pairs: collections.Counter[tuple[str, str]] = collections.Counter()
    for row in rows:
        reason, retry, hard = verdict_of(row)
        hits["reason"] += reason == row["reason"]
        hits["retry"] += retry == row["retry"]
        hits["hard_bounce"] += hard == row["hard_bounce"]
        hits["undefined"] += reason in ("undefined", "no reply found")
        if reason != row["reason"]:
            pairs[row["reason"], reason] += 1
    total = len(rows)
    result: dict[str, Any] = {key: hits[key] / total for key in hits}
    result["total"] = total
    result["pairs"] = pairs
    return result


# The figures of agreement, in the order the tables list them.
FIGURES = (
    ("reason", "reason agrees"),
    ("retry", "retry agrees"),
    ("hard_bounce", "hard bounce agrees"),
    ("undefined", "undefined or no reply"),
)


def report_agreement(top: int) -> None:
    results = {part: agreement(load(part)) for part in PARTS}
    print("| figure | tuning part (in-sample) | test part (frozen) |")
    print("| --- | ---: | ---: |")
    print(f"| replies | {results['tune']['total']} | {results['test']['total']} |")
    for key, label in FIGURES:
        print(
            f"| {label} | {results['tune'].get(key, 0):.1%} | {results['test'].get(key, 0):.1%} |"
        )
    for part in PARTS:
        name = "tuning part" if part == "tune" else "test part"
        print(f"\nLargest confusion pairs, {name} (label -> verdict):\n")
        for (label, got), count in results[part]["pairs"].most_common(top):
            print(f"- {label} -> {got}: {count}")


def report_rows(rows: str, top: int) -> None:
    """Agreement on rows ``FIRST-LAST`` (1-based) of the tuning part, and nothing else.

    A round of tuning replies was measured this way before any rule was tuned on
    it: with the rules of a commit before that tuning, its figures are unseen ones.
    """
    first, _, last = rows.partition("-")
    chosen = load("tune")[int(first) - 1 : int(last)]
    result = agreement(chosen)
    print(f"Rows {first} to {last} of the tuning part: {result['total']} replies.\n")
    print("| figure | agreement |")
    print("| --- | ---: |")
    for key, label in FIGURES:
        print(f"| {label} | {result.get(key, 0):.1%} |")
    print("\nLargest confusion pairs (label -> verdict):\n")
    for (label, got), count in result["pairs"].most_common(top):
        print(f"- {label} -> {got}: {count}")


def read(text: str) -> object:
    try:
        return smtpreply.parse(text)
    except smtpreply.InvalidReply:
        return smtpreply.extract(text)


def classify(text: str) -> object:
    with contextlib.suppress(smtpreply.InvalidReply):
        return smtpreply.classify(text)
    return None


def report_speed(rounds: int, repeat: int) -> None:
    texts = [row["text"] for part in PARTS for row in load(part)] * repeat

    def run(function: Callable[[str], object]) -> Callable[[], object]:
        return lambda: [function(text) for text in texts]

    candidates = {"parse (or extract)": run(read), "classify": run(classify)}
    for function in (read, classify):  # warm the caches: the rules are read once
        for text in texts[:1000]:
            function(text)
    times = take_turns(candidates, rounds)
    print(f"\n{build()}; {len(texts):,} texts, {rounds} rounds, candidates in turns.\n")
    print(table(times, "parse (or extract)", items=len(texts), unit="texts/s"))


def build() -> str:
    """Which build of smtpreply this is: compiled (mypyc) or pure Python."""
    import smtpreply._decision

    compiled = not smtpreply._decision.__file__.endswith(".py")
    return "smtpreply compiled (mypyc)" if compiled else "smtpreply in pure Python"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=10, help="confusion pairs to list")
    parser.add_argument("--no-speed", action="store_true", help="agreement figures only")
    parser.add_argument("--no-accuracy", action="store_true", help="speed figures only")
    parser.add_argument(
        "--rows",
        metavar="FIRST-LAST",
        help="agreement on these rows of the tuning part only (1-based, inclusive), "
        "neither the test part nor speed",
    )
    args = parser.parse_args()
    if args.rows:
        report_rows(args.rows, args.top)
        return
    if not args.no_accuracy:
        report_agreement(args.top)
    if not args.no_speed:
        report_speed(args.rounds, args.repeat)


if __name__ == "__main__":
    main()
