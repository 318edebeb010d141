"""The bulk API: classify_many, classify_log_lines, rows and columns, pickling.

This module also holds what the Dask and Spark tests share: the import of the
``scale`` extra's packages, the recipes' code as docs/scale.md prints it, and small
synthetic Postfix logs with what each line should give.
"""

from __future__ import annotations

import copy
import datetime
import importlib
import json
import multiprocessing
import os
import pickle
import random
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

import smtpreply
from smtpreply import _bulk
from smtpreply.__main__ import main
from smtpreply._classify import classify_found as real_classify_found

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType

DATA = Path(__file__).parent / "data"
SAMPLE_LOG = DATA / "sample_mail.log"
DOCS = Path(__file__).parent.parent / "docs"
CORPUS = [
    json.loads(line)["text"]
    for line in (DATA / "labelled" / "tune.jsonl").read_text(encoding="utf-8").splitlines()
    if line
]


# What the Dask and Spark tests share.


def scale_module(name: str) -> ModuleType:
    """Import a package of the ``scale`` extra.

    Without it the test is skipped, unless ``SMTPREPLY_REQUIRE_SCALE=1`` (as in the
    nox session ``scale``), where a missing package is an error.
    """
    if os.environ.get("SMTPREPLY_REQUIRE_SCALE") == "1":
        return importlib.import_module(name)
    module: ModuleType = pytest.importorskip(name, reason="install smtpreply[scale]")
    return module


def recipe(name: str) -> str:
    """The code of the block of docs/scale.md that starts with ``# {name}:``."""
    page = (DOCS / "scale.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```$", page, flags=re.MULTILINE | re.DOTALL)
    found = [block for block in blocks if block.startswith(f"# {name}:")]
    assert len(found) == 1, name
    return str(found[0])


def run_recipe(name: str) -> dict[str, Any]:
    """Run a recipe's code, as a module that is not ``__main__``; return its names."""
    namespace: dict[str, Any] = {"__name__": name.removesuffix(".py")}
    exec(compile(recipe(name), f"docs/scale.md:{name}", "exec"), namespace)  # noqa: S102
    return namespace


def schema_table() -> list[dict[str, str]]:
    """The table of columns in docs/scale.md, one dict per row, code marks removed."""
    page = (DOCS / "scale.md").read_text(encoding="utf-8")
    section = page.split("### The columns", 1)[1]
    lines = [line for line in section.splitlines() if line.startswith("| `")]
    rows = []
    for line in lines:
        cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        rows.append(dict(zip(("column", "arrow", "pandas", "spark", "value"), cells)))
    return rows


class Written(NamedTuple):
    """A line of a synthetic log that holds a reply, and what it should give."""

    file: str
    line: int
    recipient: str
    reason: str


# Postfix's wording of a result, the reply as Postfix quotes it, and its reason.
_POSTFIX = [
    (
        "bounced",
        (
            "550 5.1.1 <{to}>: Recipient address rejected: User unknown in local recipient table "
            "(in reply to RCPT TO command)"
        ),
        "user_unknown",
    ),
    ("deferred", "452 4.2.2 <{to}>: Mailbox full (in reply to RCPT TO command)", "mailbox_full"),
    (
        "bounced",
        "552 5.3.4 Message size exceeds fixed limit (in reply to end of DATA command)",
        "message_too_big",
    ),
    (
        "deferred",
        (
            "450 4.2.0 <{to}>: Recipient address rejected: Greylisted, see "
            "http://postgrey.example/ (in reply to RCPT TO command)"
        ),
        "greylisted",
    ),
    (
        "bounced",
        (
            "554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using "
            "zen.spamhaus.org (in reply to RCPT TO command)"
        ),
        "blocked",
    ),
]


