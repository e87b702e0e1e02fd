"""A real categorised list with abstracts, for the category model's figures (``make bench`` and a test).

ContinualAI/continual-learning-papers keeps its Zotero library as one BibTeX export per collection
(``tests/data/watch/continualai``, commit 0d09e538f954b0c3c2177c2df39564042969e0b2, MIT licence): the
collection is the category, and most entries carry the paper's abstract.  A paper filed in two or more
collections is left out (its category would have two right answers).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

from lclm.model import Paper
from lclm.sources.bibtex import parse_bibtex
from lclm.text import normalize_title

LIBRARY = Path(__file__).resolve().parents[1] / "data" / "watch" / "continualai"


def continualai() -> tuple[list[Paper], int]:
    """The papers with their collection as category, and how many were left out for being in several."""
    filed: list[Paper] = []
    for path in sorted(LIBRARY.glob("*.bib")):
        papers, _ = parse_bibtex(path.read_text(encoding="utf-8"), str(path))
        filed += [dataclasses.replace(p, category=path.stem) for p in papers]
    times = Counter(normalize_title(p.title) for p in filed)
    return [p for p in filed if times[normalize_title(p.title)] == 1], sum(1 for n in times.values() if n > 1)


def without_abstracts(papers: list[Paper]) -> list[Paper]:
    """The same papers, titles, authors and venues only."""
    return [dataclasses.replace(p, abstract="") for p in papers]
