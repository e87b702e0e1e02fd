"""How well the model does, measured on a list: leave-one-out category suggestion, precision of a ranking.

Used by ``make bench`` (``bench/bench_watch.py``) and by a test that keeps the
figures from falling, the way ``lclm.search.relevance`` measures search.
"""

from __future__ import annotations

from collections.abc import Sequence

from lclm.model import Paper
from lclm.watch.features import terms
from lclm.watch.ranking import Ranked, train


def leave_one_out(listed: Sequence[Paper]) -> tuple[float, float]:
    """Top-1 and top-3 accuracy of the suggested category, each paper held out of its neighbours in turn.

    The held-out paper is not in its own training data: its vector is
    weighed with idf counts that leave it out (so its title words, authors
    and venue count as unseen where no other paper has them), its compound
    words split by a lexicon that leaves it out, it never votes
    for itself and does not count in its category's size.  (The other
    papers' vectors keep the idf of the whole list: one paper in hundreds moves
    them by a rounding error.)
    """
    model = train(listed)
    top1 = top3 = 0
    for at, paper in enumerate(listed):
        vec = model.placer.vector(terms(paper, model.abstracts, model.lexicon.without(paper)), held_out=True)
        votes = model.neighbours.vote(model.neighbours.similar(vec, skip=at), skip=at)
        slugs = [slug for slug, _ in votes[:3]]
        top1 += bool(slugs) and slugs[0] == paper.category
        top3 += paper.category in slugs
    total = max(len(listed), 1)
    return top1 / total, top3 / total


def precision_at(ranked: Sequence[Ranked], wanted: set[str], count: int = 50) -> float:
    """The share of the first ``count`` candidates whose title is in ``wanted``."""
    top = ranked[:count]
    return sum(1 for r in top if r.paper.title in wanted) / max(len(top), 1)
