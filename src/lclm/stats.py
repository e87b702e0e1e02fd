"""Facts about the list: counts per section and year, preprints, venues, authors.

Pure: a ``Store`` in, a ``Facts`` out.  ``lclm stats`` prints them, the web
page and ``lclm stats --svg`` draw the per-year chart from them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from lclm import venues
from lclm.errors import UsageError
from lclm.ids import arxiv_id
from lclm.model import OTHERS, Paper
from lclm.text import fold

if TYPE_CHECKING:
    from lclm.store.layout import Section, Store

STATUSES = ("published", "preprint", "other")
PREPRINT_VENUE = "arXiv (preprint)"


@dataclass(frozen=True, slots=True)
class SectionCount:
    """A heading of the list, how deep it sits, and how many papers it holds."""

    name: str
    depth: int
    papers: int
    slug: str = ""


@dataclass(slots=True)
class Facts:
    """What ``lclm stats`` reports; ``by_year_section`` is what the chart draws."""

    papers: int
    categories: int
    sections: list[SectionCount]
    by_year: dict[int, int]
    # year -> top-level section -> papers; top sections in list order.
    by_year_section: dict[int, dict[str, int]]
    top_sections: list[str]
    status: dict[str, int]
    without_link: list[str]
    top_venues: list[tuple[str, int]] = field(default_factory=list)
    top_authors: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The facts as JSON-ready data (years as string keys, pairs as objects)."""
        data = asdict(self)
        data["by_year"] = {str(y): n for y, n in self.by_year.items()}
        data["by_year_section"] = {str(y): counts for y, counts in self.by_year_section.items()}
        data["top_venues"] = [{"venue": v, "papers": n} for v, n in self.top_venues]
        data["top_authors"] = [{"author": a, "papers": n} for a, n in self.top_authors]
        return data


def status(paper: Paper) -> str:
    """``preprint`` (``lclm.venues.is_preprint_paper``: the rule ``lclm refresh`` upgrades by),
    ``published`` (any other venue), or ``other`` (no venue: a blog post, a web page)."""
    if venues.is_preprint_paper(paper):
        return "preprint"
    return "published" if paper.venue else "other"


def has_link(paper: Paper) -> bool:
    """Whether a reader can follow the paper anywhere: a URL, an arXiv id or a DOI."""
    return bool(paper.url or arxiv_id(paper) or paper.doi)


def venue_name(paper: Paper) -> str:
    """The venue under the name readers use (``NeurIPS``, from ``lclm.venues``), or its text; '' for none.

    A workshop held at a conference is not the conference, so it keeps its own name.
    """
    if status(paper) == "preprint":
        return PREPRINT_VENUE
    if not paper.venue:
        return ""
    container = venues.parse_venue(paper.venue).container.strip().rstrip(".")
    venue = venues.lookup(container)
    return venue.name if venue is not None else container


def top_section_of(store: Store, lang: str = "en") -> dict[str, str]:
    """Category slug -> the title of the top-level section it sits under."""
    return {s.slug: top.title(lang) for top in store.sections for _, s in top.walk() if s.file}


def languages(store: Store) -> set[str]:
    """The languages the list's headings are written in: English and every translation."""
    return {"en"} | {lang for top in store.sections for _, s in top.walk() for lang in s.translations}


def facts(store: Store, lang: str = "en", top: int = 10) -> Facts:
    """Everything ``lclm stats`` reports about ``store``; ``top`` venues and authors (0: none).

    Section names are in ``lang``; a language the list has no headings in is a ``UsageError``.
    """
    known = languages(store)
    if lang not in known:
        raise UsageError(f"--lang {lang}: the list has headings in {', '.join(sorted(known))}")
    per_category = Counter(p.category for p in store.papers)
    statuses = Counter(status(p) for p in store.papers)
    tops = top_section_of(store, lang)
    by_year_section: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_top_titles(store, lang), 0))
    for paper in store.papers:
        by_year_section[paper.year][tops.get(paper.category, paper.category)] += 1
    return Facts(
        papers=len(store.papers),
        categories=len(store.categories()),
        sections=[
            SectionCount(s.title(lang), depth, _count(s, per_category), s.slug)
            for root in store.sections
            for depth, s in root.walk()
        ],
        by_year=dict(sorted(Counter(p.year for p in store.papers).items())),
        by_year_section={y: by_year_section[y] for y in sorted(by_year_section)},
        top_sections=_top_titles(store, lang),
        status={s: statuses[s] for s in STATUSES},
        without_link=[p.key for p in store.papers if not has_link(p)],
        top_venues=_most_common((venue_name(p) for p in store.papers), top) if top else [],
        top_authors=_most_common((a for p in store.papers for a in p.authors if a != OTHERS), top) if top else [],
    )


def _top_titles(store: Store, lang: str) -> list[str]:
    return list(dict.fromkeys(top.title(lang) for top in store.sections))


def _count(section: Section, per_category: Counter[str]) -> int:
    return sum(per_category[s.slug] for _, s in section.walk() if s.file)


def _most_common(names: Any, top: int) -> list[tuple[str, int]]:
    """The ``top`` most frequent names, matched across case and accents, each under its commonest spelling."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for name in names:
        if name:
            spellings[fold(name)][name] += 1
    totals = sorted(spellings.values(), key=lambda c: (-c.total(), c.most_common(1)[0][0]))
    return [(c.most_common(1)[0][0], c.total()) for c in totals[:top]]
