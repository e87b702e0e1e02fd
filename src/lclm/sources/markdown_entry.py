"""Read one list item, table row or paragraph of a Markdown paper list into a ``ListEntry``.

An item's parts (``lclm.sources.markdown_parts``: runs of text with their
emphasis and line, links with a role from where they point, badges,
segments split at ``<br>``, a paragraph or a table cell) are given roles:
the title, the short name before it (``aka``) and the description after it
by ``lclm.sources.markdown_title``; authors, venue, year and a date line by
``lclm.sources.markdown_fields`` (both read text through
``lclm.sources.markdown_text``).  This module decides what is an entry and
what is not, and why: dated news lines, navigation lines, bare links to
code or another list, a bold label opening prose with no link or year, and
text whose links are no paper's are no papers (a reason out, to be counted); an item
that looks like a paper but has no title or no year is a ``Problem``.  The
year comes from the entry, its date, a date column, the section's year
heading, then the venue, the arXiv id or the link, then a dated heading above
it.  It also notes what was cleaned (escapes, LaTeX, white space).  Pure:
parts in, ``ListEntry``, ``Problem`` or a not-a-paper reason out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lclm.ids import arxiv_in, doi_in_url
from lclm.sources.markdown_fields import (
    MISSING,
    date_rows,
    fallback_year,
    fields,
    venue_year,
)
from lclm.sources.markdown_parts import (
    CODE_HOSTS,
    YEAR_RE,
    Link,
    Parts,
    is_external,
    link_role,
    preclean,
)
from lclm.sources.markdown_text import (
    LEADING_TAG_RE,
    is_date,
    strip_decoration,
    text_of,
)
from lclm.sources.markdown_title import (
    LATEX_NOTE,
    clean_title,
    description,
    find_title,
    gap_description,
    short_name,
    title_like,
)
from lclm.sources.names import parse_authors
from lclm.text import INVISIBLE, collapse_spaces, latex_to_unicode, normalize_title

MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_VENUE_LABEL_RE = re.compile(r"[^\W\d_][\w\s.'\u2019&-]{0,40}(?:\s(?:19|20)\d\d|['\u2019]\d\d)")
# The numbering left over when the title after it was taken: "2)" before nothing else.
_LONE_ENUMERATOR_RE = re.compile(r"^\s*(?:\d{1,3}[).]|\(\d{1,3}\))(?:\s+|$)")

ESCAPES_NOTE = "removed Markdown backslash escapes"
SPACE_NOTE = "removed extra white space"


NO_TITLE = "title not found"
NO_YEAR = "no year (none in the text, a date column, the arXiv id or the link)"
NO_TITLE_CELL = "table row without a title cell"
NO_YEAR_CODE = "only a code repository, no paper link or year (software, not a paper?)"
# What ``read_entry`` gives for an item that is nothing but a link to a code repository or another list.
LINK_ONLY = "a link to a code repository or another list, not a paper"
NEWS_ITEM = "a news or update line, not a paper"
NAV_LINE = "a line of links between separators (the page's navigation), not a paper"
LABEL_LINE = "a bold label and its text, with no link and no year, not a paper"
NO_PAPER_LINK = "text whose links are no paper's (a post, a tweet, a tool), not a paper"
_LABEL_OPENING_RE = re.compile(r"^[\s>*+\-\d.]*(?:\*\*|__)[^*_\n]{1,60}?(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)")
# "[2025.01.10] We released v2 of our survey", "**2024-05-16 Our paper ... has been accepted**": a dated
# line of the list's own news.  Only a dated line is read this way: a title may begin with "We".
_NEWS_ITEM_RE = re.compile(
    r"^\W*(?:\[?\s*(?:19|20)\d\d[./\-年]\d{1,2}(?:[./\-月]\d{1,2}日?)?\s*\]?|(?:19|20)\d\d/\d{1,2})\W*"
    r"(?:(?:we|our|i)\b|(?:news|update[sd]?|new|release[sd]?)\b|.{0,200}\b(?:has been|have been|is|are|was|were|got) accepted\b)",
    re.IGNORECASE,
)


@dataclass(slots=True)
class ListEntry:
    """One paper as read from the list, before keys and categories are assigned."""

    line: int
    title: str
    authors: list[str]
    year: int
    venue: str = ""
    url: str = ""
    arxiv: str = ""
    doi: str = ""
    code: str = ""
    cleaned: list[str] = field(default_factory=list)
    aka: list[str] = field(default_factory=list)  # the short name the list gives the paper ("<u>Gopher</u>: Title")
    note: str = ""  # the list's description of the paper ("**Title** - proposes a ...")
    abstract: str = ""  # the paper's abstract, where the list gives it (a column, a folded ``<details>``)


@dataclass(frozen=True, slots=True)
class Problem:
    """A line that looks like an entry but could not be read, and why."""

    line: int
    reason: str
    text: str


# ---------------------------------------------------------------- parts -> entry


def read_entry(
    parts: Parts, line: int, raw: str, table: bool = False, section_year: int | None = None, heading: bool = False,
    listed_year: int | None = None,
) -> ListEntry | Problem | str | None:
    """The entry an item's parts describe, a ``Problem`` when it looks like one but cannot be read, or None.

    An item that is only a link to a code repository or another list gives
    ``LINK_ONLY``: not a paper, but set aside with a count rather than dropped unseen.
    A ``heading`` entry (a heading the document uses for its papers) is never such a menu link.
    """
    if not _looks_like_entry(parts, table):
        return None
    opening = next((r.text for r in parts.runs if r.text.strip()), "")
    if not table and _DATED_START_RE.match(opening) and _NEWS_ITEM_RE.match(_all_text(parts)):
        return NEWS_ITEM
    if not table and _nav_line(parts):
        return NAV_LINE
    found = find_title(parts)
    if found is None:
        return _untitled(parts, line, raw, table)
    title_raw, title_link, used = found
    if title_link is not None and not heading and _bare_link(parts, title_link, used):
        return LINK_ONLY  # "- [Another list](https://github.com/...)": a menu entry, not a paper
    label_tag = LEADING_TAG_RE.match(title_raw) if title_link is not None else None
    if label_tag is not None and len(title_raw[label_tag.end() :].split()) >= 2:  # "[2018 ICLR] Mixup: ..." as a label
        title_raw = title_raw[label_tag.end() :]
    title, title_notes = clean_title(title_raw)
    if not title:
        return Problem(line, NO_TITLE, raw)
    url, code = _links(parts, title_link)
    aka = [name for name in short_name(parts, used) if normalize_title(name) != normalize_title(title)]
    dated = date_rows(parts, used)  # a line of its own that is a date: when, not where
    described = gap_description(parts, used)
    authors_text, venue_text, year = fields(parts, used, title_link)
    if label_tag is not None:
        venue_text = f"{label_tag[0].strip()} {venue_text}"
    if year is None and not YEAR_RE.search(venue_text):
        venue_text += " " + " ".join(
            k.label.strip("[] ") for k in parts.links if k is not title_link and _VENUE_LABEL_RE.fullmatch(k.label.strip("[] "))
        )
    venue_text, description_text = description(_LONE_ENUMERATOR_RE.sub("", venue_text, count=1))
    description_text = " ".join(d for d in (described, description_text) if d)
    declared_missing = year == MISSING
    venue, year, venue_notes = venue_year(parts, venue_text, None if declared_missing else year, strip=not declared_missing)
    arxiv = arxiv_in(url) or _linked(parts, _arxiv_link, title_link) or arxiv_in(venue)
    if year is None and dated is not None:
        year = dated  # the entry's own date line (reading, not a cleaning)
    if year is None and section_year is not None:
        year = section_year  # the list states it (reading, not a cleaning)
    if year is None:
        year, source = fallback_year(venue if declared_missing else "", arxiv, url, parts)
        if year is None and listed_year is not None:
            year, source = listed_year, "dated heading the entry is under"
        if year is None and not table and not parts.links and _LABEL_OPENING_RE.match(raw):
            return LABEL_LINE  # "**Core Idea:** Aims to express ...": no link, no year, a label opening prose
        if year is None:
            return Problem(line, NO_YEAR_CODE if not url and code or _code_only(parts, url) else NO_YEAR, raw)
        venue_notes.append(f"took the missing year {year} from the {source}")
    notes = _source_notes(raw) + title_notes + venue_notes + _text_notes(raw, table, title_raw, authors_text, venue_text)
    authors = parse_authors(authors_text) if authors_text else []
    debris = [a for a in authors if not any(c.isalpha() for c in a)]
    if debris:  # a citation export's "Qwen, :, An Yang": punctuation standing as an author
        authors = [a for a in authors if a not in debris]
        notes.append(f"dropped {', '.join(repr(a) for a in debris)} from the authors (no letters)")
    doi = doi_in_url(url) or _linked(parts, doi_in_url, title_link)
    return ListEntry(line, title, authors, year, venue, url, arxiv, doi, code, _tidy(notes), aka, description_text)


_DATED_START_RE = re.compile(r"\W*(?:19|20)\d\d\D")  # the cheap look before _NEWS_ITEM_RE


def _nav_line(parts: Parts) -> bool:
    """``<a href=…>📝 Survey Paper</a> | <a href=…>📄 Paper List</a> | …``: links and separators only."""
    rest = text_of([r for r in parts.runs if r.link < 0])
    return len(parts.links) >= 2 and "|" in rest and not strip_decoration(rest).strip(" |·•/,")


def _all_text(parts: Parts) -> str:
    """The item's text as read, link labels included."""
    return collapse_spaces(text_of(parts.runs))


