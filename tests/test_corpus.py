"""Replies collected from real servers on loopback (tests/data/collect_replies.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smtpreply import EnhancedStatus, ReplyReader, parse

CORPUS = Path(__file__).parent / "data" / "server_replies.jsonl"
ROWS: list[dict[str, Any]] = [
    json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line
]


def test_corpus_covers_several_real_servers() -> None:
    servers = {row["server"].split()[0] for row in ROWS}
    assert {"Postfix", "Exim", "OpenSMTPD", "aiosmtpd"} <= servers
    assert len(ROWS) >= 200


@pytest.mark.parametrize("row", ROWS, ids=[f"{row['server']}: {row['command']}" for row in ROWS])
def test_each_reply_parses_to_what_the_collector_recorded(row: dict[str, Any]) -> None:
    raw = row["raw"].encode("utf-8")
    for strict in (False, True):
        reply = parse(raw, strict=strict)
        assert reply.code == row["code"]
        assert list(reply.lines) == row["lines"]
        expected = row["enhanced"]
        assert reply.enhanced == (EnhancedStatus.parse(expected) if expected else None)
        assert bytes(reply) == raw


def test_the_whole_corpus_as_one_stream() -> None:
    stream = b"".join(row["raw"].encode("utf-8") for row in ROWS)
    for size in (1, 7, 512, 4096):
        reader = ReplyReader(strict=True)
        got = []
        for start in range(0, len(stream), size):
            got += reader.feed(stream[start : start + size])
        got += reader.close()
        assert [reply.code for reply in got] == [row["code"] for row in ROWS]
        assert [list(reply.lines) for reply in got] == [row["lines"] for row in ROWS]
