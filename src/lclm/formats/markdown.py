"""Render the store as the list's Markdown, and splice it into a README.

Pure functions from papers to text; the CLI decides where the text goes.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections import defaultdict
from pathlib import Path

from lclm.errors import InputError
from lclm.ids import arxiv_in, doi_in_url, normalize_doi
from lclm.model import Paper
from lclm.store.layout import Section, Store

START = "<!-- lclm:start -->"
END = "<!-- lclm:end -->"
TOP_LEVEL = 3  # top sections are "###", as in the seed
_ANCHOR_DROP_RE = re.compile(r"[^\w\- ]", re.UNICODE)
TOTALS = {
    "en": "{papers} papers in {categories} categories.",
    "zh": "共 {papers} 篇论文，{categories} 个类别。",
}


# Characters that would make a field's text into markup (links, emphasis, code, HTML,
# strike-through, table cells), and an ``&`` that would start an entity.  ``$`` stays:
# a title's $x$ is LaTeX the list reader decodes, and GitHub's maths shows it as meant.
_MARKUP_RE = re.compile(r"([\\`*_\[\]<>~|])|&(?=#?\w+;)")
# Characters a link's destination cannot hold as written.
_URL_ESCAPES = {ord(c): f"%{ord(c):02X}" for c in " ()<>[]\\"}


def escape(text: str) -> str:
    """``text`` as Markdown that shows exactly these characters: markup characters backslash-escaped.

    A title holding ``](https://evil.example)`` stays text and cannot re-point
    the paper's link; the list reader (``lclm import markdown``, a real
    CommonMark parser) reads the escapes back to the same text.
    """
    return _MARKUP_RE.sub(lambda m: "\\" + m.group(0), text)


def link_target(url: str) -> str:
    """A URL as a link destination: spaces, parentheses and brackets percent-encoded."""
    return url.translate(_URL_ESCAPES)


def render_entry(paper: Paper) -> str:
    """One list line: ``* **[Title.](url)** Authors. Venue, year [Code](repo)``.

    Where the plain ``Authors.`` would read back differently (a name ending
    in an initial or a one-letter name, like ``Weinan E``, or holding
    ``. ``), the authors are set in italics, ``_Authors._``, which the
    reader takes whole.  An arXiv id or DOI the title's link does not carry
    follows as an ``[arXiv](url)`` or ``[DOI](url)`` link, and the code
    repository as a ``[Code](url)`` link, so that the reader gets them back.
    """
    dot = "" if paper.title[-1:] in ".?!" else "."
    title = escape(f"{paper.title}{dot}")
    head = f"**[{title}]({link_target(paper.url)})**" if paper.url else f"**{title}**"
    parts = [f"* {head}"]
    if paper.authors:
        names = escape(", ".join(paper.authors))
        parts.append(f"_{names}._" if paper.venue and _ambiguous(paper.authors) else names + ".")
    parts.append(f"{escape(paper.venue)}, {paper.year}" if paper.venue else str(paper.year))
    if paper.arxiv and paper.arxiv not in (arxiv_in(paper.url), arxiv_in(paper.venue)):
        parts.append(f"[arXiv](https://arxiv.org/abs/{link_target(paper.arxiv)})")
    if paper.doi and normalize_doi(doi_in_url(paper.url)) != normalize_doi(paper.doi):
        parts.append(f"[DOI](https://doi.org/{link_target(paper.doi)})")
    if paper.code:
        parts.append(f"[Code]({link_target(paper.code)})")
    return " ".join(parts)


def _ambiguous(authors: list[str]) -> bool:
    """Whether ``A, B. Venue, year`` would not read back as these authors (the reader decides)."""
    from lclm.sources.markdown_fields import reads_back_plain

    return not reads_back_plain(authors)


def github_anchor(heading: str) -> str:
    """The fragment GitHub gives a heading: ``Survey & Technical Report`` -> ``survey--technical-report``."""
    return _ANCHOR_DROP_RE.sub("", heading.strip().lower()).replace(" ", "-")


def render_list(store: Store, lang: str = "en", toc: bool = True) -> str:
    """The whole list: a total, an optional table of contents with counts, then every section."""
    by_category: dict[str, list[Paper]] = defaultdict(list)
    for paper in store.papers:
        by_category[paper.category].append(paper)
    counts = {id(s): _count(s, by_category) for top in store.sections for _, s in top.walk()}
    totals = TOTALS.get(lang, TOTALS["en"])
    lines = [totals.format(papers=len(store.papers), categories=len(store.categories()))]
    if toc:
        lines.append("")
        anchors: dict[str, int] = {}
        for top in store.sections:
            for depth, section in top.walk():
                title = section.title(lang)
                anchor = _unique(github_anchor(title), anchors)
                lines.append(f"{'  ' * depth}- [{escape(title)}](#{anchor}) ({counts[id(section)]})")
    for top in store.sections:
        for depth, section in top.walk():
            level = min(TOP_LEVEL + depth, 6)
            lines += ["", f"{'#' * level} {escape(section.title(lang))}", ""]
            lines += [render_entry(p) for p in by_category.get(section.slug, [])] if section.file else []
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _count(section: Section, by_category: dict[str, list[Paper]]) -> int:
    return sum(len(by_category.get(s.slug, [])) for _, s in section.walk() if s.file)


def _unique(anchor: str, seen: dict[str, int]) -> str:
    """GitHub suffixes repeated anchors with -1, -2, ..."""
    n = seen.get(anchor, 0)
    seen[anchor] = n + 1
    return f"{anchor}-{n}" if n else anchor


def _marker_lines(text: str) -> tuple[int, int] | None:
    """Offsets of the start and end marker lines; markers count only on lines of their own."""
    start = end = -1
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped == START and start < 0:
            start = offset
        elif stripped == END and start >= 0:
            end = offset
            break
        offset += len(line)
    return (start, end) if start >= 0 and end >= 0 else None


def has_markers(text: str) -> bool:
    """Whether a README holds a generated list (both markers, on lines of their own)."""
    return _marker_lines(text) is not None


def splice_readme(path: Path, text: str, block: str) -> str:
    """``text`` with everything between the lclm marker lines replaced by ``block``."""
    found = _marker_lines(text)
    if found is None:
        raise InputError(f"{path}: no '{START}' ... '{END}' marker lines to write the list between")
    start, end = found
    head = text[start:].split("\n", 1)[0]
    return f"{text[: start + len(head)]}\n{block}{text[end:]}"


def readme_files(root: Path) -> list[Path]:
    """READMEs that may hold the rendered list: in the store and in the directory above it."""
    found: list[Path] = []
    for folder in dict.fromkeys((root, root.parent)):  # one folder when the store is "."
        with contextlib.suppress(OSError):
            names = sorted(n for n in os.listdir(folder) if n.startswith("README") and n.endswith(".md"))
            found += [folder / name for name in names]
    return found


def readme_lang(path: Path) -> str:
    """``README_zh.md`` is in ``zh``; ``README.md`` in English."""
    stem = path.stem
    return stem.split("_", 1)[1] if "_" in stem else "en"


def readme_updates(store: Store) -> list[tuple[Path, str]]:
    """Each README with the markers next to the store whose list is out of date, with its new text.

    The store transaction (``lclm.store.transaction``) writes them together
    with the store's files, so the published list never lags the data (and
    the pre-commit README check passes without a second step).
    """
    from lclm.store.files import read_text

    updates = []
    for path in readme_files(store.root):
        current = read_text(path)
        if not has_markers(current):
            continue
        updated = splice_readme(path, current, render_list(store, lang=readme_lang(path)))
        if updated != current:
            updates.append((path, updated))
    return updates