def _arxiv_link(href: str) -> str:
    return arxiv_in(href) if "arxiv.org/" in href.lower() else ""


def _linked(parts: Parts, read: Callable[[str], str], title_link: Link | None = None) -> str:
    """The first arXiv id or DOI (``read``) that one of the item's links carries.

    A link whose label names another work (``Based on [*A Survey of LLMs*](arXiv)``)
    is that work's, not this entry's: only the title's link and labelled links count.
    """
    for k in parts.links:
        if k is not title_link and title_like(k) and len(k.label.split()) >= 3:
            continue
        found = read(k.href)
        if found:
            return found
    return ""


def _looks_like_entry(parts: Parts, table: bool) -> bool:
    """A web link or bold text (or, in a table, any text): worth reading, and reporting if unreadable."""
    if any(is_external(k.href) for k in parts.links):
        return True
    if any(r.strong and r.link < 0 and r.text.strip() and not is_date(r.text) for r in parts.runs):
        return True
    return table and bool(text_of(parts.runs).strip())


def _untitled(parts: Parts, line: int, raw: str, table: bool) -> Problem | str | None:
    """An item with no title: a problem when it links a paper; text with other links only (``Announcing X
    ([tweet](url)), ([blog](url))``) is set aside as no paper, counted and named, not dropped unseen."""
    if _worth_reporting(parts):
        return Problem(line, NO_TITLE_CELL if table else NO_TITLE, raw)
    if table:  # "| Chatbot Arena | [[Source](https://chat.lmsys.org/)] |": a platform, not a paper
        return NO_PAPER_LINK if any(is_external(k.href) for k in parts.links) else None
    if any(is_external(k.href) for k in parts.links) and re.search(r"[^\W\d_]{3}", text_of([r for r in parts.runs if r.link < 0])):
        return NO_PAPER_LINK
    return None


