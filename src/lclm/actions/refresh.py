"""Refresh: check papers against their sources of record and propose changes.

Three steps, so each can be tested alone:

- ``gather`` asks the sources about the selected papers: arXiv for those
  with an arXiv id (in batches), DBLP for the published version of those
  known only as preprints, Crossref for those with a DOI.
  Answers are cached for a week, so a run that was cut off asks again only
  for what it lacks; a source that fails stops being asked, and the papers
  it left unchecked are reported once, with why.
- ``propose`` (``lclm.actions.refresh_rules``) turns what the sources said
  into changes, ``field: old -> new (source)``: pure, the curator's rules in
  one place.
- ``apply`` writes accepted proposals through the store transaction, each
  change only if the field still holds what was shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from lclm.actions.refresh_rules import (
    ARXIV_DOI_PREFIX,
    FIELDS,
    Change,
    Found,
    propose,
    published,
    wants_dblp,
)
from lclm.errors import FetchError, UsageError
from lclm.model import Paper
from lclm.venues import VenueTable, is_preprint

# The abstract is asked for by name: filling hundreds of them is a change of its own.
DEFAULT_FIELDS = ("title", "authors", "venue", "year", "doi", "url")
# Which fields each source can be asked for, so a source is asked only when it can help.
SOURCE_FIELDS = {
    "arXiv": frozenset({"title", "authors", "doi", "abstract"}),
    "DBLP": frozenset({"title", "authors", "venue", "year", "doi", "url"}),
    "Crossref": frozenset({"title", "authors", "abstract"}),
}

Progress = Callable[[str, int, int], None]  # (source, papers just settled, papers to ask it about)
T = TypeVar("T")


@dataclass(slots=True)
class Proposal:
    """The changes proposed for one paper."""

    paper: Paper
    changes: list[Change]

    @property
    def key(self) -> str:
        """The paper's key (never changed)."""
        return self.paper.key


@dataclass(slots=True)
class Unchecked:
    """Papers a source could not be asked about, and why (one line per cause)."""

    source: str
    reason: str
    keys: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Plan:
    """The outcome of checking: proposals, and what could not be checked."""

    root: Path
    checked: int
    proposals: list[Proposal] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)
    # DBLP venues the venue table does not know -> the keys they were found for.
    unknown_venues: dict[str, list[str]] = field(default_factory=dict)
    # Preprints arXiv says were published, in words the venue table cannot read: key -> journal_ref.
    references: dict[str, str] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)

    def counts(self, proposals: Sequence[Proposal] | None = None) -> dict[str, int]:
        """How many papers would be upgraded, retitled, given full authors..."""
        chosen = self.proposals if proposals is None else proposals

        def having(test: Callable[[Change], bool]) -> int:
            return sum(any(test(c) for c in p.changes) for p in chosen)

        return {
            "checked": self.checked,
            "changed": len(chosen),
            "upgraded": having(lambda c: c.field == "venue" and is_preprint(c.old or "arxiv")),
            "retitled": having(lambda c: c.field == "title"),
            "full_authors": having(lambda c: c.field == "authors"),
            "unchecked": len({k for u in self.unchecked for k in u.keys}),
        }

    def to_data(self) -> dict[str, Any]:
        """The plan as plain data, for ``--json``."""
        return {
            "proposals": [
                {
                    "key": p.key,
                    "category": p.paper.category,
                    "changes": [{"field": c.field, "old": c.old, "new": c.new, "source": c.source} for c in p.changes],
                }
                for p in self.proposals
            ],
            "unchecked": [{"source": u.source, "reason": u.reason, "keys": u.keys} for u in self.unchecked],
            "unknown_venues": self.unknown_venues,
            "journal_refs": self.references,
            "counts": self.counts(),
        }


# ---------------------------------------------------------------- checking


