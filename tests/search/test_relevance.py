"""Ranking measured on the relevance set (tests/search/relevance.yaml) over the frozen list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from lclm.search.relevance import measure


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module does not test the cache."""
    return warm_store


CASES = Path(__file__).with_name("relevance.yaml")


@pytest.fixture(scope="module")
def cases() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    return data


def test_the_set_is_big_enough_and_names_papers_of_the_list(cases: dict[str, Any], store: Path) -> None:
    from lclm.store.load import load_store

    have = {p.key for p in load_store(store, use_cache=False).papers}
    assert len(cases["queries"]) >= 40 and len(cases["none"]) >= 5
    assert {"name", "title-name", "typo", "author", "topic", "id"} <= {c["kind"] for c in cases["queries"]}
    unknown = {k for c in cases["queries"] for k in c["want"]} - have
    assert not unknown


def test_the_intended_paper_is_in_the_top_3_for_95_percent(cases: dict[str, Any], store: Path) -> None:
    figures = measure(store, cases)
    assert figures.top3 >= 0.95, figures.missed


def test_queries_for_papers_not_in_the_list_match_no_paper_fully(cases: dict[str, Any], store: Path) -> None:
    # Partial matches are allowed (and marked, exit 1); no paper may have every word.
    assert measure(store, {"queries": [], "none": cases["none"]}).noisy == []
