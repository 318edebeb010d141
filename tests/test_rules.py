"""The classification rules: read from the data files, checked row by row."""

from __future__ import annotations

import copy
import json
from importlib.resources import files
from typing import Any, Callable

import pytest

from smtpreply import Reason, _data, _rules


def _document(name: str) -> dict[str, Any]:
    text = files("smtpreply").joinpath("data", name).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def _swap(monkeypatch: pytest.MonkeyPatch, name: str, change: Callable[[Any], None]) -> None:
    """Serve a changed copy of one data file to the rules' loader."""
    changed = copy.deepcopy(_document(name))
    change(changed)
    real = _data.load_document

    def load(asked: str) -> Any:
        return changed if asked == name else real(asked)

    monkeypatch.setattr(_data, "load_document", load)


def test_every_table_is_loaded() -> None:
    rules = _rules.rules()
    assert set(rules.reasons) == set(Reason)
    assert rules.statuses[1, 1].reason is Reason.USER_UNKNOWN
    assert not rules.statuses[1, 1].loose
    assert rules.statuses[7, 1].loose
    assert rules.stages["MAIL"] is Reason.REJECTED
    assert rules.refinements[Reason.MESSAGE_TOO_BIG] == {Reason.EXCEED_LIMIT}
    providers = {rule.provider for rule in rules.providers}
    assert providers == set(rules.by_provider)
    # Most specific first, for every provider.
    for indexes in rules.by_provider.values():
        order = [rules.providers[index].specificity for index in indexes]
        assert order == sorted(order, reverse=True)


def test_provider_meanings_are_kept_even_where_the_registry_disagrees() -> None:
    rules = _rules.rules()
    microsoft = [rule for rule in rules.providers if rule.provider == "Microsoft"]
    # X.1.10 is the registry's null MX; Microsoft uses 5.1.10 for a recipient not found.
    assert rules.statuses[1, 10].reason is Reason.NOT_ACCEPT
    assert any(
        str(rule.status) == "5.1.10" and rule.reason is Reason.USER_UNKNOWN for rule in microsoft
    )


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        (
            "text_rules.json",
            lambda d: d["rules"][0].update(reason="nonsense"),
            r"'text_rules.json': rule 0: 'reason' must be one of the reasons, not 'nonsense'",
        ),
        (
            "text_rules.json",
            lambda d: d["rules"][3].update(strength="medium"),
            r"rule 3: 'strength' must be one of decisive, strong, weak, not 'medium'",
        ),
        (
            "text_rules.json",
            lambda d: d["rules"][1]["phrases"].append("Upper Case"),
            r"'text_rules.json': rule 1 .*'phrases' must be a list of lower-case phrases",
        ),
        (
            "text_rules.json",
            lambda d: d["rules"][2]["phrases"].append(d["rules"][0]["phrases"][0]),
            r"rule 2 .*'phrases' must be phrases listed once",
        ),
        (
            "classify.json",
            lambda d: d["reasons"][1].update(retry="false"),
            r"'classify.json': reason 'user_unknown': 'retry' must be true or false, not 'false'",
        ),
        (
            "classify.json",
            lambda d: d["reasons"].pop(),
            r"'classify.json': no entry for the reasons undefined",
        ),
        (
            "classify.json",
            lambda d: d["statuses"].update({"X.1.1": {"reason": "user_unknown"}}),
            r"status 'X.1.1': 'loose' must be true or false",
        ),
        (
            "classify.json",
            lambda d: d["statuses"].update({"5.1.99": {"reason": "user_unknown", "loose": False}}),
            r"status '5.1.99' must start with 'X.'",
        ),
        (
            "classify.json",
            lambda d: d["stages"].update(FROB="blocked"),
            r"'stages' names an unknown command 'FROB'",
        ),
        (
            "classify.json",
            lambda d: d["refinements"].update(blocked=[]),
            r"refinement 'blocked': 'narrower' must be a non-empty list of reasons",
        ),
        (
            "provider_rules.json",
            lambda d: d["rules"][5].update(provider="Nobody"),
            r"'provider_rules.json': rule 5: 'provider' must be one of Google",
        ),
        (
            "provider_rules.json",
            lambda d: d["rules"][7].update(status="5.01.1"),
            r"rule 7: 'status' must be an enhanced status",
        ),
        (
            "provider_rules.json",
            lambda d: d["rules"][7].update(retry=1),
            r"rule 7: 'retry' must be true or false, not 1",
        ),
        (
            "provider_rules.json",
            lambda d: d["rules"][0].update(status=None, contains_any=[]),
            r"rule 0: 'status' must be a status, or phrases in 'contains_any'",
        ),
        (
            "provider_rules.json",
            lambda d: d["rules"][0].update(delay_seconds=-5),
            r"rule 0: 'delay_seconds' must be a whole number of seconds or null",
        ),
    ],
)
def test_a_bad_row_names_its_file_and_row(
    fresh_data: None,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    change: Callable[[Any], None],
    message: str,
) -> None:
    _swap(monkeypatch, name, change)
    with pytest.raises(_data.DataError, match=message):
        _rules.rules()
