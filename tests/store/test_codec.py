"""Cutting a category file into its papers' blocks: each block reads alone as it reads in the whole file."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import HAND_EDITS, PAPERS
from lclm.errors import StoreError
from lclm.store.codec import parse_category, parse_record, split_records

CATEGORY_FILES = sorted(p for p in PAPERS.glob("*.yaml") if not p.name.startswith("_"))


@pytest.mark.parametrize("path", CATEGORY_FILES, ids=lambda p: p.stem)
def test_a_canonical_file_cuts_into_blocks_that_read_as_the_whole(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    blocks = split_records(text)
    assert blocks is not None
    assert "".join(block for _, block in blocks) == text
    assert [parse_record(path, line, block) for line, block in blocks] == parse_category(path, text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n- key: a\n",  # not starting with a paper
        "# a comment\n- key: a\n",
        "- key: a\n# a comment at the margin\n- key: b\n",
        "---\n- key: a\n",
        "key: a\ntitle: B\n",  # a mapping, not a list
        "- key: a\n\t- key: b\n",  # a tab at the margin
        "- key: a\n-- key: b\n",
    ],
)
def test_a_file_that_does_not_cut_cleanly_gives_none(text: str) -> None:
    assert split_records(text) is None


@pytest.mark.parametrize("edit", HAND_EDITS)
def test_a_block_never_reads_alone_otherwise_than_in_its_file(edit: str) -> None:
    """Each block of a hand-edited file reads alone as in the whole file, or does not read (the whole file is read then)."""
    for path in CATEGORY_FILES:
        text = HAND_EDITS[edit][0](path.read_text(encoding="utf-8"))
        blocks = split_records(text)
        if blocks is None:
            continue
        try:
            alone = [parse_record(path, line, block) for line, block in blocks]
        except StoreError:
            continue
        if None in alone:
            continue
        assert alone == parse_category(path, text), path.name


def test_a_quoted_value_across_a_margin_line_leaves_its_block_unreadable() -> None:
    text = "- key: a2024x\n  title: 'Two\n- lines'\n  year: 2024\n"
    whole = parse_category(Path("f.yaml"), text)
    assert [item.data["title"] for item in whole] == ["Two - lines"]  # type: ignore[union-attr]
    blocks = split_records(text)
    assert blocks is not None and len(blocks) == 2
    with pytest.raises(StoreError):
        parse_record(Path("f.yaml"), *blocks[0])
