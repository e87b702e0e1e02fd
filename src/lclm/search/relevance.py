"""Measure ranking against a relevance set: the figures ``make bench`` prints and the tests check.

A relevance set is YAML: ``queries`` (each a ``query``, a ``kind``, the keys
it ``want``s, any of which counts, and ``held: true`` when it was held out
while the ranking was tuned) and ``none`` (queries no paper should match
every word of: a partial match is allowed, it is marked as one).  Top-1/top-3
are the share of queries with an acceptable paper first / in the first
three; MRR@10 is the mean of 1/rank within the first ten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(slots=True)
class Kind:
    """How the queries of one kind fared."""

    queries: int = 0
    top1: float = 0.0
    top3: float = 0.0
    mrr10: float = 0.0


@dataclass(slots=True)
class Figures(Kind):
    """How a relevance set fared: overall (the figures of ``Kind``), per kind, and what missed."""

    missed: list[tuple[str, list[str]]] = field(default_factory=list)  # not in the top 3: query, what came
    noisy: list[tuple[str, list[str]]] = field(default_factory=list)  # should match no paper fully, did
    kinds: dict[str, Kind] = field(default_factory=dict)  # every figure per kind

    @property
    def by_kind(self) -> dict[str, float]:
        """The top-3 share per kind."""
        return {name: kind.top3 for name, kind in self.kinds.items()}


def measure(root: Path, cases: dict[str, Any], held: bool | None = None) -> Figures:
    """Run the queries of ``cases`` on the store at ``root`` (only the held-out ones, or only
    the others, when ``held`` says which)."""
    from lclm.search.rank import parse_query, search

    out = Figures()
    for case in cases["queries"]:
        if held is not None and bool(case.get("held")) != held:
            continue
        found = [h.paper.key for h in search(root, parse_query(case["query"].split()), limit=10).hits]
        rank = next((n for n, key in enumerate(found, 1) if key in case["want"]), 0)
        kind = out.kinds.setdefault(case.get("kind", ""), Kind())
        for figures in (out, kind):
            figures.queries += 1
            figures.top1 += rank == 1
            figures.top3 += 0 < rank <= 3
            figures.mrr10 += 1 / rank if rank else 0.0
        if not 0 < rank <= 3:
            out.missed.append((case["query"], found[:3]))
    for text in cases.get("none", []):
        hits = search(root, parse_query(text.split()), limit=3).hits
        found = [h.paper.key for h in hits if h.complete]
        if found:
            out.noisy.append((text, found))
    for figures in (out, *out.kinds.values()):
        if figures.queries:
            n = figures.queries
            figures.top1, figures.top3, figures.mrr10 = figures.top1 / n, figures.top3 / n, figures.mrr10 / n
    return out


def report(figures: Figures, title: str) -> list[str]:
    """The figures as lines: overall, then per kind (top-1, top-3, MRR@10)."""
    lines = [f"{title}: {figures.queries} queries, top-1 {figures.top1:.0%}, top-3 {figures.top3:.0%}, MRR@10 {figures.mrr10:.2f}"]
    for name, kind in figures.kinds.items():
        lines.append(f"  {name:<12} {kind.queries:>3}  top-1 {kind.top1:>4.0%}  top-3 {kind.top3:>4.0%}  MRR@10 {kind.mrr10:.2f}")
    lines += [f"  not in the top 3: {query!r} -> {', '.join(found) or 'nothing'}" for query, found in figures.missed]
    return lines
