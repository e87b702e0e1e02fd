"""Import a Markdown paper list into the store (or translate its headings).

``run_import`` is the command: ``read_list`` parses the file and, with
``fetch``, fills the entries' gaps from arXiv (the only network step, done
before the store is locked); then, under one store transaction,
``import_list`` decides each entry's category and fate and adds what can be
written.  ``run_translation`` takes a translated README's headings under its
own transaction.  Every entry of the source ends in one ``Outcome``
(written, merged or set aside, with its line), which ``account_json`` and
``account_markdown`` render for ``--report``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lclm.duplicates.identity import (
    ALIKE,
    KNOWN,
    NEW,
    REFUSED,
    REPEAT,
    Arrival,
    Match,
    sort_batch,
)
from lclm.duplicates.merge import merge_papers
from lclm.duplicates.profile import comparable_title
from lclm.errors import InputError
from lclm.keys import make_key
from lclm.model import OTHERS, Paper
from lclm.sources.markdown import (
    Heading,
    ListEntry,
    ParsedList,
    Problem,
    SetAside,
    parse_markdown,
)
from lclm.store.layout import Section, Store, free_slug
from lclm.text import fold, normalize_title

if TYPE_CHECKING:
    from lclm.sources.arxiv import Batch

Progress = Callable[[int], None]

WRITTEN, MERGED, SET_ASIDE = "written", "merged", "set aside"  # what became of an entry of the source


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one entry of the source: ``state`` is WRITTEN, MERGED or SET_ASIDE; ``detail`` says with what or why."""

    line: int
    state: str
    title: str
    detail: str


@dataclass(slots=True)
class Fetched:
    """What ``--fetch`` took from arXiv."""

    asked: int = 0
    requests: int = 0
    changed: list[tuple[int, str]] = field(default_factory=list)  # line, what was taken
    failed: dict[str, str] = field(default_factory=dict)  # arXiv id -> why
    missing: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ReadList:
    """A parsed list, ready to import."""

    path: Path
    parsed: ParsedList
    fetched: Fetched | None = None

    @property
    def total(self) -> int:
        """Every entry of the source: read, not readable, or set aside as no paper (the one total the summary uses)."""
        return len(self.parsed.entries()) + len(self.parsed.problems) + sum(s.count for s in self.parsed.set_aside)


@dataclass(slots=True)
class ImportReport:
    """What an import did, for the summary the CLI prints."""

    read: int = 0
    total: int = 0
    added: dict[str, int] = field(default_factory=dict)  # category slug -> papers
    new_categories: list[str] = field(default_factory=list)
    cleaned: list[tuple[int, str, str]] = field(default_factory=list)  # line, key, what
    skipped: list[tuple[int, str, Match]] = field(default_factory=list)  # already in store
    repeated: list[tuple[int, str, Match]] = field(default_factory=list)  # twice in the file: merged into the first
    marked: list[tuple[int, str, Match]] = field(default_factory=list)  # a look-alike in the file: both marked distinct
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # line, title, why it cannot be written
    problems: list[Problem] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    unread_headings: list[tuple[int, str, int]] = field(default_factory=list)  # line, name, entries not read
    fetched: Fetched | None = None
    outcomes: list[Outcome] = field(default_factory=list)  # one per entry of the source, in source order
    written: bool = False  # whether the store was changed (not a dry run, nothing blocking or --partial)

    @property
    def complete(self) -> bool:
        """Whether every entry that looked like one was read and can be written."""
        return not self.problems and not self.refused

    def counts(self) -> dict[str, int]:
        """Entries per state (written, merged, set aside); they add up to ``len(outcomes)``."""
        out = {WRITTEN: 0, MERGED: 0, SET_ASIDE: 0}
        for outcome in self.outcomes:
            out[outcome.state] += 1
        return out

    @property
    def blocking(self) -> int:
        """Entries that look like papers but cannot be written: without --partial, nothing is written."""
        return len(self.problems) + len(self.refused)


class IncompleteImport(InputError):
    """Some entries could not be read or written and ``--partial`` was not given: nothing is written."""

    def __init__(self, path: Path, report: ImportReport) -> None:
        super().__init__(
            f"{path}: read {report.read} of {report.total} entries; nothing written: {report.blocking} "
            f"{'entry' if report.blocking == 1 else 'entries'} that look like papers could not be read or written (listed above;"
            " --report FILE writes the whole account), fix them or give --partial to import what was read"
        )
        self.report = report


