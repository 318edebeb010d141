"""Write a synthetic Postfix log built from real reply texts, for timing ``classify``.

    python benchmarks/make_postfix_log.py /tmp/postfix.log --size 100000000

The same seed and size give the same bytes. The log mixes what a Postfix
relay writes: deliveries (``status=sent``), deferrals and bounces quoting a
server's reply (the replies of ``tests/data/labelled/tune.jsonl`` that start
with a reply code, their lines flattened as Postfix flattens them), connection
failures, and the lines around them (``connect from``, ``qmgr``, ``cleanup``).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

CORPUS = Path(__file__).parent.parent / "tests" / "data" / "labelled" / "tune.jsonl"
_REPLY = re.compile(r"([245][0-9]{2})[ -]((?:[245])\.[0-9]{1,3}\.[0-9]{1,3})?")
_COMMANDS = {
    "RCPT": "RCPT TO",
    "MAIL": "MAIL FROM",
    "DATA": "end of DATA",
    "EHLO": "EHLO",
    "CONNECT": None,
    None: "RCPT TO",
}
_DOMAINS = ("example.org", "example.net", "example.com", "mail.example", "corp.example")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def replies() -> list[tuple[str, str, str, str | None]]:
    """The corpus replies that start with a code: (code, status, flattened text, command)."""
    found = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = " ".join(row["text"].split())
        match = _REPLY.match(text)
        if match is None or row["command"] not in _COMMANDS:
            continue
        code = match.group(1)
        status = match.group(2) or f"{code[0]}.0.0"
        found.append((code, status, text, row["command"]))
    return found


class Writer:
    """Log lines, each from a seeded random generator."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.replies = replies()
        self.number = 0

    def _stamp(self) -> str:
        r = self.random
        month = _MONTHS[r.randrange(12)]
        hour, minute, second = r.randint(0, 23), r.randint(0, 59), r.randint(0, 59)
        return f"{month} {r.randint(1, 28):2d} {hour:02d}:{minute:02d}:{second:02d}"

    def _queue_id(self) -> str:
        return f"{self.random.getrandbits(40):010X}"

    def _peer(self) -> tuple[str, str]:
        r = self.random
        domain = _DOMAINS[r.randrange(len(_DOMAINS))]
        return f"mx{r.randint(1, 9)}.{domain}", f"192.0.2.{r.randint(1, 254)}"

    def line(self) -> str:
        self.number += 1
        r = self.random
        pid = r.randint(1000, 65000)
        head = f"{self._stamp()} relay1 postfix"
        queue = self._queue_id()
        pick = r.random()
        if pick < 0.15:
            return f"{head}/smtpd[{pid}]: connect from unknown[203.0.113.{r.randint(1, 254)}]"
        if pick < 0.25:
            return f"{head}/qmgr[{pid}]: {queue}: removed"
        if pick < 0.35:
            return (
                f"{head}/cleanup[{pid}]: {queue}: message-id=<{self.number}.{queue}@example.org>"
            )
        if pick < 0.40:
            return (
                f"{head}/qmgr[{pid}]: {queue}: from=<news{self.number}@example.org>, "
                f"size={r.randint(800, 90000)}, nrcpt=1 (queue active)"
            )
        host, address = self._peer()
        recipient = f"user{self.number}@{host.split('.', 1)[1]}"
        where = f"to=<{recipient}>, relay={host}[{address}]:25, delay={r.randint(0, 900) / 10}"
        if pick < 0.70:
            return (
                f"{head}/smtp[{pid}]: {queue}: {where}, dsn=2.0.0, "
                f"status=sent (250 2.0.0 Ok: queued as {self._queue_id()})"
            )
        if pick < 0.73:
            return (
                f"{head}/smtp[{pid}]: {queue}: to=<{recipient}>, relay=none, delay=30, "
                f"dsn=4.4.1, status=deferred "
                f"(connect to {host}[{address}]:25: Connection timed out)"
            )
        code, status, text, command = self.replies[r.randrange(len(self.replies))]
        outcome = "bounced" if code.startswith("5") else "deferred"
        stage = _COMMANDS[command]
        if stage is None or "(in reply to " in text:
            said = f"host {host}[{address}] refused to talk to me: {text}"
            if stage is not None:
                said = f"host {host}[{address}] said: {text}"
        else:
            said = f"host {host}[{address}] said: {text} (in reply to {stage} command)"
        return f"{head}/smtp[{pid}]: {queue}: {where}, dsn={status}, status={outcome} ({said})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--size", type=int, default=100_000_000, help="bytes to write, at least")
    parser.add_argument("--seed", type=int, default=25, help="the random seed")
    args = parser.parse_args()
    writer = Writer(args.seed)
    written = 0
    with args.output.open("wb") as out:
        while written < args.size:
            data = (writer.line() + "\n").encode("utf-8")
            out.write(data)
            written += len(data)
    print(f"{writer.number:,} lines, {written:,} bytes")


if __name__ == "__main__":
    main()
