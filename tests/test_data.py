from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.resources import files
from typing import Any

import pytest

import smtpreply
from smtpreply import EnhancedStatus, ReplyCode, _data

DATA_FILES = ["reply_codes.json", "reply_classes.json", "enhanced_status.json", "locales.json"]
DOUBLED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)


def _raw(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        files("smtpreply").joinpath("data", name).read_text(encoding="utf-8")
    )
    return document


def _texts() -> list[tuple[str, str]]:
    """Every prose text shipped, with where it comes from."""
    found: list[tuple[str, str]] = []
    for code in ReplyCode:
        found += [
            (f"{code.value}.{key}", getattr(code, key)) for key in ("description", "when", "fix")
        ]
    for entry in smtpreply.registry():
        found += [
            (f"{entry.code}.{key}", getattr(entry, key)) for key in ("description", "when", "fix")
        ]
    status_data = _data.statuses()
    for group in (
        _data.reply_classes(),
        _data.categories(),
        status_data.classes,
        status_data.subjects,
    ):
        for info in group.values():
            found += [
                (f"{info.title}.{key}", getattr(info, key))
                for key in ("description", "when", "fix")
            ]
    return found


@pytest.mark.parametrize("name", DATA_FILES)
def test_files_name_their_sources_and_version(name: str) -> None:
    document = _raw(name)
    assert document["source"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", document["version"])
    assert "own words" in document["notice"]


def test_enum_and_catalogue_agree_both_ways() -> None:
    catalogue = _data.reply_codes()
    assert set(catalogue) == {member.value for member in ReplyCode}
    for member in ReplyCode:
        assert catalogue[member.value].name == member.name


def test_registry_version_is_exposed() -> None:
    assert _raw("enhanced_status.json")["version"] == smtpreply.REGISTRY_VERSION


def test_reply_classes_cover_the_enums() -> None:
    assert set(_data.reply_classes()) == {member.value for member in smtpreply.ReplyClass}
    assert set(_data.categories()) == {member.value for member in smtpreply.Category}


def test_rfc_references_are_well_formed() -> None:
    references = [rfc for code in ReplyCode for rfc in code.rfcs]
    references += [rfc for entry in smtpreply.registry() for rfc in entry.rfcs]
    assert references
    for rfc in references:
        assert re.fullmatch(r"RFC [1-9][0-9]{2,3}|draft-[a-z0-9]+(-[a-z0-9]+)+", rfc), rfc
    # Only the registry cites a draft, where no RFC exists; every reply code has RFCs.
    assert [rfc for rfc in references if rfc.startswith("draft-")] == [
        "draft-levine-mailbomb-header"
    ]


@pytest.mark.parametrize(("where", "text"), _texts())
def test_text_quality(where: str, text: str) -> None:
    assert text.endswith("."), where
    assert not DOUBLED_WORD.search(text), where
    assert "  " not in text, where
    assert "\u2014" not in text, where  # em dash: plain punctuation only
    assert text[0].isupper() or text[0].isdigit(), where


def test_one_term_for_one_thing() -> None:
    # The same thing is named the same way in every text we ship.
    variants = {"block list": "blocklist", "e-mail": "email", "black list": "blocklist"}
    for where, text in _texts():
        for variant, term in variants.items():
            assert not re.search(rf"\b{variant}\b", text.lower()), (where, f"say {term!r}")


def test_when_texts_do_not_start_with_when() -> None:
    # Rendered as "When you see 530: <text>", so a leading "When" would double it.
    for where, text in _texts():
        if where.endswith(".when"):
            assert not text.lower().startswith("when "), where


def test_titles_are_title_case() -> None:
    small = {"a", "an", "and", "at", "by", "for", "in", "not", "of", "on", "or", "the", "to"}
    for code in ReplyCode:
        words = code.title.split()
        for index, word in enumerate(words):
            if index and word.lower() in small:
                continue
            assert word[0].isupper() or word[0].isdigit(), code.title


# Registry facts, checked against RFC 3463 and the RFCs that registered later codes.
REGISTRY_FACTS = [
    ("X.1.1", "Bad destination mailbox address", "RFC 3463"),
    ("X.1.6", "Destination mailbox has moved, No forwarding address", "RFC 3463"),
    ("X.1.10", "Recipient address has null MX", "RFC 7505"),
    ("X.2.2", "Mailbox full", "RFC 3463"),
    ("X.3.4", "Message too big for system", "RFC 3463"),
    ("X.4.7", "Delivery time expired", "RFC 3463"),
    ("X.5.6", "Authentication Exchange line is too long", "RFC 4954"),
    ("X.6.7", "Non-ASCII addresses not permitted for that sender/recipient", "RFC 6531"),
    ("X.7.1", "Delivery not authorized, message refused", "RFC 3463"),
    ("X.7.8", "Authentication credentials invalid", "RFC 4954"),
    ("X.7.9", "Authentication mechanism is too weak", "RFC 4954"),
    ("X.7.10", "Encryption Needed", "RFC 5248"),
    ("X.7.13", "User Account Disabled", "RFC 5248"),
    ("X.7.17", "Mailbox owner has changed", "RFC 7293"),
    ("X.7.23", "SPF validation failed", "RFC 7372"),
    ("X.7.26", "Multiple authentication checks failed", "RFC 7372"),
    ("X.7.29", "ARC validation failure", "RFC 8617"),
    ("X.7.30", "REQUIRETLS support required", "RFC 8689"),
]


@pytest.mark.parametrize(("code", "title", "rfc"), REGISTRY_FACTS)
def test_registry_titles_and_references(code: str, title: str, rfc: str) -> None:
    status = EnhancedStatus.parse("5" + code[1:])
    assert status.title == title
    assert rfc in status.rfcs


@pytest.mark.parametrize(
    ("code", "basic"),
    [
        ("5.7.8", 535),
        ("5.7.9", 534),
        ("5.7.10", 523),
        ("5.7.11", 538),
        ("4.7.12", 432),
        ("5.7.13", 525),
        ("5.5.6", 500),
        ("5.1.10", 556),
        ("5.2.2", 552),
        ("5.1.1", 550),
    ],
)
def test_registry_associated_basic_codes(code: str, basic: int) -> None:
    assert basic in EnhancedStatus.parse(code).basic_codes


def test_x_6_10_is_deprecated() -> None:
    entries = {entry.code: entry for entry in smtpreply.registry()}
    assert entries["X.6.10"].deprecated
    assert not entries["X.6.8"].deprecated


def test_industry_codes_appear_in_the_registry() -> None:
    associated = {code for entry in smtpreply.registry() for code in entry.basic_codes}
    for number in (422, 430, 523, 524, 525, 533):
        assert number in associated
        assert ReplyCode(number).rfcs == ()


def test_import_reads_no_data_and_imports_no_mail_modules() -> None:
    script = (
        "import sys, smtpreply\n"
        "from smtpreply import _data\n"
        "caches = [_data.reply_codes, _data.reply_classes, _data.categories, _data.statuses,"
        " _data.locales]\n"
        "print(sum(c.cache_info().currsize for c in caches))\n"
        "print(sorted(m for m in ('smtplib', 'email', 'json', 'importlib.resources') "
        "if m in sys.modules))\n"
    )
    output = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert output[0] == "0"
    assert "smtplib" not in output[1]
    assert "'email'" not in output[1]


def test_data_is_read_once(fresh_data: None) -> None:
    assert _data.statuses.cache_info().currsize == 0
    EnhancedStatus.parse("5.1.1").title  # noqa: B018 - the read is the point
    EnhancedStatus.parse("5.2.2").title  # noqa: B018
    info = _data.statuses.cache_info()
    assert (info.misses, info.currsize) == (1, 1)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"codes": [{"code": 250}]}, r"code 250: 'name' must be"),
        ({"codes": [{"code": 999}]}, r"'code' must be a reply code from 200 to 599"),
        ({"codes": []}, r"'codes' must be a non-empty list"),
    ],
)
def test_corrupt_catalogue_is_a_data_error(
    fresh_data: None, monkeypatch: pytest.MonkeyPatch, document: dict[str, Any], message: str
) -> None:
    header = {"name": "n", "source": "s", "version": "v", "notice": "n"}
    monkeypatch.setattr(_data, "_load", lambda name: {**header, **document})
    with pytest.raises(_data.DataError, match=message):
        _data.reply_codes()


def test_corrupt_text_is_a_data_error(fresh_data: None, monkeypatch: pytest.MonkeyPatch) -> None:
    good = _raw("reply_codes.json")
    good["codes"][0]["advice"][0]["text"] = "No full stop"
    monkeypatch.setattr(_data, "_load", lambda name: good)
    with pytest.raises(
        _data.DataError, match=r"code 211, advice 0: 'text' must be text ending with a full stop"
    ):
        _data.reply_codes()
