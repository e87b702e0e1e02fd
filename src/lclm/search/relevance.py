"""Measure ranking against a relevance set: the figures ``make bench`` prints and the tests check.

A relevance set is YAML: ``queries`` (each a ``query``, a ``kind`` and the
keys it ``want``s, any of which counts) and ``none`` (queries that should find
nothing).  Top-1/top-3 are the share of queries with an acceptable paper
first / in the first three; MRR@10 is the mean of 1/rank within the first ten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(slots=True)
class Figures:
    """How a relevance set fared."""

    queries: int = 0
    top1: float = 0.0
    top3: float = 0.0
    mrr10: float = 0.0
    missed: list[tuple[str, list[str]]] = field(default_factory=list)  # not in the top 3: query, what came
    noisy: list[tuple[str, list[str]]] = field(default_factory=list)  # should find nothing, found these
    by_kind: dict[str, float] = field(default_factory=dict)  # top-3 share per kind


def measure(root: Path, cases: dict[str, Any]) -> Figures:
    """Run every query of ``cases`` on the store at ``root``."""
    from lclm.search.rank import parse_query, search

    out, reciprocal, kinds = Figures(), 0.0, dict[str, list[bool]]()
    for case in cases["queries"]:
        found = [h.paper.key for h in search(root, parse_query(case["query"].split()), limit=10).hits]
        rank = next((n for n, key in enumerate(found, 1) if key in case["want"]), 0)
        out.queries += 1
        out.top1 += rank == 1
        out.top3 += 0 < rank <= 3
        reciprocal += 1 / rank if rank else 0.0
        kinds.setdefault(case.get("kind", ""), []).append(0 < rank <= 3)
        if not 0 < rank <= 3:
            out.missed.append((case["query"], found[:3]))
    for text in cases.get("none", []):
        found = [h.paper.key for h in search(root, parse_query(text.split()), limit=3).hits]
        if found:
            out.noisy.append((text, found))
    if out.queries:
        out.top1, out.top3, out.mrr10 = out.top1 / out.queries, out.top3 / out.queries, reciprocal / out.queries
    out.by_kind = {kind: sum(hits) / len(hits) for kind, hits in kinds.items()}
    return out
