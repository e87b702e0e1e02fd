"""Merging a group of duplicate records into one: the decision, no I/O.

Which record a group keeps (``oldest``): the original, not a later copy.
A record whose key is another member's key with a letter suffix
(``peng2024yarna``, what ``add --force`` makes) or a key another member
already lists among its former keys (``ids``) is a copy; among the rest the
first in store order (the order of ``_sections.yaml``, then the position in
the file) is the original.  The kept record keeps its key (a copy chosen by
hand takes the original key back), its category and its place; every other
key goes to its ``ids``.

Fields (``merge_papers``): what any record knows is kept, and known data is
never replaced with less.  Empty fields are filled from the others; the
longer real author list wins (a list cut short with ``others`` loses to a
full one); the complete, cased title wins over a shorter or lower-cased
one; a published venue (with its year) beats a preprint; the arXiv id and
the DOI both survive; ``aka``, tags, pins and ``distinct`` marks are
united, notes joined.  When two records hold different values for a field
(and neither is merely less), the kept record's value stays and the
``Merge`` names the difference, so the user is told.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lclm.duplicates.profile import comparable_title, paper_identities, surnames
from lclm.ids import normalize_url
from lclm.keys import KEY_RE
from lclm.model import OTHERS, Paper
from lclm.store.layout import Store
from lclm.text import fold
from lclm.venues import is_preprint  # the one rule; lclm stats and refresh use it too

NOTE_JOIN = "; "


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Two records of a group hold different values for one field; the kept record's stays."""

    field: str
    kept: str  # the value kept, as shown to the user
    key: str  # the record whose value was not taken
    other: str  # that value

    def describe(self) -> str:
        """``year: kept 2024, peng2023yarn has 2023``."""
        return f"{self.field}: kept {self.kept}, {self.key} has {self.other}"


@dataclass(slots=True)
class Merge:
    """One group merged: the record as it now is, what was filled, what went, what differed."""

    kept: Paper
    filled: list[str]
    removed: list[Paper]
    sources: list[str]  # keys of the records fields were taken from
    disagreements: list[Disagreement] = field(default_factory=list)


def oldest(papers: Sequence[Paper]) -> int:
    """Index of the original record of a group given in store order (see the module's docstring)."""
    keys = [p.key for p in papers]
    former = {k for p in papers for k in p.ids}

    def age(n: int) -> tuple[bool, bool, int]:
        key = papers[n].key
        copy = any(k and k != key and key.startswith(k) and _letter_suffix(key[len(k):]) for k in keys)
        return copy, key in former, n

    return min(range(len(papers)), key=age)


# ---------------------------------------------------------------- field rules

Rule = Callable[["_Merging", str], None]


@dataclass(slots=True)
class _Merging:
    """The record being built, the records it draws on, and what happened."""

    kept: Paper
    others: list[Paper]
    sources: list[str] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)

    def took(self, source: Paper) -> None:
        if source.key not in self.sources:
            self.sources.append(source.key)

    def differs(self, name: str, other: Paper, shown_kept: object, shown_other: object) -> None:
        self.disagreements.append(Disagreement(name, _show(shown_kept), other.key, _show(shown_other)))