def write_postfix_logs(folder: Path, files: int = 3, lines: int = 40) -> list[Written]:
    """Write small Postfix logs into ``folder``; return the lines that hold a reply."""
    rng = random.Random(25)  # noqa: S311 - test data, not secrets
    written = []
    for index in range(files):
        name = f"mail-{index}.log"
        text = []
        for number in range(1, lines + 1):
            stamp = f"Nov 23 10:{number // 60:02d}:{number % 60:02d} mx{index}"
            queue = f"{index:X}{number:05X}A"
            to = f"user{index}.{number}@example.{rng.choice(['org', 'net', 'com'])}"
            kind = rng.random()
            if kind < 0.25:  # a line without a reply
                text.append(f"{stamp} postfix/qmgr[2200]: {queue}: removed")
                continue
            if kind < 0.4:
                text.append(
                    f"{stamp} postfix/smtp[2214]: {queue}: to=<{to}>, relay=mx.example.org"
                    f"[192.0.2.1]:25, delay=0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued "
                    f"as 9A8B{number}C)"
                )
                written.append(Written(name, number, to, "delivered"))
                continue
            status, reply, reason = rng.choice(_POSTFIX)
            text.append(
                f"{stamp} postfix/smtp[2211]: {queue}: to=<{to}>, relay=mx.example.org"
                f"[192.0.2.1]:25, delay=1.2, status={status} (host mx.example.org[192.0.2.1] "
                f"said: {reply.format(to=to)})"
            )
            written.append(Written(name, number, to, reason))
        (folder / name).write_text("\n".join(text) + "\n", encoding="utf-8")
    return written


def log_rows(folder: Path) -> list[dict[str, object]]:
    """classify_log_lines on each log of ``folder``, in this process."""
    rows: list[dict[str, object]] = []
    for path in sorted(folder.glob("*.log")):
        with path.open(encoding="utf-8") as lines:
            rows.extend(smtpreply.classify_log_lines(lines, source=path.name))
    return rows


# classify_many


def _one(text: object, command: str | None = None) -> smtpreply.Verdict | None:
    try:
        return smtpreply.classify(text, command=command)  # type: ignore[arg-type]
    except smtpreply.InvalidReply:
        return None


@given(st.lists(st.sampled_from(CORPUS), max_size=30))
def test_classify_many_is_classify_on_each_text(texts: list[str]) -> None:
    verdicts = smtpreply.classify_many(texts)
    assert verdicts == [_one(text) for text in texts]
    for text, verdict in zip(texts, verdicts):  # a repeat is the same verdict
        assert verdict is verdicts[texts.index(text)]


def test_classify_many_with_a_command_bytes_and_bad_items() -> None:
    texts: list[Any] = [
        "550 5.1.1 unknown",
        b"550 5.1.1 unknown",
        None,
        12.5,
        "hello",
        b"\xff",
        bytearray(b"452 4.2.2 full"),
        "",
    ]
    verdicts = smtpreply.classify_many(texts, command="MAIL")
    assert verdicts == [_one(text, "MAIL") for text in texts]
    assert [v is None for v in verdicts] == [False, False, True, True, True, True, False, True]
    assert verdicts[0] is not None
    assert verdicts[0].command == "MAIL"
    assert verdicts[0].reason != smtpreply.classify("550 5.1.1 unknown").reason


def test_classify_many_takes_any_iterable_and_nothing() -> None:
    assert smtpreply.classify_many([]) == []
    assert smtpreply.classify_many(iter(("250 OK",)))[0] == smtpreply.classify("250 OK")


def test_classify_many_refuses_a_bad_command_once() -> None:
    with pytest.raises(smtpreply.InvalidReply, match="unknown SMTP command 'FROB'"):
        smtpreply.classify_many(["550 5.1.1 x"], command="FROB")
    with pytest.raises(smtpreply.InvalidReply, match="a command is a str"):
        smtpreply.classify_many([], command=25)  # type: ignore[arg-type]


def test_classify_many_remembers_the_least_recently_seen_within_one_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    def counting(text: str, *, command: str | None = None) -> smtpreply.Verdict:
        calls.append(text)
        return smtpreply.classify(text, command=command)

    monkeypatch.setattr(_bulk, "classify", counting)
    monkeypatch.setattr(_bulk, "_MEMO", 2)
    a, b, c = "550 5.1.1 a", "452 4.2.2 b", "421 4.7.0 c"
    verdicts = smtpreply.classify_many([a, b, a, c, a, b])
    # a, b; a is seen again; c pushes out b (a was seen later); b comes back.
    assert calls == [a, b, c, b]
    assert verdicts == [smtpreply.classify(text) for text in (a, b, a, c, a, b)]
    calls.clear()
    smtpreply.classify_many([a, a])
    assert calls == [a]  # nothing is kept between calls
    calls.clear()
    long = "550 5.1.1 " + "x" * _bulk._MEMO_TEXT
    smtpreply.classify_many([long, long, a, a])
    assert calls == [long, long, a]  # a long text is not remembered


