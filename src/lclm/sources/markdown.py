"""Read a Markdown paper list (an awesome-list README) by its structure.

The file is parsed by markdown-it-py (CommonMark with GFM tables) into
blocks: headings give the section path (a year heading, ``### 2022``, also
gives its entries' year); list items (with their paragraphs), table rows
(each cell with its column's role) and paragraphs outside lists that open
with bold text or a link are entry candidates.  A bullet whose paragraphs
are a label and then one link each (``  - Retrieval methods`` and
``[Some Paper](url)`` lines) is a topic: each link paragraph is an entry.
A heading can be a paper itself: one that links to the paper
(``### [Title](arXiv)`` over ``- **Metrics:** ...`` detail bullets), or whose own
body holds the paper's link and/or a fenced BibTeX citation and no papers of its
own (``#### Title (PI)``, ``paper link: [here](url)``, a ```bibtex block, read by
``lclm.sources.bibtex``); headings are papers only where most headings of their
level look like one, and the headings above them are then the sections.
A table written in HTML is read row by row like a GFM table.  A table with
no title column (a table of models, each with a "Paper" link) has its rows
set aside, their arXiv ids noted: given the titles arXiv has for them
(``titles``, what ``import --fetch`` asks), they are read with those.  An
entry may state its fields below it: nested bullets labelled as a table's
header would be (``- 📅 Date: ...``, ``- Code: [x](url)``, a first bullet of
names) and a ``<details>`` block (its summary more of the entry, its body the
abstract or the note) are read into it; description and abstract columns
give the note and the abstract.  A paragraph of bold text alone over a list
of such fields (``**Title**`` then ``- Paper: https://...``) is one entry.  A heading that names a month and a year (a weekly list's
``## Top ML Papers of the Week (June 23 - June 29) - 2025``) gives a year last of all.
Each candidate is read by the roles of its parts (``lclm.sources.markdown_entry``).
Fenced code and HTML comments are skipped; paper lines indented into a code
block are set aside with their lines, not dropped unseen.  A section whose heading says it
is not part of the list is set aside with its reason: news and the like with
their subsections, "Contents"/"Resources"/"Tools" only what stands directly
under them (a list's papers often follow ``## 📖Contents``).

Pure: text in, ``ParsedList`` out.  What was cleaned on the way is recorded
per entry; every item that looked like an entry but could not be read is
kept with its line number and the reason, and every item set aside keeps its
line, so an import can account for each one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html import unescape as html_unescape
from typing import TYPE_CHECKING, Any

from lclm.ids import arxiv_in
from lclm.sources.markdown_entry import (
    LINK_ONLY,
    NO_PAPER_LINK,
    ListEntry,
    Problem,
    read_entry,
)
from lclm.sources.markdown_fields import MONTH_WORD_RE
from lclm.sources.markdown_parts import (
    YEAR_RE,
    Parts,
    add_inline,
    is_external,
    is_role_label,
    link_role,
    preclean,
)
from lclm.sources.markdown_title import clean_title
from lclm.text import INVISIBLE, collapse_spaces

if TYPE_CHECKING:
    from collections.abc import Mapping

    from lclm.model import Paper

__all__ = ["ListEntry", "Heading", "ParsedList", "Problem", "SetAside", "parse_markdown"]

# Sections whose headings (or <details> summaries) say they are not part of the paper list:
# the whole heading, emoji and punctuation aside ("📢 News", "How to cite"), never a word
# inside a research topic ("Fake News Detection", "Knowledge Updates", "Citation Generation").
# News and the like set aside their subsections too (date groups); a "Contents" or "Resources"
# heading sets aside only what stands directly under it, never the sections that follow it
# (a list's papers often sit under "## 📖Contents" or "## 📜 Resources").
_NEWS = (
    r"(?:(?:latest|recent|weekly|daily|monthly)\s+)?(?:news(?:\s*(?:&|and)\s*updates?)?|updates?|what'?s\s+new|changelog)"
    r"|star\s+history|citations?|how\s+to\s+cite|cite(?:\s+(?:us|this))?|contributors?|contributing|contributions?"
    r"|acknowledge?ments?|license|新闻|引用"
)
_MENU = r"table\s+of\s+contents|contents|quick\s+links?|tools?|toolkits?|projects?|resources|libraries|frameworks|目录"
# Events, not papers: "# Workshops", "## Tutorials", "## Conferences, workshops".
_EVENTS = r"workshops?|tutorials?|courses?|lectures?|talks?|conferences?|events?"
_EVENT_LIST = rf"(?:{_EVENTS})(?:\s*(?:,|&|/|\band\b)\s*(?:{_EVENTS}))*"
NOT_PAPERS_RE = re.compile(rf"^\W*(?:{_NEWS}|{_MENU}|{_EVENT_LIST})\W*$", re.IGNORECASE)
NEWS_RE = re.compile(rf"^\W*(?:{_NEWS})\W*$", re.IGNORECASE)
# Table header words and the role of the column they head.
COLUMN_ROLES = (
    (re.compile(r"title|paper|name|标题|论文|名字|名称", re.I), "title"),
    (re.compile(r"date|year|time|month|日期|时间|年份|年代", re.I), "date"),
    (re.compile(r"venue|conf|journal|publi(?:cation|shed|sher)|pub\b|会议|期刊|出处", re.I), "venue"),
    (re.compile(r"author|作者", re.I), "authors"),
    (re.compile(r"code|github|repo|link|url|pdf|arxiv", re.I), "links"),
    (re.compile(r"abstract|摘要", re.I), "abstract"),
    (re.compile(r"intro|overview|description|summary|note|comment|tl;?dr|简介", re.I), "note"),
    (re.compile(r"figure|image|keyword|tag", re.I), "skip"),
)
# Roles whose text is kept apart from the parts an entry is read from: the list's description of the paper
# (its ``note``) and the paper's abstract.
_PROSE_ROLES = ("note", "abstract")
YEAR_HEADING_RE = re.compile(r"^\W*(?:year\s+|papers?\s+(?:in|of)\s+)?((?:19|20)\d\d)(?:\s+papers?)?\W*$", re.IGNORECASE)
UNTITLED = "Papers"  # the section for entries above the first heading
NOT_PAPER_LIST = "not a paper list"  # why a section's entries are set aside


@dataclass(slots=True)
class Heading:
    """A heading of the Markdown file and what stands under it."""

    level: int
    name: str
    line: int
    entries: list[ListEntry] = field(default_factory=list)
    children: list[Heading] = field(default_factory=list)

    def count(self) -> int:
        return len(self.entries) + sum(c.count() for c in self.children)


@dataclass(frozen=True, slots=True)
class SetAside:
    """Entries not imported, and why: their section is not a paper list (news, tools, ...), or they are no papers."""

    line: int
    heading: str
    count: int
    reason: str = NOT_PAPER_LIST
    lines: tuple[int, ...] = ()  # the source line of each entry set aside


@dataclass(slots=True)
class ParsedList:
    """The heading forest holding papers, the items that could not be read, and what was set aside."""

    headings: list[Heading]
    problems: list[Problem] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    unread_headings: list[tuple[int, str, int]] = field(default_factory=list)  # line, name, entries not read
    seen: dict[str, int] = field(default_factory=dict)  # blocks of the file by kind ("headings": 12, ...)
    no_title: dict[int, str] = field(default_factory=dict)  # line -> arXiv id of a row set aside for want of a title

    def entries(self) -> list[ListEntry]:
        out: list[ListEntry] = []
        stack = list(reversed(self.headings))
        while stack:
            h = stack.pop()
            out.extend(h.entries)
            stack.extend(reversed(h.children))
        return out


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    class AsWritten(MarkdownIt):
        """Link targets kept as written (no percent-encoding): the URL stored is the list's own."""

        def normalizeLink(self, url: str) -> str:  # noqa: N802 - markdown-it's name
            return url

        def normalizeLinkText(self, link: str) -> str:  # noqa: N802
            return link

    return AsWritten("commonmark").enable("table")


