"""How long building every comparison of every pair of reply codes takes.

Run from the repository root, after ``pip install .``::

    python benchmarks/bench_diff.py

``diff`` keeps the explanations and comparisons it built in a cache, so the first
run (cold) and the runs after it (warm) are both given, with rendering on top.
"""

from __future__ import annotations

import itertools
import time

import smtpreply
from smtpreply import _compare, _explain


def clear() -> None:
    _compare._cached.cache_clear()
    _explain._explain_code.cache_clear()
    _explain._explain_status.cache_clear()


def main() -> None:
    pairs = list(itertools.permutations(list(smtpreply.ReplyCode), 2))
    smtpreply.diff(250, 550)  # load the data files once, outside the timing
    cold = float("inf")
    for _ in range(5):
        clear()
        start = time.perf_counter()
        for left, right in pairs:
            smtpreply.diff(left, right)
        cold = min(cold, time.perf_counter() - start)
    start = time.perf_counter()
    for left, right in pairs:
        smtpreply.diff(left, right)
    warm = time.perf_counter() - start
    rendered = {}
    for fmt in ("text", "markdown", "html", "json"):
        start = time.perf_counter()
        for left, right in pairs:
            smtpreply.diff(left, right).render(fmt)
        rendered[fmt] = time.perf_counter() - start
    print(f"{len(pairs):,} ordered pairs of the {len(smtpreply.ReplyCode)} reply codes.\n")
    print("| work | total (s) | per pair (µs) |")
    print("| --- | ---: | ---: |")
    print(f"| build every comparison, cold | {cold:.3f} | {cold / len(pairs) * 1e6:,.0f} |")
    print(f"| build every comparison, warm | {warm:.3f} | {warm / len(pairs) * 1e6:,.0f} |")
    for fmt, elapsed in rendered.items():
        print(f"| build and render as {fmt} | {elapsed:.3f} | {elapsed / len(pairs) * 1e6:,.0f} |")


if __name__ == "__main__":
    main()
