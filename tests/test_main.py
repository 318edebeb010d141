from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from smtpreply import diff, explain
from smtpreply.__main__ import _parser, main

SAMPLE_LOG = Path(__file__).parent / "data" / "sample_mail.log"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_explain_code(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "explain", "530")
    assert status == 0
    assert out == explain(530).render()
    assert out.startswith(
        "530 Authentication Required\nClass: 5yz Permanent Negative Completion\n"
    )
    for heading in ("Description", "When you see it", "How to fix", "Learn more"):
        assert f"\n\n{heading}\n" in out


def test_bare_code_means_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "530")[1] == explain(530).render()


def test_explain_status_and_reply(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "explain", "5.7.26", "550 5.1.1 User unknown")
    assert status == 0
    assert out == explain("5.7.26").render() + "\n" + explain("550 5.1.1 User unknown").render()


def test_explain_formats_and_languages(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "explain", "252", "--format", "markdown", "--lang", "vi")[1] == explain(
        252
    ).render("markdown", "vi")
    data = json.loads(run(capsys, "explain", "252", "--format", "json")[1])
    assert data["code"] == 252


def test_diff(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "diff", "252", "530", "--lang", "fr")
    assert status == 0
    assert out == diff(252, 530).render("text", "fr")
    assert "\nDifférences principales\n" in out


def test_codes(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "codes", "--class", "4")
    assert status == 0
    lines = out.splitlines()
    assert all(line[:1] == "4" for line in lines)
    assert any(line.startswith("421  Service Not Available") for line in lines)
    rows = json.loads(run(capsys, "codes", "--format", "json")[1])
    assert len(rows) == 44
    assert rows[0] == {
        "code": 211,
        "name": "SYSTEM_STATUS",
        "title": "System Status",
        "class": "Positive Completion",
        "rfcs": ["RFC 5321"],
    }


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["explain", "5x0"],
            (
                "smtpreply: error: expected a reply code such as '530', an enhanced status "
                "such as '5.7.0', or a reply such as '530 5.7.0 Authentication required' "
                "at position 1: '5x0'"
            ),
        ),
        (
            ["explain", "9.1.1"],
            (
                "smtpreply: error: the class of an enhanced status must be 2, 4 or 5 "
                "at position 0: '9.1.1'"
            ),
        ),
        (["999"], "smtpreply: error: 999 is not a reply code: its first digit names no class"),
        (["diff", "252"], "smtpreply diff: error: the following arguments are required: CODE"),
        (
            ["diff", "252", "530", "--lang", "xx"],
            (
                "smtpreply diff: error: argument --lang: invalid choice: 'xx' (choose from "
                "'de', 'en', 'es', 'fr', 'id', 'ko', 'pt', 'ru', 'tr', 'vi', 'zh-Hans')"
            ),
        ),
        (
            ["classify", "/nonexistent/mail.log"],
            "smtpreply: error: cannot read /nonexistent/mail.log: No such file or directory",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    try:
        status = main(argv)
    except SystemExit as exit_:
        status = exit_.code  # type: ignore[assignment]
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err == message + "\n"
    assert captured.out == ""


def test_help_on_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["--help"],
        ["explain", "--help"],
        ["diff", "--help"],
        ["codes", "--help"],
        ["statuses", "--help"],
        ["classify", "--help"],
    ):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 0
        out = capsys.readouterr().out
        assert "usage: smtpreply" in out
        assert "examples:" in out


def test_no_argument_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: smtpreply" in capsys.readouterr().err


def test_runs_as_a_module_and_as_a_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "smtpreply", "252", "535"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("252 Cannot Verify User\n")
    assert "\n\n535 Authentication Failed\n" in result.stdout


def test_classify_sample_log(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "classify", str(SAMPLE_LOG), "--summary")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "bob@example.org\t550\t5.1.1\tuser_unknown\tretry=no\thard_bounce=yes"
    assert "reason\tcount" in lines
    assert lines[-1].startswith("(lines without a reply: ")


def test_classify_json_and_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    fake = io.TextIOWrapper(io.BytesIO(b"452 4.2.2 Mailbox full\nno reply here\n"))
    monkeypatch.setattr(sys, "stdin", fake)
    status, out, _ = run(capsys, "classify", "--format", "json", "--summary")
    assert status == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records[0]["reason"] == "mailbox_full"
    assert records[0]["retry"] is True
    assert records[-1] == {"summary": {"mailbox_full": 1}, "lines_without_reply": 1}


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import smtpreply

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"smtpreply {smtpreply.__version__}\n"


@pytest.mark.parametrize("word", ["bogus", "clasify", "help", "Codes", "list-codes"])
def test_an_unknown_command_lists_the_commands(
    capsys: pytest.CaptureFixture[str], word: str
) -> None:
    status, out, err = run(capsys, word, "530")
    assert (status, out) == (2, "")
    assert err == (
        f"smtpreply: error: unknown command '{word}'; "
        "the commands are: explain, diff, codes, statuses, classify\n"
    )