@dataclass(slots=True)
class _Item:
    """A list item, table row or paragraph being read: its inline content, paragraph by paragraph."""

    level: int
    line: int
    seq: int
    heading: Heading
    parts: Parts = field(default_factory=Parts)
    raw: list[str] = field(default_factory=list)
    paragraphs: list[tuple[int, list[Any], str]] = field(default_factory=list)  # line, inline children, source
    prose: dict[str, str] = field(default_factory=dict)  # "note" / "abstract" -> the text the list gives
    details: list[_Detail] = field(default_factory=list)  # nested bullets that may state fields of this item
    nested: int = 0  # nested bullets closed so far
    from_arxiv: bool = False  # its title is the one arXiv gives its paper (a table with no title column)


@dataclass(slots=True)
class _Detail:
    """A nested bullet that may state a field of its parent's paper: ``- 📅 Date: May 2024``, ``- Ann Lee, Bo Li``.

    ``role`` is what its label names (a ``COLUMN_ROLES`` role), ``""`` for a
    label the table does not know; ``value`` the Markdown after the label.
    """

    item: _Item
    role: str
    value: str
    label: str = ""


@dataclass(slots=True)
class _Skip:
    level: int
    name: str
    line: int
    count: int = 0
    reason: str = NOT_PAPER_LIST
    lines: list[int] = field(default_factory=list)


