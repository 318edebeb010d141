"""Hypothesis profiles, and a clean data cache for each test."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

from smtpreply import _data, _rules

if TYPE_CHECKING:
    from collections.abc import Iterator

# CI explores the same examples on every run, so that a red run is reproducible; new
# examples are explored locally ("dev", or "deep" for long runs).
settings.register_profile(
    "ci",
    max_examples=500,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "deep", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)

_CACHES = (
    _data.reply_codes,
    _data.reply_classes,
    _data.categories,
    _data.statuses,
    _data.locales,
    _data.contrasts,
    _data.load_document,
    _rules.rules,
)


@pytest.fixture
def fresh_data() -> Iterator[None]:
    """Empty the data caches before and after a test that swaps the data files."""
    for cache in _CACHES:
        cache.cache_clear()
    yield
    for cache in _CACHES:
        cache.cache_clear()
