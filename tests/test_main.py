from __future__ import annotations

import subprocess
import sys

import pytest

from smtpreply import explain
from smtpreply.__main__ import main


def test_explain_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["530"]) == 0
    out = capsys.readouterr().out
    assert out == explain(530).render()
    assert out.startswith(
        "530 Authentication Required\nClass: 5yz Permanent Negative Completion\n"
    )
    for heading in ("Description", "When you see it", "How to fix", "Learn more"):
        assert f"\n\n{heading}\n" in out


def test_explain_status_and_reply(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["5.7.26", "550 5.1.1 User unknown"]) == 0
    out = capsys.readouterr().out
    assert out == explain("5.7.26").render() + "\n" + explain("550 5.1.1 User unknown").render()
    assert "RFC 7372: https://www.rfc-editor.org/rfc/rfc7372" in out


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        (
            "5x0",
            (
                "smtpreply: error: expected a reply code such as '530', an enhanced status "
                "such as '5.7.0', or a reply such as '530 5.7.0 Authentication required' "
                "at position 1: '5x0'"
            ),
        ),
        (
            "9.1.1",
            (
                "smtpreply: error: the class of an enhanced status must be 2, 4 or 5 "
                "at position 0: '9.1.1'"
            ),
        ),
        ("999", "smtpreply: error: 999 is not a reply code: its first digit names no class"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argument: str, message: str
) -> None:
    assert main([argument]) == 2
    captured = capsys.readouterr()
    assert captured.err == message + "\n"
    assert captured.out == ""


def test_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "smtpreply", "252", "535"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("252 Cannot Verify User\n")
    assert "\n\n535 Authentication Failed\n" in result.stdout


def test_no_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "usage: smtpreply" in capsys.readouterr().err
