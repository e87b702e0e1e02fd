"""``lclm absorb``: take hand edits of the generated README back into ``papers/``.

A pull request that edited the list in the README instead of the YAML is
read back: the README's block between the lclm markers is parsed by the
Markdown reader (``lclm.sources.markdown``), each heading matched to the
store's section at the same place, and each entry line taken as

- a paper of the store, when the line is exactly what lclm renders for it
  (under another heading: the paper moved there);
- an edit of a paper, when the line is the same paper by the identity rule
  (``lclm.duplicates.identity``) as a paper whose line is gone: the fields
  the reader gets differently from the line lclm rendered are changed;
- a new paper, written to the category of the heading it stands under, in
  the place it stands.

A paper whose line is gone is removed; the order of the lines is the new
order.  Everything is decided against the store as loaded under the lock,
in one store transaction, which then re-renders the READMEs, so the README
equals its regeneration.  A line that cannot be taken back (unreadable, a
duplicate, a heading the store lacks, text that is no entry) is reported
with its line and nothing at all is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lclm.duplicates.identity import ALIKE, CONFLICT, SAME, Lookup
from lclm.errors import InputError
from lclm.model import Paper
from lclm.store.layout import Section, Store

if TYPE_CHECKING:
    from lclm.sources.markdown import Heading, ListEntry

LineOf = Callable[[int], int]  # a line of the block -> the README's line

# Fields a list line carries (what the Markdown reader gives); the rest of a record is kept as it is.
LINE_FIELDS = ("title", "authors", "year", "venue", "url", "arxiv", "doi", "code")
# What the renderer puts in the block besides entries and headings: the totals and the contents.
_TOC_RE = re.compile(r"^\s*- \[.*\]\(#[^)]*\) \(\d+\)\s*$")
_HEADING_RE = re.compile(r"^#{1,6}\s")
_VERBS = {SAME: "is the same paper as", CONFLICT: "shares an identifier with"}


@dataclass(slots=True)
class Refusal:
    """A README line that cannot be taken back, and why."""

    line: int
    reason: str
    text: str = ""


@dataclass(slots=True)
class AbsorbReport:
    """What was taken from the README into the store."""

    readme: Path
    added: list[tuple[int, Paper]] = field(default_factory=list)  # README line, new record
    changed: list[tuple[int, Paper, list[str]]] = field(default_factory=list)  # line, record, fields
    moved: list[tuple[int, Paper, str]] = field(default_factory=list)  # line, record, old category slug
    removed: list[Paper] = field(default_factory=list)
    reordered: list[str] = field(default_factory=list)  # category slugs whose order alone changed
    refused: list[Refusal] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # slug -> section name
    written: list[Path] = field(default_factory=list)  # files written, READMEs included

    @property
    def nothing(self) -> bool:
        """Whether the README held no edit of the papers (perhaps only stale counts)."""
        return not (self.added or self.changed or self.moved or self.removed or self.reordered)


class AbsorbRefused(InputError):
    """Some README edits cannot be absorbed: nothing is written."""

    def __init__(self, report: AbsorbReport) -> None:
        count = len(report.refused)
        super().__init__(
            f"{count} edit{'s' * (count != 1)} cannot be absorbed (listed above); nothing written", path=report.readme
        )
        self.report = report


def marker_block(path: Path, text: str) -> tuple[int, list[str]]:
    """``(line of the start marker, the lines between the markers)``; ``InputError`` without markers."""
    from lclm.formats.markdown import END, START, has_markers

    if not has_markers(text):
        raise InputError(f"no '{START}' ... '{END}' marker lines: not a README lclm generates", path=path)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == START)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == END)
    return start + 1, lines[start + 1 : end]


def absorb(root: Path, readme: Path, text: str) -> AbsorbReport:
    """Absorb the edits of ``readme`` (its ``text``) into the store at ``root``; see the module docstring.

    Raises ``AbsorbRefused`` (nothing written) if any edit cannot be absorbed.
    """
    from lclm.actions.write import transaction
    from lclm.formats.markdown import readme_lang, render_list, splice_readme
    from lclm.store.files import write_text

    start, block = marker_block(readme, text)
    lang = readme_lang(readme)
    report = AbsorbReport(readme)
    with transaction(root) as tx:
        report.names = {c.slug: c.name for c in tx.store.categories()}
        before = _by_category(tx.store.papers)  # planning moves papers: keep what they were
        papers = _plan(tx.store, start, block, lang, report)
        if report.refused:
            report.refused.sort(key=lambda refusal: refusal.line)
            raise AbsorbRefused(report)
        after = _by_category(papers)
        touched = [slug for slug in dict.fromkeys([*before, *after]) if before.get(slug) != after.get(slug)]
        report.reordered = [
            slug for slug in touched
            if slug in before and slug in after and sorted(map(str, before[slug])) == sorted(map(str, after[slug]))
        ]
        tx.store.papers[:] = papers
        for slug in touched:
            tx.touch(slug)
        final = tx.store
    report.written = list(tx.written)
    current = readme.read_text(encoding="utf-8") if readme.exists() else text
    regenerated = splice_readme(readme, current, render_list(final, lang=lang))
    if regenerated != current:  # a README the transaction does not refresh, or only its counts were stale
        write_text(readme, regenerated)
        report.written.append(readme)
    return report


def _by_category(papers: list[Paper]) -> dict[str, list[dict[str, object]]]:
    """Each category's records, in order (a snapshot: planning changes the papers themselves)."""
    out: dict[str, list[dict[str, object]]] = {}
    for paper in papers:
        out.setdefault(paper.category, []).append(paper.to_dict())
    return out


