"""The list as one self-contained web page: pure, a ``Store`` in, HTML text out.

The page is rendered with Jinja2 from ``templates/page.html.j2``; its CSS
and JavaScript (``page.css``, ``page.js``) are read from the package and
inlined, and the papers-per-year chart is inline SVG, so the page needs no
network and works opened from disk.  Every paper is in the HTML (the list
reads without JavaScript, and Ctrl-F works); the script searches a JSON copy
of the fields it matches, which also carries each paper's BibTeX entry as
``lclm export bibtex --keys KEY`` writes it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from lclm.formats.exporters import exporter
from lclm.ids import arxiv_id
from lclm.model import OTHERS, Paper
from lclm.stats import Facts, facts, status
from lclm.store.layout import Section, Store
from lclm.text import slugify

# Authors shown before the rest fold away; a list at most FOLD_OVER long shows whole.
AUTHORS_SHOWN = 6
FOLD_OVER = 8
_ARXIV_VENUE_RE = re.compile(r"^arXiv preprint arXiv:\S+$", re.IGNORECASE)
# Links the page makes: web addresses only, never javascript: or data: from a record.
_SAFE_URL_RE = re.compile(r"^(?:https?|ftp)://", re.IGNORECASE)
# The page's own words; a language missing a word falls back to English.
UI: dict[str, dict[str, str]] = {
    "en": {
        "title": "Paper list",
        "summary": "{papers} papers in {categories} categories.",
        "sections": "Sections",
        "chart": "Papers per year",
        "axis": "papers",
        "chart_table": "Papers per year as a table",
        "year": "Year",
        "total": "Total",
        "search": "Search titles, names, authors, venues",
        "search_label": "Search",
        "section": "Section",
        "all_sections": "All sections",
        "from": "From",
        "to": "To",
        "status": "Kind",
        "all": "All",
        "published": "Published",
        "preprint": "Preprints",
        "other": "Other",
        "sort": "Sort",
        "relevance": "Best match",
        "list": "List order",
        "newest": "Newest first",
        "oldest": "Oldest first",
        "reset": "Clear",
        "matches": "{n} of {total} papers match.",
        "one_match": "1 of {total} papers matches.",
        "none": "No papers match.",
        "more": "Show more",
        "more_authors": "+{n} more",
        "fewer_authors": "fewer",
        "et_al": "et al.",
        "aka": "also known as",
        "code": "code",
        "bibtex": "BibTeX",
        "copy_bibtex": "Copy the BibTeX entry of {key}",
        "copied": "Copied",
        "permalink": "Link to this paper",
        "slash_hint": "Press / to search.",
        "made_with": "Made with lclm from the list's YAML.",
        "skip": "Skip to the list",
    },
    "zh": {
        "title": "论文列表",
        "summary": "共 {papers} 篇论文，{categories} 个类别。",
        "sections": "目录",
        "chart": "每年论文数",
        "axis": "论文数",
        "chart_table": "每年论文数（表格）",
        "year": "年份",
        "total": "合计",
        "search": "搜索标题、名称、作者、会议",
        "search_label": "搜索",
        "section": "类别",
        "all_sections": "全部类别",
        "from": "从",
        "to": "到",
        "status": "类型",
        "all": "全部",
        "published": "已发表",
        "preprint": "预印本",
        "other": "其他",
        "sort": "排序",
        "relevance": "最相关",
        "list": "列表顺序",
        "newest": "最新优先",
        "oldest": "最早优先",
        "reset": "清除",
        "matches": "{total} 篇中有 {n} 篇匹配。",
        "one_match": "{total} 篇中有 1 篇匹配。",
        "none": "没有匹配的论文。",
        "more": "显示更多",
        "more_authors": "另 {n} 位",
        "fewer_authors": "收起",
        "et_al": "等",
        "aka": "又名",
        "code": "代码",
        "copy_bibtex": "复制 {key} 的 BibTeX 条目",
        "copied": "已复制",
        "permalink": "本文链接",
        "slash_hint": "按 / 搜索。",
        "made_with": "由 lclm 从列表的 YAML 生成。",
        "skip": "跳到列表",
    },
}


@dataclass(slots=True)
class PageEntry:
    """What the page shows of one paper."""

    key: str
    title: str
    url: str
    aka: list[str]
    authors: list[str]
    more_authors: list[str]
    et_al: bool
    venue: str
    year: int
    status: str
    links: list[tuple[str, str]]
    where: str


@dataclass(slots=True)
class Heading:
    """A section of the page: its anchor, level, count, papers and subsections."""

    id: str
    title: str
    level: int
    count: int
    cats: list[str]
    entries: list[PageEntry] = field(default_factory=list)
    children: list[Heading] = field(default_factory=list)


def render_page(store: Store, lang: str = "en", title: str = "") -> str:
    """The whole page for ``store``: headings in ``lang``, ``title`` or a default one."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("lclm.formats", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    known = facts(store, lang, top=0)  # first: it refuses a language the list lacks
    words = {**UI["en"], **UI.get(lang, {})}
    headings = _headings(store, lang)
    return env.get_template("page.html.j2").render(
        lang=lang,
        title=title or words["title"],
        ui=words,
        facts=known,
        summary=words["summary"].format(papers=known.papers, categories=known.categories),
        headings=headings,
        chart=_chart(known, words),
        years=(min(known.by_year), max(known.by_year)) if known.by_year else (0, 0),
        css=_asset("page.css"),
        js=_asset("page.js"),
        data=script_json(_data(store, headings, words)),
    )


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<`` that could end it or open a comment."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def entry(paper: Paper, words: dict[str, str], where: str = "") -> PageEntry:
    """The shown form of ``paper``: links, folded authors, a short venue."""
    arxiv = arxiv_id(paper)
    arxiv_url = f"https://arxiv.org/abs/{arxiv}" if arxiv else ""
    doi_url = f"https://doi.org/{paper.doi}" if paper.doi else ""
    code = paper.code if _SAFE_URL_RE.match(paper.code) else ""
    links = [(label, url) for label, url in (("arXiv", arxiv_url), (words["code"], code), ("DOI", doi_url)) if url]
    names = [a for a in paper.authors if a != OTHERS]
    shown = names if len(names) <= FOLD_OVER else names[:AUTHORS_SHOWN]
    return PageEntry(
        key=paper.key,
        title=paper.title,
        url=(paper.url if _SAFE_URL_RE.match(paper.url) else "") or arxiv_url or doi_url,
        aka=list(paper.aka),
        authors=shown,
        more_authors=names[len(shown) :],
        et_al=OTHERS in paper.authors,
        venue="arXiv preprint" if _ARXIV_VENUE_RE.match(paper.venue) else paper.venue,
        year=paper.year,
        status=status(paper),
        links=links,
        where=where,
    )