def _show(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    text = str(value)
    return repr(text) if isinstance(value, str) and (" " in text or not text) else text


def _same_text(a: str, b: str) -> bool:
    return " ".join(fold(a).split()) == " ".join(fold(b).split())


def _scalar(m: _Merging, name: str, same: Callable[[str, str], bool] = _same_text) -> None:
    """Fill an empty field from the first record that has it; name a record that holds another value."""
    value = getattr(m.kept, name)
    for other in m.others:
        theirs = getattr(other, name)
        if not theirs:
            continue
        if not value:
            value = theirs
            setattr(m.kept, name, theirs)
            m.took(other)
        elif not same(value, theirs):
            m.differs(name, other, value, theirs)


def _url(m: _Merging, name: str) -> None:
    _scalar(m, name, lambda a, b: normalize_url(a) == normalize_url(b))


def _year(m: _Merging, name: str) -> None:
    for other in m.others:
        if other.year and other.year != m.kept.year:
            m.differs(name, other, m.kept.year, other.year)


def _venue(m: _Merging, name: str) -> None:
    """A published venue (with its year) beats a preprint or nothing; two published venues: the kept one."""
    kept = m.kept
    if not kept.venue or is_preprint(kept.venue):
        source = next((p for p in m.others if p.venue and not is_preprint(p.venue)), None)
        if source is not None:
            kept.venue, kept.year = source.venue, source.year or kept.year
            m.took(source)
    published = kept.venue and not is_preprint(kept.venue)
    for other in m.others:
        if not other.venue:
            continue
        if not kept.venue:
            kept.venue = other.venue
            m.took(other)
        elif published and not is_preprint(other.venue) and not _same_text(kept.venue, other.venue):
            m.differs(name, other, kept.venue, other.venue)


def _year_and_venue(m: _Merging, name: str) -> None:
    """The year goes with the venue it is the year of: a published venue taken brings its year."""
    before = m.kept.year
    _venue(m, "venue")
    if m.kept.year == before:
        _year(m, "year")


def _identity(kind: str) -> Rule:
    def rule(m: _Merging, name: str) -> None:
        kept = m.kept
        mine = paper_identities(kept).get(kind)
        if kind == "doi" and not mine and kept.doi and not kept.arxiv:  # an arXiv DOI about to go: its id stays
            kept.arxiv = paper_identities(kept).get("arxiv", "")
        for other in m.others:
            theirs = paper_identities(other).get(kind)
            if not theirs:
                continue
            if not mine:
                mine = theirs
                setattr(kept, kind, theirs)
                m.took(other)
            elif theirs != mine:
                m.differs(kind, other, mine, theirs)

    return rule


def _author_rank(authors: list[str]) -> tuple[int, bool]:
    """A list's worth: how many real names it holds, then whether it is whole (not cut short with 'others')."""
    return len([a for a in authors if a and a != OTHERS]), OTHERS not in authors


def _authors(m: _Merging, name: str) -> None:
    """The longer real list of the same people wins; a list naming other people is a disagreement."""
    kept = m.kept
    for other in m.others:
        if not other.authors:
            continue
        mine, theirs = surnames(kept.authors), surnames(other.authors)
        if _author_rank(other.authors) > _author_rank(kept.authors) and mine <= theirs:
            kept.authors = list(other.authors)
            m.took(other)
        elif not (theirs <= mine or mine <= theirs):
            m.differs(name, other, kept.authors, other.authors)


def title_rank(title: str) -> tuple[int, bool, int, bool]:
    """How good a title is as written: complete (words), cased (not all lower or all upper), capitals, no final period."""
    text = title.strip()
    words = text.split()
    cased = text != text.lower() and text != text.upper()
    capitals = sum(1 for w in words if w[:1].isupper())
    return len(comparable_title(text).split()), cased, capitals, not text.endswith(".")


def _title(m: _Merging, name: str) -> None:
    """The complete, cased title of the same words wins; titles of other words: the kept one, named."""
    kept = m.kept
    mine = comparable_title(kept.title)
    for other in m.others:
        theirs = comparable_title(other.title)
        same_words = theirs == mine
        extends = theirs.startswith(mine + " ")  # the kept title, cut short
        if (same_words or extends) and title_rank(other.title) > title_rank(kept.title):
            kept.title = other.title
            mine = comparable_title(other.title)
            m.took(other)
        elif not same_words and not mine.startswith(theirs + " "):
            m.differs(name, other, kept.title, other.title)


def _union(m: _Merging, name: str) -> None:
    values: list[str] = list(getattr(m.kept, name))
    for other in m.others:
        for value in getattr(other, name):
            if value not in values:
                values.append(value)
                m.took(other)
    setattr(m.kept, name, values)


def _distinct(m: _Merging, name: str) -> None:
    """United marks, less those naming the group's own records."""
    group = {m.kept.key, *m.kept.ids, *(p.key for p in m.others)}
    _union(m, name)
    m.kept.distinct = [k for k in m.kept.distinct if k not in group]


def _note(m: _Merging, name: str) -> None:
    """Notes are what a curator wrote: keep every different one."""
    notes = [m.kept.note] if m.kept.note else []
    for other in m.others:
        if other.note and other.note not in notes:
            notes.append(other.note)
            m.took(other)
    m.kept.note = NOTE_JOIN.join(notes)


def _abstract(m: _Merging, name: str) -> None:
    """An abstract for a record without one; a cut-off abstract loses to the whole it starts."""
    for other in m.others:
        cut = m.kept.abstract.strip().rstrip(".…").strip()
        if other.abstract and len(other.abstract) > len(m.kept.abstract) and other.abstract.startswith(cut):
            m.kept.abstract = other.abstract
            m.took(other)


def _extra(m: _Merging, name: str) -> None:
    """Fields lclm does not know are kept too: the kept record's value, else the first other's."""
    for other in m.others:
        for field_name, value in other.extra.items():
            if field_name not in m.kept.extra:
                m.kept.extra[field_name] = _copy(value)
                m.took(other)
            elif m.kept.extra[field_name] != value:
                m.differs(field_name, other, m.kept.extra[field_name], value)


# Field -> how the kept record gets it; key, category and place are the kept record's.
RULES: dict[str, Rule] = {
    "title": _title,
    "authors": _authors,
    "year": _year_and_venue,
    "url": _url,
    "arxiv": _identity("arxiv"),
    "doi": _identity("doi"),
    "aka": _union,
    "code": _url,
    "tags": _union,
    "note": _note,
    "pinned": _union,
    "distinct": _distinct,
    "abstract": _abstract,
    "extra": _extra,
}


def _copy(value: object) -> object:
    return list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else value


def original_key(kept: Paper, others: Sequence[Paper]) -> str:
    """The key the merged record keeps: the kept record's, or the one it was made from.

    A record added again gets its first copy's key with a letter suffix
    (``ding2024longropea``); merged, it takes back the key without it, the
    one drafts cite.
    """
    bases = [p.key for p in others if p.key and kept.key.startswith(p.key) and _letter_suffix(kept.key[len(p.key):])]
    return min(bases, key=len) if bases and KEY_RE.match(min(bases, key=len)) else kept.key


def _letter_suffix(text: str) -> bool:
    """Whether ``text`` is a suffix ``lclm.keys.make_key`` adds to a taken key (a, b, ..., aa, ab)."""
    return 1 <= len(text) <= 2 and text.isascii() and text.isalpha() and text.islower()


def _former_keys(merged: Paper, kept: Paper, others: list[Paper]) -> None:
    """Every key the group's records had, or were cited by before, but the one kept: biblatex's ``ids``."""
    keys = [*kept.ids, *(k for p in others for k in (p.key, *p.ids)), kept.key]
    merged.ids = [k for n, k in enumerate(keys) if k and k != merged.key and k not in keys[:n]]


def merge_papers(kept: Paper, others: list[Paper]) -> Merge:
    """``kept`` with what ``others`` know added (the records given are not changed).

    The merged record keeps ``original_key`` and lists every other key of
    the group in ``ids``, so drafts citing any of them still resolve.
    """
    merged = dataclasses.replace(
        kept, key=original_key(kept, others), authors=list(kept.authors), aka=list(kept.aka), tags=list(kept.tags),
        pinned=list(kept.pinned), distinct=list(kept.distinct), ids=list(kept.ids), extra=dict(kept.extra),
    )
    _former_keys(merged, kept, others)
    m = _Merging(merged, list(others))
    if merged.ids != kept.ids and others:
        m.took(others[0])
    for name, rule in RULES.items():
        rule(m, name)
    before, after = kept.to_dict(), merged.to_dict()
    filled = [n for n in after if after[n] != before.get(n) and n not in ("key", "ids")]
    return Merge(merged, filled, list(others), m.sources, m.disagreements)


def apply_merges(store: Store, plans: Sequence[tuple[int, Sequence[int]]]) -> tuple[list[Merge], set[str]]:
    """Merge each ``(kept index, other indices)`` of ``store.papers`` in place (in memory only).

    Returns the merges and the slugs of every category whose file must be
    rewritten.
    """
    merges: list[Merge] = []
    touched: set[str] = set()
    gone: set[int] = set()
    renamed: dict[str, str] = {}
    for kept_at, other_at in plans:
        kept, others = store.papers[kept_at], [store.papers[i] for i in other_at]
        merge = merge_papers(kept, others)
        store.papers[kept_at] = merge.kept
        merges.append(merge)
        gone.update(other_at)
        touched.update(p.category for p in others)
        touched.add(kept.category)  # its ids list the removed keys
        renamed.update((p.key, merge.kept.key) for p in [kept, *others] if p.key != merge.kept.key)
    for paper in store.papers:
        if any(k in renamed for k in paper.distinct):
            marks = [renamed.get(k, k) for k in paper.distinct]
            paper.distinct = [k for n, k in enumerate(marks) if k != paper.key and k not in marks[:n]]
            touched.add(paper.category)
    store.papers = [p for i, p in enumerate(store.papers) if i not in gone]
    return merges, touched


def snapshot(store: Store) -> list[tuple[str, dict[str, object]]]:
    """What a store holds, to tell whether it changed between two loads."""
    return [(p.category, p.to_dict()) for p in store.papers]
