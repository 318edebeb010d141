from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

import smtpreply
from smtpreply import LOCALES, diff, explain

from .golden.regenerate import HERE, golden_files


@pytest.mark.parametrize(("name", "expected"), sorted(golden_files().items()))
def test_golden_renderings(name: str, expected: str) -> None:
    stored = (HERE / name).read_text(encoding="utf-8")
    assert expected == stored, f"{name} changed: run python tests/golden/regenerate.py and review"


@pytest.mark.parametrize(("right", "locale"), [(530, "en"), (535, "fr"), (530, "vi")])
def test_sections_follow_the_reference_pages(right: int, locale: str) -> None:
    headings = smtpreply._data.locales()[locale]
    lines = diff(252, right).render(locale=locale).splitlines()
    order = [
        f"SMTP 252 {explain(252).title} vs {right} {explain(right).title}",
        f"252 {explain(252).title}",
        headings["description"],
        headings["when"],
        headings["fix"],
        f"{right} {explain(right).title}",
        headings["description"],
        headings["when"],
        headings["fix"],
        headings["differences"],
        headings["which"],
        headings["learn_more"],
    ]
    positions = []
    start = 0
    for heading in order:
        start = lines.index(heading, start)
        positions.append(start)
        start += 1
    assert positions == sorted(positions)
    # The summary paragraph comes right after the title; the differences are numbered.
    assert lines[2].startswith("SMTP 252 (Cannot Verify User) is a 2yz Positive Completion")
    numbered = [line for line in lines if line.lstrip()[:2] in ("1.", "2.", "3.")]
    assert len(numbered) == 3


HOSTILE = (
    "550 5.7.1 <script>alert('x')</script> see [here](http://evil.example) "
    "and ![img](http://evil.example/a.png) `code` *bold* | table"
)


def test_markdown_escapes_the_server_text() -> None:
    page = explain(HOSTILE).render("markdown")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "[here](" not in page
    assert "\\[here\\](http://evil.example)" in page
    assert "!\\[img\\]" in page
    assert "\\`code\\`" in page
    assert "\\*bold\\*" in page


def test_markdown_escapes_line_starts() -> None:
    page = explain("550-# heading\r\n550-1. list\r\n550 - item\r\n").render("markdown")
    assert "> \\# heading" in page
    assert "> 1\\. list" not in page
    assert "> \\1. list" in page
    assert "> \\- item" in page


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_escapes_the_server_text() -> None:
    page = explain(HOSTILE).render("html", "de")
    collector = _Collector()
    collector.feed(page)
    assert "script" not in collector.tags
    assert "img" not in collector.tags
    assert any("<script>alert('x')</script>" in text for text in collector.text)
    assert '<h2 lang="de">Antwort des Servers</h2>' in page


def test_html_comparison_structure() -> None:
    collector = _Collector()
    collector.feed(diff(252, 530).render("html", "fr"))
    assert collector.tags.count("h1") == 1
    assert collector.tags.count("section") == 2
    assert collector.tags.count("ol") == 1
    assert collector.tags.count("li") == len(diff(252, 530).differences) + 4  # and 4 links


def test_json_rendering() -> None:
    data = json.loads(diff(252, 530).render("json", "ko"))
    assert data["locale"] == "ko"
    assert data["left"]["code"] == 252
    assert data["right"]["class"] == {"digit": 5, "name": "영구적 실패"}
    assert [item["aspect"] for item in data["differences"]][:2] == ["class", "meaning"]
    assert data["learn_more"][0] == {
        "name": "RFC 5321",
        "url": "https://www.rfc-editor.org/rfc/rfc5321",
    }
    single = json.loads(explain("550 5.1.1 x").render("json"))
    assert single["status"] == "5.1.1"
    assert single["server_text"] == "x"


def test_industry_codes_point_to_the_registry() -> None:
    text = explain(525).render()
    assert "IANA SMTP Enhanced Status Codes registry: https://www.iana.org/" in text


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_every_heading(locale: str) -> None:
    headings = smtpreply._data.locales()[locale]
    english = smtpreply._data.locales()["en"]
    assert set(headings) == set(english)
    if locale != "en":
        # Headings are translated (a few words, such as "Description", may coincide).
        assert sum(headings[key] != english[key] for key in english) >= len(english) - 2


def test_unknown_locale_and_format() -> None:
    with pytest.raises(
        ValueError,
        match=(
            r"unknown locale 'xx'; the supported locales are: "
            r"de, en, es, fr, id, ko, pt, ru, tr, vi, zh-Hans$"
        ),
    ):
        diff(252, 530).render(locale="xx")
    with pytest.raises(
        ValueError, match=r"unknown format 'pdf'; the formats are: text, markdown, html, json"
    ):
        explain(530).render("pdf")


def test_str_is_the_text_rendering() -> None:
    assert str(diff(252, 530)) == diff(252, 530).render("text", "en")
    assert str(explain(530)) == explain(530).render()