# ---------------------------------------------------------------- reading the block


def _plan(store: Store, start: int, block: list[str], lang: str, report: AbsorbReport) -> list[Paper]:
    """The store's papers as the README has them (new list, in README order); refusals into ``report``."""
    from lclm.formats.markdown import render_entry
    from lclm.sources.markdown import parse_markdown

    parsed = parse_markdown("\n".join(block) + "\n")
    line_of: LineOf = start.__add__
    for problem in parsed.problems:
        report.refused.append(Refusal(line_of(problem.line), f"not read: {problem.reason}", problem.text))
    for aside in parsed.set_aside:
        report.refused.append(Refusal(line_of(aside.line), f"{aside.count} entries set aside: {aside.reason}"))
    placed = _sections_of(store, parsed.headings, lang, line_of, report)
    # Entries under a refused heading are that heading's refusal, not text of their own.
    entry_lines = {e.line for e in parsed.entries()} | {p.line for p in parsed.problems}
    _stray_lines(block, entry_lines, line_of, report)
    rendered = {render_entry(p): p for p in store.papers}
    claimed: dict[int, int] = {}  # id(paper) -> README line that lists it as rendered
    for _, entries in placed:
        for entry in entries:
            paper = rendered.get(block[entry.line - 1].strip())
            if paper is not None and id(paper) not in claimed:
                claimed[id(paper)] = line_of(entry.line)
    gone = [p for p in store.papers if id(p) not in claimed]
    seen = _Seen(Lookup(gone), Lookup(p for p in store.papers if id(p) in claimed), claimed, {p.key for p in store.papers})
    new: list[Paper] = []
    for section, entries in placed:
        for entry in entries:
            line = line_of(entry.line)
            paper = rendered.get(block[entry.line - 1].strip())
            if paper is not None and claimed.get(id(paper)) == line:
                new.append(_placed(paper, section.slug, line, report))
            elif paper is not None:
                report.refused.append(Refusal(line, f"{paper.key} is listed twice (also at line {claimed[id(paper)]})"))
            else:
                taken_back = _edited_or_new(entry, section.slug, line, seen, report)
                if taken_back is not None:
                    new.append(taken_back)
    edited = {id(p) for _, p, _ in report.changed}
    kept = {id(p) for p in new}
    report.removed = [p for p in gone if id(p) not in edited and id(p) not in kept]
    return new


def _placed(paper: Paper, slug: str, line: int, report: AbsorbReport) -> Paper:
    if paper.category != slug:
        report.moved.append((line, paper, paper.category))
        paper.category = slug
    return paper


@dataclass(slots=True)
class _Seen:
    """What the lines read so far account for."""

    gone: Lookup  # papers whose rendered line is not in the README: edited or removed
    present: Lookup  # papers the README lists (as rendered, edited or new) so far
    claimed: dict[int, int]  # id(paper) -> the README line that lists it
    taken: set[str]  # keys in use


def _edited_or_new(entry: ListEntry, slug: str, line: int, seen: _Seen, report: AbsorbReport) -> Paper | None:
    """An entry line lclm did not render: an edit of a paper whose line is gone, or a new paper."""
    from lclm.rules import input_problems

    arriving = _paper(entry, slug)
    match = seen.gone.find(arriving)
    if match is None or id(match.paper) in seen.claimed and match.kind != SAME:
        return _new(arriving, line, seen, report)
    paper = match.paper
    if id(paper) in seen.claimed:  # claimed by an earlier edited line
        report.refused.append(Refusal(line, f"a second edit of {paper.key} (also at line {seen.claimed[id(paper)]})"))
        return None
    seen.claimed[id(paper)] = line
    names = _apply_edit(paper, entry)
    problems = input_problems(paper)
    if problems:
        report.refused.append(Refusal(line, f"{paper.key}: " + "; ".join(f"{n}: {m}" for _, n, m in problems)))
        return None
    twin = seen.present.find(paper)
    if twin is not None and twin.kind != ALIKE:
        other = twin.paper
        report.refused.append(Refusal(line, f"after the edit {paper.key} {_VERBS[twin.kind]} {other.key}, listed at line {seen.claimed[id(other)]} ({twin.describe()})"))
        return None
    if names:
        report.changed.append((line, paper, names))
    seen.present.add(paper)
    return _placed(paper, slug, line, report)


