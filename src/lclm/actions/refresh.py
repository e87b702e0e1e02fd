"""Refresh: check papers against their sources of record and propose changes.

Three steps, so each can be tested alone:

- ``gather`` asks the sources (``lclm.sources.registry``) about the
  selected papers: arXiv and Semantic Scholar for those with an arXiv id or
  DOI (batched: the whole list in a handful of requests), DBLP for the
  published version of preprints the two did not settle, Crossref for those
  with a DOI.  Answers are cached per id, so a run that was cut off asks
  again only for what it lacks; a source that fails, or answers with a
  bot-check page, stops being asked, and the papers it left unchecked are
  reported once, with why.
- ``propose`` (``lclm.actions.refresh_rules``) turns what the sources said
  into changes, ``field: old -> new (sources)``, each sure or not by the
  decision rule there: pure, the curator's rules in one place.
- ``apply`` writes accepted proposals through the store transaction, each
  change only if the field still holds what was shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lclm.actions.refresh_rules import (
    ARXIV_DOI_PREFIX,
    FIELDS,
    Change,
    Claim,
    Found,
    decide,
    propose,
    published,
    wants_dblp,
)
from lclm.errors import UsageError
from lclm.model import Paper
from lclm.venues import VenueTable, is_preprint

# The abstract is asked for by name: filling hundreds of them is a change of its own.
DEFAULT_FIELDS = ("title", "authors", "venue", "year", "doi", "url")

Progress = Callable[[str, int, int], None]  # (source, papers just settled, papers to ask it about)


@dataclass(slots=True)
class Proposal:
    """The changes proposed for one paper."""

    paper: Paper
    changes: list[Change]
    evidence: list[Claim] = field(default_factory=list)  # every source's word on where it appeared

    @property
    def key(self) -> str:
        """The paper's key (never changed)."""
        return self.paper.key

    @property
    def sure(self) -> list[Change]:
        """The changes ``--yes`` applies: those the decision rule settles."""
        return [c for c in self.changes if c.sure]


@dataclass(slots=True)
class Conflict:
    """Sources naming different venues for one preprint: shown, left to the curator."""

    paper: Paper
    claims: list[Claim]


@dataclass(slots=True)
class Unchecked:
    """Papers a source could not be asked about, and why (one line per cause)."""

    source: str
    reason: str
    keys: list[str] = field(default_factory=list)
    skipped: bool = False  # the source answered with a bot-check page and was asked no more


@dataclass(slots=True)
class Plan:
    """The outcome of checking: proposals, and what could not be checked."""

    root: Path
    checked: int
    proposals: list[Proposal] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
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
                    "changes": [c.to_data() for c in p.changes],
                    "evidence": [_claim_data(c) for c in p.evidence],
                }
                for p in self.proposals
            ],
            "conflicts": [
                {"key": c.paper.key, "category": c.paper.category, "venue": c.paper.venue,
                 "evidence": [_claim_data(claim) for claim in c.claims]}
                for c in self.conflicts
            ],
            "unchecked": [{"source": u.source, "reason": u.reason, "keys": u.keys, "skipped": u.skipped}
                          for u in self.unchecked],
            "unknown_venues": self.unknown_venues,
            "journal_refs": self.references,
            "counts": self.counts(),
        }


def _claim_data(claim: Claim) -> dict[str, Any]:
    return {"source": claim.source, "venue": claim.venue, "year": claim.year, "of_record": claim.of_record}


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
    from lclm.formats.selection import select_papers
    from lclm.store.venue_file import load_table

    wanted = parse_fields(fields)
    papers = select_papers(root, category=category, query=query, keys=keys)
    table = load_table(root)
    plan = Plan(root, len(papers))
    found = gather(plan, papers, table, wanted, refresh, progress or (lambda _s, _n, _t: None))
    for paper in papers:
        what = found.get(paper.key, Found())
        changes = propose(paper, what, table, wanted)
        decision = decide(paper, what, table)
        if changes:
            plan.proposals.append(Proposal(paper, changes, decision.claims))
        if decision.conflict and "venue" in wanted and "venue" not in paper.pinned:
            plan.conflicts.append(Conflict(paper, decision.claims))
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
    """Ask each source about the papers it can help with; fill ``plan``'s bookkeeping.

    arXiv and Semantic Scholar first (batched: a few requests for the whole
    list); DBLP, one request per title, only for preprints those two did not
    already place at a venue for sure; Crossref for papers with a DOI.
    """
    from lclm.sources.registry import SOURCES

    found = {p.key: Found() for p in papers}
    asks = (("arXiv", _ask_arxiv), ("Semantic Scholar", _ask_s2), ("DBLP", _ask_dblp), ("Crossref", _ask_crossref))
    for name, asker in asks:
        if wanted & SOURCES[name].fields:
            asker(plan, papers, found, table, wanted, refresh, progress)
    return found


