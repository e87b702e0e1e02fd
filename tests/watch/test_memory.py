"""``_watch.yaml``: read, written back unchanged, bad fields named with their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from lclm.errors import StoreError
from lclm.model import Paper
from lclm.watch.memory import WatchState, dump, parse

PATH = Path("papers/_watch.yaml")


def test_round_trip_keeps_every_field_in_a_fixed_order() -> None:
    state = WatchState(["cs.CL", "cs.LG"], "2026-12-07")
    state.reject(Paper(key="", title="Not For Us", year=2026, arxiv="2612.00001", url="https://arxiv.org/abs/2612.00001"), "2026-12-07")
    text = dump(state)
    assert text.endswith(
        "categories:\n- cs.CL\n- cs.LG\nlast_run: '2026-12-07'\nrejected:\n"
        "- title: Not For Us\n  arxiv: '2612.00001'\n  url: https://arxiv.org/abs/2612.00001\n  date: '2026-12-07'\n"
    )
    assert parse(PATH, text) == state
    assert dump(parse(PATH, text)) == text
    assert [p.arxiv for p in parse(PATH, text).rejected_papers()] == ["2612.00001"]


def test_empty_file_is_an_empty_state() -> None:
    assert parse(PATH, "# nothing yet\n") == WatchState()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("categories: 3\n", "papers/_watch.yaml:1: categories: must be a list of arXiv categories such as cs.CL"),
        ("last_run: x\nrejects: []\n", "papers/_watch.yaml:2: rejects: unknown field (expected categories, last_run, rejected)"),
        ("- a\n", "papers/_watch.yaml:1: must be a mapping with categories, last_run and rejected"),
    ],
)
def test_bad_file_names_line_and_field(text: str, message: str) -> None:
    with pytest.raises(StoreError) as caught:
        parse(PATH, text)
    assert str(caught.value) == message
