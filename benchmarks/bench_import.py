"""How long ``import smtpreply`` and the first ``classify()`` take, beside ``import http``.

Run from the repository root, after ``pip install .``::

    python benchmarks/bench_import.py

Each measurement runs in a fresh interpreter, with bytecode caches in place (as
after ``pip install``). Round by round, the candidates take turns: ``import
smtpreply`` and ``import http`` as ``python -X importtime`` reports them (the
module and everything it imports), then the first ``classify()`` after ``import
smtpreply``, the first ``parse()`` and the first ``explain()``, each timed inside
its interpreter (the first ``classify()`` also after an ``import attrs`` that the
timing leaves out). The table gives the minimum and the median over the rounds, and
the import's ratio to ``import http`` within each round.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
from pathlib import Path

import smtpreply

FIRST_USE = """
import time
{preload}
import smtpreply
imported = time.perf_counter()
smtpreply.{call}
done = time.perf_counter()
print((done - imported) * 1000)
"""
CLASSIFY = "classify('550 5.1.1 <bob@example.org>: User unknown')"
# Each first call, and what the interpreter imports before ``import smtpreply``:
# an application that already uses attrs (smtpreply's one dependency) does not pay
# for it again, which is how the speed issue counts the first classify().
CALLS = {
    "first classify()": ("", CLASSIFY),
    "first classify(), attrs already imported": ("import attrs", CLASSIFY),
    "first parse()": ("", "parse(b'250 2.1.5 Ok\\r\\n')"),
    "first explain()": ("", "explain(550)"),
}


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users have the caches pip wrote
    return env


def import_time(module: str) -> float:
    """Milliseconds ``-X importtime`` reports for ``module`` and everything it imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
        env=_environment(),
    )
    for line in result.stderr.splitlines():
        fields = [field.strip() for field in line.split("|")]
        if len(fields) == 3 and fields[2] == module:
            return float(fields[1]) / 1000
    raise RuntimeError(f"no import time reported for {module}")


def first_use(preload: str, call: str) -> float:
    """Milliseconds from the end of ``import smtpreply`` to the end of a first call."""
    result = subprocess.run(
        [sys.executable, "-c", FIRST_USE.format(preload=preload, call=call)],
        capture_output=True,
        text=True,
        check=True,
        env=_environment(),
    )
    return float(result.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    compileall.compile_dir(str(Path(smtpreply.__file__).parent), quiet=1)
    samples: dict[str, list[float]] = {"import smtpreply": [], "import http": []}
    samples.update({name: [] for name in CALLS})
    ratios: list[float] = []
    for _ in range(args.rounds):
        ours = import_time("smtpreply")
        theirs = import_time("http")
        samples["import smtpreply"].append(ours)
        samples["import http"].append(theirs)
        ratios.append(ours / theirs)
        for name, (preload, call) in CALLS.items():
            samples[name].append(first_use(preload, call))
    print(
        f"CPython {sys.version.split()[0]}, smtpreply {smtpreply.__version__}; "
        f"{args.rounds} rounds, a fresh interpreter for each measurement.\n"
    )
    print("| measurement | min (ms) | median (ms) |")
    print("| --- | ---: | ---: |")
    for name, values in samples.items():
        print(f"| {name} | {min(values):.1f} | {statistics.median(values):.1f} |")
    print(
        f"\n`import smtpreply` / `import http`, round by round: min {min(ratios):.2f}x, "
        f"median {statistics.median(ratios):.2f}x."
    )


if __name__ == "__main__":
    main()