# Rows and columns


def test_rows_have_the_columns_of_to_dict() -> None:
    verdict = smtpreply.classify("550 5.7.26 Unauthenticated email is not accepted, gsmtp")
    assert set(verdict.to_dict()) == set(smtpreply.VERDICT_COLUMNS)
    (row,) = smtpreply.verdict_rows([verdict])
    assert list(row) == list(smtpreply.VERDICT_COLUMNS)
    plain = verdict.to_dict()
    assert {k: v for k, v in row.items() if k != "evidence"} == {
        k: v for k, v in plain.items() if k != "evidence"
    }
    expected = []
    for item in verdict.evidence:
        url = "" if item.url is None else f" <{item.url}>"
        expected.append(f"{item.source}: {item.detail}{url}")
    assert row["evidence"] == expected
    assert any("<https://" in str(line) for line in expected)  # a provider rule's address


_TYPES: dict[str, tuple[type, ...]] = {
    "reason": (str,),
    "retry": (bool,),
    "hard_bounce": (bool,),
    "action": (str,),
    "delay_seconds": (float, type(None)),
    "scope": (str,),
    "code": (int, type(None)),
    "status": (str, type(None)),
    "command": (str, type(None)),
    "text": (str, type(None)),
    "evidence": (list,),
}


@given(st.lists(st.sampled_from(CORPUS), max_size=20))
def test_rows_and_columns_hold_plain_values_of_fixed_types(texts: list[str]) -> None:
    verdicts = smtpreply.classify_many(texts)
    rows = smtpreply.verdict_rows(verdicts)
    columns = smtpreply.verdict_columns(verdicts)
    assert list(columns) == list(smtpreply.VERDICT_COLUMNS)
    for name in smtpreply.VERDICT_COLUMNS:
        assert columns[name] == [row[name] for row in rows]
    for verdict, row in zip(verdicts, rows):
        if verdict is None:
            assert set(row.values()) == {None}
            continue
        for name, value in row.items():
            assert isinstance(value, _TYPES[name]), (name, value)
            assert not isinstance(value, bool) or name in ("retry", "hard_bounce")
        assert all(isinstance(line, str) for line in row["evidence"])  # type: ignore[attr-defined]
    json.dumps(rows)  # plain data


def test_columns_of_nothing_are_all_there() -> None:
    assert smtpreply.verdict_columns([]) == {name: [] for name in smtpreply.VERDICT_COLUMNS}


# classify_log_lines


