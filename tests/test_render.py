from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest

import smtpreply
from smtpreply import LOCALES, diff, explain

if TYPE_CHECKING:
    from smtpreply._language import Locale

from .golden.regenerate import HERE, golden_files


@pytest.mark.parametrize(("name", "expected"), sorted(golden_files().items()))
def test_golden_renderings(name: str, expected: str) -> None:
    stored = (HERE / name).read_text(encoding="utf-8")
    assert expected == stored, f"{name} changed: run python tests/golden/regenerate.py and review"


@pytest.mark.parametrize(("right", "locale"), [(530, "en"), (535, "fr"), (530, "vi")])
def test_sections_follow_the_reference_pages(right: int, locale: str) -> None:
    headings = smtpreply._data.locales()[locale]
    cmp = diff(252, right, locale=locale)  # type: ignore[arg-type]
    lines = cmp.render().splitlines()
    left_title, right_title = explain(252).title, explain(right).title
    order = [
        cmp.title,
        f"252 {left_title}",
        headings["description"],
        headings["when"],
        headings["fix"],
        f"{right} {right_title}",
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
    assert lines[2].startswith("SMTP 252 (Cannot Verify User)")
    numbered = [line for line in lines if re.match(r"  \d+\. ", line)]
    assert len(numbered) == len(cmp.differences)


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
    page = explain(HOSTILE, locale="de").render("html")
    collector = _Collector()
    collector.feed(page)
    assert "script" not in collector.tags
    assert "img" not in collector.tags
    assert any("<script>alert('x')</script>" in text for text in collector.text)
    heading = smtpreply._data.locales()["de"]["server_said"]
    assert f"<h2>{heading}</h2>" in page


def test_html_marks_the_language_of_each_part() -> None:
    page = diff(421, 450, locale="fr").render("html")
    assert page.count('lang="fr"') == 1  # the page's own language, once
    assert '<span lang="en">' in page  # data that stays English
    collector = _Collector()
    collector.feed(page)
    assert collector.tags.count("h1") == 1
    assert collector.tags.count("section") == 2
    assert collector.tags.count("ol") == 1


def test_json_rendering() -> None:
    cmp = diff(421, 450, locale="ko")
    data = json.loads(cmp.render("json"))
    assert data == cmp.to_dict()
    assert data["locale"] == "ko"
    assert data["left"]["code"] == 421
    assert data["differences"][0]["aspect"] == "contrast"
    assert data["differences"][0]["sources"] == [
        "RFC 5321, section 4.2.2",
        "RFC 5321, section 3.8",
    ]
    assert data["learn_more"][0] == {
        "name": "RFC 5321",
        "url": "https://www.rfc-editor.org/rfc/rfc5321",
    }
    single = json.loads(explain("550 5.1.1 x").render("json"))
    assert single["status"] == "5.1.1"
    assert single["server_text"] == "x"
    assert single["verdict"]["reason"] == "user_unknown"
    assert {part["lang"] for part in single["parts"]["description"]} == {"en"}


def test_industry_codes_point_to_the_registry() -> None:
    text = explain(525).render()
    assert "IANA SMTP Enhanced Status Codes registry: https://www.iana.org/" in text


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_every_sentence(locale: str) -> None:
    sentences = smtpreply._data.locales()[locale]
    english = smtpreply._data.locales()["en"]
    assert set(sentences) == set(english)
    if locale != "en":
        # Everything longer than a word or two is written anew for the locale.
        for key, text in english.items():
            if len(re.sub(r"\{[a-z_]+\}", "", text).split()) >= 3:
                assert sentences[key] != text, key


def test_unknown_locale_and_format() -> None:
    with pytest.raises(
        ValueError,
        match=(
            r"unknown locale 'xx'; the supported locales are: "
            r"de, en, es, fr, id, ko, pt, ru, tr, vi, zh-Hans$"
        ),
    ):
        diff(252, 530).render(locale="xx")  # type: ignore[arg-type]
    with pytest.raises(
        ValueError, match=r"unknown format 'pdf'; the formats are: text, markdown, html, json"
    ):
        explain(530).render("pdf")  # type: ignore[arg-type]


def test_str_is_the_text_rendering() -> None:
    assert str(diff(252, 530)) == diff(252, 530).render("text", "en")
    assert str(diff(252, 530, locale="fr")) == diff(252, 530).render("text", "fr")
    assert str(explain(530)) == explain(530).render()


@pytest.mark.parametrize("locale", LOCALES)
def test_text_lines_fit_the_width_in_every_script(locale: Locale) -> None:
    from smtpreply._render import _WIDTH, _width

    cmp = diff(534, 535, locale=locale)
    headings = {cmp.title, *(f"{side.label} {side.title}" for side in (cmp.left, cmp.right))}
    page = cmp.render() + explain(550, locale=locale).render()
    for line in page.splitlines():
        if line in headings or line.startswith("  RFC"):
            continue  # titles and links are never cut
        assert _width(line) <= _WIDTH, line