def read_list(path: Path, text: str, fetch: bool = False, progress: Progress | None = None) -> ReadList:
    """Parse a Markdown list; with ``fetch``, fill its entries' gaps from arXiv.

    Rows of a table with no title column (a table of models, each with its
    paper's arXiv link) are set aside; with ``fetch`` they are read again
    with the titles arXiv gives their papers.
    """
    parsed = parse_markdown(text)
    if not parsed.entries() and not parsed.problems and not (fetch and parsed.no_title):
        raise InputError(f"{path}: no paper entries found: {nothing_found(parsed)}")
    if not fetch:
        return ReadList(path, parsed)
    from lclm.sources.arxiv import fetch_batch

    batch = fetch_batch([e.arxiv for e in parsed.entries() if e.arxiv] + list(parsed.no_title.values()), progress=progress)
    titles = {line: batch.papers[ident].title for line, ident in parsed.no_title.items() if ident in batch.papers}
    if titles:
        parsed = parse_markdown(text, titles)
    fetched = fetch_gaps(parsed.entries(), batch)
    fetched.changed += [(line, "took the title from arXiv (the table has no title column)") for line in sorted(titles)]
    return ReadList(path, parsed, fetched)


def nothing_found(parsed: ParsedList) -> str:
    """What a list with no paper entries held: the blocks seen, and what was set aside, by reason with the first lines."""
    seen = ", ".join(f"{n} {what if n != 1 else _ONE[what]}" for what, n in parsed.seen.items() if n)
    seen = seen or "no headings, list items, table rows or paragraphs"
    by_reason: dict[str, list[int]] = {}
    for item in parsed.set_aside:
        by_reason.setdefault(item.reason, []).extend(item.lines or (item.line,))
    aside = "; ".join(
        f"{len(lines)} {reason} (line{'s' if len(lines) > 1 else ''} {', '.join(map(str, sorted(lines)[:5]))}{', ...' if len(lines) > 5 else ''})"
        for reason, lines in by_reason.items()
    )
    rest = f"set aside {aside}; no other item" if aside else "no item"
    return f"saw {seen}; {rest} has a web link or bold text to read as a paper"


_ONE = {"headings": "heading", "paper headings": "paper heading", "list items": "list item", "table rows": "table row", "paragraphs": "paragraph"}


def fetch_gaps(entries: list[ListEntry], batch: Batch) -> Fetched:
    """Take missing or truncated authors, a missing year and the title's capitals from arXiv's answers.

    ``batch`` is ``lclm.sources.arxiv.fetch_batch``'s (one request per 100
    ids); entries whose request failed stay as the list had them, and
    ``failed`` says so.
    """
    wanted = [e for e in entries if e.arxiv]
    asked = {e.arxiv for e in wanted} | set(batch.papers) | set(batch.missing) | set(batch.failed)
    out = Fetched(len(asked), batch.requests, failed=dict(batch.failed), missing=list(batch.missing))
    for entry in wanted:
        found = batch.papers.get(entry.arxiv)
        if found is not None:
            out.changed += [(entry.line, what) for what in _fill(entry, found)]
    return out


def _fill(entry: ListEntry, found: Paper) -> list[str]:
    taken = []
    truncated = not entry.authors or entry.authors[-1] == OTHERS
    if found.authors and truncated and len(found.authors) >= len(entry.authors):
        entry.authors = list(found.authors)
        taken.append(f"took the {len(found.authors)} authors from arXiv")
    if any(n.startswith("took the missing year") for n in entry.cleaned) and found.year and found.year != entry.year:
        entry.year = found.year
        taken.append(f"took the year {found.year} from arXiv")
    if found.title != entry.title and normalize_title(found.title) == normalize_title(entry.title):
        entry.title = found.title
        taken.append("took the title's capitalisation from arXiv")
    return taken


def import_markdown(
    store: Store, path: Path, text: str, category: str | None = None, partial: bool = False, create: bool = False
) -> ImportReport:
    """Parse ``text`` and add its papers to ``store``: ``read_list`` then ``import_list``."""
    return import_list(store, read_list(path, text), category, partial, create)