def check(
    root: Path,
    *,
    category: str | None = None,
    query: str | None = None,
    keys: Iterable[str] | None = None,
    fields: Iterable[str] = DEFAULT_FIELDS,
    refresh: bool = False,
    progress: Progress | None = None,
) -> Plan:
    """Check the selected papers of the store at ``root``; nothing is written."""
    from lclm.formats.selection import select
    from lclm.store.load import load_store
    from lclm.venues import load_table

    wanted = parse_fields(fields)
    store = load_store(root)
    selection = select(store, category=category, query=query, keys=list(keys) if keys is not None else None)
    if selection.missing:
        miss = selection.missing[0]
        hint = f" (did you mean {', '.join(miss.suggestions)}?)" if miss.suggestions else ""
        raise UsageError(f"--keys: no paper with key {miss.key!r}{hint}")
    papers = selection.papers
    table = load_table(root)
    plan = Plan(root, len(papers))
    found = gather(plan, papers, table, wanted, refresh, progress or (lambda _s, _n, _t: None))
    for paper in papers:
        what = found.get(paper.key, Found())
        changes = propose(paper, what, table, wanted)
        if changes:
            plan.proposals.append(Proposal(paper, changes))
        unread = what.journal_ref and what.dblp is None and published(paper, what, table) is None
        if unread and "venue" in wanted and wants_dblp(paper):
            plan.references[paper.key] = what.journal_ref
    return plan


def parse_fields(fields: Iterable[str]) -> frozenset[str]:
    """The fields asked for; an unknown one is a ``UsageError``."""
    wanted = frozenset(f.strip() for f in fields if f.strip())
    unknown = sorted(wanted - set(FIELDS))
    if unknown or not wanted:
        raise UsageError(f"--fields: unknown field {unknown[0]!r} (choose from {', '.join(FIELDS)})" if unknown
                         else f"--fields: no field given (choose from {', '.join(FIELDS)})")
    return wanted


def gather(
    plan: Plan, papers: list[Paper], table: VenueTable, wanted: frozenset[str], refresh: bool, progress: Progress
) -> dict[str, Found]:
    """Ask each source about the papers it can help with; fill ``plan``'s bookkeeping."""
    found = {p.key: Found() for p in papers}
    if wanted & SOURCE_FIELDS["arXiv"]:
        _ask_arxiv(plan, [p for p in papers if p.arxiv], found, refresh, progress)
    if wanted & SOURCE_FIELDS["DBLP"]:
        _ask_dblp(plan, [p for p in papers if wants_dblp(p)], found, table, refresh, progress)
    if wanted & SOURCE_FIELDS["Crossref"]:
        with_doi = [p for p in papers if p.doi and not p.doi.startswith(ARXIV_DOI_PREFIX)]
        _ask_crossref(plan, with_doi, found, refresh, progress)
    return found


def _ask_arxiv(plan: Plan, papers: list[Paper], found: dict[str, Found], refresh: bool, progress: Progress) -> None:
    from lclm.sources import arxiv

    if not papers:
        return
    idents = list(dict.fromkeys(p.arxiv for p in papers))  # a list may hold one id twice
    progress("arXiv", 0, len(idents))
    batch = arxiv.fetch_batch(idents, refresh=refresh, progress=lambda n: progress("arXiv", n, len(idents)))
    plan.requests["arXiv"] = batch.requests
    for paper in papers:
        if paper.arxiv in batch.papers:
            found[paper.key].arxiv = batch.papers[paper.arxiv]
            found[paper.key].journal_ref = batch.journal_refs.get(paper.arxiv, "")
        elif paper.arxiv in batch.failed:
            _unchecked(plan, "arXiv", batch.failed[paper.arxiv], paper.key)
        else:
            _unchecked(plan, "arXiv", "arXiv has no paper with this id", paper.key)


def _ask_dblp(
    plan: Plan, papers: list[Paper], found: dict[str, Found], table: VenueTable, refresh: bool, progress: Progress
) -> None:
    from lclm.sources import dblp, http

    base = http.service_url("LCLM_DBLP_URL", dblp.DEFAULT_URL) if papers else ""
    total = len(papers)
    progress("DBLP", 0, total)
    for number, paper in enumerate(papers):
        url = dblp.search_url(base, paper.title)
        try:
            records = _lookup(plan, "DBLP", url, dblp.CACHE_SECONDS, refresh, dblp.parse_search)
        except _BadAnswer as exc:
            _unchecked(plan, "DBLP", str(exc), paper.key)
            progress("DBLP", 1, total)
            continue
        except FetchError as exc:
            _give_up(plan, "DBLP", str(exc), papers[number:], progress)
            return
        record = dblp.published_version(paper, records)
        if record is not None:
            found[paper.key].dblp = record
            if table.write(record.venue, record.year) is None:
                plan.unknown_venues.setdefault(record.venue, []).append(paper.key)
        progress("DBLP", 1, total)