def _source_notes(raw: str) -> list[str]:
    """What was removed from the item's source before it was parsed."""
    notes = []
    if raw.translate(INVISIBLE) != raw:
        notes.append("removed zero-width characters")
    if "\\$" in raw:
        notes.append("removed stray \\$\\\\\\$ markup")
    return notes


def _text_notes(raw: str, table: bool, title_raw: str, authors: str, venue: str) -> list[str]:
    """Escapes, LaTeX and white space cleaned from the text."""
    notes = []
    if _escaped(preclean(raw)):
        notes.append(ESCAPES_NOTE)
    if latex_to_unicode(authors) != authors or latex_to_unicode(venue) != venue:
        notes.append(LATEX_NOTE)
    if not table and (collapse_spaces(title_raw) != title_raw or re.search(r"\S[ \t]{2,}\S", raw.strip())):
        notes.append(SPACE_NOTE)
    return notes


def _tidy(cleaned: list[str]) -> list[str]:
    notes = list(dict.fromkeys(cleaned))
    if LATEX_NOTE in notes and ESCAPES_NOTE in notes:
        notes.remove(ESCAPES_NOTE)  # the escapes were LaTeX's backslashes, doubled for Markdown
    return notes


def _code_only(parts: Parts, url: str) -> bool:
    """Whether every link of the item points to a code host (the title's included)."""
    return bool(url) and all(link_role(k.href) in ("code", "other") and urlsplit(k.href).netloc.endswith(CODE_HOSTS)
                             for k in parts.links if is_external(k.href))


def _bare_link(parts: Parts, link: Link, used: set[int]) -> bool:
    """Whether the item is nothing but one non-paper link."""
    if parts.cells or link.role == "paper" or any(k is not link and is_external(k.href) for k in parts.links):
        return False
    return not strip_decoration("".join(r.text for i, r in enumerate(parts.runs) if i not in used))


def _worth_reporting(parts: Parts) -> bool:
    """Whether an item without a title still looks like a paper (a paper link), not a menu entry."""
    return any(k.role == "paper" and is_external(k.href) for k in parts.links)


def _escaped(raw: str) -> bool:
    without_urls = re.sub(r"\]\([^)\s]*\)", "](", raw)
    return bool(MD_ESCAPE_RE.search(without_urls.replace("\\$", "")))


def _links(parts: Parts, title_link: Link | None) -> tuple[str, str]:
    """``(paper url, code url)``: the title's link unless it is code and a paper link exists."""
    external = [k for k in parts.links if is_external(k.href)]
    paper = next((k for k in external if k.role == "paper" and k is not title_link), None)
    code = next((k for k in external if k.role == "code"), None)
    if title_link is not None and not (title_link.role == "code" and paper is not None):
        url = title_link.href
    else:
        url = paper.href if paper else ""
    code_url = code.href if code is not None and code.href != url else ""
    return url, code_url
