"""README.md as the package index shows it: what it does, one example, two commands."""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SITE = "https://github.com/smtpreply/smtpreply"
FILES = f"{SITE}/blob/main/"
INSTALL_AND_RUN = "python3 -m pip install . && python3 -m smtpreply 530"
TEST = 'python3 -m pip install "nox[uv]" && python3 -m nox'


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """The fenced code blocks of a Markdown text: (language, body)."""
    return re.findall(r"^```(\w*)\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def test_readme_opens_with_what_it_does_then_an_example_then_the_two_commands() -> None:
    assert README.startswith("# smtpreply\n\nsmtpreply ")
    blocks = fenced_blocks(README)
    assert blocks[0][0] == "python"
    assert blocks[0][1].startswith(">>> import smtpreply\n")
    assert blocks[1] == ("sh", INSTALL_AND_RUN + "\n")
    assert blocks[2] == ("sh", TEST + "\n")


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert script.strip().splitlines()[-1] == TEST


def test_every_readme_link_is_absolute_and_points_at_a_file_of_the_repository() -> None:
    links = re.findall(r"\]\(([^)\s]+)\)", README)
    assert links
    for link in links:
        assert link.startswith("https://"), f"{link} breaks on the package index"
        if link.startswith(FILES):
            path = ROOT / link[len(FILES) :].split("#")[0]
            assert path.is_file(), f"{link} names no file of the repository"


def test_project_urls_share_the_readmes_repository() -> None:
    with (ROOT / "pyproject.toml").open("rb") as file:
        urls = tomllib.load(file)["project"]["urls"]
    assert set(urls) == {"Homepage", "Documentation", "Changelog", "Source", "Issues"}
    for url in urls.values():
        assert url.startswith(SITE)
        if url.startswith(FILES):
            assert (ROOT / url[len(FILES) :]).is_file()
