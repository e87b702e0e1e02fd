"""`lclm add` without -c: watch's model suggests the category."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module does not test the cache."""
    return warm_store


HAND = ("--title", "Scaling Rotary Position Embedding Interpolation to Million-Token Context Windows", "--author", "Ada Lovelace", "--year", "2026")


def test_piped_without_category_names_the_top_three(store: Path) -> None:
    result = run("--papers", str(store), "add", *HAND)
    assert result.exit_code == 2
    line = result.stderr.splitlines()[0]
    assert line.startswith("lclm: error: which category? give --category or --yes (suggested: length-extrapolation, ")
    suggested = line.split("suggested: ")[1].split(";")[0].split(", ")
    assert len(suggested) == 3


def test_yes_takes_the_top_suggestion(store: Path) -> None:
    result = run("--papers", str(store), "add", *HAND, "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"to {store / 'length-extrapolation.yaml'}:" in result.stdout
    assert "Million-Token" in (store / "length-extrapolation.yaml").read_text(encoding="utf-8")


def test_category_given_is_taken_as_given(store: Path) -> None:
    result = run("--papers", str(store), "add", *HAND, "-c", "survey", "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"to {store / 'survey-technical-report.yaml'}:" in result.stdout