class _Reader:
    """One pass over the token stream."""

    def __init__(self, titles: Mapping[int, str] | None = None) -> None:
        self.titles = dict(titles or {})  # line -> a title for a row whose table has no title column (from arXiv)
        self.no_title: dict[int, str] = {}  # line -> arXiv id of a row set aside for want of a title
        self.root = Heading(0, "", 0)
        self.stack = [self.root]
        self.found: list[tuple[int, Heading, ListEntry]] = []
        self.problems: list[Problem] = []
        self.failed: dict[int, tuple[Heading, int]] = {}  # id(heading) -> (heading, problems under it)
        self.skips: list[_Skip] = []
        self.links: dict[tuple[int, str], _Skip] = {}  # (id(heading), reason) -> the items under it that are no papers
        self.skip: _Skip | None = None
        self.details: list[_Skip | None] = []
        self.items: list[_Item] = []
        self.row: _Item | None = None
        self.para: _Item | None = None  # a paragraph outside any list or table
        self.headers: list[str] = []
        self.untitled_rows: list[int] = []  # rows of the table being read that have a paper link but no title column
        self.held: _Item | None = None  # a paragraph of bold text alone: a paper if a list of its fields follows
        self.detailing: _Item | None = None  # that paragraph, while its list is read
        self.in_head = False
        self.seq = 0
        self.seen = {"headings": 0, "paper headings": 0, "list items": 0, "table rows": 0, "paragraphs": 0}

    def read(self, tokens: list[Any]) -> None:
        papers = paper_headings(tokens)
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            self.count(kind, i in papers)
            if kind == "heading_open" and i in papers:
                self.heading_entry(tokens, i, papers[i])
                i = papers[i]
                continue
            if kind == "heading_open":
                self.held = None
                self.heading(tok, tokens[i + 1])
                i += 3
                continue
            if kind == "html_block":
                self.html_block(tok.content)
                if self.items:
                    self.folded(self.items[-1], tok.content)
                if "<table" in tok.content.lower() or "<tr" in tok.content.lower():
                    self.html_table(tok)
            elif kind == "code_block":
                self.code_block(tok)
            elif kind == "list_item_open":
                self.items.append(self.item(tok))
            elif kind == "list_item_close":
                item = self.items.pop()
                parent = self.items[-1] if self.items else self.detailing
                if not (parent is not None and self.detail(parent, item)):
                    self.finish_item(item)
            elif kind in ("bullet_list_open", "ordered_list_open") and not self.items:
                self.detailing, self.held = self.held, None  # "**Title**" then "- Paper: ...": the list states its fields
            elif kind in ("bullet_list_close", "ordered_list_close") and not self.items and self.detailing is not None:
                if any(d.role for d in self.detailing.details):
                    self.finish_item(self.detailing)
                else:  # a bold line over a list of papers or notes: a heading of sorts, as before
                    for d in self.detailing.details:
                        self.finish_item(d.item)
                self.detailing = None
            elif kind == "paragraph_open" and not self.items and self.row is None:
                self.para, self.held = self.item(tok), None
            elif kind == "paragraph_close" and self.para is not None:
                if _entry_shaped(self.para.parts):
                    self.finish(self.para)
                elif _bold_line(self.para.parts):
                    self.held = self.para
                self.para = None
            elif kind == "thead_open":
                self.in_head, self.headers = True, []
            elif kind == "thead_close":
                self.in_head = False
            elif kind == "tr_open" and not self.in_head:
                self.row = self.item(tok)
            elif kind == "tr_close" and self.row is not None:
                self.table_row(self.row)
                self.row = None
            elif kind == "table_close":
                self.set_aside_untitled()
            elif kind == "inline":
                self.inline(tok)
            i += 1

    def count(self, kind: str, paper: bool) -> None:
        """Count the blocks seen, for the account of a file with no entries."""
        what = {"heading_open": "paper headings" if paper else "headings", "list_item_open": "list items", "tr_open": "table rows"}.get(kind)
        if kind == "paragraph_open" and not self.items and self.row is None:
            what = "paragraphs"
        if what is not None:
            self.seen[what] += 1

    def item(self, tok: Any) -> _Item:
        self.seq += 1
        line = tok.map[0] + 1 if tok.map else 0
        return _Item(tok.level, line, self.seq, self.stack[-1])

    def heading(self, tok: Any, inline: Any) -> None:
        level, name, line = int(tok.tag[1]), inline_text(inline), tok.map[0] + 1
        if self.skip is not None and level > self.skip.level > 1 and NEWS_RE.search(self.skip.name):
            return  # a subsection of a news section: a date group ("# News" is sometimes the document's own heading)
        self.skip = _Skip(level, name, line) if NOT_PAPERS_RE.search(name) else None
        if self.skip is not None:
            self.skips.append(self.skip)
        while self.stack[-1].level >= level:
            self.stack.pop()
        node = Heading(level, name, line)
        self.stack[-1].children.append(node)
        self.stack.append(node)

    def heading_entry(self, tokens: list[Any], start: int, end: int) -> None:
        """A heading that is a paper (``### [Title](arXiv)``, ``#### Title`` over its link and BibTeX): one entry.

        The heading gives the title (and its link); the body's paper links and
        its BibTeX block are read too; detail bullets ("Metrics: ...") are not
        entries, nor authors.
        """
        self.seq += 1
        tok, inline = tokens[start], tokens[start + 1]
        item = _Item(int(tok.tag[1]), tok.map[0] + 1, self.seq, self.stack[-1])
        add_inline(item.parts, inline.children or [])
        item.raw.append(inline.content)
        body = tokens[start + 3 : end]
        own = {k.href for k in item.parts.links}
        extra = [h for h in _body_paper_links(body) if h not in own]
        if extra:
            add_inline(item.parts, _parser().parseInline(f"[paper]({extra[0]})")[0].children or [])
        said = _closing_venue(body)
        if said:  # "... (ICML 2025)" closing the summary: the venue the list gives the paper
            add_inline(item.parts, _parser().parseInline(f"({said})")[0].children or [])
        item.raw.extend(t.content for t in body if t.type in ("inline", "fence"))
        cited = _bibtex_paper(body)
        result = read_entry(
            item.parts, item.line, "\n".join(item.raw), section_year=self.section_year(), heading=True,
            listed_year=self.listed_year(),
        )
        if cited is not None and not isinstance(result, str):
            result = _with_citation(result, cited, item.line, inline_text(inline))
        self.finish_result(item, result)

    def html_block(self, html: str) -> None:
        for match in re.finditer(r"<details|</details>|<summary>(.*?)</summary>", html, re.I | re.S):
            if match[0].lower() == "<details":
                self.details.append(None)
            elif match[0].lower() == "</details>":
                if self.details:
                    self.details.pop()
            elif self.details and NOT_PAPERS_RE.search(re.sub(r"<[^>]+>", "", match[1])):
                skip = _Skip(99, collapse_spaces(re.sub(r"<[^>]+>", "", match[1])), 0)
                self.details[-1] = skip
                self.skips.append(skip)

    def inline(self, tok: Any) -> None:
        raw = tok.content
        clean = preclean(raw)
        children = tok.children if clean == raw else _parser().parseInline(clean)[0].children
        if self.row is not None:
            column = len(self.row.raw)
            role = self.headers[column] if column < len(self.headers) else "other"
            if role in _PROSE_ROLES:
                _add_prose(self.row, role, inline_text(tok))
            else:
                add_inline(self.row.parts, children or [], role)
            self.row.raw.append(raw)
        elif self.in_head:
            self.headers.append(column_role(inline_text(tok)))
        elif self.items and tok.level == self.items[-1].level + 2:
            folded = _FOLDED_START_RE.search(raw)
            if folded is not None:  # "<details>" right under the item's line: read as a folded block, not as text
                raw, rest = raw[: folded.start()], raw[folded.start() :]
                children = _parser().parseInline(preclean(raw))[0].children
            add_inline(self.items[-1].parts, children or [])
            self.items[-1].raw.append(raw)
            if folded is not None:
                self.folded(self.items[-1], rest)
            self.items[-1].paragraphs.append((tok.map[0] + 1 if tok.map else self.items[-1].line, children or [], raw))
        elif self.para is not None:
            add_inline(self.para.parts, children or [])
            self.para.raw.append(raw)

    def finish(self, item: _Item, table: bool = False) -> None:
        if not item.raw:
            return
        raw = " | ".join(item.raw) if table else "\n".join(item.raw)
        result = read_entry(
            item.parts, item.line, raw, table=table, section_year=self.section_year(), listed_year=self.listed_year()
        )
        if isinstance(result, ListEntry) and item.prose:
            result.note = " ".join(n for n in (result.note, item.prose.get("note", "")) if n)
            result.abstract = item.prose.get("abstract", "")
        if isinstance(result, ListEntry) and item.from_arxiv:
            result.cleaned.append("took the title from arXiv (the table has no title column)")
        self.finish_result(item, result)

    def finish_result(self, item: _Item, result: ListEntry | Problem | str | None) -> None:
        """Count an item's reading: an entry under its heading, a problem, or set aside with its reason."""
        if result is None:
            return
        skip = next((d for d in reversed(self.details) if d is not None), None) or self.skip
        if isinstance(result, str) and skip is None:  # LINK_ONLY or NEWS_ITEM: not a paper
            self.link_only(item, result)
        elif skip is not None:  # in a section set aside, every item counts once, under the section
            skip.count += 1
            skip.lines.append(item.line)
        elif isinstance(result, Problem):
            self.problems.append(result)
            heading, count = self.failed.get(id(item.heading), (item.heading, 0))
            self.failed[id(item.heading)] = (heading, count + 1)
        elif isinstance(result, ListEntry):
            self.found.append((item.seq, self.untitled() if item.heading is self.root else item.heading, result))

    def detail(self, parent: _Item, child: _Item) -> bool:
        """Whether a nested bullet that just closed may state a field of ``parent``'s paper; it waits on ``parent`` then.

        A detail is one paragraph: a label the way a table's header would name it
        and a value (``📅 Date: August 12, 2026``, ``**Publisher:** ICLR 2026``),
        or, as the first nested bullet, a line of names and nothing else.  A
        bullet that links a title (``Paper: [Periodic RoPE for ...](url)``), or
        whose label is unknown and whose value links out (``ViT: [url](url)``),
        is a paper of its own, never a detail.
        """
        parent.nested += 1
        if len(child.paragraphs) != 1 or child.details or not _paper_like(parent.parts):
            return False
        if any(len(k.label.split()) >= _TITLE_WORDS and is_external(k.href) for k in child.parts.links):
            return False  # "Paper: [Periodic RoPE for Infinite Context LLMs](url)": a paper of its own
        _, children, raw = child.paragraphs[0]
        label = _label(children)
        if label is None:
            if parent.nested > 1 or child.parts.links or any(r.strong for r in child.parts.runs):
                return False
            if not _name_line("".join(r.text for r in child.parts.runs)):
                return False
            parent.details.append(_Detail(child, "authors", raw, "Authors"))
            return True
        role = column_role(label, default="links" if is_role_label(label) else "", words=True)  # "Homepage: <url>": a link
        value = raw.split(":", 1)[1].lstrip(" *_")
        if not value.strip() or not role and child.parts.links:
            return False  # "**Complex Code:**" over a table: a label with nothing after it is a heading
        parent.details.append(_Detail(child, "links" if role == "title" else role, value, label))
        return True

    def folded(self, item: _Item, html: str) -> None:
        """A ``<details>`` block under an item: its ``<summary>`` and body state the item's paper.

        A summary that names a role (``Abstract``, ``TL;DR``) makes the body that
        text; any other summary is more of the entry (``Authors <em>Venue</em>
        Year``) and the body, prose the list gives, is the abstract when it is
        abstract-sized (``_ABSTRACT_WORDS``), else the list's note.
        """
        for found in _FOLDED_RE.finditer(html):
            summary = collapse_spaces(re.sub(r"<[^>]+>", " ", found["summary"]))
            body = collapse_spaces(html_unescape(re.sub(r"<[^>]+>", " ", found["body"])))
            role = column_role(summary.strip(" :"), default="", whole=True)
            if not role:  # emphasis sets the summary's parts apart: "Ann Lee, Bo Li <em>Venue</em> 2024"
                parted = re.sub(r"</?(?:em|i)>", "<br>", found["summary"].strip(), flags=re.IGNORECASE)
                add_inline(item.parts, _parser().parseInline(preclean(parted))[0].children or [])
                item.raw.append(found["summary"].strip())
                role = "abstract" if len(body.split()) >= _ABSTRACT_WORDS else "note"
            if body and role in _PROSE_ROLES:
                _add_prose(item, role, body)

    def finish_item(self, item: _Item) -> None:
        """A list item; a topic bullet (a label, then one paper per paragraph) gives one entry per paragraph.

        Its nested bullets that state fields (``detail``) are read into it when
        at least one names a field the table knows (or is the line of names); else
        they are items of their own after all.
        """
        if any(d.role for d in item.details):
            for d in item.details:
                if d.role in _PROSE_ROLES:
                    _add_prose(item, d.role, inline_text(_parser().parseInline(preclean(d.value))[0]))
                elif d.role == "links":  # "Code: [MEDA](url)": a link the label names, never the title
                    said = " ".join(f"[{d.label}]({k.href})" for k in d.item.parts.links if is_external(k.href))
                    add_inline(item.parts, _parser().parseInline(said)[0].children or [], d.role)
                    item.raw.append(d.value)
                elif d.role and d.role != "skip":
                    add_inline(item.parts, _parser().parseInline(preclean(d.value))[0].children or [], d.role)
                    item.raw.append(d.value)
        else:
            for d in item.details:
                self.finish_item(d.item)
        papers = item.paragraphs[1:]
        if len(item.paragraphs) < 2 or _has_link(item.paragraphs[0][1]) or not all(_titled_link(c) for _, c, _ in papers):
            self.finish(item)
            return
        for line, children, raw in papers:
            self.seq += 1
            one = _Item(item.level, line, self.seq, item.heading, raw=[raw])
            add_inline(one.parts, children)
            self.finish(one)

    def table_row(self, row: _Item) -> None:
        """Read a table row, or set it aside (``untitled_rows`` when it lacks a title).

        A row with a title is read; one that links a paper but has no title (a
        table of models: ``| Some Model | [[Paper](arXiv)] |``) waits for its
        arXiv title (``titled``); in a table with no title column, a row whose
        links are no paper's (projects, datasets, tools) is set aside as no paper.
        """
        if _titled_row(row.parts):
            self.finish(row, table=True)
        elif any(_paper_link(k.href, k.label) for k in row.parts.links):
            if not self.titled(row):
                self.untitled_rows.append(row.line)
        elif "title" in self.headers:
            self.finish(row, table=True)  # its title cell is empty: reported as such
        elif any(is_external(k.href) for k in row.parts.links):
            self.link_only(row, NO_PAPER_LINK)

    def titled(self, row: _Item) -> bool:
        """A row of a table with no title column, read with the title arXiv gives its paper (``titles``), if it
        was given one; else its arXiv id is noted (``no_title``) and False: the row is set aside."""
        arxiv = next((found for k in row.parts.links if (found := arxiv_in(k.href))), "")
        title = self.titles.get(row.line)
        if title is None or not arxiv:
            if arxiv:
                self.no_title[row.line] = arxiv
            return False
        row.parts.cells = {segment: "other" if role == "title" else role for segment, role in row.parts.cells.items()}
        escaped = re.sub(r"([\\\[\]*_`<])", r"\\\1", title)
        add_inline(row.parts, _parser().parseInline(f"[{escaped}](https://arxiv.org/abs/{arxiv})")[0].children or [], "title")
        row.from_arxiv = True
        self.finish(row, table=True)
        return True

    def html_table(self, tok: Any) -> None:
        """The rows of a table written in HTML, read as a Markdown table's rows: ``<th>`` cells give the
        columns' roles, each ``<td>`` cell is parsed as inline Markdown (its ``<a href>``, ``<b>``, ``<br>``)."""
        start = tok.map[0] + 1 if tok.map else 0
        for row in _HTML_ROW_RE.finditer(tok.content):
            cells = list(_HTML_CELL_RE.finditer(row[1]))
            if not cells:
                continue
            texts = [collapse_spaces(cell[2].replace("\n", " ")) for cell in cells]
            if all(cell[1].lower() == "h" or _BOLD_ONLY_RE.fullmatch(text) for cell, text in zip(cells, texts, strict=True)):
                self.headers = [column_role(re.sub(r"<[^>]+>", "", text)) for text in texts]
                continue
            line = start + tok.content.count("\n", 0, row.start())
            item = _Item(0, line, self.seq + 1, self.stack[-1])
            self.seq += 1
            for column, text in enumerate(texts):
                role = self.headers[column] if column < len(self.headers) else "other"
                add_inline(item.parts, _parser().parseInline(preclean(text))[0].children or [], role)
                item.raw.append(text)
            self.table_row(item)
        self.headers = []
        self.set_aside_untitled()

    def set_aside_untitled(self) -> None:
        """Count the rows of the table just read that were set aside for want of a title, under its heading."""
        if self.untitled_rows:
            lines, self.untitled_rows = self.untitled_rows, []
            name = self.stack[-1].name or UNTITLED
            self.skips.append(_Skip(99, name, lines[0], count=len(lines), reason=NO_TITLE_COLUMN, lines=lines))

    def code_block(self, tok: Any) -> None:
        """Paper lines indented into a code block (``    - [Title](arxiv...)`` after a heading): the page shows
        them as code, so they are no entries, but they are counted and named, never dropped unseen."""
        start = tok.map[0] + 1 if tok.map else 0
        lines = [start + n for n, text in enumerate(tok.content.splitlines()) if _paper_link_in(text)]
        if not lines:
            return
        heading = self.stack[-1]
        skip = _Skip(99, heading.name or UNTITLED, lines[0], count=len(lines), reason=CODE_BLOCK, lines=lines)
        self.skips.append(skip)

    def link_only(self, item: _Item, reason: str = LINK_ONLY) -> None:
        """Count an item that is no paper (``LINK_ONLY``, ``NEWS_ITEM``) under its heading's set-aside for that reason."""
        heading = item.heading
        skip = self.links.get((id(heading), reason))
        if skip is None:
            skip = self.links[(id(heading), reason)] = _Skip(99, heading.name or UNTITLED, item.line, reason=reason)
            self.skips.append(skip)
        skip.count += 1
        skip.lines.append(item.line)

    def section_year(self) -> int | None:
        """The year the innermost year heading names (``### 2021``, ``## Year 2024``), if any."""
        for heading in reversed(self.stack):
            found = YEAR_HEADING_RE.match(heading.name)
            if found is not None:
                return int(found[1])
        return None

    def listed_year(self) -> int | None:
        """The year of the innermost dated heading, one naming a month and a single year
        (``## Top ML Papers of the Week (June 23 - June 29) - 2025``): when the list took the
        paper up, weaker evidence of its year than an arXiv id."""
        for heading in reversed(self.stack):
            years = set(YEAR_RE.findall(heading.name))
            if len(years) == 1 and MONTH_WORD_RE.search(heading.name):
                return int(years.pop())
        return None

    def untitled(self) -> Heading:
        """The section for entries above the first heading."""
        if self.root.children[:1] and self.root.children[0].line == 0:
            return self.root.children[0]
        heading = Heading(1, UNTITLED, 0)
        self.root.children.insert(0, heading)
        return heading

    def result(self) -> ParsedList:
        for _, heading, entry in sorted(self.found, key=lambda f: f[0]):
            heading.entries.append(entry)
        set_aside = [SetAside(s.line, s.name, s.count, s.reason, tuple(sorted(s.lines))) for s in self.skips if s.count]
        problems = sorted(self.problems, key=lambda p: p.line)
        unread = [(h.line, h.name, n) for h, n in self.failed.values() if not h.entries and h is not self.root]
        return ParsedList(_trim(_prune(self.root.children)), problems, set_aside, unread, dict(self.seen), self.no_title)