def _cli_records(path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    assert main(["classify", "--format", "json", str(path)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_log_lines_give_what_the_command_line_gives(capsys: pytest.CaptureFixture[str]) -> None:
    records = _cli_records(SAMPLE_LOG, capsys)
    with SAMPLE_LOG.open(encoding="utf-8") as lines:
        rows = list(smtpreply.classify_log_lines(lines, source="sample"))
    assert len(rows) == len(records) >= 12
    for row, record in zip(rows, records):
        assert list(row) == list(smtpreply.LOG_COLUMNS)
        assert row["source"] == "sample"
        assert row["error"] is None
        assert row["recipient"] == record["recipient"]
        for name in smtpreply.VERDICT_COLUMNS:
            if name == "evidence":
                assert row[name] == [
                    f"{e['source']}: {e['detail']}" + (f" <{e['url']}>" if e["url"] else "")
                    for e in record[name]
                ]
            else:
                assert row[name] == record[name], name


def test_log_lines_are_numbered_from_one() -> None:
    lines = SAMPLE_LOG.read_text(encoding="utf-8").splitlines()
    rows = list(smtpreply.classify_log_lines(lines))
    expected = [
        number for number, line in enumerate(lines, start=1) for _ in smtpreply.extract_all(line)
    ]
    assert [row["line"] for row in rows] == expected
    for row in rows:
        line = lines[int(row["line"]) - 1]  # type: ignore[call-overload]
        assert row["recipient"] is None or str(row["recipient"]) in line
        assert row["code"] is None or str(row["code"]) in line


def test_log_lines_as_bytes_or_with_line_ends_give_the_same_rows() -> None:
    text = SAMPLE_LOG.read_text(encoding="utf-8")
    plain = list(smtpreply.classify_log_lines(text.splitlines()))
    assert list(smtpreply.classify_log_lines(text.splitlines(keepends=True))) == plain
    assert list(smtpreply.classify_log_lines(text.encode().splitlines(keepends=True))) == plain
    crlf = [line + "\r\n" for line in text.splitlines()]
    assert [row["reason"] for row in smtpreply.classify_log_lines(crlf)] == [
        row["reason"] for row in plain
    ]


def test_log_lines_read_a_reply_below_its_context() -> None:
    lines = [
        (
            "2026-11-23 10:01:00 1vXyZa-0001Ab-2C ** frank@example.com R=dnslookup "
            "T=remote_smtp: SMTP error from remote mail server after RCPT TO:<frank@example.com>:"
        ),
        "    550 5.1.1 <frank@example.com>: Recipient address rejected: User unknown",
    ]
    (row,) = smtpreply.classify_log_lines(lines)
    assert (row["line"], row["command"], row["reason"]) == (2, "RCPT", "user_unknown")
    # Line by line, the reply loses the command that the line above names.
    alone = [list(smtpreply.classify_log_lines([line])) for line in lines]
    assert alone[0] == []
    assert alone[1][0]["command"] is None


def test_an_item_with_line_breaks_is_one_line() -> None:
    lines = ["starting", "550 5.1.1 unknown\n452 4.2.2 full", "250 ok"]
    rows = list(smtpreply.classify_log_lines(lines))
    assert [(row["line"], row["code"]) for row in rows] == [(2, 550), (2, 452), (3, 250)]


def test_log_lines_are_read_in_blocks_without_losing_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = SAMPLE_LOG.read_text(encoding="utf-8").splitlines() * 5
    whole = list(smtpreply.classify_log_lines(lines))
    monkeypatch.setattr(_bulk, "_HARD", 300)  # a block every line or two
    assert list(smtpreply.classify_log_lines(lines)) == whole
    monkeypatch.setattr(_bulk, "_HARD", 10**9)
    monkeypatch.setattr(_bulk, "_SOFT", 1)  # a block at every blank line
    spaced = [line for pair in zip(lines, [""] * len(lines)) for line in pair]
    rows = list(smtpreply.classify_log_lines(spaced))
    assert [row["line"] for row in rows] == [2 * int(row["line"]) - 1 for row in whole]  # type: ignore[call-overload]


def test_a_line_that_is_not_text_gives_an_error_row() -> None:
    lines: list[Any] = SAMPLE_LOG.read_text(encoding="utf-8").splitlines()
    good = list(smtpreply.classify_log_lines(lines, source="log"))
    lines[2:2] = [None, float("nan")]
    rows = list(smtpreply.classify_log_lines(lines, source="log"))
    errors = [row for row in rows if row["error"] is not None]
    assert [(row["line"], row["error"]) for row in errors] == [
        (3, "expected a log line as str or bytes, not NoneType"),
        (4, "expected a log line as str or bytes, not float"),
    ]
    for row in errors:
        assert list(row) == list(smtpreply.LOG_COLUMNS)
        assert row["source"] == "log"
        assert {row[name] for name in smtpreply.VERDICT_COLUMNS} == {None}
    rest = [row for row in rows if row["error"] is None]
    shifted = [int(row["line"]) + (2 if int(row["line"]) > 2 else 0) for row in good]  # type: ignore[call-overload]
    assert [row["line"] for row in rest] == shifted
    assert [row["reason"] for row in rest] == [row["reason"] for row in good]


def test_a_reply_that_cannot_be_classified_gives_an_error_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(found: smtpreply.ExtractedReply, text: str) -> smtpreply.Verdict:
        if found.code == 452:
            raise smtpreply.InvalidReply("unknown SMTP command 'FROB'")
        return real_classify_found(found, text)

    monkeypatch.setattr(_bulk, "classify_found", refuse)
    lines = SAMPLE_LOG.read_text(encoding="utf-8").splitlines()
    rows = list(smtpreply.classify_log_lines(lines))
    (error,) = (row for row in rows if row["error"] is not None)
    assert error["line"] == 2
    assert error["error"] == "unknown SMTP command 'FROB'"
    assert (error["recipient"], error["code"], error["status"]) == (
        "amy@example.net",
        452,
        "4.2.2",
    )
    assert error["text"] == "<amy@example.net>: Mailbox full"
    assert error["reason"] is error["retry"] is error["evidence"] is None
    assert len(rows) == len(list(smtpreply.classify_log_lines(lines)))


_ITEMS = st.one_of(
    st.text(max_size=80), st.binary(max_size=80), st.none(), st.sampled_from(CORPUS)
)


@given(st.lists(_ITEMS, max_size=20))
def test_log_lines_never_raise_and_keep_their_shape(lines: list[Any]) -> None:
    rows = list(smtpreply.classify_log_lines(lines, source="x"))
    numbers = [int(row["line"]) for row in rows]  # type: ignore[call-overload]
    assert numbers == sorted(numbers)
    for row in rows:
        assert list(row) == list(smtpreply.LOG_COLUMNS)
        assert 1 <= int(row["line"]) <= len(lines)  # type: ignore[call-overload]
        assert (row["error"] is None) == (row["reason"] is not None)
    bad = [n for n, line in enumerate(lines, start=1) if line is None]
    assert [row["line"] for row in rows if row["error"] is not None] == bad


def test_synthetic_logs_give_what_was_written(tmp_path: Path) -> None:
    written = write_postfix_logs(tmp_path)
    rows = log_rows(tmp_path)
    assert [(r["source"], r["line"], r["recipient"], r["reason"]) for r in rows] == [
        tuple(item) for item in written
    ]
    assert {item.reason for item in written} == {"delivered"} | {r for _, _, r in _POSTFIX}


# Pickling


@given(st.sampled_from(CORPUS), st.integers(min_value=0, max_value=pickle.HIGHEST_PROTOCOL))
def test_verdicts_pickle_equal(text: str, protocol: int) -> None:
    verdict = _one(text)
    copied = pickle.loads(pickle.dumps(verdict, protocol=protocol))
    assert copied == verdict
    assert hash(copied) == hash(verdict)
    assert smtpreply.verdict_rows([copied]) == smtpreply.verdict_rows([verdict])


def _chunks(texts: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(texts), size):
        yield texts[start : start + size]


def test_verdicts_travel_through_other_processes() -> None:
    texts = CORPUS[::10]
    local = smtpreply.classify_many(texts)
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, as on a cluster
    with context.Pool(2) as pool:
        # Classified there, sent here.
        remote = [
            v for chunk in pool.map(smtpreply.classify_many, _chunks(texts, 20)) for v in chunk
        ]
        # Sent there, unpickled and copied, sent back.
        echoed = pool.map(copy.deepcopy, local)
    assert remote == local
    assert echoed == local
    assert any(v is not None and v.delay is not None for v in echoed)
    assert all(
        isinstance(v.delay, (datetime.timedelta, type(None))) for v in echoed if v is not None
    )


# Arrow, when the scale extra is installed


_ARROW_TYPES = {"string", "int64", "bool", "double", "list<string>"}


def _arrow_type(pa: Any, name: str) -> Any:
    if name == "list<string>":
        return pa.list_(pa.string())
    return {
        "string": pa.string(),
        "int64": pa.int64(),
        "bool": pa.bool_(),
        "double": pa.float64(),
    }[name]


def arrow_schema(pa: Any) -> Any:
    """The Arrow schema of the rows, as the table of docs/scale.md gives it."""
    return pa.schema([(row["column"], _arrow_type(pa, row["arrow"])) for row in schema_table()])


def test_the_docs_table_lists_every_column_in_order() -> None:
    table = schema_table()
    assert [row["column"] for row in table] == list(smtpreply.LOG_COLUMNS)
    assert smtpreply.LOG_COLUMNS[3:-1] == smtpreply.VERDICT_COLUMNS
    assert {row["arrow"] for row in table} <= _ARROW_TYPES


def test_arrow_infers_the_documented_types(tmp_path: Path) -> None:
    pa = scale_module("pyarrow")
    write_postfix_logs(tmp_path)
    rows = log_rows(tmp_path)
    rows += smtpreply.classify_log_lines([None], source="x")  # so that error is not all None
    schema = arrow_schema(pa)
    inferred = pa.Table.from_pylist(rows)
    assert inferred.schema == schema
    assert pa.Table.from_pylist(rows, schema=schema).to_pylist() == rows
    columns = smtpreply.verdict_columns(smtpreply.classify_many(CORPUS))
    table = pa.table(columns)
    verdict_schema = pa.schema([schema.field(name) for name in smtpreply.VERDICT_COLUMNS])
    assert table.schema == verdict_schema
    assert table.to_pydict() == columns
