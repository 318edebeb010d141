"""The whole test run: the suite on every supported CPython here, then the linters.

Run it with ``python3 -m nox`` (see README.md). Interpreters come from PATH and from
pyenv's versions folder, so a machine with pyenv needs no ``pyenv global`` setup.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import nox

if TYPE_CHECKING:
    from collections.abc import Mapping

PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13"]
LINT_PYTHON = "3.12"
RUFF = "ruff==0.17.6"
MYPY = "mypy==2.4.1"

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.download_python = "never"
nox.options.sessions = ["tests", "scale", "lint", "package", "compiled", "docs"]


def missing_interpreter_fails(environ: Mapping[str, str]) -> bool:
    """Whether a session whose Python is missing fails the run instead of being skipped.

    On CI (``CI`` set and not empty) it fails, so that no session, lint, the package
    check and the docs included, passes by being skipped; elsewhere the suite runs on
    the supported CPythons the machine has, and nox names the missing ones.
    """
    return bool(environ.get("CI"))


nox.options.error_on_missing_interpreters = missing_interpreter_fails(os.environ)


def _pyenv_bins() -> list[str]:
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found = []
    for version in PYTHONS:
        candidates = sorted((root / "versions").glob(f"{version}.*/bin/python{version}"))
        if candidates:
            found.append(str(candidates[-1].parent))
    return found


# pyenv's shims answer "command not found" for versions that are not active, so put
# the real interpreters first.
os.environ["PATH"] = os.pathsep.join([*_pyenv_bins(), os.environ.get("PATH", "")])


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite, doctests included."""
    # Editable, so that the doctests collected from src/ and the tests import one copy.
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=LINT_PYTHON)
def scale(session: nox.Session) -> None:
    """Run the bulk API's tests and the Dask and Spark recipes, on a local cluster.

    The ``scale`` extra is big (PySpark alone is about 450 MB), so only this session
    installs it. SMTPREPLY_REQUIRE_SCALE=1 makes a missing package fail the tests
    instead of skipping them; only a missing Java runtime skips the Spark recipe.
    """
    session.install("-e", ".[test,scale]")
    session.run(
        "python",
        "-m",
        "pytest",
        "tests/test_bulk.py",
        "tests/test_dask.py",
        "tests/test_spark.py",
        "docs/scale.md",
        *session.posargs,
        env={"SMTPREPLY_REQUIRE_SCALE": "1"},
    )


@nox.session(python=LINT_PYTHON)
def lint(session: nox.Session) -> None:
    """Check style, formatting and types."""
    session.install(RUFF, MYPY, ".[test]", "nox")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session(python=LINT_PYTHON)
def package(session: nox.Session) -> None:
    """Build the sdist and the wheel, check them, and use the wheel from a fresh venv."""
    import shutil
    import tempfile

    session.install("build", "twine")
    dist = Path(tempfile.mkdtemp(prefix="smtpreply-dist-"))
    session.run("python", "-m", "build", "--outdir", str(dist))
    session.run("twine", "check", "--strict", *(str(path) for path in sorted(dist.iterdir())))
    wheel = next(dist.glob("*.whl"))
    venv = dist / "venv"
    session.run("python", "-m", "venv", str(venv))
    python = str(venv / "bin" / "python")
    session.run(python, "-m", "pip", "install", "--quiet", str(wheel), external=True)
    # Run from an empty folder, so that only the installed wheel can be imported.
    with session.chdir(str(dist)):
        session.run(python, "-m", "smtpreply", "530", external=True)
        session.run(python, "-m", "smtpreply", "diff", "252", "530", "--lang", "fr", external=True)
        session.run(
            python,
            "-c",
            "import smtpreply as s; "
            "assert s.explain('550 5.1.1 x').title; "
            "assert len(s.registry()) == 81; "
            "assert s.classify('452 4.2.2 Mailbox full').retry; "
            "assert s.diff(252, 530).render('html', 'vi'); "
            "print('the wheel works:', s.__version__)",
            external=True,
        )
    shutil.rmtree(dist)


@nox.session(python=LINT_PYTHON)
def docs(session: nox.Session) -> None:
    """Build the documentation site with Sphinx, warnings as errors."""
    session.install("-e", ".", "sphinx>=7", "myst-parser>=2")
    session.run(
        "sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html", "-q"
    )


@nox.session(python=LINT_PYTHON)
def compiled(session: nox.Session) -> None:
    """Build the optional compiled wheel (mypyc) and run the whole suite against it."""
    import tempfile

    session.install("build")
    dist = Path(tempfile.mkdtemp(prefix="smtpreply-compiled-"))
    # The sdist first, then the wheel from it in a temporary folder, as pip would:
    # a compiled build never runs in the source tree.
    session.run(
        "python", "-m", "build", "--outdir", str(dist), env={"HATCH_BUILD_HOOKS_ENABLE": "1"}
    )
    wheel = next(dist.glob("*.whl"))
    session.install(f"{wheel}[test]")
    session.run(
        "python",
        "-c",
        "import smtpreply._parse as p, sys; "
        "sys.exit(0 if not p.__file__.endswith('.py') else 'the wheel is not compiled')",
    )
    session.run("python", "-m", "pytest", *session.posargs)
