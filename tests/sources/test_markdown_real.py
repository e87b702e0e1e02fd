"""Issue 22's figures: the Markdown reader on 26 real lists of different shapes, against hand-written truths.

The lists (tests/data/lists_real, sources in its SOURCES.md) were not used to
build the reader's older shapes; each has a truth of about 30 entries spread
over the file, written from the source lines.  The figures of every list are
printed (``pytest -s`` shows them; ``make bench`` prints them too) and the
targets are asserted over all lists together.  The five lists added on
2026-12-07 (found while trying import on lists nobody had tuned on) also
check the venue and the short names (``aka``): their misses were venues such
as ``arXiv 2023. 11 Oct`` (a date line read as venue) and ``T5: . JMLR`` (a
short name before the title).  The two added that evening (GUI agents, document understanding) state
each paper's fields below its line, in nested bullets or a folded ``<details>`` block.
"""

from __future__ import annotations

import pytest

from sources.markdown_truth import Figures, lists, score

# The targets of issue 22.
READ, TITLES, FIRST_AUTHOR, YEAR, BAD_NAMES = 95.0, 97.0, 95.0, 95.0, 0.5
VENUE, AKA = 95.0, 95.0  # where a truth states them


@pytest.fixture(scope="module")
def figures() -> dict[str, Figures]:
    return {path.stem: score(path) for path in lists()}


def test_the_corpus_has_fifteen_lists_of_thirty_truths(figures: dict[str, Figures]) -> None:
    assert len(figures) >= 15
    # a list shorter than that (one file of a repository that splits its papers by topic) has every entry in its truth
    assert all(f.truths + f.yearless >= min(30, f.entries) for f in figures.values())


def test_the_real_lists_read_to_the_targets(figures: dict[str, Figures], capsys: pytest.CaptureFixture[str]) -> None:
    total = Figures()
    for name, f in figures.items():
        total.add(f)
        with capsys.disabled():
            print(f"\n{f.row(name)}", end="")
    with capsys.disabled():
        print(f"\n{total.row('all lists')}")
        for miss in total.misses:
            print(f"  {miss}")
    assert total.pct("read", "truths") >= READ
    assert total.pct("titles", "read") >= TITLES
    assert total.pct("authors", "authors_checked") >= FIRST_AUTHOR
    assert total.pct("years", "read") >= YEAR
    assert total.pct("bad_names", "names") <= BAD_NAMES
    assert total.venues_checked >= 60 and total.pct("venues", "venues_checked") >= VENUE
    assert total.akas_checked >= 60 and total.pct("akas", "akas_checked") >= AKA
    assert total.contaminated == 0  # no record carries one entry's arXiv id under another entry's title
    assert total.yearless_reported == total.yearless  # an entry with no year anywhere is reported, not dropped


def test_every_list_reads_most_of_its_truth(figures: dict[str, Figures]) -> None:
    """No list may hide behind the others: each reads 90% of its truth with the right titles."""
    assert {name: f.pct("read", "truths") for name, f in figures.items() if f.pct("read", "truths") < 90} == {}
    assert {name: f.pct("titles", "read") for name, f in figures.items() if f.pct("titles", "read") < 90} == {}