def _new(arriving: Paper, line: int, seen: _Seen, report: AbsorbReport) -> Paper | None:
    """A new paper from a README line: refused if the README lists it already or validate would reject it."""
    from lclm.keys import make_key
    from lclm.rules import input_problems

    listed = seen.present.find(arriving)
    if listed is not None and listed.kind != ALIKE:
        other = listed.paper
        report.refused.append(Refusal(line, f"{_VERBS[listed.kind]} {other.key}, listed at line {seen.claimed[id(other)]} ({listed.describe()})"))
        return None
    problems = input_problems(arriving)
    if problems:
        report.refused.append(Refusal(line, "; ".join(f"{name}: {message}" for _, name, message in problems)))
        return None
    arriving.key = make_key(arriving.authors, arriving.year, arriving.title, seen.taken)
    if listed is not None:  # a look-alike (another year, no author in common): say they are different papers
        arriving.distinct.append(listed.paper.key)
    seen.taken.add(arriving.key)
    seen.claimed[id(arriving)] = line
    seen.present.add(arriving)
    report.added.append((line, arriving))
    return arriving


def _apply_edit(paper: Paper, entry: ListEntry) -> list[str]:
    """Set the fields the edited line reads differently from the paper's rendered line; their names."""
    from lclm.formats.markdown import render_entry
    from lclm.sources.markdown import parse_markdown

    before = parse_markdown(f"# S\n\n{render_entry(paper)}\n").entries()
    if not before:
        return []  # cannot tell what the line said before: keep the record
    old = before[0]
    changed = [name for name in LINE_FIELDS if getattr(entry, name) != getattr(old, name)]
    for name in changed:
        value = getattr(entry, name)
        setattr(paper, name, list(value) if isinstance(value, list) else value)
    return changed


def _paper(entry: ListEntry, slug: str) -> Paper:
    return Paper(
        key="", title=entry.title, year=entry.year, authors=list(entry.authors), venue=entry.venue,
        url=entry.url, arxiv=entry.arxiv, doi=entry.doi, code=entry.code, category=slug,
    )


def _sections_of(
    store: Store, headings: list[Heading], lang: str, line_of: LineOf, report: AbsorbReport
) -> list[tuple[Section, list[ListEntry]]]:
    """Each README heading's store section (same name at the same place) with its entries."""
    out: list[tuple[Section, list[ListEntry]]] = []

    def match(sections: list[Section], found: list[Heading], where: str) -> None:
        by_title = {s.title(lang): s for s in sections}
        seen: set[str] = set()
        for heading in found:
            section = by_title.get(heading.name) if heading.line else None
            if section is None and not heading.line:  # the reader's stand-in heading for entries above the first
                for entry in heading.entries:
                    report.refused.append(Refusal(line_of(entry.line), "an entry above the list's first heading: put it under its section"))
                continue
            if section is None:
                report.refused.append(Refusal(line_of(heading.line), f"heading {heading.name!r} is not a section{where} of the list (add it to _sections.yaml first)"))
                continue
            seen.add(section.name)
            if heading.entries and not section.file:
                report.refused.append(Refusal(line_of(heading.line), f"section {heading.name!r} holds no papers, only sections"))
            elif section.file:
                out.append((section, list(heading.entries)))
            match(section.sections, heading.children, f" under {heading.name!r}")
        for section in sections:
            if section.name not in seen and any(s.file and store.in_category(s.slug) for _, s in section.walk()):
                report.refused.append(Refusal(line_of(0), f"section {section.title(lang)!r} and its papers are missing from the README"))

    match(store.sections, headings, "")
    return out


def _stray_lines(block: list[str], entry_lines: set[int], line_of: LineOf, report: AbsorbReport) -> None:
    """Text in the block that is neither an entry, a heading, the totals nor the contents: it would be lost."""
    first = next((i for i, line in enumerate(block, 1) if line.strip()), 0)
    for number, line in enumerate(block, 1):
        text = line.strip()
        if not text or number == first or number in entry_lines or _TOC_RE.match(line) or _HEADING_RE.match(text):
            continue
        report.refused.append(Refusal(line_of(number), "not a list entry lclm can read (it would be lost)", text))

