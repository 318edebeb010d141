"""How long ``import smtpreply`` takes, beside ``import smtplib``, in one run.

Run from the repository root, after ``pip install .``::

    python benchmarks/bench_import.py

Each import runs in a fresh interpreter, many times; the table gives the
fastest run (the least disturbed by the rest of the machine) and the median,
as ``python -X importtime`` reports them, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys


def import_time(module: str) -> float:
    """Microseconds ``-X importtime`` reports for ``module`` and everything it imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in result.stderr.splitlines():
        fields = [field.strip() for field in line.split("|")]
        if len(fields) == 3 and fields[2] == module:
            return float(fields[1])
    raise RuntimeError(f"no import time reported for {module}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    modules = ["smtpreply", "smtplib", "email.message", "attrs"]
    samples: dict[str, list[float]] = {module: [] for module in modules}
    for _ in range(args.runs):
        for module in modules:  # interleaved, so that both see the same machine
            samples[module].append(import_time(module) / 1000)
    print(f"CPython {sys.version.split()[0]}, {args.runs} runs each, fresh interpreter per run.\n")
    print("| import | fastest (ms) | median (ms) |")
    print("| --- | ---: | ---: |")
    for module in modules:
        values = samples[module]
        print(f"| `import {module}` | {min(values):.1f} | {statistics.median(values):.1f} |")


if __name__ == "__main__":
    main()
