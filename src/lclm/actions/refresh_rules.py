"""The curator's rules for ``lclm refresh``: what the sources said -> proposed changes.

Pure: no I/O.  ``propose`` is the one place that decides which field may
change, from which source, and how: the key never changes; a pinned field is
never proposed; the arXiv id stays when a venue is added; a title takes the
source's capitalisation except for the curator's deliberate capitals; an
author list is completed only when it was cut to "others"; a venue is a
published one the venue table knows, written in the list's style.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lclm.model import OTHERS, Paper
from lclm.sources.dblp import Record
from lclm.venues import VenueTable, is_preprint_paper

FIELDS = ("title", "authors", "venue", "year", "doi", "url", "abstract")
ARXIV_DOI_PREFIX = "10.48550/"


@dataclass(frozen=True, slots=True)
class Change:
    """One proposed change of one field."""

    field: str
    old: Any
    new: Any
    source: str


@dataclass(slots=True)
class Found:
    """What the sources said about one paper."""

    arxiv: Paper | None = None
    dblp: Record | None = None
    crossref: Paper | None = None
    journal_ref: str = ""  # where arXiv says the paper was published, as its authors wrote it


def wants_dblp(paper: Paper) -> bool:
    """Whether DBLP is asked about a paper: it is known only as a preprint."""
    return is_preprint_paper(paper)


def propose(paper: Paper, found: Found, table: VenueTable, wanted: frozenset[str]) -> list[Change]:
    """The changes the sources support for ``paper``: pure, the curator's rules.

    A pinned field, or one not in ``wanted``, is never proposed; the key never
    changes; the arXiv id stays when a venue is added.
    """
    open_fields = wanted - set(paper.pinned)
    changes: list[Change] = []
    for name in FIELDS:
        if name not in open_fields:
            continue
        # The best source with a value decides, even when it agrees with the record.
        for source, new in _offers(name, paper, found, table):
            if new in (None, "", []):
                continue
            if new != getattr(paper, name):
                changes.append(Change(name, getattr(paper, name), new, source))
            break
    return changes


def _offers(name: str, paper: Paper, found: Found, table: VenueTable) -> list[tuple[str, Any]]:
    """What each source offers for field ``name``, best source first."""
    ax, cr, rec = found.arxiv, found.crossref, found.dblp
    if name == "title":
        return [(s, recase(paper.title, t)) for s, t in _titles(ax, rec, cr)]
    if name == "authors":
        lists = (("arXiv", ax.authors if ax else []), ("Crossref", cr.authors if cr else []),
                 ("DBLP", list(rec.authors) if rec else []))
        return [(s, full_authors(paper.authors, names)) for s, names in lists if names]
    if name == "abstract":
        return [] if paper.abstract else [(s, p.abstract) for s, p in (("arXiv", ax), ("Crossref", cr)) if p]
    pub = published(paper, found, table)
    if name == "doi":
        if paper.doi and not paper.doi.startswith(ARXIV_DOI_PREFIX):
            return []  # the curator's DOI stays
        dblp_doi = rec.doi if pub and rec and pub.source == "DBLP" else ""
        return [(s, d) for s, d in (("DBLP", dblp_doi), ("arXiv", ax.doi if ax else "")) if d]
    if pub is None:
        return []
    offers: dict[str, Any] = {"venue": pub.venue, "year": pub.year, "url": pub.url if _preprint_url(paper) else ""}
    return [(pub.source, offers[name])] if name in offers else []


@dataclass(frozen=True, slots=True)
class Published:
    """A preprint's published version, with its venue as the list writes it."""

    source: str
    venue: str
    year: int | None
    url: str = ""


def published(paper: Paper, found: Found, table: VenueTable) -> Published | None:
    """The published version of a preprint: DBLP's record, else arXiv's journal_ref.

    Only a venue the venue table knows counts, so the venue is written in
    the list's style; a paper whose venue is already published has none.
    """
    if not wants_dblp(paper):
        return None
    rec = found.dblp
    if rec is not None:
        venue = table.write(rec.venue, rec.year)
        return Published("DBLP", venue, rec.year, rec.url) if venue else None
    reference = table.read_reference(found.journal_ref) if found.journal_ref else None
    if reference is not None:
        name, year = reference
        return Published("arXiv journal_ref", table.write(name, year) or "", year)
    return None


def _titles(ax: Paper | None, rec: Record | None, cr: Paper | None) -> list[tuple[str, str]]:
    offers = [("arXiv", ax.title if ax else ""), ("DBLP", rec.title if rec else ""), ("Crossref", cr.title if cr else "")]
    return [(s, t) for s, t in offers if t]


def _preprint_url(paper: Paper) -> bool:
    """Whether the paper's link is its preprint's (or missing): a published one may replace it."""
    from lclm.ids import arxiv_in

    return not paper.url or bool(arxiv_in(paper.url))


def recase(ours: str, theirs: str) -> str | None:
    """``ours`` with the source's capitalisation (maybe ``ours`` itself); None if the words differ.

    A word of ours with a capital inside it (``LongRoPE``, ``{L}ong{W}anjuan``)
    was capitalised on purpose and is kept; other words take the source's
    case, so Google Scholar's ``Rwkv: Reinventing rnns`` becomes ``RWKV:
    Reinventing RNNs``.  Titles whose words differ are not touched.
    """
    from lclm.text import normalize_title

    if ours == theirs:
        return ours
    if normalize_title(ours) != normalize_title(theirs):
        return None
    mine, source = ours.split(), theirs.split()
    if len(mine) != len(source) or any(a.casefold() != b.casefold() for a, b in zip(mine, source)):
        return None if any(_deliberate(w) for w in mine) else theirs
    return " ".join(a if _deliberate(a) else b for a, b in zip(mine, source))


def _deliberate(word: str) -> bool:
    """A capital after the first letter: the curator's own casing of a name."""
    letters = [c for c in word if c.isalpha()]
    return any(c.isupper() for c in letters[1:])


def full_authors(ours: list[str], theirs: list[str]) -> list[str] | None:
    """The source's full list when ours is cut to "others" (or empty) and agrees with it."""
    from lclm.duplicates.profile import surnames

    known = [a for a in ours if a != OTHERS]
    if ours and ours[-1] != OTHERS:
        return None
    if len(theirs) <= len(known):
        return None
    if known and surnames(known) - surnames(theirs):
        return None
    return list(theirs)
