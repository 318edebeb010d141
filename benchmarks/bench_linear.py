"""Show that reading time grows linearly with the input: 1 MB against 10 MB.

Run from the repository root, after ``pip install .``::

    python benchmarks/bench_linear.py

For each input the table gives the best of three runs on 1 MB and on 10 MB, and
their ratio, which is about 10 when the cost is linear. The inputs include
hostile ones, made to make a careless scanner go back over the text again and again.
"""

from __future__ import annotations

import argparse
import time
from typing import Callable

import smtpreply

MB = 1_000_000

POSTFIX_LINE = (
    "Nov 23 10:00:01 mail postfix/smtp[2211]: 4F2A01C0: to=<bob@example.org>, "
    "relay=mx.example.org[192.0.2.1]:25, delay=1.2, dsn=5.1.1, status=bounced "
    "(host mx.example.org[192.0.2.1] said: 550 5.1.1 <bob@example.org>: Recipient "
    "address rejected: User unknown (in reply to RCPT TO command))\n"
)


def repeat(unit: str, size: int) -> str:
    return unit * (size // len(unit))


def read_stream(text: str) -> int:
    reader = smtpreply.ReplyReader()
    data = text.encode()
    count = 0
    for start in range(0, len(data), 65536):
        count += len(reader.feed(data[start : start + 65536]))
    return count + len(reader.close())


def parse_or_fail(text: str) -> int:
    try:
        smtpreply.parse(text)
    except smtpreply.InvalidReply:
        return 0
    return 1


CASES: list[tuple[str, Callable[[str], object], str]] = [
    ("ReplyReader, pipelined replies", read_stream, "250-PIPELINING\r\n250 2.1.5 Ok\r\n"),
    ("extract_all, Postfix log", smtpreply.extract_all, POSTFIX_LINE),
    ("extract_all, `; 550 ` repeated", smtpreply.extract_all, "; 550 "),
    ("extract_all, ` 550-` repeated", smtpreply.extract_all, " 550-"),
    ("extract_all, `said: 550-5.1.1 ` repeated", smtpreply.extract_all, "said: 550-5.1.1 "),
    ("extract_all, `(#5.1.1) ` repeated", smtpreply.extract_all, "(#5.1.1) "),
    ("extract_all, digits and dots", smtpreply.extract_all, "1.2.3.4 550.5 "),
    ("extract_all, smtplib's `(550, b'x') ` repeated", smtpreply.extract_all, "(550, b'x') "),
    ("extract_all, smtplib's `(550, b'` unclosed", smtpreply.extract_all, "(550, b'"),
    ("classify, `said: 550 no` lines", smtpreply.classify, "said: 550 no\n"),
    ("classify, smtplib's `(550, b'` unclosed", smtpreply.classify, "(550, b'"),
    ("parse, one huge line (refused)", parse_or_fail, "250 " + "x" * 64),
    ("parse, endless continuation (refused)", parse_or_fail, "250-x\n"),
]


def best(function: Callable[[str], object], text: str, rounds: int) -> float:
    result = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        function(text)
        result = min(result, time.perf_counter() - start)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print("| input | 1 MB (s) | 10 MB (s) | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for name, function, unit in CASES:
        small = best(function, repeat(unit, MB), args.rounds)
        large = best(function, repeat(unit, 10 * MB), args.rounds)
        print(f"| {name} | {small:.3f} | {large:.3f} | {large / small:.1f} |")


if __name__ == "__main__":
    main()