def _headings(store: Store, lang: str) -> list[Heading]:
    words = {**UI["en"], **UI.get(lang, {})}
    by_category = _by_category(store)
    seen = {p.key for p in store.papers}  # a section's anchor never takes a paper's

    def build(section: Section, level: int, trail: tuple[str, ...]) -> Heading:
        name = section.title(lang)
        anchor = _unique(f"sec-{section.slug or slugify(section.name)}", seen)
        cats = [s.slug for _, s in section.walk() if s.file]
        where = " › ".join((*trail, name))
        papers = by_category.get(section.slug, []) if section.file else []
        return Heading(
            id=anchor,
            title=name,
            level=level,
            count=sum(len(by_category.get(c, [])) for c in cats),
            cats=cats,
            entries=[entry(p, words, where) for p in papers],
            children=[build(child, min(level + 1, 6), (*trail, name)) for child in section.sections],
        )

    return [build(top, 2, ()) for top in store.sections]


def _unique(anchor: str, seen: set[str]) -> str:
    out, n = anchor, 1
    while out in seen:
        n += 1
        out = f"{anchor}-{n}"
    seen.add(out)
    return out


def _by_category(store: Store) -> dict[str, list[Paper]]:
    by_category: dict[str, list[Paper]] = {}
    for paper in store.papers:
        by_category.setdefault(paper.category, []).append(paper)
    return by_category


def _data(store: Store, headings: list[Heading], words: dict[str, str]) -> dict[str, Any]:
    """What the script searches: per paper, in page order, the matched fields and the BibTeX."""
    by_category = _by_category(store)
    # The page's order: each section's papers, then its subsections' (as the template writes them).
    papers = [p for top in store.sections for _, s in top.walk() if s.file for p in by_category.get(s.slug, [])]
    to_bibtex = exporter("bibtex")  # what `lclm export bibtex --keys KEY` runs
    return {
        "fields": ["key", "title", "aka", "authors", "venue", "year", "category", "status", "bibtex"],
        "papers": [
            [p.key, p.title, p.aka, [a for a in p.authors if a != OTHERS], p.venue, p.year, p.category, status(p), to_bibtex([p])]
            for p in papers
        ],
        "sections": {h.id: h.cats for top in headings for h in _walk(top)},
        "ui": {k: words[k] for k in ("matches", "one_match", "none", "copied", "fewer_authors")},
    }


def _walk(heading: Heading) -> list[Heading]:
    return [heading, *(h for child in heading.children for h in _walk(child))]


def _chart(known: Facts, words: dict[str, str]) -> str:
    from lclm.formats.chart import cached_year_chart

    if not known.by_year_section:
        return ""
    return cached_year_chart(known.by_year_section, label=words["chart"], ylabel=words["axis"])


def _asset(name: str) -> str:
    return resources.files("lclm.formats").joinpath("templates", name).read_text(encoding="utf-8")
