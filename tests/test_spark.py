"""The Spark recipe of docs/scale.md, run as printed, with PySpark in local mode.

Skipped without the ``scale`` extra ("install smtpreply[scale]"), unless
``SMTPREPLY_REQUIRE_SCALE=1``, where a missing package is an error; skipped, with
the reason, where no Java runtime is found, which PySpark needs.
"""

from __future__ import annotations

import collections
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.test_bulk import (
    arrow_schema,
    log_rows,
    run_recipe,
    scale_module,
    schema_table,
    write_postfix_logs,
)

scale_module("pyspark")
pa = scale_module("pyarrow")
parquet = scale_module("pyarrow.parquet")


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


if _java() is None:
    pytest.skip(
        "no Java runtime found (no java on PATH, no JAVA_HOME): PySpark needs one",
        allow_module_level=True,
    )


@pytest.fixture
def same_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spark's workers run this interpreter, not whichever python3 is on PATH."""
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)


@pytest.mark.usefixtures("same_python")
def test_the_spark_recipe_gives_a_row_per_reply(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    written = write_postfix_logs(logs, files=4)
    (logs / "notes.txt").write_text("550 5.1.1 not a log: not read\n", encoding="utf-8")
    recipe = run_recipe("spark_job.py")

    counts = recipe["main"](str(logs), str(tmp_path / "verdicts"))

    assert counts == collections.Counter(item.reason for item in written)
    table = parquet.read_table(tmp_path / "verdicts")
    assert table.column_names == list(recipe["smtpreply"].LOG_COLUMNS)
    for field in arrow_schema(pa):
        # Spark writes a list's item as "element", Arrow names it "item".
        assert str(table.schema.field(field.name).type).replace("element", "item") == str(
            field.type
        )
    rows = table.to_pylist()
    for row in rows:  # Spark names each file by its URL
        assert str(row["source"]).startswith("file:")
        assert Path(str(row["source"]).removeprefix("file:")).parent == logs
        row["source"] = Path(row["source"]).name
    rows.sort(key=lambda row: (row["source"], row["line"]))
    assert rows == log_rows(logs)
    assert [(r["source"], r["line"], r["recipient"], r["reason"]) for r in rows] == [
        tuple(item) for item in written
    ]


def test_the_spark_schema_is_the_documented_one() -> None:
    recipe = run_recipe("spark_job.py")
    fields = [field.strip().split(" ", 1) for field in recipe["SCHEMA"].split(",")]
    assert fields == [[row["column"], row["spark"]] for row in schema_table()]
