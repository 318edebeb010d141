"""classify against the labelled corpus of real replies (tests/data/labelled_replies.jsonl).

The labels are human judgement made without running smtpreply. These tests hold the
agreement at or above what it was when the rules were last reviewed, so that a
change that makes classification worse fails; benchmarks/bench_classify.py prints
the figures and the disagreements.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smtpreply import InvalidReply, Reason, classify

CORPUS = Path(__file__).parent / "data" / "labelled_replies.jsonl"
ROWS: list[dict[str, Any]] = [
    json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line
]

# The agreement measured when the rules were last reviewed, rounded down.
FLOOR = {"reason": 0.77, "retry": 0.89, "hard_bounce": 0.94}


def test_corpus_is_large_and_sourced() -> None:
    assert len(ROWS) >= 300
    assert len({row["text"] for row in ROWS}) == len(ROWS)
    for row in ROWS:
        assert row["source"]
        assert Reason(row["reason"])
        assert isinstance(row["retry"], bool)
        assert isinstance(row["hard_bounce"], bool)


def test_agreement_with_the_labels() -> None:
    agree = {"reason": 0, "retry": 0, "hard_bounce": 0}
    for row in ROWS:
        try:
            verdict = classify(row["text"], command=row["command"])
        except InvalidReply:  # no reply and no telling phrase: counts as a miss
            continue
        agree["reason"] += verdict.reason.value == row["reason"]
        agree["retry"] += verdict.retry == row["retry"]
        agree["hard_bounce"] += verdict.hard_bounce == row["hard_bounce"]
    fractions = {key: value / len(ROWS) for key, value in agree.items()}
    for key, floor in FLOOR.items():
        assert fractions[key] >= floor, (key, fractions[key])


@pytest.mark.parametrize("row", ROWS, ids=[str(index) for index in range(len(ROWS))])
def test_every_labelled_text_gets_a_verdict_or_a_clear_error(row: dict[str, Any]) -> None:
    try:
        verdict = classify(row["text"], command=row["command"])
    except InvalidReply as caught:
        error: InvalidReply | None = caught
    else:
        error = None
        assert not (verdict.retry and verdict.hard_bounce)
        assert (verdict.delay is None) == (not verdict.retry)
    if error is not None:
        # Only a text that quotes no reply code may fail, and then with this message.
        assert str(error).startswith("the text holds no SMTP reply")
        return
