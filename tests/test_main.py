from __future__ import annotations

import subprocess
import sys

import pytest

from smtpreply import EnhancedStatus, ReplyCode
from smtpreply.__main__ import explain, main


def test_explain_code_shows_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["530"]) == 0
    out = capsys.readouterr().out
    code = ReplyCode(530)
    assert out.startswith("530 Authentication Required\n")
    assert "Class: 5yz Permanent Negative Completion. Category: x3z Unspecified." in out
    assert "Defined in: RFC 4954, RFC 3207." in out
    for heading in ("Description", "When you see it", "How to fix"):
        assert f"\n\n{heading}\n" in out
    # The wrapped paragraphs hold the whole text.
    assert " ".join(out.split()).count(" ".join(code.description.split())) == 1


def test_explain_status() -> None:
    text = explain("5.7.26")
    status = EnhancedStatus.parse("5.7.26")
    assert text.startswith(f"5.7.26 {status.title}\n")
    assert "Subject: 7 Security or Policy Status." in text
    assert "RFC 7372" in text


def test_explain_unregistered_status_says_so() -> None:
    assert explain("5.7.999").startswith(
        "5.7.999 Security or Policy Status (not in the IANA registry)"
    )


def test_explain_unknown_code_uses_its_class() -> None:
    text = explain("599")
    assert text.startswith("599 is not a code that any standard defines.\n")
    assert "Class: 5yz Permanent Negative Completion." in text


def test_industry_code_says_no_rfc() -> None:
    assert "Defined in: no RFC (industry usage)." in explain("525")


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        (
            "5x0",
            (
                "smtpreply: error: expected a 3-digit reply code or an enhanced status "
                "at position 0: '5x0'"
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
        (
            "\u0665\u0665\u0660",
            (
                "smtpreply: error: expected a 3-digit reply code or an enhanced status "
                "at position 0: '\u0665\u0665\u0660'"
            ),
        ),
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
    assert "252 Cannot Verify User" in result.stdout
    assert "\n\n535 Authentication Failed\n" in result.stdout


def test_no_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "usage: smtpreply" in capsys.readouterr().err