def import_list(
    store: Store, read: ReadList, category: str | None = None, partial: bool = False, create: bool = False
) -> ImportReport:
    """Add the papers of a read list to ``store`` (in place) and report.

    Headings become sections and categories (matched by name to existing
    ones, at the same place in the tree), unless ``category`` puts every
    paper into that one category (with ``create``, a new one unless one has
    exactly that name: ``Store.category_for``).  Papers the store already has are
    skipped.  Inside the file, one paper listed twice is merged into its
    first entry, and two look-alike entries (one title, different papers)
    are both kept, each marked ``distinct`` from the other.  An entry that
    shares an identifier with a different paper of the file, or that
    `lclm validate` would reject, is refused.  If an entry could not be read
    or was refused, ``IncompleteImport`` is raised (so nothing is written),
    unless ``partial``: then only what can be written is added.
    """
    from lclm.rules import input_problems

    parsed = read.parsed
    report = ImportReport(
        read=len(parsed.entries()), total=read.total, problems=parsed.problems,
        set_aside=parsed.set_aside, unread_headings=parsed.unread_headings, fetched=read.fetched,
    )
    outcomes = _parse_outcomes(parsed)
    placed = [(slug, entry) for slug, entries in _placements(store, parsed, category, report, create) for entry in entries]
    papers = [_paper(entry, slug) for slug, entry in placed]
    lines = {id(paper): entry.line for (_, entry), paper in zip(placed, papers)}
    had = {id(p) for p in store.papers}
    arrivals = sort_batch(papers, store.papers, fuzzy=True)
    for arrival in arrivals:
        if arrival.repeats:
            _merge_repeats(arrival)
    # Keys are made once repeats are merged, from the fields the records keep.
    taken = {p.key for p in store.papers}
    named = {comparable_title(name): p.key for p in store.papers for name in p.aka}  # a short name -> its paper
    for arrival in arrivals:
        if _written(arrival, had):
            arrival.paper.key = make_key(arrival.paper.authors, arrival.paper.year, arrival.paper.title, taken)
            taken.add(arrival.paper.key)
    for (slug, entry), paper, arrival in zip(placed, papers, arrivals):
        match = arrival.match
        if match is not None and (arrival.status == KNOWN or arrival.status == REFUSED and id(match.paper) in had):
            report.skipped.append((entry.line, entry.title, match))
            outcomes.append(Outcome(entry.line, MERGED, entry.title, f"already in the store as {match.paper.key} ({match.describe()})"))
            continue
        if match is not None and arrival.status == REPEAT:
            report.repeated.append((entry.line, paper.key, match))
            outcomes.append(Outcome(entry.line, MERGED, entry.title, f"into {_other(match.paper, lines)} ({match.describe()})"))
            continue
        if match is not None and arrival.status == REFUSED:
            if match.kind != ALIKE:
                why = f"shares an identifier with {_other(match.paper, lines)} ({match.describe()})"
                report.refused.append((entry.line, paper.title, why))
                outcomes.append(Outcome(entry.line, SET_ASIDE, entry.title, why))
                continue
            for other in arrival.alike or [match.paper]:
                paper.distinct.append(other.key)
                other.distinct.append(paper.key)
            report.marked.append((entry.line, paper.key, match))
        problems = input_problems(paper)
        if problems:
            why = "; ".join(f"{f[1]}: {f[2]}" for f in problems)
            report.refused.append((entry.line, paper.title, why))
            outcomes.append(Outcome(entry.line, SET_ASIDE, entry.title, why))
            continue
        entry.cleaned.extend(_own_names(paper, named))
        store.papers.append(paper)
        report.added[slug] = report.added.get(slug, 0) + 1
        report.cleaned.extend((entry.line, paper.key, note) for note in entry.cleaned)
        distinct = f", marked distinct from {_other(match.paper, lines)}" if match is not None and match.kind == ALIKE else ""
        outcomes.append(Outcome(entry.line, WRITTEN, entry.title, f"as {paper.key} in {slug}{distinct}"))
    report.outcomes = sorted(outcomes, key=lambda o: o.line)
    if report.blocking and not partial:
        raise IncompleteImport(read.path, report)
    return report


def _own_names(paper: Paper, named: dict[str, str]) -> list[str]:
    """Drop the short names another paper already has (``validate`` would reject the pair); say so. Record the rest."""
    notes, kept = [], []
    for name in paper.aka:
        owner = named.get(comparable_title(name))
        if owner is not None and owner != paper.key:
            notes.append(f"did not keep the short name {name!r}: the list gives it to {owner} too")
        else:
            kept.append(name)
            named[comparable_title(name)] = paper.key
    paper.aka = kept
    return notes


