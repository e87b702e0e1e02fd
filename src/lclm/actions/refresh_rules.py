"""The curator's rules for ``lclm refresh``: what the sources said -> proposed changes.

Pure: no I/O.  ``propose`` is the one place that decides which field may
change, from which source, and how: the key never changes; a pinned field is
never proposed; the arXiv id stays when a venue is added; a title takes the
source's capitalisation except for the curator's deliberate capitals; an
author list is completed only when it was cut to "others"; a venue is a
published one the venue table knows, written in the list's style.

Where a preprint was published is decided on evidence (``claims`` then
``decide``): each source that names a venue is a claim (DBLP's record,
Semantic Scholar's venue, arXiv's journal_ref or comment, Crossref's record
of the DOI).  A venue is *sure*, and ``--yes`` applies it, when two sources
agree or one source of record states it: a non-CoRR DBLP record, also when
Semantic Scholar names it (``externalIds.DBLP`` such as ``conf/icml/...``),
or Crossref's record of the paper's own DOI.  One source alone is proposed
for the curator to confirm; sources naming different venues are a conflict,
shown and never applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lclm.model import OTHERS, Paper
from lclm.sources import s2
from lclm.sources.dblp import Record
from lclm.venues import VenueTable, is_preprint, is_preprint_paper

FIELDS = ("title", "authors", "venue", "year", "doi", "url", "abstract")
# The fields that follow where a preprint was published: as sure as that decision.
PUBLISHED_FIELDS = frozenset({"venue", "year", "url"})
ARXIV_DOI_PREFIX = "10.48550/"


@dataclass(frozen=True, slots=True)
class Change:
    """One proposed change of one field."""

    field: str
    old: Any
    new: Any
    source: str  # the sources behind it, "Semantic Scholar + arXiv comment"
    sure: bool = True  # False: one source that is no source of record; the curator confirms

    def to_data(self) -> dict[str, Any]:
        """The change as plain data, for ``--json``."""
        return {"field": self.field, "old": self.old, "new": self.new, "source": self.source, "sure": self.sure}


@dataclass(slots=True)
class Found:
    """What the sources said about one paper."""

    arxiv: Paper | None = None
    dblp: Record | None = None
    crossref: Paper | None = None
    s2: s2.Record | None = None
    journal_ref: str = ""  # where arXiv says the paper was published, as its authors wrote it
    comment: str = ""  # the authors' arXiv comment ("Accepted at ICLR 2024")


@dataclass(frozen=True, slots=True)
class Claim:
    """One source's word on where a preprint was published, the venue written the list's way."""

    source: str
    venue: str
    year: int | None
    url: str = ""
    of_record: bool = False  # DBLP's record, S2 naming one, Crossref's record of the DOI

    def describe(self) -> str:
        """``ICML 2024 (Semantic Scholar)``, for a conflict's options."""
        year = f" {self.year}" if self.year and str(self.year) not in self.venue else ""
        return f"{self.venue}{year} ({self.source})"


@dataclass(slots=True)
class Decision:
    """The claims about one preprint: a venue they agree on, or a conflict."""

    claims: list[Claim] = field(default_factory=list)

    @property
    def venues(self) -> list[str]:
        """The distinct venues claimed, first claimed first."""
        return list(dict.fromkeys(c.venue for c in self.claims))

    @property
    def conflict(self) -> bool:
        """Whether the sources name different venues."""
        return len(self.venues) > 1

    @property
    def sure(self) -> bool:
        """One venue, and two sources agree on it or one source of record states it."""
        families = {c.source.split()[0] for c in self.claims}
        return not self.conflict and (len(families) > 1 or any(c.of_record for c in self.claims))

    def published(self) -> Published | None:
        """The venue agreed on (None when none is claimed, or they conflict)."""
        if not self.claims or self.conflict:
            return None
        ranked = sorted(self.claims, key=lambda c: (not c.of_record, c.year is None))
        url = next((c.url for c in ranked if c.url), "")
        source = " + ".join(dict.fromkeys(c.source for c in self.claims))
        return Published(source, ranked[0].venue, ranked[0].year, url, self.sure)


def wants_dblp(paper: Paper) -> bool:
    """Whether DBLP is asked about a paper: it is known only as a preprint."""
    return is_preprint_paper(paper)


def propose(paper: Paper, found: Found, table: VenueTable, wanted: frozenset[str]) -> list[Change]:
    """The changes the sources support for ``paper``: pure, the curator's rules.

    A pinned field, or one not in ``wanted``, is never proposed; the key never
    changes; the arXiv id stays when a venue is added.
    """
    open_fields = wanted - set(paper.pinned)
    pub = published(paper, found, table) if open_fields & PUBLISHED_FIELDS else None
    pub_sure = pub.sure if pub is not None else None
    changes: list[Change] = []
    for name in FIELDS:
        if name not in open_fields:
            continue
        # The best source with a value decides, even when it agrees with the record.
        for source, new in _offers(name, paper, found, table):
            if new in (None, "", []):
                continue
            if new != getattr(paper, name):
                sure = not (name in PUBLISHED_FIELDS and pub_sure is False)
                changes.append(Change(name, getattr(paper, name), new, source, sure))
            break
    return changes