@pytest.mark.parametrize("argument", ["550 5.1.1 User unknown", "5.7.26", "X.1.1", "530"])
def test_a_first_word_that_is_no_command_word_is_explained(
    capsys: pytest.CaptureFixture[str], argument: str
) -> None:
    bare = run(capsys, argument)
    explained = run(capsys, "explain", argument)
    assert bare == explained
    assert "unknown command" not in bare[2]


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    (commands,) = (
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    return {"": parser, **commands.choices}


def test_every_option_and_argument_has_help() -> None:
    for name, parser in _subcommands().items():
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help, (name, action.dest)


@pytest.mark.parametrize(
    ("command", "width"),
    [("", 80), ("explain", 80), ("diff", 80), ("codes", 80), ("statuses", 60), ("classify", 60)],
)
def test_help_wraps_to_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    with pytest.raises(SystemExit):
        main([command, "--help"] if command else ["--help"])
    out = capsys.readouterr().out
    assert all(len(line) <= width for line in out.splitlines()), out
    if command == "classify":
        assert "--jobs N" in out
        assert "\n  smtpreply classify bounce.eml --format json\n" in out  # examples kept


def test_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    import smtpreply

    status, out, _ = run(capsys, "statuses")
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == len(smtpreply.registry())
    assert "X.1.1    Bad destination mailbox address (RFC 3463)" in lines
    rows = json.loads(run(capsys, "statuses", "--subject", "7", "--format", "json")[1])
    assert rows
    assert all(row["status"].startswith("X.7.") for row in rows)
    assert {"status": "X.7.26", "subject": 7, "detail": 26}.items() <= next(
        row for row in rows if row["detail"] == 26
    ).items()
    table = run(capsys, "statuses", "--format", "markdown")[1].splitlines()
    assert table[0] == "| status | title | basic codes | RFCs |"
    assert len(table) == len(lines) + 2
    with pytest.raises(SystemExit) as info:
        main(["statuses", "--subject", "9"])
    assert info.value.code == 2


# Characters that act on a terminal, forge lines and columns, or reorder text.
_HOSTILE = "550 5.1.1 User \x1b[2J\x1b]8;;http://evil.example\x07un\tknown\x0c\x1c\x85 \u202ehere"


def test_explain_and_diff_show_server_text_as_escapes(capsys: pytest.CaptureFixture[str]) -> None:
    shown = "User \\x1b[2J\\x1b]8;;http://evil.example\\x07un\\tknown\\x0c\\x1c\\x85 \\u202ehere"
    for argv in (["explain", _HOSTILE], ["diff", "550", _HOSTILE]):
        for kind in ("text", "markdown", "html"):
            status, out, _ = run(capsys, *argv, "--format", kind)
            assert status == 0
            assert (
                re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]", out) is None
            )
            if kind == "text":  # one line, which nothing in it can break
                assert f"What the server said\n  {shown}\n\n" in out
        data = json.loads(run(capsys, *argv, "--format", "json")[1])
        side = data if argv[0] == "explain" else data["right"]
        assert side["server_text"] == explain(_HOSTILE).server_text  # JSON keeps the data


def test_jobs_1_starts_no_process_and_more_jobs_do(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    from smtpreply import _cli_read

    class Refused(Exception):
        pass

    def refuse(*args: object, **kwargs: object) -> None:
        raise Refused

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    monkeypatch.setattr(_cli_read, "HARD", 512)
    status, out, err = run(capsys, "classify", str(SAMPLE_LOG), "--jobs", "1")
    assert (status, err) == (0, "")
    assert out.count("\n") == 12
    monkeypatch.setattr(_cli_read, "HARD", 1 << 20)  # one block: no pool is worth starting
    assert run(capsys, "classify", str(SAMPLE_LOG), "--jobs", "2")[1] == out
    monkeypatch.setattr(_cli_read, "HARD", 512)
    status, _, err = run(capsys, "classify", str(SAMPLE_LOG), "--jobs", "2")
    assert status == 1
    assert err.startswith("smtpreply: error: unexpected Refused")


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(capsys: pytest.CaptureFixture[str], jobs: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["classify", "--jobs", jobs])
    assert info.value.code == 2
    assert capsys.readouterr().err.startswith("smtpreply classify: error: argument --jobs: ")


def test_available_cores_follow_the_affinity() -> None:
    from smtpreply._cli_jobs import available_cores

    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert available_cores() == expected
    assert _parser().parse_args(["classify"]).jobs == expected


def test_ordered_map_in_this_process() -> None:
    from smtpreply._cli_jobs import ordered_map

    assert list(ordered_map(str, range(5), 1)) == ["0", "1", "2", "3", "4"]
    assert list(ordered_map(str, [7], 4)) == ["7"]  # one task: no process is started
    assert list(ordered_map(str, [], 4)) == []


def test_a_dash_names_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    fake = io.TextIOWrapper(io.BytesIO(b"452 4.2.2 Mailbox full\n"))
    monkeypatch.setattr(sys, "stdin", fake)
    status, out, _ = run(capsys, "classify", str(SAMPLE_LOG), "-")
    assert status == 0
    assert out.splitlines()[-1] == "-\t452\t4.2.2\tmailbox_full\tretry=yes\thard_bounce=no"
    assert len(out.splitlines()) == 13
