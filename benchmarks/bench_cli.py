"""Time ``smtpreply classify`` on a synthetic Postfix log, with one process and with more.

Run from the repository root, after ``pip install .``::

    python benchmarks/bench_cli.py --size 100000000 --rounds 5

The log is written by ``make_postfix_log.py`` (seeded: the same bytes every time)
unless ``--log`` names one. Each round runs every candidate once, in turn, as a
separate process writing to ``/dev/null``; the table gives the fastest and the
median wall-clock time over the rounds, the throughput at each, the peak resident
memory of the largest of its processes (the parent or a worker: ``wait4`` reports
the largest, not the sum), and the speed-up over the first candidate.
Before the timed rounds each candidate runs once untimed, and the outputs of
all the candidates are checked to be the same bytes.

``--baseline SRC`` adds the smtpreply of another source folder as a candidate
(its ``classify`` runs without ``--jobs``), e.g. the one before ``--jobs``::

    mkdir /tmp/old && git archive 456bfc7 src | tar -x -C /tmp/old
    python benchmarks/bench_cli.py --baseline /tmp/old/src
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import attrs

HERE = Path(__file__).parent


@attrs.frozen
class Candidate:
    """A way to run ``smtpreply classify``: a name, the arguments after the log, an import path."""

    name: str
    options: tuple[str, ...] = ()
    path: str | None = None

    def run(self, log: Path, output: Path | None = None) -> tuple[float, int]:
        """Classify ``log``; return the wall-clock seconds and the peak RSS in KiB."""
        argv = [sys.executable, "-m", "smtpreply", "classify", str(log), *self.options]
        env = dict(os.environ)
        if self.path is not None:
            env["PYTHONPATH"] = self.path
        with (output or Path(os.devnull)).open("wb") as target:
            start = time.perf_counter()
            process = subprocess.Popen(argv, stdout=target, env=env)
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"{argv} exited with {process.returncode}")
        peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
        return elapsed, peak


def digest(path: Path) -> str:
    found = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            found.update(block)
    return found.hexdigest()


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--log", type=Path, help="the log to classify (default: write one)")
    parser.add_argument("--size", type=int, default=100_000_000, help="bytes of log to write")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="the candidates")
    parser.add_argument(
        "--baseline",
        metavar="SRC",
        help="also time the smtpreply in SRC (a src folder, e.g. from git archive), no --jobs",
    )
    args = parser.parse_args()
    candidates = [Candidate(f"--jobs {jobs}", ("--jobs", str(jobs))) for jobs in args.jobs]
    if args.baseline:
        candidates.append(Candidate(f"baseline ({args.baseline})", path=args.baseline))
    with tempfile.TemporaryDirectory() as scratch:
        log = args.log
        if log is None:
            log = Path(scratch) / "postfix.log"
            maker = [sys.executable, str(HERE / "make_postfix_log.py"), str(log)]
            subprocess.run([*maker, "--size", str(args.size)], check=True)
        size = log.stat().st_size
        digests = set()
        for number, candidate in enumerate(candidates):  # a warm-up; the same output from all
            output = Path(scratch) / f"out-{number}.txt"
            candidate.run(log, output)
            digests.add(digest(output))
            output.unlink()
        if len(digests) != 1:
            raise SystemExit("the candidates wrote different outputs")
        times: dict[str, list[float]] = {candidate.name: [] for candidate in candidates}
        peaks: dict[str, int] = dict.fromkeys(times, 0)
        for round_ in range(args.rounds):
            for candidate in candidates if round_ % 2 == 0 else candidates[::-1]:
                elapsed, peak = candidate.run(log)
                times[candidate.name].append(elapsed)
                peaks[candidate.name] = max(peaks[candidate.name], peak)
                print(f"round {round_ + 1}: {candidate.name}: {elapsed:.2f} s", file=sys.stderr)
    print(
        f"\n{size:,} bytes, {args.rounds} rounds, {cores()} cores, "
        f"CPython {sys.version.split()[0]}\n"
    )
    print(
        "| candidate | min (s) | median (s) | MB/s (min) | MB/s (median) "
        "| peak RSS, largest process | speed-up (min / median) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    base = times[candidates[0].name]
    for name, taken in times.items():
        best, middle = min(taken), statistics.median(taken)
        ratio = f"{min(base) / best:.2f}x / {statistics.median(base) / middle:.2f}x"
        print(
            f"| {name} | {best:.2f} | {middle:.2f} | {size / best / 1e6:.2f} | "
            f"{size / middle / 1e6:.2f} | {peaks[name] / 1024:.0f} MB | {ratio} |"
        )


if __name__ == "__main__":
    main()
