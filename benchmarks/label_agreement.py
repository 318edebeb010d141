"""How often two readers, labelling blind by the conventions, agree with the corpus.

Run from the repository root::

    python benchmarks/label_agreement.py

Two readers labelled 200 replies of the tuning part (drawn with a fixed seed) by
docs/conventions.md alone, each without seeing the corpus's labels, the other's
labels or smtpreply's verdicts (``tests/data/labelled/agreement/``). Their
agreement with the corpus and with each other says how far the labels themselves
can be trusted: a goal for ``classify`` above that agreement would be a goal
beyond the labels.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent.parent / "tests" / "data" / "labelled"
FIELDS = ("reason", "retry", "hard_bounce")


def load(name: str) -> list[dict[str, Any]]:
    path = HERE / "agreement" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def main() -> None:
    tuning = [
        json.loads(line)
        for line in (HERE / "tune.jsonl").read_text(encoding="utf-8").splitlines()
        if line
    ]
    rows = json.loads((HERE / "agreement" / "sample.json").read_text(encoding="utf-8"))["rows"]
    corpus = [tuning[row - 1] for row in rows]
    first, second = load("reader_a.jsonl"), load("reader_b.jsonl")
    pairs = {
        "reader A and the corpus": (first, corpus),
        "reader B and the corpus": (second, corpus),
        "reader A and reader B": (first, second),
    }
    print(f"{len(rows)} replies of the tuning part, labelled blind by two readers.\n")
    print("| pair | reason | retry | hard bounce |")
    print("| --- | ---: | ---: | ---: |")
    for name, (left, right) in pairs.items():
        cells = [
            f"{100 * sum(a[field] == b[field] for a, b in zip(left, right)) / len(rows):.1f}%"
            for field in FIELDS
        ]
        print(f"| {name} | {' | '.join(cells)} |")
    sure = [
        i
        for i in range(len(rows))
        if "unsure" not in (first[i]["confidence"], second[i]["confidence"])
    ]
    same = sum(first[i]["reason"] == second[i]["reason"] for i in sure)
    print(
        f"\nWhere both readers were sure ({len(sure)} replies), they named the same "
        f"reason for {same}."
    )


if __name__ == "__main__":
    main()
