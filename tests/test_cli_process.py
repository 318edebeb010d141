"""The command line as a process: pipes, closed descriptors, signals, memory, processes."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import pytest

DATA = Path(__file__).parent / "data"
SMTPREPLY = [sys.executable, "-m", "smtpreply"]
# The command line with blocks of 8 KiB instead of 1 MiB, so that a log of a few
# thousand lines makes many blocks, and --jobs starts its processes.
SMALL_BLOCKS = [
    sys.executable,
    "-c",
    (
        "import sys; import smtpreply._cli_read as r; r.HARD = 8192; r.SOFT = 2048; "
        "from smtpreply.__main__ import main; sys.exit(main())"
    ),
]
# Runs a command and prints the peak memory of the processes it waited for, in KiB.
PEAK = [
    sys.executable,
    "-c",
    (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, "
        "check=True); "
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
        "print(peak // 1024 if sys.platform == 'darwin' else peak)"
    ),
]
ENV = {**os.environ, "NO_COLOR": "1"}

posix_only = pytest.mark.skipif(
    sys.platform == "win32", reason="needs POSIX descriptors, signals and ptys"
)


def run(argv: list[Any], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "env": ENV, **kwargs}
    return subprocess.run(argv, check=False, timeout=300, **streams)  # noqa: S603 - our own argv


def mixed_log() -> bytes:
    """Over two thousand lines: real replies in Postfix and Exim lines, DSNs, bare replies."""
    rows = [
        json.loads(line)
        for line in (DATA / "labelled" / "tune.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    parts = []
    for number, row in enumerate(rows):
        text = row["text"]
        flat = " ".join(text.split())
        kind = number % 5
        if kind == 0:
            parts.append(
                f"Nov 23 10:00:01 mx1 postfix/smtp[2211]: 4F2A{number:06X}: "
                f"to=<u{number}@example.org>, relay=mx.example.org[192.0.2.1]:25, "
                f"status=bounced (host mx.example.org[192.0.2.1] said: {flat} "
                f"(in reply to RCPT TO command))\n"
            )
        elif kind == 1:
            parts.append(
                f"2026-11-23 10:01:00 1vXyZa-{number:06d}-2C ** v{number}@example.com "
                f"R=dnslookup T=remote_smtp: SMTP error from remote mail server after "
                f"RCPT TO:<v{number}@example.com>: {flat}\n"
            )
        elif kind == 2:
            parts.append(
                f"Final-Recipient: rfc822; w{number}@example.net\nAction: failed\n"
                f"Diagnostic-Code: smtp; {text}\n\n"
            )
        elif kind == 3:
            parts.append(f"{text}\n\n")
        else:
            parts.append(f"Nov 23 10:00:02 mx1 postfix/qmgr[2200]: 4F2A{number:06X}: removed\n")
    data = "".join(parts).encode("utf-8")
    return data + b"452 4.2.2 caf\xe9 pleine \x1b[2J (latin-1)\n"


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("logs") / "mixed.log"
    path.write_bytes(mixed_log())
    return path


@pytest.mark.parametrize("options", [["--summary"], ["--format", "json", "--summary"]])
def test_output_is_the_same_for_any_jobs(log: Path, options: list[str]) -> None:
    # One hash seed for every run: which of two phrases that match the same words a
    # verdict names as its evidence varies with the seed (a matter of classify, not
    # of --jobs, whose processes share their parent's seed).
    env = {**ENV, "PYTHONHASHSEED": "0"}
    outputs = {
        jobs: run([*SMALL_BLOCKS, "classify", str(log), "--jobs", str(jobs), *options], env=env)
        for jobs in (1, 2, 3)
    }
    for result in outputs.values():
        assert result.returncode == 0, result.stderr
        assert result.stderr == b""
    assert outputs[1].stdout == outputs[2].stdout == outputs[3].stdout
    assert outputs[1].stdout.count(b"\n") > 500
    with log.open("rb") as stdin:  # standard input is split the same way
        piped = run([*SMALL_BLOCKS, "classify", "--jobs", "2", *options], stdin=stdin, env=env)
    assert piped.stdout == outputs[1].stdout


def test_control_characters_in_a_log_reach_the_output_as_escapes(tmp_path: Path) -> None:
    recipient = "b\tob\x1b]8;;http://evil.example\x07@ex\x1b[2J\u202eample.org\r"
    line = (
        f"Nov 23 10:00:01 mx1 postfix/smtp[2211]: 4F2A01C0: to=<{recipient}>, "
        f"relay=mx[192.0.2.1]:25, dsn=5.1.1, status=bounced (host mx[192.0.2.1] said: "
        f"550 5.1.1 User \x1b[31munknown\x9b2J\u2066 (in reply to RCPT TO command))\n"
    )
    path = tmp_path / "evil.log"
    path.write_bytes(line.encode("utf-8"))
    text = run([*SMTPREPLY, "classify", str(path)])
    assert text.returncode == 0
    shown = text.stdout.decode("utf-8")
    assert shown.endswith("\n")
    fields = shown[:-1].split("\t")
    assert fields[0] == "b\\tob\\x1b]8;;http://evil.example\\x07@ex\\x1b[2J\\u202eample.org\\r"
    assert fields[1:] == ["550", "5.1.1", "user_unknown", "retry=no", "hard_bounce=yes"]
    as_json = run([*SMTPREPLY, "classify", str(path), "--format", "json"])
    raw = as_json.stdout.decode("utf-8")
    for char in ("\x1b", "\x07", "\t", "\x9b", "\u202e", "\u2066"):
        assert char not in raw
    record = json.loads(raw)
    assert record["recipient"] == recipient
    assert "\x1b[31munknown\x9b2J" in record["text"]


@posix_only
def test_a_closed_pipe_is_quiet() -> None:
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = run([*SMTPREPLY, "codes"], stdout=writer)
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (141, b"")


@posix_only
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_head_closing_the_pipe_is_quiet(log: Path, jobs: str) -> None:
    process = subprocess.Popen(  # noqa: S603 - our own argv
        [*SMALL_BLOCKS, "classify", str(log), "--jobs", jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    status = process.wait(timeout=120)
    error = process.stderr.read()
    process.stderr.close()
    assert first.count(b"\t") == 5
    assert (status, error) == (141, b"")


@posix_only
@pytest.mark.parametrize(
    ("redirect", "argv", "message"),
    [
        ("<&-", ["classify"], "cannot read standard input: it is closed"),
        (">&-", ["codes"], "cannot write output: standard output is closed"),
        (">&-", ["classify", str(DATA / "sample_mail.log")], "cannot write output: "),
    ],
)
def test_a_closed_descriptor_is_one_line(redirect: str, argv: list[str], message: str) -> None:
    script = f'exec "$0" -m smtpreply "$@" {redirect}'
    result = run(["sh", "-c", script, sys.executable, *argv])
    assert result.returncode in (1, 2)
    assert result.stderr.decode().startswith(f"smtpreply: error: {message}")
    assert result.stderr.count(b"\n") == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("argv", [["codes"], ["classify", str(DATA / "sample_mail.log")]])
def test_a_full_disk_is_a_write_error(argv: list[str]) -> None:
    with Path("/dev/full").open("wb") as full:
        result = run([*SMTPREPLY, *argv], stdout=full)
    assert result.returncode == 1
    assert result.stderr == b"smtpreply: error: cannot write output: No space left on device\n"


@posix_only
def test_an_argument_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    for argv, position, shown in (
        ([b"\xff"], 1, "\\xff"),
        ([b"explain", b"550 5.1.1 caf\xe9"], 2, "550 5.1.1 caf\\xe9"),
        ([b"diff", b"530", b"--lang", b"\xfe"], 4, "\\xfe"),
    ):
        result = run([*SMTPREPLY, *argv])
        assert result.returncode == 2
        assert result.stdout == b""
        expected = f"smtpreply: error: argument {position} is not UTF-8: '{shown}'\n"
        assert result.stderr.decode() == expected
    name = tmp_path / os.fsdecode(b"mail\xff.log")  # a file name may be any bytes
    name.write_bytes(b"452 4.2.2 Mailbox full\n")
    result = run([*SMTPREPLY, "classify", os.fsencode(name)])
    assert result.returncode == 0
    assert result.stdout == b"-\t452\t4.2.2\tmailbox_full\tretry=yes\thard_bounce=no\n"


def _peak_kib(argv: list[str]) -> int:
    result = subprocess.run(  # noqa: S603 - our own argv
        [*PEAK, *argv], capture_output=True, text=True, check=True, timeout=300
    )
    return int(result.stdout)


@pytest.mark.skipif(sys.platform == "win32", reason="needs the resource module")
def test_memory_stays_flat_on_a_48_mb_line(tmp_path: Path) -> None:
    small = tmp_path / "small.log"
    small.write_bytes(b"550 5.1.1 User unknown\n")
    big = tmp_path / "big.log"
    with big.open("wb") as out:
        out.write(b"550 5.1.1 User unknown ")
        for _ in range(48):
            out.write(b"x" * 1_000_000)
    base = _peak_kib([*SMTPREPLY, "classify", str(small)])
    for jobs in ("1", "2"):
        peak = _peak_kib([*SMTPREPLY, "classify", str(big), "--jobs", jobs])
        assert peak - base < 60 * 1024, (base, peak)
    result = run([*SMTPREPLY, "classify", str(big)])
    assert result.stdout == b"-\t550\t5.1.1\tuser_unknown\tretry=no\thard_bounce=yes\n"
    assert result.stderr == (
        b"smtpreply: warning: 1 line longer than 65536 bytes was cut: "
        b"only its first 65536 bytes were read\n"
    )
    with big.open("rb") as stdin:
        piped = run([*SMTPREPLY, "classify"], stdin=stdin)
    assert piped.stdout == result.stdout


def _read_until(descriptor: int, wanted: bytes, seconds: float) -> bytes:
    """Read a pty until ``wanted`` shows, the other side closes, or time runs out."""
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([descriptor], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(descriptor, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        seen += chunk
    return seen


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs ptys and /proc")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_without_a_traceback(log: Path, jobs: str) -> None:
    import pty

    controller, terminal = pty.openpty()
    process = subprocess.Popen(  # noqa: S603 - our own argv
        [*SMALL_BLOCKS, "classify", "--jobs", jobs],
        stdin=subprocess.PIPE,
        stdout=terminal,
        stderr=subprocess.PIPE,
        env=ENV,
        start_new_session=True,
    )
    os.close(terminal)
    assert process.stdin is not None
    assert process.stderr is not None
    try:
        # A few blocks, whose verdicts fit the terminal's buffer; stdin stays open.
        process.stdin.write(log.read_bytes()[:30_000])
        process.stdin.flush()
        shown = _read_until(controller, b"\n", 60)  # the first verdicts: main is running
        assert shown.count(b"\t") >= 5
        workers = _children(process.pid)
        assert len(workers) == (2 if jobs == "2" else 0)
        os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        status = process.wait(timeout=60)
        error = process.stderr.read()
    finally:
        os.close(controller)
        _close(process.stdin)
        _close(process.stderr)
        if process.poll() is None:
            process.kill()
    assert (status, error) == (130, b"")
    assert not any(map(_alive, workers))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs ptys and /proc")
def test_workers_end_when_their_parent_is_killed(log: Path) -> None:
    import pty

    controller, terminal = pty.openpty()
    process = subprocess.Popen(  # noqa: S603 - our own argv
        [*SMALL_BLOCKS, "classify", "--jobs", "2"],
        stdin=subprocess.PIPE,
        stdout=terminal,
        stderr=subprocess.DEVNULL,
        env=ENV,
    )
    os.close(terminal)
    assert process.stdin is not None
    try:
        process.stdin.write(log.read_bytes()[:30_000])
        process.stdin.flush()
        assert b"\t" in _read_until(controller, b"\n", 60)
        workers = _children(process.pid)
        assert len(workers) == 2
        process.kill()  # as timeout(1) or the OOM killer would
        process.wait(timeout=60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(map(_alive, workers)):
            time.sleep(0.1)
    finally:
        os.close(controller)
        _close(process.stdin)
    assert not any(map(_alive, workers))


def _close(stream: IO[bytes]) -> None:
    with contextlib.suppress(BrokenPipeError):  # the command line is gone
        stream.close()


def _alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie waiting for its reaper has ended."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs ptys")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_progress_bar_shows_on_a_terminal(log: Path, jobs: str) -> None:
    import pty

    controller, terminal = pty.openpty()
    process = subprocess.Popen(  # noqa: S603 - our own argv
        [*SMALL_BLOCKS, "classify", str(log), "--jobs", jobs],
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env=ENV,
    )
    os.close(terminal)
    try:
        shown = _read_until(controller, b"100%", 120)
        status = process.wait(timeout=120)
    finally:
        os.close(controller)
    assert status == 0
    assert b"\r[" in shown
    assert b"[#########################] 100%" in shown
    assert shown.index(b" 50%") < shown.index(b"100%")


def test_a_worker_that_dies_is_one_line() -> None:
    script = (
        "import os, sys\n"
        "from smtpreply._cli_jobs import ordered_map\n"
        "from smtpreply._cli_output import CommandError\n"
        "def die(task: int) -> int:\n"
        "    os._exit(3)\n"
        "try:\n"
        "    list(ordered_map(die, range(10), 2))\n"
        "except CommandError as error:\n"
        "    print(error.message, error.status)\n"
    )
    result = run([sys.executable, "-c", script])
    assert result.stdout == b"a worker process stopped before its work was done 1\n"
