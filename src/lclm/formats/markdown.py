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
from lclm.model import Paper
from lclm.store.core import Section, Store

START = "<!-- lclm:start -->"
END = "<!-- lclm:end -->"
TOP_LEVEL = 3  # top sections are "###", as in the seed
_ANCHOR_DROP_RE = re.compile(r"[^\w\- ]", re.UNICODE)
TOTALS = {
    "en": "{papers} papers in {categories} categories.",
    "zh": "共 {papers} 篇论文，{categories} 个类别。",
}


def render_entry(paper: Paper) -> str:
    """One list line: ``* **[Title.](url)** Authors. Venue, year``."""
    dot = "" if paper.title[-1:] in ".?!" else "."
    title = f"{paper.title}{dot}"
    head = f"**[{title}]({paper.url})**" if paper.url else f"**{title}**"
    parts = [f"* {head}"]
    if paper.authors:
        parts.append(", ".join(paper.authors) + ".")
    parts.append(f"{paper.venue}, {paper.year}" if paper.venue else str(paper.year))
    return " ".join(parts)


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
                lines.append(f"{'  ' * depth}- [{title}](#{anchor}) ({counts[id(section)]})")
    for top in store.sections:
        for depth, section in top.walk():
            level = min(TOP_LEVEL + depth, 6)
            lines += ["", f"{'#' * level} {section.title(lang)}", ""]
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


def refresh_readmes(store: Store) -> list[Path]:
    """Re-render every README with the markers next to the store; return those rewritten.

    Run after a command changed the store, so the published list never lags
    the data (and the pre-commit README check passes without a second step).
    """
    from lclm.store.core import read_text, write_atomic

    written = []
    for path in readme_files(store.root):
        current = read_text(path)
        if not has_markers(current):
            continue
        updated = splice_readme(path, current, render_list(store, lang=readme_lang(path)))
        if updated != current:
            write_atomic(path, updated)
            written.append(path)
    return written
