"""Render the store as the list's Markdown, and splice it into a README.

Pure functions from papers to text; the CLI decides where the text goes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from lclm.errors import InputError
from lclm.model import Paper
from lclm.store import Section, Store

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


def splice_readme(path: Path, text: str, block: str) -> str:
    """``text`` with everything between the lclm markers replaced by ``block``."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < 0 or end < start:
        raise InputError(f"{path}: no '{START}' ... '{END}' markers to write the list between")
    head = text[: start + len(START)]
    return f"{head}\n{block}{text[end:]}"
