"""``classify_many`` against a plain loop of ``classify``, on texts with and without repeats.

Run from the repository root, after ``pip install .``::

    python benchmarks/bench_bulk.py

The texts are the replies of the labelled corpus's tuning part
(``tests/data/labelled/tune.jsonl``), drawn with a fixed seed. Real logs repeat
the same replies many times, but not all of them: a reply that quotes the
recipient's address differs for every recipient. So three workloads:

- *all distinct*: every text once, in a shuffled order (timed over as many calls
  as make up the other workloads' size). ``classify_many`` can only lose here;
  this measures what its memo costs.
- *each twice*: every text twice, shuffled: half the texts are repeats.
- *Zipf 1.0*: texts drawn with weights ``1 / rank``, so that a few replies make up
  much of the list, as in a day's log of a sender with many bounces; almost all
  are repeats.

Both candidates give ``None`` for a text without a reply (the loop catches
``InvalidReply``), run in one process, taking turns round by round; the table
gives the loop's median speed, and the time of ``classify_many`` over the time of
the loop, min and median over the rounds (below 1 means ``classify_many`` is
faster).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path
from typing import Callable

import smtpreply

TUNE = Path(__file__).parent.parent / "tests" / "data" / "labelled" / "tune.jsonl"
SEED = 2026


def corpus() -> list[str]:
    lines = TUNE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line]


def workloads(texts: list[str], size: int) -> dict[str, list[str]]:
    rng = random.Random(SEED)
    ranked = texts[:]
    rng.shuffle(ranked)
    result = {"all distinct": ranked}
    twice = ranked * 2
    rng.shuffle(twice)
    result["each twice"] = twice
    weights = [1 / (rank + 1) for rank in range(len(ranked))]
    result["Zipf 1.0"] = rng.choices(ranked, weights=weights, k=size)
    return result


def one(text: str) -> smtpreply.Verdict | None:
    try:
        return smtpreply.classify(text)
    except smtpreply.InvalidReply:
        return None


def loop(texts: list[str]) -> list[smtpreply.Verdict | None]:
    return [one(text) for text in texts]


def many(texts: list[str]) -> list[smtpreply.Verdict | None]:
    return smtpreply.classify_many(texts)


CANDIDATES: dict[str, Callable[[list[str]], list[smtpreply.Verdict | None]]] = {
    "loop of classify": loop,
    "classify_many": many,
}


def measure(texts: list[str], rounds: int, passes: int) -> dict[str, list[float]]:
    """Each candidate's time for ``passes`` calls on ``texts``, per round.

    The candidates take turns, and every other round the other goes first.
    """
    times: dict[str, list[float]] = {name: [] for name in CANDIDATES}
    order = list(CANDIDATES)
    for _ in range(rounds):
        for name in order:
            function = CANDIDATES[name]
            start = time.perf_counter()
            for _ in range(passes):
                function(texts)
            times[name].append(time.perf_counter() - start)
        order.reverse()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--size", type=int, default=20_000, help="texts per Zipf workload")
    args = parser.parse_args()
    texts = corpus()
    loads = workloads(texts, args.size)
    assert loop(texts) == many(texts)  # the same answers, and the rules are loaded
    print(f"{args.rounds} rounds, candidates in turns; ratio = classify_many / loop.\n")
    print("| workload | texts a call | distinct | loop texts/s | ratio min | ratio median |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, load in loads.items():
        passes = max(1, args.size // len(load))  # about as many texts in each workload
        times = measure(load, args.rounds, passes)
        ratios = [
            mine / theirs
            for mine, theirs in zip(times["classify_many"], times["loop of classify"])
        ]
        speed = passes * len(load) / statistics.median(times["loop of classify"])
        print(
            f"| {name} | {len(load):,} | {len(set(load)):,} | {speed:,.0f} | "
            f"{min(ratios):.3f} | {statistics.median(ratios):.3f} |"
        )


if __name__ == "__main__":
    main()