def _ask_arxiv(plan: Plan, papers: list[Paper], found: dict[str, Found], _table: VenueTable,
               _wanted: frozenset[str], refresh: bool, progress: Progress) -> None:
    from lclm.sources import arxiv

    papers = [p for p in papers if p.arxiv]
    if not papers:
        return
    idents = list(dict.fromkeys(p.arxiv for p in papers))  # a list may hold one id twice
    progress("arXiv", 0, len(idents))
    batch = arxiv.fetch_batch(idents, refresh=refresh, progress=lambda n: progress("arXiv", n, len(idents)))
    plan.requests["arXiv"] = batch.requests
    for paper in papers:
        if paper.arxiv in batch.papers:
            what = found[paper.key]
            what.arxiv = batch.papers[paper.arxiv]
            what.journal_ref = batch.journal_refs.get(paper.arxiv, "")
            what.comment = batch.comments.get(paper.arxiv, "")
        elif paper.arxiv in batch.failed:
            _unchecked(plan, "arXiv", batch.failed[paper.arxiv], paper.key)
        else:
            _unchecked(plan, "arXiv", "arXiv has no paper with this id", paper.key)


def _ask_s2(plan: Plan, papers: list[Paper], found: dict[str, Found], _table: VenueTable,
            _wanted: frozenset[str], refresh: bool, progress: Progress) -> None:
    from lclm.sources import s2

    ids = {p.key: s2.paper_id(p.arxiv, p.doi) for p in papers}
    asked = [p for p in papers if ids[p.key]]
    if not asked:
        return
    total = len({ids[p.key] for p in asked})
    progress("Semantic Scholar", 0, total)
    answers = s2.fetch([ids[p.key] for p in asked], refresh=refresh,
                       progress=lambda n: progress("Semantic Scholar", n, total))
    plan.requests["Semantic Scholar"] = answers.requests
    for paper in asked:
        ident = ids[paper.key]
        if ident in answers.found:
            found[paper.key].s2 = answers.found[ident]
        elif ident in answers.failed:
            _unchecked(plan, "Semantic Scholar", answers.failed[ident], paper.key, skipped=answers.bot_check)
        # An id S2 does not know is no problem of the record: most new preprints are there within days.


def _ask_dblp(plan: Plan, papers: list[Paper], found: dict[str, Found], table: VenueTable,
              wanted: frozenset[str], refresh: bool, progress: Progress) -> None:
    from lclm.sources import dblp

    # DBLP is one request per title: asked only where the batched sources left a preprint's venue open.
    papers = [p for p in papers if wants_dblp(p) and not _placed(p, found[p.key], table, wanted)]
    if not papers:
        return
    total = len(papers)
    progress("DBLP", 0, total)
    answers = dblp.fetch([p.title for p in papers], refresh=refresh, progress=lambda n: progress("DBLP", n, total))
    plan.requests["DBLP"] = answers.requests
    for paper in papers:
        if paper.title in answers.failed:
            _unchecked(plan, "DBLP", answers.failed[paper.title], paper.key, skipped=answers.bot_check)
            continue
        record = dblp.published_version(paper, answers.found.get(paper.title, []))
        if record is not None:
            found[paper.key].dblp = record
            if table.write(record.venue, record.year) is None:
                plan.unknown_venues.setdefault(record.venue, []).append(paper.key)


def _placed(paper: Paper, what: Found, table: VenueTable, wanted: frozenset[str]) -> bool:
    """Whether the batched sources settled where ``paper`` appeared, so DBLP need not be asked.

    DBLP is one request a second per title (7 minutes for this list's
    preprints): a preprint the batched sources placed for sure keeps its
    arXiv link rather than wait for DBLP's published URL.
    """
    if wanted & {"venue", "year", "url", "doi"}:
        pub = published(paper, what, table)
        return pub is not None and pub.sure
    return True  # title and authors come from arXiv and S2 as well


def _ask_crossref(plan: Plan, papers: list[Paper], found: dict[str, Found], _table: VenueTable,
                  _wanted: frozenset[str], refresh: bool, progress: Progress) -> None:
    from lclm.sources import crossref

    papers = [p for p in papers if p.doi and not p.doi.startswith(ARXIV_DOI_PREFIX)]
    if not papers:
        return
    dois = list(dict.fromkeys(p.doi for p in papers))
    progress("Crossref", 0, len(dois))
    answers = crossref.fetch(dois, {p.doi: p.year for p in papers}, refresh=refresh,
                             progress=lambda n: progress("Crossref", n, len(dois)))
    plan.requests["Crossref"] = answers.requests
    for paper in papers:
        if paper.doi in answers.found:
            found[paper.key].crossref = answers.found[paper.doi]
        elif paper.doi in answers.failed:
            _unchecked(plan, "Crossref", answers.failed[paper.doi], paper.key, skipped=answers.bot_check)
        else:
            _unchecked(plan, "Crossref", "Crossref has no record of this DOI (HTTP 404)", paper.key)


def _unchecked(plan: Plan, source: str, reason: str, key: str, *, skipped: bool = False) -> None:
    reason = reason.removeprefix(f"{source}: ")  # the report names the source itself
    for entry in plan.unchecked:
        if entry.source == source and entry.reason == reason:
            entry.keys.append(key)
            return
    plan.unchecked.append(Unchecked(source, reason, [key], skipped))


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
