"""The Dask recipe of docs/scale.md, run as printed, on a local cluster of two processes.

Skipped without the ``scale`` extra ("install smtpreply[scale]"), unless
``SMTPREPLY_REQUIRE_SCALE=1``, where a missing package is an error.
"""

from __future__ import annotations

import collections
from pathlib import Path

from tests.test_bulk import (
    arrow_schema,
    log_rows,
    run_recipe,
    scale_module,
    schema_table,
    write_postfix_logs,
)

scale_module("dask")
scale_module("distributed")
scale_module("pandas")
pa = scale_module("pyarrow")
parquet = scale_module("pyarrow.parquet")


def test_the_dask_recipe_gives_a_row_per_reply(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    written = write_postfix_logs(logs, files=4)
    (logs / "notes.txt").write_text("550 5.1.1 not a log: not read\n", encoding="utf-8")
    recipe = run_recipe("dask_job.py")

    counts = recipe["main"](str(logs), str(tmp_path / "verdicts"))

    assert counts == collections.Counter(item.reason for item in written)
    table = parquet.read_table(tmp_path / "verdicts")
    rows = table.select(list(recipe["smtpreply"].LOG_COLUMNS)).to_pylist()
    for row in rows:  # the recipe names each file by its path
        assert Path(row["source"]).parent == logs
        row["source"] = Path(row["source"]).name
    rows.sort(key=lambda row: (row["source"], row["line"]))
    assert rows == log_rows(logs)
    assert [(r["source"], r["line"], r["recipient"], r["reason"]) for r in rows] == [
        tuple(item) for item in written
    ]


def test_the_dask_recipe_gives_the_documented_types(tmp_path: Path) -> None:
    recipe = run_recipe("dask_job.py")
    table = schema_table()
    assert recipe["META"] == {row["column"]: row["pandas"] for row in table}
    assert recipe["SCHEMA"] == arrow_schema(pa)
    logs = tmp_path / "logs"
    logs.mkdir()
    write_postfix_logs(logs, files=2)
    recipe["main"](str(logs), str(tmp_path / "verdicts"))
    schema = parquet.read_schema(next((tmp_path / "verdicts").glob("*.parquet")))
    for field in arrow_schema(pa):
        # Parquet may name a list's item "element" rather than "item".
        assert str(schema.field(field.name).type).replace("element", "item") == str(field.type)