# A cell that is only bold text and no link: a header written with <td><strong>.
_BOLD_ONLY_RE = re.compile(r"\s*<(strong|b)>[^<]*</\1>\s*", re.IGNORECASE)
_HTML_ROW_RE = re.compile(r"<tr\b[^>]*>(.*?)(?:</tr>|(?=<tr\b)|$)", re.IGNORECASE | re.DOTALL)
_HTML_CELL_RE = re.compile(r"<t([hd])\b[^>]*>(.*?)(?:</t[hd]>|(?=<t[hd]\b)|$)", re.IGNORECASE | re.DOTALL)
CODE_BLOCK = "in an indented code block (the page shows it as code, not a list; indent it less to read it)"
NO_TITLE_COLUMN = "a row of a table with no title column (a model or result with its paper's link; --fetch takes arXiv's title)"
_MD_LINK_RE = re.compile(r"\]\((https?://[^)\s]+)\)")
_HTML_HREF_RE = re.compile(r"""href\s*=\s*["'](https?://[^"']+)["']""", re.IGNORECASE)


def _paper_link_in(text: str) -> bool:
    """Whether text holds a Markdown or HTML link to a paper."""
    return any(link_role(href) == "paper" for href in _MD_LINK_RE.findall(text) + _HTML_HREF_RE.findall(text))