def _other(paper: Paper, lines: dict[int, int]) -> str:
    """Another entry named for a reader: its key and its line in this file, or its key in the store."""
    line = lines.get(id(paper))
    return f"{paper.key or repr(paper.title)} (line {line})" if line is not None else paper.key


def _parse_outcomes(parsed: ParsedList) -> list[Outcome]:
    """The entries set aside while reading: unreadable ones, and those of sections that are not papers."""
    out = [Outcome(p.line, SET_ASIDE, " ".join(p.text.split())[:120], p.reason) for p in parsed.problems]
    for aside in parsed.set_aside:
        out += [Outcome(line, SET_ASIDE, "", f"{aside.reason} (under {aside.heading!r})") for line in aside.lines]
    return out


def _written(arrival: Arrival, had: set[int]) -> bool:
    """Whether an arriving paper is to be written: new, or a look-alike of another new one."""
    if arrival.status == NEW:
        return True
    match = arrival.match
    return arrival.status == REFUSED and match is not None and match.kind == ALIKE and id(match.paper) not in had


def _merge_repeats(arrival: Arrival) -> None:
    """Merge the later copies of an arriving paper in the same file into it, in place."""
    merged = merge_papers(arrival.paper, arrival.repeats).kept
    merged.ids = []  # no key of the file was written anywhere before
    for name in Paper.__slots__:
        setattr(arrival.paper, name, getattr(merged, name))


def _paper(entry: ListEntry, slug: str) -> Paper:
    """An entry as a record, its key still to be made (``''``)."""
    return Paper(
        key="",
        title=entry.title,
        year=entry.year,
        authors=entry.authors,
        venue=entry.venue,
        url=entry.url,
        arxiv=entry.arxiv,
        doi=entry.doi,
        code=entry.code,
        aka=list(entry.aka),
        note=entry.note,
        abstract=entry.abstract,
        category=slug,
    )


def _placements(
    store: Store, parsed: ParsedList, category: str | None, report: ImportReport, create: bool = False
) -> list[tuple[str, list[ListEntry]]]:
    """Which category each heading's entries go to, creating sections as needed."""
    if category is not None:
        section, new = store.category_for(category, create=create or not store.categories())
        if new:
            report.new_categories.append(section.name)
        return [(section.slug, parsed.entries())]
    out: list[tuple[str, list[ListEntry]]] = []
    slugs = {c.slug for c in store.categories()}
    everywhere = {fold(s.name): s for top in store.sections for _, s in top.walk()}
    _merge(store.sections, parsed.headings, out, slugs, everywhere, report)
    return out


def _merge(
    sections: list[Section],
    headings: list[Heading],
    out: list[tuple[str, list[ListEntry]]],
    slugs: set[str],
    everywhere: dict[str, Section],
    report: ImportReport,
    top: bool = True,
) -> None:
    """Match headings to sections by name at the same place in the tree.

    A top-level heading of the file may also match a section anywhere (a
    file that lists one subsection alone); a subheading matches only under
    its own parent (``Model > Architecture`` never joins ``Systems > Architecture``).
    """
    for heading in headings:
        name = fold(heading.name)
        section = next((s for s in sections if fold(s.name) == name), None) or (everywhere.get(name) if top else None)
        if section is None:
            section = Section(heading.name)
            sections.append(section)
            everywhere.setdefault(name, section)
        if heading.entries:
            if not section.file:
                section.file = f"{free_slug(heading.name, slugs)}.yaml"
                report.new_categories.append(heading.name)
            out.append((section.slug, heading.entries))
        _merge(section.sections, heading.children, out, slugs, everywhere, report, top=False)


def import_translation(store: Store, path: Path, text: str, lang: str) -> list[tuple[str, str]]:
    """Take a translated README's headings as ``lang`` names of the store's sections.

    The translated list must have the same section tree as the store, with
    the same number of papers under each heading: headings are matched by
    position.  Returns (English name, translated name) pairs.
    """
    parsed = parse_markdown(text)
    pairs: list[tuple[str, str]] = []
    _align(path, store.sections, parsed.headings, lang, store, pairs, _papers_kept(parsed))
    return pairs


