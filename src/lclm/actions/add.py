"""Add papers: from arXiv ids, DOIs, BibTeX text or fields typed by hand.

``request()`` checks what the user asked for without touching the network;
``add()`` fetches the records, refuses those already in the store, and
appends the rest at the end of one category file, in one store transaction
(under the store lock, against the store as it is then), so two adds at once
both land.  Nothing here prints: the command renders the ``AddReport``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lclm.actions.write import transaction
from lclm.duplicates.identity import ALIKE, CONFLICT, Lookup, Match
from lclm.errors import InputError, UsageError
from lclm.ids import DOI_RE, arxiv_in, normalize_doi, parse_arxiv
from lclm.keys import KEY_RE, make_key
from lclm.model import Paper
from lclm.rules import input_problems, size_problem
from lclm.sources import arxiv, crossref
from lclm.sources.names import clean_names
from lclm.text import collapse_spaces, latex_to_unicode, strip_invisible

# Options that only make sense for a paper typed by hand, with what to say.
HAND_ONLY = {"authors": "--author", "venue": "--venue", "url": "--url"}
# The option each field of a paper typed by hand comes from, for messages.
HAND_OPTIONS = {"title": "--title", "authors": "--author", "year": "--year", "venue": "--venue", "url": "--url", "doi": "--doi"}

Progress = Callable[[str], None]


@dataclass(slots=True)
class Outcome:
    """What became of one thing the user asked to add."""

    source: str
    paper: Paper | None = None
    status: str = "pending"  # pending -> added | skipped | failed
    reason: str = ""
    match: Match | None = None


@dataclass(slots=True)
class Request:
    """What to add, checked: arXiv ids, DOIs, and records already in hand."""

    arxiv: list[str] = field(default_factory=list)
    dois: list[str] = field(default_factory=list)
    ready: list[Outcome] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    note: str = ""
    year: int | None = None


@dataclass(slots=True)
class AddReport:
    """Where each requested paper went, or why it did not."""

    outcomes: list[Outcome]
    root: Path
    dry_run: bool
    # Category names by slug, for messages.
    names: dict[str, str] = field(default_factory=dict)
    # READMEs with the lclm markers re-rendered after the write.
    readmes: list[Path] = field(default_factory=list)

    def having(self, status: str) -> list[Outcome]:
        """The outcomes with one status, in request order."""
        return [o for o in self.outcomes if o.status == status]

    @property
    def exit_code(self) -> int:
        """1 when anything failed, or when nothing at all was added."""
        return 1 if self.having("failed") or not self.having("added") else 0

    def file(self, paper: Paper) -> Path:
        """The category file of a paper of the store or one placed by this add."""
        return self.root / f"{paper.category}.yaml"

    def where(self, paper: Paper) -> str:
        """``papers/x.yaml:LINE`` for a paper of the store or one placed by this add."""
        return f"{self.file(paper)}:{paper.line}"

    def why_skipped(self, outcome: Outcome) -> str:
        """The reason a paper was not added, naming the record it duplicates."""
        match = outcome.match
        if match is None:
            return f"skipped: {outcome.reason}"
        found = match.paper
        place = f"{found.key} at {self.where(found)} in {self.names.get(found.category, found.category)!r}"
        if match.kind == ALIKE:
            return f"looks like {place} ({match.describe()}); if it is another paper, --force adds it marked distinct"
        if match.kind == CONFLICT:
            return f"shares an identifier with {place} ({match.describe()}); --force adds it anyway"
        return f"already in the list as {place} ({match.describe()}); --force adds it anyway"

    def to_data(self) -> dict[str, Any]:
        """The report as plain data, for ``--json``."""

        def place(paper: Paper) -> dict[str, Any]:
            return {"file": str(self.file(paper)), "line": paper.line, "category": self.names.get(paper.category, "")}

        added = [(o, o.paper) for o in self.having("added") if o.paper is not None]
        return {
            "dry_run": self.dry_run,
            "added": [{"source": o.source, **place(p), "record": p.to_dict()} for o, p in added],
            "skipped": [
                {"source": o.source, "reason": o.match.describe() if o.match else o.reason}
                | ({"existing": {"key": o.match.paper.key, **place(o.match.paper)}} if o.match else {})
                for o in self.having("skipped")
            ],
            "failed": [{"source": o.source, "reason": o.reason} for o in self.having("failed")],
        }


# ---------------------------------------------------------------- the request


def request(
    *,
    arxiv_ids: list[str],
    dois: list[str],
    bibtex: tuple[str, str] | None,
    hand: dict[str, Any],
    tags: list[str],
    note: str,
) -> Request:
    """Check what the user asked to add; raise ``UsageError`` for what cannot be done.

    ``bibtex`` is ``(text, source name)``; ``hand`` holds the typed fields
    (title, authors, year, venue, url, and doi when there is a title).
    """
    sources = [bool(arxiv_ids or dois) and not hand.get("title"), bool(bibtex), bool(hand.get("title"))]
    if sum(sources) != 1:
        raise UsageError(
            "give one kind of source: --arxiv/--doi IDs, --bibtex FILE, or --title with its fields"
            if any(sources) else "nothing to add: give --arxiv ID, --doi DOI, --bibtex FILE or --title TITLE"
        )
    req = Request(tags=_tags(tags), note=_clean(note))
    if hand.get("title"):
        if arxiv_ids or len(dois) > 1:
            raise UsageError("--title adds one paper typed by hand; it does not go with --arxiv or several --doi")
        paper = hand_paper(**hand, doi=dois[0] if dois else "")
        req.ready.append(Outcome(f"--title {paper.title!r}", paper))
        return req
    for name, option in HAND_ONLY.items():
        if hand.get(name):
            raise UsageError(f"{option} goes with --title (a paper typed by hand)")
    if hand.get("year") is not None and not dois:
        raise UsageError("--year goes with --title, or with --doi when Crossref has no date")
    req.year = hand.get("year")
    if bibtex:
        req.ready.extend(_from_bibtex(*bibtex))
        return req
    _split_ids(req, arxiv_ids, dois)
    return req


def _split_ids(req: Request, arxiv_ids: list[str], dois: list[str]) -> None:
    """Sort the ids into arXiv and Crossref lookups, once each; bad ones fail here."""
    seen: set[str] = set()
    for text in arxiv_ids:
        parsed = parse_arxiv(text)
        _want(req, seen, text, parsed[0] if parsed else "", req.arxiv, "an arXiv id")
    for text in dois:
        doi = normalize_doi(text)
        parsed = parse_arxiv(doi) if doi.startswith("10.48550/") else None
        if parsed:  # arXiv's own DOIs are not in Crossref
            _want(req, seen, text, parsed[0], req.arxiv, "")
        else:
            _want(req, seen, text, doi if DOI_RE.match(doi) else "", req.dois, "a DOI")


def _want(req: Request, seen: set[str], text: str, ident: str, into: list[str], kind: str) -> None:
    if not ident:
        req.ready.append(Outcome(text, status="failed", reason=f"not {kind}"))
    elif ident not in seen:
        seen.add(ident)
        into.append(ident)


def hand_paper(
    *, title: str, authors: list[str], year: int | None, venue: str, url: str, doi: str
) -> Paper:
    """A paper from typed fields, cleaned and checked (``InputError`` if a field is bad)."""
    if year is None:
        raise UsageError("--year is required with --title")
    url = collapse_spaces(strip_invisible(url))
    doi = normalize_doi(strip_invisible(doi)) if doi else ""
    paper = Paper(key="", title=title, year=year, authors=list(authors), venue=venue, url=url, doi=doi)
    paper.arxiv = arxiv_in(url) if url else ""
    tidy(paper)
    if not paper.title:
        raise InputError("--title: is empty once cleaned")
    for _rule, name, message in input_problems(paper):  # the rules validate applies, refused here
        raise InputError(message, field=HAND_OPTIONS.get(name, name))
    return paper


def tidy(paper: Paper) -> None:
    """Clean a record's text the way the list writes it (in place).

    White space collapsed, invisible characters dropped, LaTeX accents as
    Unicode; the title loses a trailing period (the list adds its own).
    """
    paper.title = _clean(paper.title)
    if paper.title.endswith(".") and not paper.title.endswith(".."):
        paper.title = paper.title[:-1].rstrip()
    paper.authors = clean_names(paper.authors)
    paper.venue = _clean(paper.venue)


def _clean(text: str) -> str:
    return collapse_spaces(latex_to_unicode(strip_invisible(text)))


def _tags(tags: list[str]) -> list[str]:
    out: list[str] = []
    for tag in map(_clean, tags):
        if tag and tag not in out:
            out.append(tag)
    return out


def _from_bibtex(text: str, source: str) -> list[Outcome]:
    from lclm.sources.bibtex import read_entries

    entries, skips = read_entries(text, source)
    outcomes = [Outcome(f"{source}:{p.line}: {p.key}".rstrip(": "), p) for _, p in entries]
    outcomes += [Outcome(skip.where, status="failed" if skip.failed else "skipped", reason=skip.reason) for skip in skips]
    return outcomes


# ---------------------------------------------------------------- fetching


def add(
    root: Path,
    req: Request,
    category: str,
    *,
    force: bool = False,
    dry_run: bool = False,
    refresh: bool = False,
    progress: Progress | None = None,
) -> AddReport:
    """Fetch what ``req`` names and append it to ``category`` (a slug).

    Failures of some ids do not stop the others; each outcome says what
    happened.  With ``dry_run`` nothing is written.
    """
    say = progress or (lambda _message: None)
    outcomes = list(req.ready)
    outcomes += _fetch_arxiv(req.arxiv, refresh, say)
    outcomes += _fetch_dois(req.dois, req.year, refresh, say)
    for outcome in outcomes:
        if outcome.paper is not None and outcome.status == "pending":
            tidy(outcome.paper)
            outcome.paper.tags = _tags(outcome.paper.tags + req.tags)
            outcome.paper.note = outcome.paper.note or req.note
            problems = input_problems(outcome.paper)
            if problems:  # what validate would reject is not written
                outcome.status, outcome.reason = "failed", "; ".join(f"{f}: {m}" for _, f, m in problems)
    report = AddReport(outcomes, root, dry_run)
    _place(report, category, force=force)
    return report


def _fetch_arxiv(idents: list[str], refresh: bool, say: Progress) -> list[Outcome]:
    """An outcome per id, from ``arxiv.fetch_batch`` (the one way lclm asks arXiv: batched, paced, cached)."""
    if not idents:
        return []
    settled = 0

    def progress(count: int) -> None:
        nonlocal settled
        settled += count
        say(f"arXiv: {settled}/{len(idents)} id{'s' * (len(idents) > 1)}")

    batch = arxiv.fetch_batch(idents, refresh=refresh, progress=progress)
    outcomes = []
    for ident in idents:
        paper = batch.papers.get(ident)
        reason = batch.failed.get(ident, "" if paper else "arXiv has no paper with this id")
        outcomes.append(Outcome(ident, paper, "failed" if reason else "pending", reason))
    return outcomes


def _fetch_dois(dois: list[str], year: int | None, refresh: bool, say: Progress) -> list[Outcome]:
    """An outcome per DOI, from ``crossref.fetch`` (the one cache-or-ask loop, one request per DOI)."""
    if not dois:
        return []
    settled = 0

    def progress(count: int) -> None:
        nonlocal settled
        settled += count
        say(f"Crossref: {settled}/{len(dois)} DOI{'s' * (len(dois) > 1)}")

    answers = crossref.fetch(dois, dict.fromkeys(dois, year), refresh=refresh, progress=progress)
    outcomes = []
    for doi in dois:
        paper = answers.found.get(doi)
        reason = answers.failed.get(doi, "" if paper else "Crossref has no record of this DOI (HTTP 404)")
        outcomes.append(Outcome(doi, paper, "failed" if reason else "pending", reason))
    return outcomes


# ---------------------------------------------------------------- writing


def _place(report: AddReport, slug: str, *, force: bool) -> None:
    """Refuse duplicates, key the rest and append them to the category file."""
    with transaction(report.root, dry_run=report.dry_run) as tx:
        # Loaded under the lock: another add may have written since we looked.
        store = tx.store
        report.names = {c.slug: c.name for c in store.categories()}
        store.category(slug)  # a category gone meanwhile is one clear error
        index = Lookup(store.papers)
        taken = {p.key for p in store.papers}
        new: list[Paper] = []
        for outcome in report.outcomes:
            paper = outcome.paper
            if paper is None or outcome.status != "pending":
                continue
            match = index.find(paper)
            if match is not None and not force:
                outcome.status, outcome.match = "skipped", match
                continue
            if match is not None and match.kind == ALIKE:  # forced: another paper, so say so
                paper.distinct.append(match.paper.key)
            if not (KEY_RE.match(paper.key) and paper.key not in taken and not size_problem("key", paper.key)):
                paper.key = make_key(paper.authors, paper.year, paper.title, taken)
            paper.category = slug
            taken.add(paper.key)
            index.add(paper)
            new.append(paper)
            outcome.status = "added"
        if new:
            tx.append(slug, new)  # the file's text kept, comments and all; sets the new papers' lines
    report.readmes = tx.readmes

