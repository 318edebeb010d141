"""Time ``extract_all`` on a realistic mail log: the scanner's regular expressions, old and new.

Run from the repository root, after ``pip install .``::

    python benchmarks/bench_extract.py
    python benchmarks/bench_extract.py --baseline /path/to/an/older/_extract.py

The log is synthetic and deterministic: Postfix and Exim lines around the replies
of the labelled corpus's tuning part (``tests/data/labelled/tune.jsonl``), among
the ordinary lines of a mail server (connections, queue entries, deliveries).

The scanner finds its candidates with two regular expressions. They used to begin
with a look-behind, which keeps the regular expression engine from skipping ahead
to the characters a match can start with; they now begin with a character class.
The old patterns are kept here. Both pairs first scan the log and must find the
same matches; then ``extract_all`` runs with each pair (the module's patterns
swapped in place), and the regular expressions alone scan the log, in one
process, the candidates taking turns round by round. The table gives old time
over new time, min and median over the rounds: above 1 means the new is faster.

With ``--baseline FILE``, an older copy of ``_extract.py`` (for example
``git show main:src/smtpreply/_extract.py > /tmp/old_extract.py``) is loaded
beside the installed one, and their ``extract_all`` take turns the same way.
With ``--long-line``, the text is one line of about 1 MB holding a reply every
60 characters after a ``to=<...>`` field, the case where looking back to the
line's start for every reply would cost the most.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import statistics
import time
from pathlib import Path
from typing import Callable

import smtpreply
from smtpreply import _extract

CORPUS = Path(__file__).parent.parent / "tests" / "data" / "labelled" / "tune.jsonl"

# The patterns as they were before they began with a character class.
OLD_CODE = re.compile(r"(?<![\w.\-/:%@])([2-5][0-9]{2})(?=[ \-]|\r?$|\r?\n)", re.MULTILINE)
OLD_STATUS = re.compile(
    r"(?<![\w.\-/])([245])\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})(?![0-9])(?![\w.\-/])"
)

HOSTS = (
    ("gmail-smtp-in.l.google.com", "142.250.102.27"),
    ("example-com.mail.protection.outlook.com", "52.101.68.10"),
    ("contoso-onmicrosoft-com.mail.protection.outlook.com", "52.101.41.3"),
    ("mta7.am0.yahoodns.net", "67.195.204.72"),
    ("mx00.mail.example.net", "198.51.100.25"),
    ("mx.example.org", "192.0.2.1"),
)
COMMANDS = {
    "RCPT": "RCPT TO",
    "MAIL": "MAIL FROM",
    "DATA": "end of DATA",
    "EHLO": "EHLO",
    "AUTH": "AUTH",
    "STARTTLS": "STARTTLS",
}
_STATUS_IN_REPLY = re.compile(r"\b([245]\.[0-9]{1,3}\.[0-9]{1,3})\b")


def load_replies() -> list[tuple[str, str | None]]:
    """The tuning part's texts, each on one line as a log writes it, with their command."""
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]
    return [(" ".join(row["text"].split()), row["command"]) for row in rows]