def _papers_kept(parsed: ParsedList) -> dict[int, int]:
    """How many papers an import keeps under each heading (``id(heading)``): repeats merge away."""
    placed = [(h, e) for top in parsed.headings for h in _walk(top) for e in h.entries]
    papers = [_paper(e, "") for _, e in placed]
    kept: dict[int, int] = {}
    for (heading, _), arrival in zip(placed, sort_batch(papers, [])):
        if arrival.status != REPEAT:
            kept[id(heading)] = kept.get(id(heading), 0) + 1
    return kept


def _walk(heading: Heading) -> list[Heading]:
    return [heading, *(h for child in heading.children for h in _walk(child))]


def _align(
    path: Path,
    sections: list[Section],
    headings: list[Heading],
    lang: str,
    store: Store,
    pairs: list[tuple[str, str]],
    kept: dict[int, int],
) -> None:
    if len(sections) != len(headings):
        names = ", ".join(s.name for s in sections)
        raise InputError(
            f"{path}: {len(headings)} headings where the store has {len(sections)} ({names}); "
            "a translation must have the same sections in the same order"
        )
    for section, heading in zip(sections, headings):
        mine = len(store.in_category(section.slug)) if section.file else 0
        if mine != kept.get(id(heading), 0):
            raise InputError(
                f"{path}:{heading.line}: {heading.name!r} lists {kept.get(id(heading), 0)} papers "
                f"where {section.name!r} has {mine}"
            )
        section.translations[lang] = heading.name
        pairs.append((section.name, heading.name))
        _align(path, section.sections, heading.children, lang, store, pairs, kept)


def run_import(
    root: Path,
    path: Path,
    text: str,
    category: str | None = None,
    partial: bool = False,
    fetch: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    create: bool = False,
) -> ImportReport:
    """``lclm import markdown``: read the list (and fetch, before locking), then add it under one transaction.

    A new store is created only when the import succeeds; ``IncompleteImport``
    (raised inside the transaction) leaves the store as it was.
    """
    from lclm.actions.write import transaction

    read = read_list(path, text, fetch=fetch, progress=progress)
    with transaction(root, create=True, dry_run=dry_run) as tx:
        report = import_list(tx.store, read, category, partial, create)
        if report.added:
            for section in tx.store.categories():
                if section.slug in report.added or not (root / section.file).exists():
                    tx.touch(section.slug)
            tx.touch_sections()
    report.written = not dry_run and bool(report.added)
    return report


def run_translation(root: Path, path: Path, text: str, lang: str, dry_run: bool = False) -> list[tuple[str, str]]:
    """``lclm import markdown --lang``: take the headings of a translation as ``lang`` names, under one transaction."""
    from lclm.actions.write import transaction

    with transaction(root, dry_run=dry_run) as tx:
        pairs = import_translation(tx.store, path, text, lang)
        tx.touch_sections()
    return pairs


def account_json(report: ImportReport, path: Path) -> str:
    """The whole account of an import as JSON: the summary and one object per entry of the source."""
    import json

    return json.dumps(
        {
            "source": str(path),
            "written": report.written,
            "counts": {**report.counts(), "entries": len(report.outcomes)},
            "entries": [{"line": o.line, "state": o.state, "title": o.title, "detail": o.detail} for o in report.outcomes],
        },
        ensure_ascii=False,
        indent=1,
    ) + "\n"


def account_markdown(report: ImportReport, path: Path) -> str:
    """The whole account of an import for a person: the summary, then the entries by state with their lines."""
    counts = report.counts()
    if report.written:
        head = "The store was changed."
    elif report.blocking and not report.added:
        head = f"Nothing was written: {report.blocking} entries that look like papers were set aside (give --partial to import the rest)."
    else:
        head = "Nothing was written."
    out = [
        f"# Import of {path}",
        "",
        head,
        "",
        f"{len(report.outcomes)} entries: {counts[WRITTEN]} written, {counts[MERGED]} merged, {counts[SET_ASIDE]} set aside.",
    ]
    for state in (SET_ASIDE, MERGED, WRITTEN):
        rows = [o for o in report.outcomes if o.state == state]
        if not rows:
            continue
        label = state.capitalize() if state != WRITTEN or report.written else "To write (nothing was written)"
        out += ["", f"## {label} ({len(rows)})", "", "| line | entry | detail |", "|---:|---|---|"]
        out += [f"| {o.line} | {_cell(o.title)} | {_cell(o.detail)} |" for o in rows]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