def _offers(name: str, paper: Paper, found: Found, table: VenueTable) -> list[tuple[str, Any]]:
    """What each source offers for field ``name``, best source first."""
    ax, cr, rec, sch = found.arxiv, found.crossref, found.dblp, found.s2
    if name == "title":
        return [(s, recase(paper.title, t)) for s, t in _titles(ax, rec, cr, sch)]
    if name == "authors":
        lists = (("arXiv", ax.authors if ax else []), ("Crossref", cr.authors if cr else []),
                 ("DBLP", list(rec.authors) if rec else []), ("Semantic Scholar", list(sch.authors) if sch else []))
        return [(s, full_authors(paper.authors, names)) for s, names in lists if names]
    if name == "abstract":
        abstracts = (("arXiv", ax.abstract if ax else ""), ("Crossref", cr.abstract if cr else ""),
                     ("Semantic Scholar", sch.abstract if sch else ""))
        return [] if paper.abstract else [(s, a) for s, a in abstracts if a]
    pub = published(paper, found, table)
    if name == "doi":
        if paper.doi and not paper.doi.startswith(ARXIV_DOI_PREFIX):
            return []  # the curator's DOI stays
        dblp_doi = rec.doi if pub and pub.sure and rec and pub.source.startswith("DBLP") else ""
        s2_doi = sch.doi if pub and pub.sure and sch and sch.dblp_published else ""
        dois = (("DBLP", dblp_doi), ("Semantic Scholar", s2_doi), ("arXiv", ax.doi if ax else ""))
        return [(s, d) for s, d in dois if d and not d.startswith(ARXIV_DOI_PREFIX)]
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
    sure: bool = True


def published(paper: Paper, found: Found, table: VenueTable) -> Published | None:
    """The published version of a preprint the sources agree on (see ``decide``), or None."""
    return decide(paper, found, table).published()


def decide(paper: Paper, found: Found, table: VenueTable) -> Decision:
    """Every source's claim on where ``paper`` (a preprint) was published.

    Only a venue the venue table knows counts, so the venue is written in
    the list's style; a paper whose venue is already published has no claims.
    """
    return Decision(claims(paper, found, table) if wants_dblp(paper) else [])


def claims(paper: Paper, found: Found, table: VenueTable) -> list[Claim]:
    """What each source says about where ``paper`` appeared, sources of record first."""
    out: list[Claim] = []
    rec, sch, cr = found.dblp, found.s2, found.crossref
    if rec is not None:
        venue = table.write(rec.venue, rec.year)
        if venue:
            out.append(Claim("DBLP", venue, rec.year, rec.url, of_record=True))
    if cr is not None and paper.doi and not paper.doi.startswith(ARXIV_DOI_PREFIX) and not is_preprint(cr.venue):
        out.append(Claim("Crossref", cr.venue, cr.year, of_record=True))
    if sch is not None:
        year = sch.dblp_year or sch.year
        venue = read_venue(table, [sch.venue, *sch.venue_names], year)
        if venue:
            source = f"Semantic Scholar (DBLP {sch.dblp})" if sch.dblp_published else "Semantic Scholar"
            out.append(Claim(source, venue, year, of_record=sch.dblp_published))
    for source, text in (("arXiv journal_ref", found.journal_ref), ("arXiv comment", found.comment)):
        reference = _reference(table, text)
        if reference is not None:
            out.append(Claim(source, table.write(*reference) or "", reference[1]))
    return out


# A comment is several remarks: "20 pages, 5 figures. Accepted at ICLR 2024; code at ...".
_REMARKS_RE = re.compile(r"[.;|]\s+|\n|,\s+(?=(?:accepted|published|to appear)\b)", re.IGNORECASE)


def _reference(table: VenueTable, text: str) -> tuple[str, int] | None:
    """The venue and year a journal_ref or comment names, trying each remark of it."""
    for remark in _REMARKS_RE.split(text) if text else []:
        reference = table.read_reference(remark)
        if reference is not None:
            return reference
    return None


def read_venue(table: VenueTable, names: list[str], year: int | None) -> str | None:
    """A venue as the list writes it, from a service's names for it (None: not in the table, or a preprint).

    The venue table decides (``lclm.venues.VenueTable.read``), as it does for `stats` and BibTeX.
    """
    return table.read(names, year)


def _titles(ax: Paper | None, rec: Record | None, cr: Paper | None, sch: s2.Record | None) -> list[tuple[str, str]]:
    offers = [("arXiv", ax.title if ax else ""), ("DBLP", rec.title if rec else ""), ("Crossref", cr.title if cr else ""),
              ("Semantic Scholar", sch.title if sch else "")]
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
