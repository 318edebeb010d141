"""Run the benchmarks and write their tables into docs/benchmarks.md.

Run from the repository root, after ``pip install . aiosmtplib``::

    python benchmarks/update_docs.py                  # every benchmark
    python benchmarks/update_docs.py parse import     # some of them
    python benchmarks/update_docs.py parse-compiled --python /tmp/compiled/bin/python

Each benchmark's output replaces what stands between its markers in
docs/benchmarks.md (``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``); the text
around the markers, which says what the figures mean, is written by hand. A
benchmark that needs a compiled install (``parse-compiled``) runs with the
interpreter given by ``--python``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
PAGE = HERE.parent / "docs" / "benchmarks.md"
# Each marker's benchmark: its script and arguments.
BENCHMARKS: dict[str, list[str]] = {
    "parse": ["bench_parse.py"],
    "parse-compiled": ["bench_parse.py"],
    "linear": ["bench_linear.py"],
    "extract": ["bench_extract.py"],
    "diff": ["bench_diff.py"],
    "classify": ["bench_classify.py"],
    "classify-compiled": ["bench_classify.py", "--no-accuracy"],
    "import": ["bench_import.py"],
    "cli": ["bench_cli.py", "--size", "1000000000", "--rounds", "1"],
}
COMPILED = {"parse-compiled", "classify-compiled"}


def run(name: str, python: str) -> str:
    """The output of one benchmark."""
    script, *arguments = BENCHMARKS[name]
    result = subprocess.run(
        [python, str(HERE / script), *arguments], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def replace(page: str, name: str, output: str) -> str:
    """``page`` with the text between ``name``'s markers replaced by ``output``."""
    marker = re.escape(name)
    pattern = re.compile(rf"(<!-- bench:{marker} -->\n)(?:.*?\n)?(<!-- /bench:{marker} -->)", re.S)
    if pattern.search(page) is None:
        raise SystemExit(f"docs/benchmarks.md has no markers for {name!r}")
    return pattern.sub(lambda match: f"{match[1]}\n{output}\n\n{match[2]}", page)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(BENCHMARKS))
    parser.add_argument("--python", help="the interpreter of a compiled install, for *-compiled")
    args = parser.parse_args()
    unknown = set(args.names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")
    names = args.names or [name for name in BENCHMARKS if name not in COMPILED or args.python]
    page = PAGE.read_text(encoding="utf-8")
    for name in names:
        if name in COMPILED and not args.python:
            raise SystemExit(f"{name} needs --python, the interpreter of a compiled install")
        print(f"running {name}...", file=sys.stderr)
        output = run(name, args.python if name in COMPILED else sys.executable)
        page = replace(page, name, output)
        PAGE.write_text(page, encoding="utf-8")  # after each, so a failure keeps the rest


if __name__ == "__main__":
    main()
