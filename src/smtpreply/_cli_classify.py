"""``smtpreply classify``: one verdict per reply found in logs, bounces or replies."""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs

from smtpreply._classify import classify_found
from smtpreply._cli_jobs import available_cores, ordered_map
from smtpreply._cli_output import CommandError, inert, inert_json, say, use_colour
from smtpreply._cli_read import LINE_LIMIT, decode_lines, read_blocks
from smtpreply._errors import InvalidReply
from smtpreply._extract import extract_all

if TYPE_CHECKING:
    from collections.abc import Iterator

    from smtpreply._cli_output import Output
    from smtpreply._extract import ExtractedReply
    from smtpreply._taxonomy import Verdict

__all__ = ["add_classify_parser", "classify_block", "classify_text", "run_classify"]

_EXAMPLES = """\
examples:
  smtpreply classify /var/log/mail.log --summary
  smtpreply classify bounce.eml --format json
  smtpreply classify big.log --jobs 4
  journalctl -u postfix | smtpreply classify
"""


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {jobs}")
    return jobs


def add_classify_parser(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
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
        formatter_class=formatter,
    )
    parser.add_argument(
        "files", nargs="*", metavar="FILE", help="files to read; stdin if none, or for -"
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: tab-separated columns; json: one JSON object a line (default: text)",
    )
    parser.add_argument(
        "--summary", action="store_true", help="print the count of each reason at the end"
    )
    cores = available_cores()
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=cores,
        metavar="N",
        help=(
            "classify on N processes; the output keeps the order of the input "
            f"(default: the cores available, here {cores})"
        ),
    )


def classify_text(text: str) -> tuple[list[tuple[ExtractedReply, Verdict]], int]:
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
    lines = sum(1 for line in text.split("\n") if line.strip())
    return results, max(0, lines - len(starts))


@attrs.frozen
class Task:
    """A block of input to classify, and how to write its verdicts."""

    data: bytes
    json: bool
    colour: bool


@attrs.frozen
class BlockResult:
    """The verdicts of a block, written out, and its counts."""

    text: str
    reasons: dict[str, int]
    without: int


def classify_block(task: Task) -> BlockResult:
    """Classify a block of input and write its verdicts; run in a worker process."""
    results, without = classify_text(decode_lines(task.data))
    reasons: collections.Counter[str] = collections.Counter()
    lines = []
    for item, verdict in results:
        reasons[verdict.reason.value] += 1
        lines.append(_json(item, verdict) if task.json else _line(item, verdict, task.colour))
    return BlockResult("".join(lines), dict(reasons), without)


class _Progress:
    """A progress bar on stderr, for a file of known size when stderr is a terminal."""

    def __init__(self, total: int | None) -> None:
        stderr = sys.stderr
        self.total = total if total and stderr is not None and stderr.isatty() else None
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
            self.shown = -1


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
    recipient = inert(item.recipient) if item.recipient else "-"
    return (
        f"{recipient}\t{code}\t{status}\t{reason}\t"
        f"retry={'yes' if verdict.retry else 'no'}\t"
        f"hard_bounce={'yes' if verdict.hard_bounce else 'no'}\n"
    )


def _json(item: ExtractedReply, verdict: Verdict) -> str:
    record = {"recipient": item.recipient, **verdict.to_dict()}
    if record["code"] is None and item.code is not None:
        record["code"] = int(item.code)
    if record["text"] is None:
        record["text"] = item.text
    return inert_json(json.dumps(record, ensure_ascii=False)) + "\n"


@attrs.define
class _Source:
    name: str
    stream: IO[bytes]
    size: int | None


def _stdin() -> _Source:
    if sys.stdin is None:
        raise CommandError("cannot read standard input: it is closed", 2)
    return _Source("standard input", sys.stdin.buffer, None)


def _open_sources(files: list[str]) -> list[_Source]:
    """The inputs, opened, ``-`` for stdin; a failure to open raises :class:`CommandError`."""
    sources: list[_Source] = []
    try:
        for name in files:
            if name == "-":
                sources.append(_stdin())
                continue
            opened: IO[bytes] = Path(name).open("rb")  # noqa: SIM115 - closed after streaming
            sources.append(_Source(name, opened, os.fstat(opened.fileno()).st_size))
    except (OSError, CommandError) as error:
        _close(sources)
        if isinstance(error, CommandError):
            raise
        raise CommandError(f"cannot read {error.filename}: {error.strerror}", 2) from None
    return sources or [_stdin()]


def _close(sources: list[_Source]) -> None:
    for source in sources:
        if source.stream is not getattr(sys.stdin, "buffer", None):
            source.stream.close()


@attrs.define
class _Totals:
    reasons: collections.Counter[str] = attrs.Factory(collections.Counter)
    without: int = 0
    cut: int = 0


def run_classify(args: argparse.Namespace, out: Output) -> int:
    """Run ``smtpreply classify``; return the exit status."""
    sources = _open_sources(args.files)
    colour = use_colour(out.stream)
    marks: collections.deque[tuple[int, int, int]] = collections.deque()

    def tasks() -> Iterator[Task]:
        for index, source in enumerate(sources):
            try:
                for block in read_blocks(source.stream, source.name):
                    marks.append((index, block.done, block.cut))
                    yield Task(block.data, args.format == "json", colour)
            finally:
                _close([source])

    totals = _Totals()
    progress, current = _Progress(None), -1
    results = ordered_map(classify_block, tasks(), args.jobs)
    try:
        for result in results:
            index, done, cut = marks.popleft()
            if index != current:
                progress.close()
                progress, current = _Progress(sources[index].size), index
            out.write(result.text)
            totals.reasons.update(result.reasons)
            totals.without += result.without
            totals.cut += cut
            progress.update(done)
    finally:
        results.close()  # stops the processes now, whatever ended the loop
        progress.close()
        _close(sources)
    if args.summary:
        _write_summary(out, totals, args.format == "json")
    if totals.cut:
        say(
            f"smtpreply: warning: {totals.cut} line longer than {LINE_LIMIT} bytes was cut: "
            f"only its first {LINE_LIMIT} bytes were read"
            if totals.cut == 1
            else f"smtpreply: warning: {totals.cut} lines longer than {LINE_LIMIT} bytes were "
            f"cut: only their first {LINE_LIMIT} bytes were read"
        )
    return 0


def _write_summary(out: Output, totals: _Totals, as_json: bool) -> None:
    if as_json:
        summary = {"summary": dict(totals.reasons), "lines_without_reply": totals.without}
        out.write(json.dumps(summary) + "\n")
        return
    out.write("\nreason\tcount\n")
    for reason, count in totals.reasons.most_common():
        out.write(f"{reason}\t{count}\n")
    out.write(f"(lines without a reply: {totals.without})\n")
