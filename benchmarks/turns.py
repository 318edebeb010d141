"""Time candidates in one process, taking turns round by round, and report ratios.

On a shared machine, one run of each candidate one after the other can be off by
2x. Here every round runs every candidate once, in turn, so that all of them meet
the same machine; each round gives each candidate a ratio against the reference,
measured in that round; the tables report the minimum and the median of those
ratios over the rounds. ``speed`` ratios read "how many times as fast as the
reference": above 1 is faster.
"""

from __future__ import annotations

import gc
import statistics
import time
from typing import Callable


def take_turns(
    candidates: dict[str, Callable[[], object]], rounds: int, *, warmup: int = 1
) -> dict[str, list[float]]:
    """Each candidate's time (seconds) in each round, after ``warmup`` untimed rounds."""
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for index in range(warmup + rounds):
        for name, run in candidates.items():
            gc.collect()
            start = time.perf_counter()
            run()
            elapsed = time.perf_counter() - start
            if index >= warmup:
                times[name].append(elapsed)
    return times


def speed_ratios(times: dict[str, list[float]], reference: str) -> dict[str, list[float]]:
    """Per round, how many times as fast as ``reference`` each candidate was."""
    base = times[reference]
    return {name: [ref / own for ref, own in zip(base, values)] for name, values in times.items()}


def table(
    times: dict[str, list[float]],
    reference: str,
    *,
    items: int,
    unit: str = "replies/s",
) -> str:
    """A Markdown table: throughput (median round) and speed vs the reference (min, median)."""
    ratios = speed_ratios(times, reference)
    lines = [
        f"| candidate | {unit} (median round) | speed vs {reference}: min | median |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, values in times.items():
        rate = items / statistics.median(values)
        lines.append(
            f"| {name} | {rate:,.0f} | {min(ratios[name]):.2f}x | "
            f"{statistics.median(ratios[name]):.2f}x |"
        )
    return "\n".join(lines)
