"""classify against the labelled corpus of real replies (tests/data/labelled/).

The labels follow docs/conventions.md and were made without running smtpreply. The
tuning part is what the rules were tuned on; the test part is frozen and was never
read while tuning (tests/data/labelled/README.md). These tests keep the agreement at
or above what was measured when the rules were last changed, so a change that makes
classification worse fails; benchmarks/bench_classify.py prints the figures and the
confusion pairs.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from smtpreply import InvalidReply, Reason, classify

CORPUS = Path(__file__).parent / "data" / "labelled"
PARTS = ("tune", "test")
ROWS: dict[str, list[dict[str, Any]]] = {
    part: [
        json.loads(line)
        for line in (CORPUS / f"{part}.jsonl").read_text(encoding="utf-8").splitlines()
        if line
    ]
    for part in PARTS
}
# The frozen test part: a change to it must be deliberate and show in review.
TEST_SHA256 = "efe6c5fed83664b6858a1a39d2fc907835059c8f1a8e6267da61f9f5624d7c88"
# The agreement measured when the rules were last changed, rounded down.
# A text that quotes no reply counts as a miss on all three here.
FLOOR = {
    "tune": {"reason": 0.91, "retry": 0.97, "hard_bounce": 0.97},
    "test": {"reason": 0.82, "retry": 0.96, "hard_bounce": 0.95},
}
FIELDS = {"text", "source", "provider", "command", "language", "reason", "retry", "hard_bounce"}


def test_the_test_part_is_frozen() -> None:
    digest = hashlib.sha256((CORPUS / "test.jsonl").read_bytes()).hexdigest()
    assert digest == TEST_SHA256


def test_the_corpus_is_large_sourced_and_distinct() -> None:
    rows = ROWS["tune"] + ROWS["test"]
    assert len(rows) >= 1000
    assert len(ROWS["test"]) >= 300
    assert len({row["text"] for row in rows}) == len(rows)
    assert len({row["language"] for row in rows}) >= 8
    for row in rows:
        assert set(row) >= FIELDS
        assert row["source"]
        assert Reason(row["reason"])
        assert isinstance(row["retry"], bool)
        assert isinstance(row["hard_bounce"], bool)
        assert not (row["retry"] and row["hard_bounce"])


def test_every_reason_has_real_examples() -> None:
    counts = dict.fromkeys(Reason, 0)
    for row in ROWS["tune"] + ROWS["test"]:
        counts[Reason(row["reason"])] += 1
    assert min(counts.values()) >= 10, counts


@pytest.mark.parametrize("part", PARTS)
def test_agreement_with_the_labels(part: str) -> None:
    agree = {"reason": 0, "retry": 0, "hard_bounce": 0}
    rows = ROWS[part]
    for row in rows:
        try:
            verdict = classify(row["text"], command=row["command"])
        except InvalidReply:  # no reply and no telling words: counts as a miss
            continue
        agree["reason"] += verdict.reason.value == row["reason"]
        agree["retry"] += verdict.retry == row["retry"]
        agree["hard_bounce"] += verdict.hard_bounce == row["hard_bounce"]
    for key, floor in FLOOR[part].items():
        assert agree[key] / len(rows) >= floor, (key, agree[key] / len(rows))


@pytest.mark.parametrize("part", PARTS)
def test_every_labelled_text_gets_a_verdict_or_a_clear_error(part: str) -> None:
    for row in ROWS[part]:
        try:
            verdict = classify(row["text"], command=row["command"])
        except InvalidReply as error:
            message = str(error)
        else:
            assert not (verdict.retry and verdict.hard_bounce)
            assert (verdict.delay is None) == (not verdict.retry)
            continue
        # Only a text that quotes no reply code may fail, and then with this message.
        assert message.startswith("the text holds no SMTP reply")


def test_the_blind_labellings_cover_the_same_rows_of_the_tuning_part() -> None:
    # benchmarks/label_agreement.py compares these with the corpus's labels.
    agreement = CORPUS / "agreement"
    rows = json.loads((agreement / "sample.json").read_text(encoding="utf-8"))["rows"]
    tuning = (CORPUS / "tune.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(set(rows)) == 200
    assert all(1 <= row <= len(tuning) for row in rows)
    for name in ("reader_a.jsonl", "reader_b.jsonl"):
        lines = (agreement / name).read_text(encoding="utf-8").splitlines()
        labels = [json.loads(line) for line in lines]
        assert [label["id"] for label in labels] == list(range(1, len(rows) + 1))
        for label in labels:
            Reason(label["reason"])
            assert isinstance(label["retry"], bool)
            assert isinstance(label["hard_bounce"], bool)
            assert label["confidence"] in ("sure", "unsure")