def parse_markdown(text: str, titles: Mapping[int, str] | None = None) -> ParsedList:
    """Parse a README into headings and entries; see the module docstring.

    ``titles`` (source line -> title) gives the rows of a table with no title
    column the titles their papers have on arXiv (``no_title`` names their ids);
    without it those rows are set aside.
    """
    reader = _Reader(titles)
    reader.read(_parser().parse(text))
    return reader.result()


# A heading is a paper when it links to a paper itself, or its own body (no subheading) carries a paper link
# or a BibTeX block and no sub-entries; a level's headings are papers only when most of them look like one,
# so a lone section heading that links somewhere stays a section.
_TITLE_WORDS = 3  # a body link labelled with this many words names a paper of its own (a sub-entry)


def paper_headings(tokens: list[Any]) -> dict[int, int]:
    """The headings that are paper entries: token index of each ``heading_open`` -> the end of its body."""
    opens = [i for i, t in enumerate(tokens) if t.type == "heading_open"]
    shaped: dict[int, tuple[int, bool, bool]] = {}  # index -> (level, looks like a paper, is a web link)
    ends: dict[int, int] = {}
    for n, i in enumerate(opens):
        end = opens[n + 1] if n + 1 < len(opens) else len(tokens)
        level = int(tokens[i].tag[1])
        has_child = end < len(tokens) and int(tokens[end].tag[1]) > level
        children = tokens[i + 1].children or []
        hrefs = [str(c.attrs.get("href", "")) for c in children if c.type == "link_open"]
        web = bool(hrefs) and all(is_external(h) for h in hrefs) and _link_heading(children)
        body = tokens[i + 3 : end]
        if has_child or _sub_entries(body):
            shaped[i] = (level, False, False)
            continue
        paper = web and link_role(hrefs[0]) == "paper" or bool(_body_paper_links(body)) or _bibtex_fence(body) is not None
        shaped[i] = (level, paper, web)
        ends[i] = end
    by_level: dict[int, list[tuple[int, bool]]] = {}
    for i, (level, paper, _) in shaped.items():
        by_level.setdefault(level, []).append((i, paper))
    out: dict[int, int] = {}
    for heads in by_level.values():
        papers = sum(p for _, p in heads)
        cited = any(p and _bibtex_fence(tokens[i + 3 : ends[i]]) is not None for i, p in heads)
        if 2 * papers <= len(heads) or papers < 2 and not cited:  # one linked heading alone is no pattern; a citation is
            continue
        out.update((i, ends[i]) for i, p in heads if p or shaped[i][2])
    return out


