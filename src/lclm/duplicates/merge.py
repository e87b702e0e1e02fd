"""Merging a group of duplicate records into one.

Pure except ``commit``, which writes through the store transaction.

The kept record keeps its title and place, and its key unless that is a
letter-suffixed copy of another record's key (then it takes that key back);
every removed key goes to its ``ids``.  Its empty fields are filled
from the others, a published venue wins over an arXiv preprint, the arXiv id
and the DOI both survive, tags and ``distinct`` marks are united, and every
``distinct`` mark naming a removed record is turned to the kept one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lclm.duplicates.profile import paper_identities
from lclm.keys import KEY_RE
from lclm.model import FIELDS, OTHERS, Paper
from lclm.errors import StoreError
from lclm.store.layout import Store
from lclm.venues import is_preprint  # the one rule; lclm stats and refresh use it too

NOTE_JOIN = "; "


@dataclass(slots=True)
class Merge:
    """One group merged: the record as it now is, what was filled, what went."""

    kept: Paper
    filled: list[str]
    removed: list[Paper]
    sources: list[str]  # keys of the records fields were taken from


def completeness(paper: Paper) -> tuple[int, int, int]:
    """How complete a record is, for ``--yes``: filled fields, a published venue, authors."""
    filled = sum(bool(getattr(paper, name)) for name in FIELDS if name not in ("key", "title", "year"))
    ids = paper_identities(paper)
    filled += ("arxiv" in ids and not paper.arxiv) + ("doi" in ids and not paper.doi)
    published = bool(paper.venue) and not is_preprint(paper.venue)
    people = len([a for a in paper.authors if a != OTHERS])
    return filled, published, people


def most_complete(papers: Sequence[Paper]) -> int:
    """Index of the most complete record (the first of equals)."""
    best = max(completeness(p) for p in papers)
    return next(n for n, p in enumerate(papers) if completeness(p) == best)


# ---------------------------------------------------------------- field rules


def _fill(kept: Paper, others: list[Paper], name: str) -> str:
    """Take an empty field from the first record that has it."""
    if getattr(kept, name):
        return ""
    source = next((p for p in others if getattr(p, name)), None)
    if source is None:
        return ""
    setattr(kept, name, _copy(getattr(source, name)))
    return source.key


def _venue(kept: Paper, others: list[Paper], name: str) -> str:
    """A published venue (with its year) beats a preprint or nothing."""
    if kept.venue and not is_preprint(kept.venue):
        return ""
    source = next((p for p in others if p.venue and not is_preprint(p.venue)), None)
    if source is not None:
        kept.venue, kept.year = source.venue, source.year
        return source.key
    return _fill(kept, others, "venue")


def _arxiv(kept: Paper, others: list[Paper], name: str) -> str:
    """Keep an arXiv id that only another record carries (in a field, URL or DOI)."""
    if "arxiv" in paper_identities(kept):
        return ""
    return _take_identity(kept, others, "arxiv")


def _doi(kept: Paper, others: list[Paper], name: str) -> str:
    """Keep a DOI that only another record carries; a published DOI replaces an arXiv one."""
    if "doi" in paper_identities(kept):
        return ""
    if kept.doi and not kept.arxiv:  # an arXiv DOI about to go: its id stays
        kept.arxiv = paper_identities(kept).get("arxiv", "")
    return _take_identity(kept, others, "doi")


def _take_identity(kept: Paper, others: list[Paper], kind: str) -> str:
    for other in others:
        value = paper_identities(other).get(kind)
        if value:
            setattr(kept, kind, value)
            return other.key
    return ""


def _union(kept: Paper, others: list[Paper], name: str) -> str:
    values: list[str] = list(getattr(kept, name))
    source = ""
    for other in others:
        for value in getattr(other, name):
            if value not in values:
                values.append(value)
                source = source or other.key
    setattr(kept, name, values)
    return source


def _distinct(kept: Paper, others: list[Paper], name: str) -> str:
    """United marks, less those naming the group's own records."""
    group = {kept.key, *kept.ids, *(p.key for p in others)}
    source = _union(kept, others, name)
    kept.distinct = [k for k in kept.distinct if k not in group]
    return source


def _note(kept: Paper, others: list[Paper], name: str) -> str:
    """Notes are what a curator wrote: keep every different one."""
    notes = [kept.note] if kept.note else []
    source = ""
    for other in others:
        if other.note and other.note not in notes:
            notes.append(other.note)
            source = source or other.key
    kept.note = NOTE_JOIN.join(notes)
    return source


def _extra(kept: Paper, others: list[Paper], name: str) -> str:
    """Fields lclm does not know are kept too: the first value of each wins."""
    source = ""
    for other in others:
        for field_name, value in other.extra.items():
            if field_name not in kept.extra:
                kept.extra[field_name] = _copy(value)
                source = source or other.key
    return source


# Field -> how the kept record gets it; key, title and place are the kept record's.
RULES: dict[str, Callable[[Paper, list[Paper], str], str]] = {
    "authors": _fill,
    "venue": _venue,
    "url": _fill,
    "arxiv": _arxiv,
    "doi": _doi,
    "aka": _union,
    "code": _fill,
    "tags": _union,
    "note": _note,
    "pinned": _union,
    "distinct": _distinct,
    "abstract": _fill,
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


def _former_keys(merged: Paper, kept: Paper, others: list[Paper], name: str) -> str:
    """Every key the group's records had, or were cited by before, but the one kept: biblatex's ``ids``."""
    keys = [*kept.ids, *(k for p in others for k in (p.key, *p.ids)), kept.key]
    former = [k for n, k in enumerate(keys) if k and k != merged.key and k not in keys[:n]]
    merged.ids = former
    return others[0].key if others and former != kept.ids else ""


def merge_papers(kept: Paper, others: list[Paper]) -> Merge:
    """``kept`` with its empty fields filled from ``others`` (which are not changed).

    The merged record keeps ``original_key`` and lists every other key of
    the group in ``ids``, so drafts citing any of them still resolve.
    """
    merged = dataclasses.replace(
        kept, key=original_key(kept, others), authors=list(kept.authors), aka=list(kept.aka), tags=list(kept.tags),
        pinned=list(kept.pinned), distinct=list(kept.distinct), ids=list(kept.ids), extra=dict(kept.extra),
    )
    _former_keys(merged, kept, others, "ids")
    filled: list[str] = []
    sources: list[str] = []
    for name, rule in RULES.items():
        before = merged.to_dict()
        source = rule(merged, others, name)
        after = merged.to_dict()
        filled += [n for n in after if after[n] != before.get(n) and n not in filled]
        if source and source not in sources:
            sources.append(source)
    return Merge(merged, filled, list(others), sources)


def apply_merges(store: Store, plans: Sequence[tuple[int, Sequence[int]]]) -> tuple[list[Merge], set[str]]:
    """Merge each ``(kept index, other indices)`` of ``store.papers`` in place.

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


def commit(store: Store, plans: Sequence[tuple[int, Sequence[int]]]) -> tuple[list[Merge], set[str]]:
    """Apply ``plans`` (made on ``store``) to the store on disk, in one store transaction.

    The store is reloaded under the lock; if it changed since ``store`` was
    loaded, nothing is written.  The touched categories and the READMEs are
    written as one change.
    """
    from lclm.store.transaction import transaction

    with transaction(store.root) as tx:
        if snapshot(tx.store) != snapshot(store):
            raise StoreError(f"{store.root}: the store changed while dedupe ran; nothing merged, run it again")
        merges, touched = apply_merges(tx.store, plans)
        for slug in touched:
            tx.touch(slug)
    return merges, touched
