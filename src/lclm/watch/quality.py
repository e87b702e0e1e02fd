"""How well the model does, measured on a list: leave-one-out category suggestion, precision of a ranking.

Used by ``make bench`` (``bench/bench_watch.py``) and by a test that keeps the
figures from falling, the way ``lclm.search.relevance`` measures search.
"""

from __future__ import annotations

from collections.abc import Sequence

from lclm.model import Paper
from lclm.watch.ranking import Ranked, train


def leave_one_out(listed: Sequence[Paper]) -> tuple[float, float]:
    """Top-1 and top-3 accuracy of the suggested category, each paper held out of its neighbours in turn.

    The vocabulary's idf is learnt once over the whole list (the held-out
    paper included); the neighbours that vote never include the paper itself.
    """
    model = train(listed)
    top1 = top3 = 0
    for at, paper in enumerate(listed):
        votes = model.neighbours.vote(model.neighbours.similar(model.vector(paper), skip=at))
        slugs = [slug for slug, _ in votes[:3]]
        top1 += bool(slugs) and slugs[0] == paper.category
        top3 += paper.category in slugs
    total = max(len(listed), 1)
    return top1 / total, top3 / total


def precision_at(ranked: Sequence[Ranked], wanted: set[str], count: int = 50) -> float:
    """The share of the first ``count`` candidates whose title is in ``wanted``."""
    top = ranked[:count]
    return sum(1 for r in top if r.paper.title in wanted) / max(len(top), 1)