def _link_heading(children: list[Any]) -> bool:
    """Whether a heading's text is (nearly all) one link's label: ``### [Title](url)``."""
    inside = outside = 0
    depth = 0
    for c in children:
        if c.type == "link_open":
            depth += 1
        elif c.type == "link_close":
            depth -= 1
        elif c.type == "text":
            if depth:
                inside += len(c.content.strip())
            else:
                outside += len(c.content.strip())
    return inside > 0 and outside <= inside // 4


def _links_of(tok: Any) -> list[tuple[str, str]]:
    """The web links (href, label) of an inline token."""
    out: list[tuple[str, str]] = []
    href, label = "", ""
    for c in tok.children or []:
        if c.type == "link_open":
            href, label = str(c.attrs.get("href", "")), ""
        elif c.type == "text" and href:
            label += c.content
        elif c.type == "link_close" and href:
            if is_external(href):
                out.append((href, label))
            href = ""
    return out


def _paper_link(href: str, label: str) -> bool:
    return link_role(href, label) == "paper"




def _body_paper_links(body: list[Any]) -> list[str]:
    """The body's links to the paper itself (``paper link: [here](arXiv)``), outside lists and tables."""
    depth, out = 0, list[str]()
    for tok in body:
        depth += {"list_item_open": 1, "tr_open": 1, "list_item_close": -1, "tr_close": -1}.get(tok.type, 0)
        if tok.type == "inline" and depth == 0:
            out.extend(h for h, label in _links_of(tok) if _paper_link(h, label) and len(label.split()) < _TITLE_WORDS)
    return list(dict.fromkeys(out))


