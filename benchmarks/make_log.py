"""Write a large mail log for timing ``smtpreply classify``.

    python benchmarks/make_log.py /tmp/big.log --size 1000000000
    /usr/bin/time -v smtpreply classify /tmp/big.log --summary > /dev/null

The log repeats the lines of ``tests/data/sample_mail.log`` (Postfix, Exim,
Sendmail and qmail wording), with a different address on each line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

SAMPLE = Path(__file__).parent.parent / "tests" / "data" / "sample_mail.log"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--size", type=int, default=1_000_000_000, help="bytes to write")
    args = parser.parse_args()
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    written = 0
    number = 0
    with args.output.open("w", encoding="utf-8") as out:
        while written < args.size:
            line = lines[number % len(lines)]
            line = line.replace("bob@", f"u{number}@").replace("amy@", f"v{number}@") + "\n"
            out.write(line)
            written += len(line)
            number += 1
    print(f"{number:,} lines, {written:,} bytes")


if __name__ == "__main__":
    main()
