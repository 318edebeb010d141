"""``smtpreply classify``: one verdict per reply found in logs, bounces or replies."""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from smtpreply._classify import classify_found
from smtpreply._errors import InvalidReply
from smtpreply._extract import extract_all

if TYPE_CHECKING:
    from collections.abc import Iterator

    from smtpreply._extract import ExtractedReply
    from smtpreply._taxonomy import Verdict

# Input is read in blocks that end at a blank line once they pass SOFT bytes (so a
# bounce's paragraphs stay whole), and at any line once they pass HARD bytes (so
# memory stays flat whatever the input).
_SOFT = 64 * 1024
_HARD = 1024 * 1024

_EXAMPLES = """\
examples:
  smtpreply classify /var/log/mail.log --summary
  smtpreply classify bounce.eml --format json
  journalctl -u postfix | smtpreply classify
"""


def use_colour(stream: IO[str]) -> bool:
    """Colour output only on a terminal, and never when ``NO_COLOR`` is set."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def add_classify_parser(commands: Any) -> None:
    """Add the ``classify`` command to the command line's subparsers."""
    parser = commands.add_parser(
        "classify",
        help="one verdict per reply in logs, bounces or replies",
        description=(
            "Find the SMTP replies in mail logs (Postfix, Exim, Sendmail), bounces and DSNs, "
            "or plain replies, and print a verdict for each: recipient, code, status, "
            "reason, whether to retry, whether the address is dead."
        ),
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="files to read; stdin if none")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--summary", action="store_true", help="print the count of each reason at the end"
    )


def _blocks(stream: IO[bytes]) -> Iterator[tuple[str, int]]:
    """Blocks of text from ``stream``, with the bytes read so far."""
    lines: list[bytes] = []
    size = 0
    read = 0
    for line in stream:
        read += len(line)
        lines.append(line)
        size += len(line)
        if (size >= _SOFT and not line.strip()) or size >= _HARD:
            yield _decode(b"".join(lines)), read
            lines, size = [], 0
    if lines:
        yield _decode(b"".join(lines)), read


def _decode(data: bytes) -> str:
    from smtpreply._parse import decode

    return decode(data)


def _verdicts(text: str) -> tuple[list[tuple[ExtractedReply, Verdict]], int]:
    """The verdicts for the replies in ``text``, and the count of lines without one."""
    found = extract_all(text)
    results = []
    starts = set()
    line, counted = 0, 0  # the line number at position ``counted``, found going forward
    for item in found:
        try:
            results.append((item, classify_found(item, text)))
        except InvalidReply:  # an unknown command word in a log
            continue
        line += text.count("\n", counted, item.span[0])
        counted = item.span[0]
        starts.add(line)
    lines = sum(1 for line in text.splitlines() if line.strip())
    return results, max(0, lines - len(starts))


class _Progress:
    """A progress bar on stderr, for a file of known size when stderr is a terminal."""

    def __init__(self, total: int | None) -> None:
        self.total = total if total and sys.stderr.isatty() else None
        self.shown = -1

    def update(self, done: int) -> None:
        if self.total is None:
            return
        percent = min(100, done * 100 // self.total)
        if percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4)
            sys.stderr.write(f"\r[{bar:<25}] {percent:3d}%")
            sys.stderr.flush()

    def close(self) -> None:
        if self.total is not None and self.shown >= 0:
            sys.stderr.write("\n")


def _line(item: ExtractedReply, verdict: Verdict, colour: bool) -> str:
    code = "-" if item.code is None else str(int(item.code))
    status = "-" if verdict.status is None else str(verdict.status)
    reason = verdict.reason.value
    if colour:
        tint = (
            "31"
            if verdict.hard_bounce
            else "33"
            if verdict.retry
            else "32"
            if reason == "delivered"
            else "35"
        )
        reason = f"\033[{tint}m{reason}\033[0m"
    return (
        f"{item.recipient or '-'}\t{code}\t{status}\t{reason}\t"
        f"retry={'yes' if verdict.retry else 'no'}\t"
        f"hard_bounce={'yes' if verdict.hard_bounce else 'no'}\n"
    )


def _json(item: ExtractedReply, verdict: Verdict) -> str:
    record = {"recipient": item.recipient, **verdict.to_dict()}
    if record["code"] is None and item.code is not None:
        record["code"] = int(item.code)
    if record["text"] is None:
        record["text"] = item.text
    return json.dumps(record, ensure_ascii=False) + "\n"


def run_classify(args: argparse.Namespace) -> int:
    """Run ``smtpreply classify``; return the exit status."""
    sources: list[tuple[str, IO[bytes], int | None]] = []
    try:
        for name in args.files:
            opened: IO[bytes] = Path(name).open("rb")  # noqa: SIM115 - closed after streaming
            sources.append((name, opened, os.fstat(opened.fileno()).st_size))
    except OSError as error:
        for _, opened, _ in sources:
            opened.close()
        print(f"smtpreply: error: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    if not args.files:
        sources.append(("<stdin>", sys.stdin.buffer, None))
    colour = use_colour(sys.stdout)
    counts: collections.Counter[str] = collections.Counter()
    without = 0
    out = sys.stdout
    try:
        for _, handle, size in sources:
            progress = _Progress(size)
            try:
                for block, done in _blocks(handle):
                    results, empty = _verdicts(block)
                    without += empty
                    for item, verdict in results:
                        counts[verdict.reason.value] += 1
                        out.write(
                            _json(item, verdict)
                            if args.format == "json"
                            else _line(item, verdict, colour)
                        )
                    progress.update(done)
            finally:
                progress.close()
                if handle is not sys.stdin.buffer:
                    handle.close()
    except OSError as error:
        print(f"smtpreply: error: cannot read input: {error}", file=sys.stderr)
        return 2
    if args.summary:
        if args.format == "json":
            out.write(json.dumps({"summary": dict(counts), "lines_without_reply": without}) + "\n")
        else:
            out.write("\nreason\tcount\n")
            for reason, count in counts.most_common():
                out.write(f"{reason}\t{count}\n")
            out.write(f"(lines without a reply: {without})\n")
    return 0