def _sub_entries(body: list[Any]) -> bool:
    """Whether a heading's body lists papers of its own (a list item or table row with a paper link, or a
    paragraph linking a titled paper): then it is a section.  Detail bullets ("**Comments:** ...") are not."""
    depth = 0
    for tok in body:
        depth += {"list_item_open": 1, "tr_open": 1, "list_item_close": -1, "tr_close": -1}.get(tok.type, 0)
        if tok.type != "inline":
            continue
        links = [(h, label) for h, label in _links_of(tok) if _paper_link(h, label)]
        if depth and links and _label(tok.children or []) is None:  # "**Metrics:** ...": a detail, not an entry
            return True
        if not depth and any(len(label.split()) >= _TITLE_WORDS for _, label in links):
            return True
    return len(_body_paper_links(body)) > 1


_CLOSING_VENUE_RE = re.compile(r"\((?P<label>[^\W\d_][\w.'&/ -]{0,30}?\s(?:19|20)\d\d(?:\s[^\W\d_][\w-]*)?)\)\W*$")


def _closing_venue(body: list[Any]) -> str:
    """A venue and year closing the body's last paragraph (``... (EMNLP 2025 Findings)``), or ''."""
    last = next((t for t in reversed(body) if t.type == "inline"), None)
    found = _CLOSING_VENUE_RE.search(last.content) if last is not None else None
    return found["label"] if found else ""


def _bibtex_fence(body: list[Any]) -> str | None:
    """The text of a fenced BibTeX block in a heading's body, if any."""
    for tok in body:
        if tok.type == "fence" and (tok.info.strip().lower() in ("bibtex", "bib", "tex") or tok.content.lstrip().startswith("@")):
            if re.search(r"@\w+\s*\{", tok.content):
                return str(tok.content)
    return None


def _bibtex_paper(body: list[Any]) -> Paper | None:
    """The paper of a heading's BibTeX block, read by the BibTeX reader, or None."""
    text = _bibtex_fence(body)
    if text is None:
        return None
    from lclm.sources.bibtex import read_entries

    papers, _ = read_entries(text, "(citation)")
    return papers[0][1] if papers else None


_METHOD_NAME_RE = re.compile(r"^(.*\S)\s*\([^()]{1,40}\)$")


def _with_citation(result: ListEntry | Problem | None, cited: Paper, line: int, heading: str) -> ListEntry:
    """An entry completed by its BibTeX citation: authors, year, venue and ids from there, the title from the heading.

    A heading that adds a method's name to the cited title (``Title (PI)``) keeps the cited title.
    """
    from lclm.text import normalize_title

    if isinstance(result, ListEntry):
        title, url, code = result.title, result.url, result.code
        notes = [n for n in result.cleaned if not n.startswith("took the missing year")]  # the citation states it
    else:
        title, url, notes, code = clean_title(heading)[0] or cited.title, cited.url, [], ""
    named = _METHOD_NAME_RE.match(title)
    if named and normalize_title(cited.title).startswith(normalize_title(named[1])):
        title = named[1]  # "Title (PI)": the method's name the list adds, not the cited title's
    arxiv = (result.arxiv if isinstance(result, ListEntry) else "") or cited.arxiv
    doi = (result.doi if isinstance(result, ListEntry) else "") or cited.doi
    venue = cited.venue or (result.venue if isinstance(result, ListEntry) else "")
    return ListEntry(line, title, list(cited.authors), cited.year, venue, url or cited.url, arxiv, doi, code, notes)


# A ``<details>`` block's summary and the body after it.
_FOLDED_RE = re.compile(r"<summary\b[^>]*>(?P<summary>.*?)</summary>(?P<body>.*?)(?:</details>|$)", re.IGNORECASE | re.DOTALL)
_FOLDED_START_RE = re.compile(r"<details\b[^>]*>\s*<summary\b", re.IGNORECASE)
_ABSTRACT_WORDS = 40  # folded prose this long is the paper's abstract, shorter the list's note on it
# A detail's label: one to four words (``📅 Date``, ``Published in``, ``TL;DR``), nothing else before its colon.
_LABEL_RE = re.compile(r"^\W*(?P<label>[^\W\d_][\w;/&.-]*(?:\s[\w;/&.-]+){0,3})\W*$")