class LogWriter:
    """Writes log lines with a clock, queue ids and addresses that change line by line."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.seconds = 0
        self.number = 0

    def stamp(self) -> str:
        self.seconds += self.random.randrange(3)
        minutes, seconds = divmod(self.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"Nov 23 {hours % 24:02d}:{minutes:02d}:{seconds:02d}"

    def ids(self) -> tuple[str, str, str, int]:
        self.number += 1
        queue = f"{self.random.getrandbits(40):010X}"
        user = f"user{self.number}@example{self.number % 7}.com"
        alias = f"list-{self.number % 13}@lists.example.org"
        return queue, user, alias, self.random.randrange(1000, 99999)

    def ordinary(self) -> str:
        queue, user, _, pid = self.ids()
        host, ip = self.random.choice(HOSTS)
        kind = self.random.randrange(5)
        if kind == 0:
            client = f"203.0.113.{self.random.randrange(1, 255)}"
            return f"{self.stamp()} mail postfix/smtpd[{pid}]: connect from unknown[{client}]"
        if kind == 1:
            size = self.random.randrange(900, 90000)
            return (
                f"{self.stamp()} mail postfix/qmgr[812]: {queue}: from=<news@example.com>, "
                f"size={size}, nrcpt=1 (queue active)"
            )
        if kind == 2:
            return (
                f"{self.stamp()} mail postfix/cleanup[{pid}]: {queue}: "
                f"message-id=<20241123.{pid}.{self.number}@example.com>"
            )
        if kind == 3:
            return (
                f"{self.stamp()} mail postfix/smtp[{pid}]: {queue}: to=<{user}>, "
                f"relay={host}[{ip}]:25, delay=0.52, delays=0.01/0/0.21/0.3, dsn=2.0.0, "
                f"status=sent (250 2.0.0 OK  1732356001 a{pid}si{self.number}.45 - gsmtp)"
            )
        return (
            f"2024-11-23 {self.stamp()[7:]} 1tEw{queue[:2]}-000{queue[2:5]}-{queue[5:7]} => "
            f"{user} R=dnslookup T=remote_smtp H={host} [{ip}] "
            f'X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C="250 2.0.0 OK id={queue}"'
        )

    def failure(self, reply: str, command: str | None) -> str:
        queue, user, alias, pid = self.ids()
        host, ip = self.random.choice(HOSTS)
        if self.random.randrange(3) == 0:
            clause = COMMANDS.get(command or "RCPT", "RCPT TO")
            return (
                f"2024-11-23 {self.stamp()[7:]} 1tEw{queue[:2]}-000{queue[2:5]}-{queue[5:7]} ** "
                f"{user} R=dnslookup T=remote_smtp H={host} [{ip}]: SMTP error from remote "
                f"mail server after {clause}:<{user}>: {reply}"
            )
        found = _STATUS_IN_REPLY.search(reply)
        dsn = found.group(1) if found else ("4.0.0" if reply[:1] == "4" else "5.0.0")
        state = "deferred" if dsn[0] == "4" else "bounced"
        orig = f" orig_to=<{alias}>," if self.random.randrange(3) == 0 else ""
        if command == "CONNECT":
            said = f"host {host}[{ip}] refused to talk to me: {reply}"
        else:
            clause = COMMANDS.get(command or "RCPT", "RCPT TO")
            said = f"host {host}[{ip}] said: {reply} (in reply to {clause} command)"
        return (
            f"{self.stamp()} mail postfix/smtp[{pid}]: {queue}: to=<{user}>,{orig} "
            f"relay={host}[{ip}]:25, delay=1.{pid % 10}, delays=0.1/0/0.5/0.6, dsn={dsn}, "
            f"status={state} ({said})"
        )


def make_log(lines: int, seed: int = 25) -> str:
    """A deterministic log of ``lines`` lines, three in ten quoting a refused reply."""
    replies = load_replies()
    writer = LogWriter(seed)
    out = []
    for number in range(lines):
        if writer.random.randrange(10) < 3:
            reply, command = replies[number % len(replies)]
            out.append(writer.failure(reply, command))
        else:
            out.append(writer.ordinary())
    return "\n".join(out) + "\n"


def make_long_line(size: int = 1_000_000) -> str:
    """One line of replies after a recipient field, with no line end."""
    unit = "said: 550 5.1.1 no such user (in reply to RCPT TO command) "
    return "to=<bob@example.org>, " + unit * (size // len(unit))


def matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str]]:
    return [(found.span(), found.group(0)) for found in pattern.finditer(text)]


def groups(pattern: re.Pattern[str], text: str) -> list[tuple[str | None, ...]]:
    return [found.groups() for found in pattern.finditer(text)]


def with_patterns(code: re.Pattern[str], status: re.Pattern[str]) -> Callable[[str], object]:
    def run(text: str) -> object:
        saved = _extract._CODE, _extract._STATUS
        _extract._CODE, _extract._STATUS = code, status
        try:
            return smtpreply.extract_all(text)
        finally:
            _extract._CODE, _extract._STATUS = saved

    return run


def scan(code: re.Pattern[str], status: re.Pattern[str]) -> Callable[[str], object]:
    def run(text: str) -> object:
        return sum(1 for _ in code.finditer(text)) + sum(1 for _ in status.finditer(text))

    return run


def race(
    pairs: dict[str, tuple[Callable[[str], object], Callable[[str], object]]],
    text: str,
    rounds: int,
) -> None:
    """Time each pair (old, new) on ``text``, in turns, and print old/new ratios."""
    print("| candidate | old (s, best) | new (s, best) | old / new (min) | old / new (median) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, (old, new) in pairs.items():
        old(text)
        new(text)
        times: dict[str, list[float]] = {"old": [], "new": []}
        for number in range(rounds):
            # Alternate who goes first, so neither always runs on a warmer machine.
            order = (
                (("old", old), ("new", new)) if number % 2 == 0 else (("new", new), ("old", old))
            )
            for label, function in order:
                start = time.perf_counter()
                function(text)
                times[label].append(time.perf_counter() - start)
        ratios = [a / b for a, b in zip(times["old"], times["new"])]
        print(
            f"| {name} | {min(times['old']):.3f} | {min(times['new']):.3f} | "
            f"{min(ratios):.2f} | {statistics.median(ratios):.2f} |"
        )


def load_baseline(path: Path) -> Callable[[str], object]:
    spec = importlib.util.spec_from_file_location("baseline_extract", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    function: Callable[[str], object] = module.extract_all
    return function


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=20000, help="lines in the log")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--baseline", type=Path, help="an older _extract.py to compare with")
    parser.add_argument("--long-line", action="store_true", help="one long line of replies")
    args = parser.parse_args()
    log = make_long_line() if args.long_line else make_log(args.lines)
    same_codes = matches(OLD_CODE, log) == matches(_extract._CODE, log)
    same_statuses = matches(OLD_STATUS, log) == matches(_extract._STATUS, log) and groups(
        OLD_STATUS, log
    ) == groups(_extract._STATUS, log)
    lines = log.count("\n") or 1
    print(
        f"Text: {lines:,} lines, {len(log):,} characters; {args.rounds} rounds. "
        f"Same matches, codes: {same_codes}, statuses: {same_statuses}.\n"
    )
    if not (same_codes and same_statuses):
        raise SystemExit("the old and new patterns disagree")
    pairs = {
        "extract_all, old patterns vs new": (
            with_patterns(OLD_CODE, OLD_STATUS),
            with_patterns(_extract._CODE, _extract._STATUS),
        ),
        "the two patterns alone (finditer)": (
            scan(OLD_CODE, OLD_STATUS),
            scan(_extract._CODE, _extract._STATUS),
        ),
    }
    if args.baseline is not None:
        pairs[f"extract_all, {args.baseline.name} vs installed"] = (
            load_baseline(args.baseline),
            smtpreply.extract_all,
        )
    race(pairs, log, args.rounds)


if __name__ == "__main__":
    main()