def _ask_crossref(plan: Plan, papers: list[Paper], found: dict[str, Found], refresh: bool, progress: Progress) -> None:
    from lclm.sources import crossref, http

    base = http.service_url("LCLM_CROSSREF_URL", crossref.DEFAULT_URL) if papers else ""
    total = len(papers)
    progress("Crossref", 0, total)
    for number, paper in enumerate(papers):
        url = crossref.work_url(base, paper.doi)
        try:
            found[paper.key].crossref = _lookup(
                plan, "Crossref", url, crossref.CACHE_SECONDS, refresh, partial(crossref.parse_work, doi=paper.doi, year=paper.year)
            )
        except _BadAnswer as exc:
            _unchecked(plan, "Crossref", str(exc), paper.key)
        except http.HttpError as exc:
            if exc.status != 404:
                _give_up(plan, "Crossref", str(exc), papers[number:], progress)
                return
            _unchecked(plan, "Crossref", "Crossref has no record of this DOI (HTTP 404)", paper.key)
        except FetchError as exc:
            _give_up(plan, "Crossref", str(exc), papers[number:], progress)
            return
        progress("Crossref", 1, total)


class _BadAnswer(Exception):
    """A service answered, but not with what it should have (one paper unchecked, not the service)."""


def _lookup(plan: Plan, service: str, url: str, max_age: float, refresh: bool, parse: Callable[[bytes], T]) -> T:
    """The parsed answer for ``url``: from the cache when fresh, else asked (and then cached).

    A failed request raises ``FetchError`` (the service is down or refuses);
    an answer that cannot be read raises ``_BadAnswer``.
    """
    from lclm.sources import http

    if not refresh:
        body = http.cached(url, max_age)
        if body is not None:
            try:
                return parse(body)
            except FetchError:
                http.forget(url)
    plan.requests[service] = plan.requests.get(service, 0) + 1
    body = http.get(url, service, gap=http.interval(service))
    try:
        value = parse(body)
    except FetchError as exc:
        raise _BadAnswer(str(exc)) from None
    http.remember(url, body)
    return value


def _unchecked(plan: Plan, source: str, reason: str, key: str) -> None:
    reason = reason.removeprefix(f"{source}: ")  # the report names the source itself
    for entry in plan.unchecked:
        if entry.source == source and entry.reason == reason:
            entry.keys.append(key)
            return
    plan.unchecked.append(Unchecked(source, reason, [key]))


def _give_up(plan: Plan, source: str, reason: str, left: list[Paper], progress: Progress) -> None:
    """A source failed: the papers it did not get to are unchecked, for one reason."""
    for paper in left:
        _unchecked(plan, source, reason, paper.key)
    progress(source, len(left), 0)


# ---------------------------------------------------------------- applying


@dataclass(slots=True)
class Applied:
    """What was written: the proposals applied, changes left out, files written."""

    proposals: list[Proposal] = field(default_factory=list)
    stale: list[tuple[str, Change]] = field(default_factory=list)  # (key, change) changed since shown
    written: list[Path] = field(default_factory=list)


def apply(root: Path, proposals: Sequence[Proposal]) -> Applied:
    """Write ``proposals`` through the store transaction (locked, atomic, READMEs re-rendered).

    The store is reloaded under the lock; a change is made only where the
    field still holds what was shown, and a paper no longer there is left out.
    """
    from lclm.actions.write import transaction

    done = Applied()
    if not proposals:
        return done
    with transaction(root) as tx:
        papers = {p.key: p for p in tx.store.papers}
        for proposal in proposals:
            paper = papers.get(proposal.key)
            if paper is None:
                done.stale += [(proposal.key, c) for c in proposal.changes]
                continue
            made = []
            for change in proposal.changes:
                if getattr(paper, change.field) != change.old:
                    done.stale.append((proposal.key, change))
                    continue
                setattr(paper, change.field, change.new)
                made.append(change)
            if made:
                tx.touch(paper.category)
                done.proposals.append(Proposal(paper, made))
    done.written = list(tx.written)
    return done
