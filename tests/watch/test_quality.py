"""The model's figures on the frozen list and real sets do not fall (``make bench`` prints them)."""

from __future__ import annotations

from conftest import DATA, PAPERS
from lclm.model import Paper
from lclm.store.load import load_store
from lclm.watch.quality import leave_one_out, precision_at
from lclm.watch.ranking import rank, train


def _rows(name: str) -> list[list[str]]:
    text = (DATA / "watch" / name).read_text(encoding="utf-8")
    return [row.split("\t") for row in text.splitlines() if row and not row.startswith("#")]


def test_leave_one_out_category_suggestion() -> None:
    top1, top3 = leave_one_out(load_store(PAPERS).papers)
    # Measured 0.738 and 0.900 on titles alone (the list has no abstracts); issue 28 asks 0.75 / 0.90.
    assert top1 >= 0.72 and top3 >= 0.89


def test_long_context_papers_rank_above_papers_from_lists_on_other_topics() -> None:
    long_context = [row[0] for row in _rows("long_context_not_listed.tsv")][::12]
    others = [row[1] for row in _rows("other_topics.tsv")]
    ranked, _left_out = rank(train(load_store(PAPERS).papers), [Paper(key="", title=t, year=0) for t in long_context + others])
    assert precision_at(ranked, set(long_context)) >= 0.8
    assert precision_at(ranked, set(others), len(ranked)) < 1


def test_abstracts_lift_the_category_suggestion_on_a_real_library() -> None:
    """ContinualAI's Zotero library (298 papers in 21 collections, 88 % with abstracts): measured 30.2 %
    top-1 on titles, authors and venues alone and 39.9 % with the abstracts. Our list has no abstracts yet;
    this is what `lclm refresh --fields abstract` would give its model."""
    from watch.library import continualai, without_abstracts

    papers, _ = continualai()
    with_abstracts, titles_only = leave_one_out(papers)[0], leave_one_out(without_abstracts(papers))[0]
    assert with_abstracts >= titles_only + 0.05
