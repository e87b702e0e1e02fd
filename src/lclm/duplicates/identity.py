"""Is this paper already in the store?  The check `add` and both imports share.

The same arXiv id, DOI or normalised URL, or the same normalised title, is
the same paper, unless either record's ``distinct`` names the other.  With ``fuzzy`` a near-identical title also counts, unless
the two titles differ in a number or version token (Qwen2 vs Qwen2.5,
LongRoPE vs LongRoPE2), which marks a different paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lclm.ids import identities
from lclm.model import Paper
from lclm.text import normalize_title

NEAR_TITLE = 95.0  # rapidfuzz ratio (0-100) on normalised titles
_NUMBERED_RE = re.compile(r"\S*\d\S*")
REASONS = {
    "arxiv": "same arXiv id",
    "doi": "same DOI",
    "url": "same URL",
    "title": "same title",
    "near-title": "near-identical title",
}


@dataclass(frozen=True, slots=True)
class Match:
    """An existing paper and why the new one is taken to be it."""

    paper: Paper
    reason: str
    value: str

    def describe(self) -> str:
        """``same arXiv id 2502.17129``-style text for messages."""
        return f"{REASONS[self.reason]} {self.value}".rstrip()


def marked_distinct(paper: Paper, other: Paper) -> bool:
    """Whether either record's ``distinct`` names the other: look-alikes kept apart."""
    return other.key in paper.distinct or (bool(paper.key) and paper.key in other.distinct)


def number_tokens(normalised_title: str) -> frozenset[str]:
    """The words of a title that carry a digit: a version or part number."""
    return frozenset(_NUMBERED_RE.findall(normalised_title))


class Index:
    """Lookup tables over papers, built once, extended as papers are added."""

    def __init__(self, papers: list[Paper] = ()) -> None:  # type: ignore[assignment]
        self.by_id: dict[tuple[str, str], Paper] = {}
        self.by_title: dict[str, Paper] = {}
        self.titles: list[str] = []
        self.papers: list[Paper] = []
        for paper in papers:
            self.add(paper)

    def add(self, paper: Paper) -> None:
        """Make ``paper`` findable (the first paper with an identity keeps it)."""
        for ident in identities(paper):
            self.by_id.setdefault(ident, paper)
        title = normalize_title(paper.title)
        if title:
            self.by_title.setdefault(title, paper)
        self.titles.append(title)
        self.papers.append(paper)

    def find(self, paper: Paper, fuzzy: bool = True) -> Match | None:
        """The existing paper ``paper`` duplicates, or None."""
        for kind, value in identities(paper):
            found = self.by_id.get((kind, value))
            if found is not None and not marked_distinct(paper, found):
                return Match(found, kind, value)
        title = normalize_title(paper.title)
        if not title:
            return None
        found = self.by_title.get(title)
        if found is not None and not marked_distinct(paper, found):
            return Match(found, "title", "")
        return self._near(paper, title) if fuzzy else None

    def _near(self, paper: Paper, title: str) -> Match | None:
        from rapidfuzz import fuzz, process

        numbers = number_tokens(title)
        hits: Any = process.extract(
            title, self.titles, scorer=fuzz.ratio, score_cutoff=NEAR_TITLE, limit=5
        )
        for other, score, index in hits:
            if number_tokens(other) == numbers and not marked_distinct(paper, self.papers[index]):
                return Match(self.papers[index], "near-title", f"({score:.0f}% similar)")
        return None
