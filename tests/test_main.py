from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from smtpreply import diff, explain
from smtpreply.__main__ import main

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
