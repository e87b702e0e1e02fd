"""Import a Markdown paper list into the store (or translate its headings).

Pure apart from the ``Store`` it is given: the caller loads, and saves the
result; nothing here touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lclm.errors import InputError
from lclm.duplicates.identity import Index, Match
from lclm.keys import make_key
from lclm.sources.markdown import Entry, Heading, ParsedList, parse_markdown
from lclm.model import Paper
from lclm.store.core import Section, Store
from lclm.text import fold, slugify


@dataclass(slots=True)
class ImportReport:
    """What an import did, for the summary the CLI prints."""

    added: dict[str, int] = field(default_factory=dict)  # category slug -> papers
    new_categories: list[str] = field(default_factory=list)
    cleaned: list[tuple[int, str, str]] = field(default_factory=list)  # line, key, what
    skipped: list[tuple[int, str, Match]] = field(default_factory=list)  # already in store
    repeated: list[tuple[int, str, Match]] = field(default_factory=list)  # twice in the file
    unreadable: list[tuple[int, str]] = field(default_factory=list)


def import_markdown(store: Store, path: Path, text: str, category: str | None = None) -> ImportReport:
    """Add the papers of a Markdown list to ``store`` (in place) and report.

    Headings become sections and categories (matched by name to existing
    ones), unless ``category`` puts every paper into that one category.
    Papers the store already has (same arXiv id, DOI, URL or normalised
    title) are skipped; inside the file every entry is kept, and repeats are
    reported so the maintainer can run ``lclm dedupe``.
    """
    parsed = parse_markdown(text)
    if not parsed.entries():
        where = f" ({len(parsed.unreadable)} lines looked like entries but could not be read)" if parsed.unreadable else ""
        raise InputError(f"{path}: no paper entries found{where}")
    report = ImportReport(unreadable=parsed.unreadable)
    existing = Index(store.papers)
    seen = Index()
    taken = {p.key for p in store.papers}
    for slug, entries in _placements(store, parsed, category, report):
        for entry in entries:
            paper = _paper(entry, slug, taken)
            found = existing.find(paper, fuzzy=False)
            if found is not None:
                report.skipped.append((entry.line, entry.title, found))
                continue
            repeat = seen.find(paper, fuzzy=False)
            if repeat is not None:
                report.repeated.append((entry.line, paper.key, repeat))
            seen.add(paper)
            taken.add(paper.key)
            store.papers.append(paper)
            report.added[slug] = report.added.get(slug, 0) + 1
            report.cleaned.extend((entry.line, paper.key, note) for note in entry.cleaned)
    return report


def _paper(entry: Entry, slug: str, taken: set[str]) -> Paper:
    return Paper(
        key=make_key(entry.authors, entry.year, entry.title, taken),
        title=entry.title,
        year=entry.year,
        authors=entry.authors,
        venue=entry.venue,
        url=entry.url,
        arxiv=entry.arxiv,
        doi=entry.doi,
        category=slug,
    )


def _placements(
    store: Store, parsed: ParsedList, category: str | None, report: ImportReport
) -> list[tuple[str, list[Entry]]]:
    """Which category each heading's entries go to, creating sections as needed."""
    if category is not None:
        if store.categories():
            return [(store.find_category(category).slug, parsed.entries())]
        store.sections.append(Section(category, file=f"{slugify(category)}.yaml"))
        report.new_categories.append(category)
        return [(slugify(category), parsed.entries())]
    out: list[tuple[str, list[Entry]]] = []
    slugs = {c.slug for c in store.categories()}
    everywhere = {fold(s.name): s for top in store.sections for _, s in top.walk()}
    _merge(store.sections, parsed.headings, out, slugs, everywhere, report)
    return out


def _merge(
    sections: list[Section],
    headings: list[Heading],
    out: list[tuple[str, list[Entry]]],
    slugs: set[str],
    everywhere: dict[str, Section],
    report: ImportReport,
) -> None:
    """Match headings to sections by name: at the same place first, else anywhere."""
    for heading in headings:
        name = fold(heading.name)
        section = next((s for s in sections if fold(s.name) == name), None) or everywhere.get(name)
        if section is None:
            section = Section(heading.name)
            sections.append(section)
            everywhere[name] = section
        if heading.entries:
            if not section.file:
                section.file = f"{_free_slug(heading.name, slugs)}.yaml"
                report.new_categories.append(heading.name)
            out.append((section.slug, heading.entries))
        _merge(section.sections, heading.children, out, slugs, everywhere, report)


def _free_slug(name: str, slugs: set[str]) -> str:
    base = slugify(name)
    slug, n = base, 2
    while slug in slugs:
        slug, n = f"{base}-{n}", n + 1
    slugs.add(slug)
    return slug


def import_translation(store: Store, path: Path, text: str, lang: str) -> list[tuple[str, str]]:
    """Take a translated README's headings as ``lang`` names of the store's sections.

    The translated list must have the same section tree as the store, with
    the same number of papers under each heading: headings are matched by
    position.  Returns (English name, translated name) pairs.
    """
    parsed = parse_markdown(text)
    pairs: list[tuple[str, str]] = []
    _align(path, store.sections, parsed.headings, lang, store, pairs)
    return pairs


def _align(
    path: Path,
    sections: list[Section],
    headings: list[Heading],
    lang: str,
    store: Store,
    pairs: list[tuple[str, str]],
) -> None:
    if len(sections) != len(headings):
        names = ", ".join(s.name for s in sections)
        raise InputError(
            f"{path}: {len(headings)} headings where the store has {len(sections)} ({names}); "
            "a translation must have the same sections in the same order"
        )
    for section, heading in zip(sections, headings):
        mine = len(store.in_category(section.slug)) if section.file else 0
        if mine != len(heading.entries):
            raise InputError(
                f"{path}:{heading.line}: {heading.name!r} lists {len(heading.entries)} papers "
                f"where {section.name!r} has {mine}"
            )
        section.translations[lang] = heading.name
        pairs.append((section.name, heading.name))
        _align(path, section.sections, heading.children, lang, store, pairs)