def _label(children: list[Any]) -> str | None:
    """The label before a paragraph's first colon (``**Date:** ...``), or None: no colon, a link first, or a
    colon inside bold text that goes on (``**Knowledge of Knowledge: Exploring ...;**``, a title)."""
    before, strong = "", 0
    for c in children:
        if c.type in ("link_open", "image"):
            return None
        strong += {"strong_open": 1, "strong_close": -1}.get(c.type, 0)
        if c.type in ("text", "code_inline"):
            head, colon, after = c.content.partition(":")
            before += head
            if colon:
                if strong and re.search(r"[^\W\d_]", after):
                    return None
                found = _LABEL_RE.match(before)
                return found["label"] if found and len(before) <= 40 else None
    return None


_NAME_SPLIT_RE = re.compile(r"\s*[,;]\s*(?:and\s+)?|\s+and\s+")
_PARTICLES = frozenset("van von de der den da di del della du la le bin al y".split())


def _name_line(text: str) -> bool:
    """Whether a line is nothing but two or more people's names (``Ann Lee, Bo Li, Tse-Hsun (Peter) Chen``).

    Stricter than a name list in its place after a title: every word is
    capitalised (or a particle, ``van``), so a sentence is never taken for names.
    """
    names = [n for n in _NAME_SPLIT_RE.split(re.sub(r"\([^()]*\)", " ", text).strip(" .")) if n]
    if len(names) < 2 or re.search(r"\d", text):
        return False
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= 5 or not all(w[0].isupper() or w in _PARTICLES for w in words):
            return False
    return True


def _titled_row(parts: Parts) -> bool:
    """Whether a table row has a title to read: a title column holding words, not only ``[Paper](url)``."""
    for segment in (s for s, role in parts.cells.items() if role == "title"):
        if any(not is_role_label(k.label) and re.search(r"[^\W\d_]", k.label) for k in parts.links if k.segment == segment):
            return True
        if re.search(r"[^\W\d_]", "".join(r.text for r in parts.runs if r.segment == segment and r.link < 0)):
            return True
    return False


def _bold_line(parts: Parts) -> bool:
    """Whether a paragraph is bold text alone, no link (``**Scaffold-GS: Structured 3D Gaussians for ...**``)."""
    runs = [r for r in parts.runs if r.text.strip()]
    return bool(runs) and not parts.links and all(r.strong for r in runs)


def _paper_like(parts: Parts) -> bool:
    """Whether an item names a paper: a web link, or bold text."""
    return any(is_external(k.href) for k in parts.links) or any(r.strong and r.text.strip() for r in parts.runs)


def _add_prose(item: _Item, role: str, text: str) -> None:
    """Keep a note or an abstract the list gives with the item it belongs to."""
    if text:
        item.prose[role] = " ".join(t for t in (item.prose.get(role, ""), text) if t)


def _has_link(children: list[Any]) -> bool:
    """Whether a paragraph's inline content holds a web link."""
    return any(c.type == "link_open" and str(c.attrs.get("href", "")).startswith(("http://", "https://")) for c in children)


def _titled_link(children: list[Any]) -> bool:
    """Whether a paragraph opens with a web link whose label names something (``[Some Paper Title](url)``), not a role."""
    first = next((c for c in children if not (c.type == "text" and not c.content.strip())), None)
    if first is None or first.type != "link_open" or not str(first.attrs.get("href", "")).startswith(("http://", "https://")):
        return False
    label = "".join(c.content for c in children[children.index(first) + 1 :][:3] if c.type == "text")
    return bool(label.strip()) and not is_role_label(label)  # "[GPTCache](github)" too: set aside apart, not glued on


def _entry_shaped(parts: Parts) -> bool:
    """Whether a paragraph outside lists reads as an entry: it opens with bold text or a link, and links out.

    ``**Title** \\`` / ``*Authors*`` / ``Venue [[paper](url)]`` and a citation's
    ``**[12]** Last, First. "**Title**." ... [[pdf]](url)`` are entries; a prose
    paragraph that mentions a paper ("This repo collects ... [survey](url)") is not.
    """
    first = next((r for r in parts.runs if r.text.strip()), None)
    if first is None or not (first.strong or first.link >= 0):
        return False
    return any(k.href.startswith(("http://", "https://")) for k in parts.links)


def inline_text(inline: Any) -> str:
    """The plain text of an inline token (a heading, a table header)."""
    words = [c.content for c in inline.children or [] if c.type in ("text", "code_inline")]
    return collapse_spaces("".join(words).translate(INVISIBLE))


def column_role(header: str, default: str = "other", whole: bool = False, words: bool = False) -> str:
    """The role of a table column from its header (``COLUMN_ROLES``), or of a detail from its label; ``default``
    for one the table does not know ("Institute", "Duration": ``other``, its links read, its text no venue).
    ``whole``: the text must be the role's word itself (a ``<summary>Abstract</summary>``), not contain it;
    ``words``: one of its words must be (``📅 Date``, ``Published in``; not ``Knowledge``, ``Stage``)."""
    if words:
        found = (role for pattern, role in COLUMN_ROLES for w in re.findall(r"[\w;]+", header) if pattern.fullmatch(w))
        return next(found, default)
    return next((role for pattern, role in COLUMN_ROLES if (pattern.fullmatch if whole else pattern.search)(header)), default)


def _prune(headings: list[Heading]) -> list[Heading]:
    """Drop headings with no papers at or below them."""
    kept = []
    for h in headings:
        h.children = _prune(h.children)
        if h.count():
            kept.append(h)
    return kept


def _trim(headings: list[Heading]) -> list[Heading]:
    """Strip wrapper headings ("# Title" > "## Paper List") that hold only one section."""
    while len(headings) == 1 and not headings[0].entries and headings[0].children:
        headings = headings[0].children
    return headings
