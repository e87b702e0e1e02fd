"""Read one list item, table row or paragraph of a Markdown paper list by the roles of its parts.

An item's parts (``lclm.sources.markdown_parts``: runs of text with their
emphasis and line, links with a role from where they point, badges,
segments split at ``<br>``, a paragraph or a table cell) are given roles.
The title is the first link whose label reads as a title (a label in
brackets or a role word never is), else the text after a short name in
brackets (``**[ViT]** An Image is Worth ...``), else bold text that is more
than a citation number or a note, else a model bullet's paper line, else the
plain text before the authors (or a citation's quoted title).  Authors are
the italic text, the names before a cited title, the names on the line after
the title, the name list after a ``<br>``, or the ``Authors.`` of ``Authors.
Venue, year``, read by the one author grammar (``lclm.sources.names``); what
is left is venue and year; a short name before the title (``<u>T5</u>:``)
is the paper's ``aka``, a line holding only a date is its date, not its venue.
The year comes from the entry, its date, a date
column, the section's year heading, then the arXiv id or the link.  Dated
news lines and bare links are no papers.  Pure: parts in, ``ListEntry``,
``Problem`` or a not-a-paper reason out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lclm import venues
from lclm.ids import arxiv_in, arxiv_year, doi_in_url
from lclm.latex import decode
from lclm.model import OTHERS
from lclm.sources.markdown_parts import (
    CODE_HOSTS,
    YEAR_RE,
    Link,
    Parts,
    Run,
    badge_venue,
    is_external,
    is_role_label,
    link_role,
    preclean,
)
from lclm.sources.names import parse_authors
from lclm.text import INVISIBLE, collapse_spaces, latex_to_unicode, normalize_title

DATE_RE = re.compile(
    r"^\W*(?:(19\d\d|20\d\d)[./\-年](?:\d{1,2})(?:[./\-月]\d{1,2}日?)?"
    r"|(?:\d{1,2}[./\-])?\d{1,2}[./\-](19\d\d|20\d\d)"
    r"|(?:\d{1,2}\s+)?[A-Z][A-Za-z]{2,8}\.?\s+(?:\d{1,2},?\s+)?(19\d\d|20\d\d)|(19\d\d|20\d\d))\W*$"
)
_URL_YEAR_RE = re.compile(r"(?:^|[/=_.-])(19[89]\d|20[0-4]\d)(?=$|[/._-])")
# An ACL Anthology id of the old form, ``W19-5040`` or ``P18-1031``: its two digits are the year.
_ACL_OLD_ID_RE = re.compile(r"/(?:anthology/)?[A-Z](\d\d)-\d{4}(?:\.pdf)?/?$")
_EMOJI_CODE_RE = re.compile(r":[a-z0-9_+-]+:")
_DECORATION_RE = re.compile(
    r"\[+[^\[\]]*\]+\s*\(\s*https?://[^)\s]*\s*\)|\(\s*https?://[^)\s]*\s*\)"
    r"|\[\[[^\[\]]*\]\]|[\u00a0|]+|\(\s*\)|\[\s*\]|[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\uFE0F]"
)
MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_BRACE_CASE_RE = re.compile(r"\{([^{}\\]*)\}")
# LaTeX in a title: maths that reads as maths (a command, ^, _ or braces inside, or a
# short symbol: ``$k$NN``; not ``$5 to $10``), or a command with its argument (``\\emph{x}``).
_LATEX_RE = re.compile(r"\$(?=[^$]*[\\^_{])[^$]{1,80}\$|\$[A-Za-z0-9]{1,3}\$|\\[A-Za-z]+\s*\{[^{}]*\}")
# Where the author list ends: ". " not after a lone initial ("Matei A. Zaharia", "J.L. Cai", "Sercan Ö. Arik").
_EMPTY_BRACKETS_RE = re.compile(r"\[\s*\]|\(\s*\)")
_ET_AL_RE = re.compile(r"\bet\.?\s*al\b\.?", re.IGNORECASE)
AUTHORS_END_RE = re.compile(r"(?<![\s,.\-][^\W\d_])(?<!^[^\W\d_])\.\s+")
_SEED_YEAR_RE = re.compile(r"(?:^|(?P<sep>[,.])\s*)(?:(?P<year>(?:19|20)\d\d)|NA|N/A|n\.d\.)\s*\.?$")
# "[ICLR 2024]", "(NeurIPS'23)", "[2024/05]": a venue or date tag before or after a title.
# A tag holds a digit (a year or date), so "(Dynamic) Prompting" keeps its first word.
_TAG_RE = re.compile(r"[\[(](?=[^\[\]()]*\d)[^\[\]()]{2,40}[\])]")
_LEADING_TAG_RE = re.compile(r"\s*(?:[\[(](?=[^\[\]()]*\d)[^\[\]()]{2,40}[\])]\s*[-:]?\s*)+")
_MONTH = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"  # a month's name, maybe cut short
_DATE_TOKEN_RE = re.compile(
    r"(?<![\w.])(19\d\d|20\d\d)[./\-]\d{1,2}(?:[./\-]\d{1,2})?(?![\w.])"
    rf"|\(\s*{_MONTH}\s+(?:\d{{1,2}},?\s+)?(19\d\d|20\d\d)\s*\)"
)
# "20171222": a date written without separators, at the start of what follows the title.
_COMPACT_DATE_RE = re.compile(r"\s*((?:19|20)\d\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b\s*")
_VENUE_LABEL_RE = re.compile(r"[^\W\d_][\w\s.'\u2019&-]{0,40}(?:\s(?:19|20)\d\d|['\u2019]\d\d)")
_MONTH_RE = re.compile(rf"\W*{_MONTH}\W*")
# The month (and day) left at a venue's end when its date's year was taken: "CoRL, Nov", "ICRA, May 17th".
_TRAILING_MONTH_RE = re.compile(rf"[,\s]+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?[,\s]*$")
# A link label that names a venue and year, not a paper: "arXiv 2023", "NeurIPS 2024", "ICLR'25".
_VENUE_YEAR_LABEL_RE = re.compile(
    r"(?:(?i:arxiv|corr|biorxiv|medrxiv|openreview)|[A-Z][A-Za-z]*[A-Z][A-Za-z]*)\s*(?:['\u2019]\d\d|(?:19|20)\d\d)"
)
_NAME_WORD_RE = re.compile(r"^[^\W\d_][\w.'\u2019-]*$")

LATEX_NOTE = "turned LaTeX escapes into Unicode"
ESCAPES_NOTE = "removed Markdown backslash escapes"
SPACE_NOTE = "removed extra white space"

MISSING = 0  # the list says "NA" where the year goes

NO_TITLE = "title not found"
NO_YEAR = "no year (none in the text, a date column, the arXiv id or the link)"
NO_TITLE_CELL = "table row without a title cell"
NO_YEAR_CODE = "only a code repository, no paper link or year (software, not a paper?)"
# What ``read_entry`` gives for an item that is nothing but a link to a code repository or another list.
LINK_ONLY = "a link to a code repository or another list, not a paper"
NEWS_ITEM = "a news or update line, not a paper"
NAV_LINE = "a line of links between separators (the page's navigation), not a paper"
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
    found = _find_title(parts)
    if found is None:
        return _untitled(parts, line, raw, table)
    title_raw, title_link, used = found
    if title_link is not None and not heading and _bare_link(parts, title_link, used):
        return LINK_ONLY  # "- [Another list](https://github.com/...)": a menu entry, not a paper
    label_tag = _LEADING_TAG_RE.match(title_raw) if title_link is not None else None
    if label_tag is not None and len(title_raw[label_tag.end() :].split()) >= 2:  # "[2018 ICLR] Mixup: ..." as a label
        title_raw = title_raw[label_tag.end() :]
    title, title_notes = clean_title(title_raw)
    if not title:
        return Problem(line, NO_TITLE, raw)
    url, code = _links(parts, title_link)
    aka = [name for name in _short_name(parts, used) if normalize_title(name) != normalize_title(title)]
    dated = _date_rows(parts, used)  # a line of its own that is a date: when, not where
    described = _gap_description(parts, used)
    authors_text, venue_text, year = _fields(parts, used, title_link)
    if label_tag is not None:
        venue_text = f"{label_tag[0].strip()} {venue_text}"
    if year is None and not YEAR_RE.search(venue_text):
        venue_text += " " + " ".join(
            k.label.strip("[] ") for k in parts.links if k is not title_link and _VENUE_LABEL_RE.fullmatch(k.label.strip("[] "))
        )
    venue_text, description = _description(_LONE_ENUMERATOR_RE.sub("", venue_text, count=1))
    description = " ".join(d for d in (described, description) if d)
    declared_missing = year == MISSING
    venue, year, venue_notes = _venue_year(parts, venue_text, None if declared_missing else year, strip=not declared_missing)
    arxiv = arxiv_in(url) or _linked(parts, _arxiv_link, title_link) or arxiv_in(venue)
    if year is None and dated is not None:
        year = dated  # the entry's own date line (reading, not a cleaning)
    if year is None and section_year is not None:
        year = section_year  # the list states it (reading, not a cleaning)
    if year is None:
        year, source = _fallback_year(venue if declared_missing else "", arxiv, url, parts)
        if year is None and listed_year is not None:
            year, source = listed_year, "dated heading the entry is under"
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
    return ListEntry(line, title, authors, year, venue, url, arxiv, doi, code, _tidy(notes), aka, description)


# Twelve or more CJK characters (punctuation and Latin words between them allowed): prose, not a venue's name.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK_PROSE_RE = re.compile(rf"[{_CJK}](?:[^\[\]()]*?[{_CJK}]){{11,}}")
# Where a description starts in what follows a title: "Venue 2023 - proposes ...", "5) - a framework ...".
# Not a colon: "Science 313 (2006): 504-507" is a venue.
# A bullet glyph (●, •) opens a list of points, as a dash does.
_SEPARATOR_RE = re.compile(r"(?:^|\s)[-\u2013\u2014\u25cf\u2022\u25aa]\s*(?=[^\W\d_])|\s{2,}(?=[A-Z])")
# After a dash, a description may name many models ("a family of LLMs ... Llama 3 8B outperforms Gemma 7B"):
# fewer lower-case words make it prose there than in a text with nothing to mark it.
_AFTER_DASH_SHARE = 0.4


def _description(text: str) -> tuple[str, str]:
    """``(venue text, description)``: prose after the title is the list's description of the paper, not its venue.

    The description starts after a dash (or a wide gap) when all that follows
    reads as prose (``is_prose``); a list number left before it (``5)``) goes
    with it.  (A title cut at a wide gap has its description taken before,
    by ``_gap_description``.)
    """
    body = _ENUMERATOR_RE.sub("", text, count=1) if _ENUMERATOR_RE.match(text) else text
    cjk = _CJK_PROSE_RE.search(body)
    if cjk is not None:  # "ICCV 2017 对于target中只有很少量的标记数据，用深度网络...": a description in Chinese
        return body[: cjk.start()], _strip_decoration(body[cjk.start() :]).rstrip("：:")
    for sep in _SEPARATOR_RE.finditer(body):
        rest = _strip_decoration(body[sep.end() :])
        if is_prose(rest, share=_AFTER_DASH_SHARE):
            return body[: sep.start()], rest
    # "Title  (oral)", "(Marr Prize)": all that follows the title is a note in parentheses, no venue (a year, a
    # venue or a track the venue table knows stays the venue).
    aside = re.fullmatch(r"\s*\(([^()]{1,60})\)[\s()\[\].,;]*", body)
    if aside is not None and _note_aside(aside[1]):
        return "", aside[1].strip(" *_")
    return text, ""


def _note_aside(inner: str) -> bool:
    """Whether ``(inner)`` standing alone after a title is a note: not a year, a venue or a track."""
    if YEAR_RE.search(inner) or venues.kind(inner) or venues.lookup(inner):
        return False
    return not any(track in inner.lower() for track in venues.SIDE_TRACKS)


def _gap_description(parts: Parts, used: set[int]) -> str:
    """The description after a plain title cut at a wide gap (``| 2) MEM1  This work introduces ... |``); its runs join ``used``."""
    if not used:
        return ""
    last = max(used)
    segment = parts.runs[last].segment
    after = [i for i in range(last + 1, len(parts.runs)) if parts.runs[i].segment == segment and parts.runs[i].link < 0]
    if not after or not _GAP_RE.match(parts.runs[after[0]].text):
        return ""
    text = _strip_decoration(_text_of([parts.runs[i] for i in after]))
    if not is_prose(text):
        return ""
    used.update(after)
    return text


# A short name and a colon before the title: "<u>Gopher</u>: **"Scaling Language Models ..."**".
# Several names are joined by "&&", "&", "/" or ",": "<u>mT0 && BLOOMZ</u>: ...".
_NAME = r"[^\W_][\w.+\-'\u2019]*(?:\s[\w.+\-'\u2019]+){0,4}"
_NAME_COLON_RE = re.compile(rf"^\W*(?P<name>{_NAME}(?:\s*(?:&&|&|/|,)\s*{_NAME})*)\s*:\s*$")
_NAMES_SPLIT_RE = re.compile(r"\s+(?:&&|&|/)\s+|\s*,\s*")  # "M&M" is one name


def _dated_tag(text: str) -> bool:
    """A tag in brackets that holds a year or date (``[Arxiv, 2024.04]``, ``[ICLR'24]``), not a name (``[RT-2]``)."""
    return bool(_TAG_RE.fullmatch(text)) and bool(YEAR_RE.search(text) or re.search(r"['\u2019]\d\d", text))


def _short_name(parts: Parts, used: set[int]) -> list[str]:
    """The short name written before the title on its line, ``Name:``; its runs join ``used``.

    Only a name of one to five words with no year: a tag such as ``[ICLR 2024]``
    before a title stays with the venue.
    """
    if not used:
        return []
    first = min(used)
    title_run = parts.runs[first]
    before = [i for i in range(first) if parts.runs[i].row == title_run.row and parts.runs[i].segment == title_run.segment]
    tags = [n for n, i in enumerate(before) if _dated_tag(parts.runs[i].text.strip())]
    before = before[tags[-1] + 1 :] if tags else before  # "**[Arxiv, 2024.04]** **M2M** Title": the tag stays the venue's
    if not before or any(parts.runs[i].link >= 0 for i in before):
        return []
    text = _EMOJI_CODE_RE.sub(" ", _text_of([parts.runs[i] for i in before]))
    bracketed = re.fullmatch(r"\W*\[([^\[\]]{1,40})\]\W*", text)  # '**[RT-2]** "RT-2: Vision-Language-Action ..."'
    if bracketed is not None:
        text = bracketed[1] + ":"
    found = _NAME_COLON_RE.match(text)
    if found is None and all(parts.runs[i].strong for i in before if parts.runs[i].text.strip()):
        found = _NAME_COLON_RE.match(text.rstrip() + ":")  # "**M2M** Many-to-many Image Generation ...": bold marks it
    if found is None or YEAR_RE.search(found["name"]) or found["name"].isdigit():
        return []
    used.update(before)
    return _NAMES_SPLIT_RE.split(found["name"])


def _date_rows(parts: Parts, used: set[int]) -> int | None:
    """The year of a line of the entry that holds nothing but a date (``11 Oct 2023``); its runs join ``used``.

    Such a line (a paragraph entry's last, after the venue) says when the paper
    appeared; read as part of the venue it would make ``arXiv 2023. 11 Oct``.
    """
    title_rows = {parts.runs[i].row for i in used}
    rows: dict[int, list[int]] = {}
    for i, run in enumerate(parts.runs):
        rows.setdefault(run.row, []).append(i)
    year = None
    for row, members in rows.items():
        if row in title_rows or any(parts.runs[i].link >= 0 for i in members):
            continue
        text = _text_of([parts.runs[i] for i in members]).strip()
        if text and _is_date(text):
            used.update(members)
            found = YEAR_RE.search(text)
            year = year or (int(found[1]) if found else None)
    return year


_DATED_START_RE = re.compile(r"\W*(?:19|20)\d\d\D")  # the cheap look before _NEWS_ITEM_RE


def _nav_line(parts: Parts) -> bool:
    """``<a href=…>📝 Survey Paper</a> | <a href=…>📄 Paper List</a> | …``: links and separators only."""
    rest = _text_of([r for r in parts.runs if r.link < 0])
    return len(parts.links) >= 2 and "|" in rest and not _strip_decoration(rest).strip(" |·•/,")


def _all_text(parts: Parts) -> str:
    """The item's text as read, link labels included."""
    return collapse_spaces(_text_of(parts.runs))


def _arxiv_link(href: str) -> str:
    return arxiv_in(href) if "arxiv.org/" in href.lower() else ""


def _linked(parts: Parts, read: Callable[[str], str], title_link: Link | None = None) -> str:
    """The first arXiv id or DOI (``read``) that one of the item's links carries.

    A link whose label names another work (``Based on [*A Survey of LLMs*](arXiv)``)
    is that work's, not this entry's: only the title's link and labelled links count.
    """
    for k in parts.links:
        if k is not title_link and _title_like(k) and len(k.label.split()) >= 3:
            continue
        found = read(k.href)
        if found:
            return found
    return ""


def _looks_like_entry(parts: Parts, table: bool) -> bool:
    """A web link or bold text (or, in a table, any text): worth reading, and reporting if unreadable."""
    if any(is_external(k.href) for k in parts.links):
        return True
    if any(r.strong and r.link < 0 and r.text.strip() and not _is_date(r.text) for r in parts.runs):
        return True
    return table and bool(_text_of(parts.runs).strip())


def _untitled(parts: Parts, line: int, raw: str, table: bool) -> Problem | None:
    if table:
        return Problem(line, NO_TITLE_CELL, raw) if any(is_external(k.href) for k in parts.links) else None
    return Problem(line, NO_TITLE, raw) if _worth_reporting(parts) else None


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
    return not _strip_decoration("".join(r.text for i, r in enumerate(parts.runs) if i not in used))


def _worth_reporting(parts: Parts) -> bool:
    """Whether an item without a title still looks like a paper (a paper link), not a menu entry."""
    return any(k.role == "paper" and is_external(k.href) for k in parts.links)


def _escaped(raw: str) -> bool:
    without_urls = re.sub(r"\]\([^)\s]*\)", "](", raw)
    return bool(MD_ESCAPE_RE.search(without_urls.replace("\\$", "")))


def _is_date(text: str) -> bool:
    return bool(DATE_RE.match(text.strip()))


def _text_of(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)


def _title_like(link: Link) -> bool:
    label = collapse_spaces(link.label).strip("[]() ")
    if not label or link.image and not label or not is_external(link.href):
        return False
    if is_role_label(label) or label.startswith(("http://", "https://")) or _is_date(label):
        return False
    if _VENUE_YEAR_LABEL_RE.fullmatch(label):
        return False
    return bool(re.search(r"[^\W\d_]", label))


def _find_title(parts: Parts) -> tuple[str, Link | None, set[int]] | None:
    """``(title, its link or None, ids of the runs it used)``.

    In order: a link whose label reads as a title; the text after a short
    name in brackets (``**[ViT]** An Image is Worth ...``, ``🔥[**ViT**] An Image ...``);
    bold text that is more than a name (a citation number ``**[12]**`` or a
    note ``**(Milestone)**`` is none); a later line of plain text ending in the
    paper link (``- **BLOOM** ...`` then ``A 176B-Parameter ... [[Preprint]](url)``);
    a short bold name; the plain text before the authors.
    """
    titled = [c for c, role in parts.cells.items() if role == "title"]
    for link_no, link in enumerate(parts.links):
        if _title_like(link) and (not titled or link.segment in titled) and not _bracketed(parts, link_no) and not _in_text(parts, link_no):
            used = {i for i, r in enumerate(parts.runs) if r.link == link_no}
            return _text_of([parts.runs[i] for i in sorted(used)]), link, used
    tagged = _after_short_name(parts, titled)
    if tagged is not None:
        return tagged
    short: tuple[str, Link | None, set[int]] | None = None
    for group in _strong_groups(parts):
        text = _text_of([parts.runs[i] for i in group]).strip()
        if not text or _is_date(text) or is_role_label(text) or _TAG_RE.fullmatch(text) or _NOTE_RE.fullmatch(text):
            continue
        if _in_parentheses(parts, group):  # "Title (**oral**)": a note on the paper
            continue
        if short is None:  # "**AHA**: "AHA: A Vision-Language-Model for ..."": the bold name is no title
            quoted = _quoted_title(parts, set(group))
            if quoted is not None:
                return quoted
        if len(text.split()) <= 3 and (":" not in text or text.endswith(":")):
            named = _after_bold_name(parts, group, text)
            if named is not None and short is None:
                return named
            short = short or (text, None, set(group))
            continue
        return text, None, set(group)
    lined = _line_title(parts)
    if lined is not None:
        return lined
    return short or _plain_title(parts, titled)


# Bold text that is not a title: a citation number ("[12]"), a note in parentheses.
_NOTE_RE = re.compile(r"[\[(]?\d{1,4}[\])]?\.?|\(.*\)|\[.*\]")
# A short name in brackets before the title: "[ViT] An Image is Worth", "🔥[MQA] Fast Transformer Decoding".
_SHORT_NAME_RE = re.compile(r"^\W*\[(?P<name>[^\[\]]{1,40})\]\s*(?P<rest>\S.*)$", re.S)
# Where a plain title ends: an organisation "(@Org)", a year "(2016), A. Author", a link's bracket.
_TITLE_END_RE = re.compile(r"\(@|\s\((?:19|20)\d\d\)|\s*\[")


def _in_parentheses(parts: Parts, group: list[int]) -> bool:
    """Whether bold runs sit inside parentheses written around them: ``(**oral**)``."""
    before = parts.runs[group[0] - 1].text if group[0] > 0 else ""
    after = parts.runs[group[-1] + 1].text if group[-1] + 1 < len(parts.runs) else ""
    return before.rstrip().endswith("(") and after.lstrip().startswith(")")


def _after_bold_name(parts: Parts, group: list[int], name: str) -> tuple[str, Link | None, set[int]] | None:
    """The title after a short bold name, in plain text up to the first link or emphasis.

    ``**JanusFlow**: Harmonizing ...`` is "JanusFlow: Harmonizing ..."; ``**M2M** Many-to-many Image
    Generation ...`` is the words after the name (a one- or two-word name, which becomes ``aka``).  A bold
    title that ends the title (``**Title.** *Authors*``, ``**Title**. Authors``, ``**Title** - description``)
    is none of these: what follows it must start a title, and hold no year.
    """
    segment = parts.runs[group[-1]].segment
    after: list[int] = []
    for i in range(group[-1] + 1, len(parts.runs)):
        run = parts.runs[i]
        if run.segment != segment or run.link >= 0 or run.strong or run.em:
            break
        after.append(i)
    text = _text_of([parts.runs[i] for i in after])
    opening = re.match(r"\s*:\s+" if not name.endswith(":") else r"\s+", text)
    colon = opening is not None
    if opening is None:
        opening = re.match(r"\s+(?=[A-Z0-9])", text)
        if opening is None or len(name.split()) > 2 or name[-1:] in ".,;!?":
            return None
    stop = _TITLE_END_RE.search(text, opening.end())
    rest = text[opening.end() : stop.start() if stop else len(text)].strip().rstrip(".")
    least = 3 if colon else 4
    if len(rest.split()) < least or YEAR_RE.search(rest) or _ET_AL_RE.search(rest) or is_prose(rest):
        return None
    if not colon and ("," in rest or _SEPARATOR_RE.search(rest)):
        return None  # "**Ada Lovelace** Charles Babbage, ...": names; "**Llama 3** - a family ...": a description
    if colon:
        return f"{name.rstrip(':').strip()}: {rest}", None, set(group) | set(after)
    return rest, None, set(after)


def _quoted_title(parts: Parts, name_runs: set[int]) -> tuple[str, Link | None, set[int]] | None:
    """A quoted title right after a short bold name and its colon, in the name's segment (the name becomes ``aka``)."""
    segment = parts.runs[max(name_runs)].segment
    text = _text_of([r for i, r in enumerate(parts.runs) if r.segment == segment and r.link < 0 and i > max(name_runs)])
    found = re.match(r"\s*[:\-\u2013]\s*", text)
    quoted = _QUOTED_RE.match(text, found.end()) if found else None
    if quoted is None or len(quoted[1].split()) < 2:
        return None
    offset = len(_text_of([r for i, r in enumerate(parts.runs) if r.segment == segment and r.link < 0 and i <= max(name_runs)]))
    used = _take_span(parts, segment, offset + quoted.start(), offset + quoted.end())  # the quotes go with the title
    return quoted[1], None, used


def _in_text(parts: Parts, link_no: int) -> bool:
    """Whether a link sits inside running text, never a title: glued to a word (``it[s Claude.ai](...)``),
    or after a plain title and the wide gap or dash that end it (``| 2) Title  Sakana AI introduces [the kernels](...)``)."""
    first = next((i for i, r in enumerate(parts.runs) if r.link == link_no), None)
    if first is None:
        return False
    segment = parts.runs[first].segment
    if _text_of([r for r in parts.runs[:first] if r.segment == segment])[-1:].isalnum():
        return True
    # the item's text before the link, links' labels included (a link left out would leave a false gap),
    # each segment (a cell, a <br> line) apart
    runs = parts.runs[:first]
    before = " \u00a6 ".join(_text_of([r for r in runs if r.segment == s]) for s in dict.fromkeys(r.segment for r in runs))
    gap = _TITLE_GAP_RE.search(before)
    return gap is not None and len(_PROSE_WORD_RE.findall(before[: gap.start()])) >= 1 and len(before[gap.end() :].split()) >= 3


def _bracketed(parts: Parts, link_no: int) -> bool:
    """Whether a link is a label in brackets, ``[[weights and code](url)]`` or ``[[open]](url)``: never a title."""
    label = parts.links[link_no].label.strip()
    if label.startswith("[") and label.endswith("]"):
        return True
    inside = [i for i, r in enumerate(parts.runs) if r.link == link_no]
    if not inside:
        return False
    before = parts.runs[inside[0] - 1].text if inside[0] > 0 else ""
    after = parts.runs[inside[-1] + 1].text if inside[-1] + 1 < len(parts.runs) else ""
    return before.rstrip().endswith("[") and after.lstrip().startswith("]")


def _row_of(parts: Parts, link_no: int) -> int:
    """The line (within the item) a link is on."""
    return next((r.row for r in parts.runs if r.link == link_no), -1)


def _after_short_name(parts: Parts, titled: list[int]) -> tuple[str, Link | None, set[int]] | None:
    """The title after a short name in brackets, when the segment has one and words after it."""
    for segment in titled or sorted({r.segment for r in parts.runs})[:1]:
        text = _text_of([r for r in parts.runs if r.segment == segment and r.link < 0])
        found = _SHORT_NAME_RE.match(text)
        if found is None or found["name"].strip().isdigit() or _is_date(found["name"]) or YEAR_RE.search(found["name"]) or re.search(r"['\u2019]\d\d", found["name"]):
            continue
        start = found.start("rest")
        quoted = _QUOTED_RE.match(text, start)
        if quoted is not None:  # '**[RT-2]** "RT-2: Vision-Language-Action Models ...", *arXiv, July 2023*'
            return quoted[1], None, _take_span(parts, segment, quoted.start(), quoted.end())
        stop = _TITLE_END_RE.search(text, start)
        end = stop.start() if stop else len(text)
        title = _strip_decoration(text[start:end])
        if len(title.split()) >= 2 and re.search(r"[^\W\d_]{3}", title):
            return title, None, _take_span(parts, segment, start, end)
    return None


def _line_title(parts: Parts) -> tuple[str, Link | None, set[int]] | None:
    """Plain text on a later line of the item that ends in a paper link: the paper of a model's entry.

    Only in the model shape, ``- **BLOOM** [[BigScience]]() Nov. 2022 ...``: a labelled
    link in brackets on the first line (a short bold title followed by authors is no model).
    """
    if not any(_bracketed(parts, n) for n, k in enumerate(parts.links) if _row_of(parts, n) == 0):
        return None
    for row in sorted({r.row for r in parts.runs})[1:]:
        runs = [(i, r) for i, r in enumerate(parts.runs) if r.row == row]
        first_link = next((r.link for _, r in runs if r.link >= 0), -1)
        if first_link < 0 or parts.links[first_link].role != "paper":
            continue
        before = [(i, r) for i, r in runs if r.link < 0 and i < min(i for i, r in runs if r.link == first_link)]
        text = _strip_decoration(_text_of([r for _, r in before]))
        if len(text.split()) >= 3 and not any(r.em for _, r in before) and not ("," in text and _names_like(text)):
            earlier = {i for i, r in enumerate(parts.runs) if r.row < row and r.link < 0}  # the model's line, not the paper's
            return text, None, {i for i, _ in before} | earlier
    return None


def _strong_groups(parts: Parts) -> list[list[int]]:
    """Runs of consecutive bold text outside links."""
    groups: list[list[int]] = []
    for i, run in enumerate(parts.runs):
        if not (run.strong and run.link < 0):
            continue
        if groups and groups[-1][-1] == i - 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _plain_title(parts: Parts, titled: list[int]) -> tuple[str, Link | None, set[int]] | None:
    """The plain text of the first segment that has words, when the item has a paper link."""
    if not any(k.role == "paper" for k in parts.links) and not titled:
        return None
    segments = titled or sorted({r.segment for r in parts.runs})
    for segment in segments:
        text = _text_of([r for r in parts.runs if r.segment == segment and r.link < 0])
        start, end = _plain_title_span(text)
        title = _strip_decoration(text[start:end])
        if re.search(r"[^\W\d_]{3}", title) and not _is_date(title):
            return title, None, _take_span(parts, segment, start, end)
    return None


# What may follow a title in quotes that opens an item: its end, punctuation, emphasis, a dash (not '? More title').
_AFTER_QUOTE_RE = re.compile(r"\s*(?:$|[,.;*_\[(]|[-\u2013\u2014]\s)")
_QUOTED_RE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{12,}?)[.,]?[\"\u201d]")


# "1) ", "12. ", "(3) ": a list's own numbering before a plain title.
_ENUMERATOR_RE = re.compile(r"\s*(?:\d{1,3}[).]|\(\d{1,3}\))\s+(?=\S)")
# The numbering left over when the title after it was taken: "2)" before nothing else.
_LONE_ENUMERATOR_RE = re.compile(r"^\s*(?:\d{1,3}[).]|\(\d{1,3}\))(?:\s+|$)")
# Two or more spaces before a capitalised word: where a plain title stops and a sentence starts.
_GAP_RE = re.compile(r"\s{2,}(?=[A-Z])")
# Where a plain title may stop before its description: that gap, or a spaced dash.
_TITLE_GAP_RE = re.compile(r"\s{2,}(?=[A-Z])|\s[-\u2013\u2014]\s+")
_PROSE_WORD_RE = re.compile(r"[^\W\d_][\w'\u2019.@-]*")  # "e.ntu.edu.sg" is one word


def is_prose(text: str, least: int = 6, share: float = 0.6) -> bool:
    """Whether ``text`` reads as sentences about a paper, not as a venue or names.

    ``least`` words or more, ``share`` of them lower-case (``a comprehensive
    analysis of GPT-4V to deepen ...``), and nothing the venue table reads as
    a venue: a list may write venues in lower case (``Advances in neural
    information processing systems, 33``), but then they name a conference
    or journal (``lclm.venues.kind``).
    """
    words = _PROSE_WORD_RE.findall(text)
    if len(words) < least or sum(w[0].islower() for w in words) < share * len(words):
        return False
    return len(words) > _VENUE_WORDS or not venues.kind(text)  # a long text saying "track" or "review" is no venue


_VENUE_WORDS = 25  # the longest venue names ("Proceedings of the 2021 Conference of the North American ...") stay under it


def _plain_title_span(text: str) -> tuple[int, int]:
    """Where the title is in a plain segment: after a leading ``[ICLR 2024]`` tag, before ``. Authors. Venue 2023``."""
    quoted = _QUOTED_RE.search(text)
    # a citation, Last, First. "Title." Venue (Year).; or an item that opens with its title in quotes
    opening = quoted is not None and not text[: quoted.start()].strip(" *_") and _AFTER_QUOTE_RE.match(text, quoted.end())
    cited = quoted is not None and (len(text[: quoted.start()].split()) >= 2 or bool(opening))
    if cited and quoted is not None and not _TITLE_GAP_RE.search(text, 0, quoted.start()):  # not a quote in a description
        # an opening title takes its quotes along (clean_title drops them); a cited one leaves them to the citation
        return (quoted.start(), quoted.end()) if not text[: quoted.start()].strip(" *_") else (quoted.start(1), quoted.end(1))
    tag = _LEADING_TAG_RE.match(text)
    start = tag.end() if tag else 0
    number = _ENUMERATOR_RE.match(text, start)  # "| 2) MEM1  This work ... |": the table's own numbering
    start = number.end() if number else start
    tagged = _venue_year_tag(text[start:])  # "- NeurIPS'23 Geodesic Multi-Modal Mixup ...": the venue goes first
    start += tagged
    year = re.compile(r"\s\((?:19|20)\d\d\)|\s{2,}\(").search(text, start)  # "Title (2016), A. Author"; "Title  (oral)"
    end = year.start() if year else len(text)
    gap = next((g for g in _TITLE_GAP_RE.finditer(text, start, end) if is_prose(text[g.end() : end])), None)
    if gap is not None:  # "Title  This paper introduces ..." / "Title - a framework for ...": a description follows
        return start, gap.start()
    for stop in AUTHORS_END_RE.finditer(text, start, end):
        if YEAR_RE.search(text, stop.end()):
            end = stop.start() + 1
            break
    return start, end


def _take_span(parts: Parts, segment: int, start: int, end: int) -> set[int]:
    """The runs of ``segment`` (outside links) covering ``start:end``, splitting runs at the edges."""
    offset = 0
    for cut in (start, end):
        offset = 0
        for i, run in enumerate(parts.runs):
            if run.segment != segment or run.link >= 0:
                continue
            if offset < cut < offset + len(run.text):
                at = cut - offset
                parts.runs[i : i + 1] = [
                    Run(run.text[:at], run.strong, run.em, run.link, run.segment),
                    Run(run.text[at:], run.strong, run.em, run.link, run.segment),
                ]
                break
            offset += len(run.text)
    used, offset = set(), 0
    for i, run in enumerate(parts.runs):
        if run.segment != segment or run.link >= 0:
            continue
        if start <= offset and offset + len(run.text) <= end:
            used.add(i)
        offset += len(run.text)
    return used


# A title wholly in double quotes, straight or curly (either way round, as lists type them), maybe
# followed by its period: "\"Title.\"", "\u201cTitle\u201d.", "\u201dTitle\u201c".  No quote inside.
_QUOTED_TITLE_RE = re.compile(r"[\"\u201c\u201d\u201e](?P<title>[^\"\u201c\u201d\u201e]+)[\"\u201c\u201d]\.?")


_LEADING_EMOJI_CODE_RE = re.compile(r"^(?::[a-z0-9_+-]+:\s*)+")


def clean_title(title: str) -> tuple[str, list[str]]:
    """A title without markup debris, LaTeX decoded, its final period dropped; and what was done."""
    notes = []
    text = collapse_spaces(title.translate(INVISIBLE))
    text = _LEADING_EMOJI_CODE_RE.sub("", text)  # ":fast_forward: Title": a picture, as an emoji would be
    unlatexed = latex_to_unicode(text)
    if unlatexed != text:
        notes.append(LATEX_NOTE)
    text = unlatexed
    unmath = _LATEX_RE.sub(lambda m: decode(m[0]), text)
    if unmath != text:
        notes.append("removed LaTeX math markup from the title")
        text = unmath
    unbraced = _BRACE_CASE_RE.sub(r"\1", text)
    if unbraced != text:
        notes.append("removed BibTeX case braces from the title")
        text = unbraced
    unquoted = _QUOTED_TITLE_RE.fullmatch(text)
    if unquoted is not None:
        notes.append("removed the quotes around the title")
        text = unquoted["title"].strip()
    had_period = text.endswith(".")
    text = text.removesuffix(".")
    if had_period and text[-1:] in (".", "?", "!"):
        notes.append(f"removed doubled punctuation at the end of the title ({text[-1]}.)")
        text = text.rstrip(".") if text.endswith(".") else text
    return text.strip(), notes


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


def _fields(parts: Parts, used: set[int], title_link: Link | None) -> tuple[str, str, int | None]:
    """``(authors text, venue text, year or None)`` from what follows the title."""
    rest = [(i, r) for i, r in enumerate(parts.runs) if i not in used and r.link < 0]
    if not rest:
        return "", "", None
    title_segment = parts.runs[min(used)].segment if used else 0
    cited = _cited_authors(parts, rest, used)
    if cited is not None:
        return cited
    # Italics in parentheses are an affiliation or a note ("CVPR, 2022 (*Google*)"), not the authors.
    named = {i for i, r in rest if r.em and not r.strong and not _in_parentheses(parts, [i])}
    italic = [parts.runs[i] for i in sorted(named)]
    by_row = _next_row_authors(parts, rest, used) if not italic else None
    if by_row is not None:
        return by_row
    if italic:
        authors, venue = _italic_authors(_text_of(italic).strip(" *_"))
        after = _text_of([r for i, r in rest if i not in named])
        cut = _AFTER_ITALIC_ET_AL_RE.match(after) if not venue else None
        if cut is not None:  # "*Linting Xue* et al. NAACL 2021": the list's "others" outside the italics
            authors, after = f"{authors.strip(' .')} et al.", after[cut.end() :]
        venue += " " + after
        return authors.strip(" .*_"), venue, None
    same = _strip_decoration(_text_of([r for _, r in rest if r.segment == title_segment])).lstrip("*_. ")
    tags = _LEADING_TAG_RE.match(same)
    tagged = same[: tags.end()] if tags else ""  # "[2024/05] [Title](url) by ...": the tag goes to the venue
    same = same[len(tagged) :]
    later = tagged + " " + _text_of([r for _, r in rest if r.segment != title_segment])
    if not same:
        marked = title_link is not None or any(parts.runs[i].strong for i in used)  # a plain title has no authors
        return _later_fields(parts, [r for _, r in rest if r.segment != title_segment], marked, tagged)
    dated = re.match(r"^\((?P<y>(?:19|20)\d\d)\),?\s*(?P<a>.*?)\.?$", same)
    if dated and (not dated["a"] or _names_like(re.sub(r"\bet\.?\s*al\b\.?", "", dated["a"]).strip(" ,."))):
        return dated["a"], later, int(dated["y"])  # "**Title** (2016), A. Author et al."
    stray = re.match(r"^(?P<a>[^_*]+?)\.?[_*]\s+(?P<v>.*)$", same)
    if stray:  # "Authors._ Venue" with its opening emphasis marker missing
        return stray["a"], stray["v"] + " " + later, None
    seed = _seed_rest(same)
    if seed is not None:
        authors, venue, year = seed
        return authors, venue + " " + later, year
    authors, venue = _authors_then_venue(same)
    return authors, venue + " " + later, None


# A citation number opening the entry ("[12]", "12."), and the quotes around a cited title.
_CITATION_NO_RE = re.compile(r"^\s*(?:\[\d{1,4}\]|\d{1,4}[.)])\s*")


def _next_row_authors(parts: Parts, rest: list[tuple[int, Run]], used: set[int]) -> tuple[str, str, int | None] | None:
    """``**Title** \\`` / ``First Last, First Last \\`` / ``Venue – Mon YYYY``: names on the line after the title."""
    row = parts.runs[max(used)].row if used else 0
    if any(r.row == row and r.text.strip(" \\") for i, r in rest if r.link < 0 and i > max(used, default=0)):
        return None  # more text on the title's line: the line shapes do not apply
    following = [r for _, r in rest if r.row == row + 1 and r.link < 0]
    names = _text_of(following).strip(" \\")
    if not names or not ("," in names or " and " in names) or not _names_like(names):
        return None
    return names, _text_of([r for _, r in rest if r.row > row + 1]), None


def _cited_authors(parts: Parts, rest: list[tuple[int, Run]], used: set[int]) -> tuple[str, str, int | None] | None:
    """A citation's ``Last, First, and First Last. "Title." Venue (Year)``: the names come before the title."""
    if not used:
        return None
    first = min(used)
    before = _CITATION_NO_RE.sub("", _text_of([r for i, r in rest if i < first])).strip(" \"\u201c\u201d'")
    dated = re.search(r"\s*\(((?:19|20)\d\d)\)\.?$", before)  # "Last, First; Last, First (2015)."
    if dated is not None:
        before = before[: dated.start()]
    if len(before.split()) < 2 or not _names_like(before.rstrip(". ")):
        return None
    after = _text_of([r for i, r in rest if i > max(used)]).lstrip(" \"\u201c\u201d.,")
    return before.rstrip(". "), after, int(dated[1]) if dated is not None else None


_AFTER_ITALIC_ET_AL_RE = re.compile(r"^[\s.,]*et\.?\s*al\b\.?", re.IGNORECASE)


def _italic_authors(text: str) -> tuple[str, str]:
    """Italic authors, and a venue written after "et al." inside the same emphasis: ``*A B et al. arXiv.*``.

    Italic text is otherwise authors whole: the renderer sets a list holding
    ``. `` (``Md. Tamim Iqbal``) in italics so that it reads back as one list.
    """
    if YEAR_RE.search(text) and (
        venues.kind(text) or MONTH_WORD_RE.search(text) or not _names_like(YEAR_RE.sub("", text).strip(" ,.;"))
    ):
        return "", text  # "*arXiv, Oct 2024*", "*NeurIPS, Oct 2022*", "*RA-L, 2025*": where and when, not who
    cut = _ET_AL_RE.search(text)
    if cut and text[cut.end() :].strip(" .,"):
        return text[: cut.end()], text[cut.end() :].strip(" .,")
    return text, ""


# A month's name (maybe cut short) as a word of its own: "Oct 2024", "June 23 - June 29".
# A month's name, whole or cut short, as a word of its own ("Oct 2024", "June 23 - June 29"; not "Mark").
MONTH_WORD_RE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?)\b",
    re.IGNORECASE,
)


def _authors_then_venue(text: str) -> tuple[str, str]:
    """``by A, B`` / ``A, B. Venue 2023`` -> (authors, venue); else ("", text)."""
    by = re.match(r"^(?:by|authors?:)\s+(?P<names>[^.]+(?:\.(?!\s)[^.]*)*)(?:\.\s+(?P<rest>.*))?$", text, re.IGNORECASE)
    if by and _names_like(by["names"]):
        return by["names"], by["rest"] or ""
    end = AUTHORS_END_RE.search(text)
    if end and _names_like(text[: end.start()]):
        return text[: end.start()], text[end.end() :]
    if text.endswith(".") and _names_like(text[:-1]):  # "Ada Lovelace." with the venue in a link
        return text[:-1], ""
    return "", text


def _later_fields(parts: Parts, later: list[Run], marked: bool, tagged: str = "") -> tuple[str, str, int | None]:
    """Authors and venue from the segments after the title's (``<br>``-separated, or cells).

    After a linked or bold title (``marked``) or in a table, the first segment
    that reads as a name list is the authors; after a plain title, all is venue.
    """
    by_segment: dict[int, str] = {}
    for r in later:
        by_segment[r.segment] = by_segment.get(r.segment, "") + r.text
    authors_segment = -1
    if marked or parts.cells:
        for segment, text in sorted(by_segment.items()):
            if parts.cells.get(segment, "title") in ("title", "authors") and _names_like(text):
                authors_segment = segment
                break
    venue = tagged + " " + " ".join(
        t for s, t in sorted(by_segment.items()) if s != authors_segment and parts.cells.get(s, "") not in ("date", "skip")
    )
    return by_segment.get(authors_segment, ""), venue, None


# What names may hold that the plain form could split or read differently: markup and
# separators, "Md." (the list would end after "Md"), words of a list ("and", "et al.").
_RISKY_RE = re.compile(r"[;_*{}\\&()\[\]]|[^\W\d_]{2}\.|\b(?:and|et|al|others|additional)\b", re.IGNORECASE)
_ENDS_IN_INITIAL_RE = re.compile(r"(?:^|[\s.\-])[^\W\d_]\.?$")  # "Weinan E", "Soman K.P"


def reads_back_plain(authors: list[str]) -> bool:
    """Whether ``A, B. Venue, year`` reads back as exactly these authors (else the renderer italicises them)."""
    named = authors[:-1] if authors[-1:] == [OTHERS] else authors
    joined = ", ".join(named)
    if named and joined.count(",") == len(named) - 1 and not _RISKY_RE.search(joined) and not _ENDS_IN_INITIAL_RE.search(named[-1]):
        return True  # the quick answer for almost every list; the reader itself decides the rest
    written = ", ".join(authors)
    seed = _seed_rest(f"{written}. Venue, 2000")
    return seed is not None and seed[0] == written and parse_authors(written) == authors


def _names_like(text: str) -> bool:
    """Whether text reads as an author list: capitalised name words, commas, no digits."""
    text = _strip_decoration(text)
    if not text or re.search(r"\d", text) or _MONTH_RE.fullmatch(text):  # "Apr. 2023" is a date
        return False
    words = text.replace(",", " ").replace(";", " ").split()
    if len(words) < 2 or not all(_NAME_WORD_RE.match(w) or w.lower() in ("and", "et", "al.", "al") for w in words):
        return False
    return "," in text or ";" in text or len(words) <= 4


def _seed_rest(rest: str) -> tuple[str, str, int | None] | None:
    """``Authors. Venue, year`` / ``Authors. year`` / ``year`` (year may be ``NA``)."""
    match = _SEED_YEAR_RE.search(rest)
    if not match:
        return None
    year = int(match["year"]) if match["year"] else MISSING
    before = rest[: match.start()].strip()
    if not before:
        return "", "", year
    if match["sep"] == "." and not _MONTH_RE.fullmatch(before):  # "Apr. 2023" is a date, not "Authors. 2023"
        return before, "", year
    end = AUTHORS_END_RE.search(before)
    if end is None:
        return "", before, year
    return before[: end.start()], before[end.end() :].strip(), year


def _strip_decoration(text: str) -> str:
    text = _EMOJI_CODE_RE.sub(" ", text)
    return collapse_spaces(_DECORATION_RE.sub(" ", text)).strip(" -–—:;,")


def _untag(venue: str) -> str:
    """``[ICLR 2024] [2024/05]`` -> ``ICLR 2024 2024/05``: tags lose their brackets."""
    while (tag := _TAG_RE.match(venue)) is not None:
        venue = f"{tag[0][1:-1].strip()} {venue[tag.end():].strip()}".strip()
        if venue.startswith(tag[0][1:-1].strip()) and not _TAG_RE.match(venue):
            break
    return venue


def _venue_year(parts: Parts, text: str, year: int | None, strip: bool = True) -> tuple[str, int | None, list[str]]:
    """The venue and year from the leftover text, a venue badge, or a date cell."""
    venue = collapse_spaces(latex_to_unicode(_strip_decoration(text))).strip(" ,;").lstrip(". *_")
    notes: list[str] = []
    added = _COMPACT_DATE_RE.match(venue)  # "- 20171226 NIPS 2016 ...": when the list added it; NIPS 2016 says more
    if added is not None:
        venue = venue[added.end() :]
    if year is None:
        venue, year = _venue_then_date(venue)
    if year is None:
        venue = _untag(venue).rstrip(". ")  # "Venue 2023." and "TPAMI." end with the entry's period
        leading = re.match(r"((?:19|20)\d\d)\s+(?=[^\W\d_])", venue)  # "[2018 ICLR]": the year before the venue
        if leading is not None and not YEAR_RE.search(venue, leading.end()):
            year, venue = int(leading[1]), venue[leading.end() :]
        dated = _DATE_TOKEN_RE.search(venue)
        if dated:  # "[2024/05]": when the list added it, not a venue
            year = int(dated[1] or dated[2])
            venue = venue[: dated.start()] + venue[dated.end() :]
            venue = collapse_spaces(_EMPTY_BRACKETS_RE.sub(" ", venue)).strip(" ,;.")  # "[2024/05]" goes whole
    if year is None and strip:
        venue = venue.rstrip(" ,.")
        years = [m[1] for m in YEAR_RE.finditer(venue) if not _in_page_range(venue, m)]
        if years:
            year = int(years[-1])
            if venue.endswith(years[-1]):
                venue = _TRAILING_MONTH_RE.sub("", venue[: -len(years[-1])].rstrip(" ,.'")).rstrip(" ,-\u2013\u2014")  # "arXiv, Oct 2024"
    if _MONTH_RE.fullmatch(venue):  # "(Oct 2023)": the month of a date, not a venue
        venue = ""
    if year is None and added is not None:
        year = int(added[1])
    badge = badge_venue(parts)
    if badge and not venue:
        venue, badge_year = badge
        year = year if year is not None else badge_year
    if year is None:
        for segment, role in parts.cells.items():
            if role == "date":
                found = YEAR_RE.search(_text_of([r for r in parts.runs if r.segment == segment]))
                if found:
                    year = int(found[1])  # the list states it in its date column: reading, not a cleaning
                    break
    return venue, year, notes


# "ICLR 24 – Oct 2023", "NAACL 2022 - Dec 2021": a venue's year, then the date the paper appeared.
_VENUE_THEN_DATE_RE = re.compile(
    r"^(?P<venue>[A-Za-z][\w.&'\u2019 -]{0,40}?)\s*['\u2019]?(?P<year>(?:19|20)?\d\d)\s*[-\u2013\u2014]\s*"
    rf"(?:{_MONTH}\s*)?(?:\d{{1,2}},?\s+)?(?:(?:19|20)?\d\d)\b"
)
# "ACL'23", "Preprint'24", "FSE’24": a venue with a two-digit year.
_SHORT_YEAR_RE = re.compile(r"(?<=[A-Za-z)])\s?['\u2019](\d\d)\b")


# "NeurIPS'23 ", "ICLR-22 ", "AAAI-21 ": a venue with a two-digit year opening an item.
_VENUE_YEAR_TAG_RE = re.compile(r"(?P<venue>[A-Z][A-Za-z&]{1,15})(?:(?P<apostrophe>['\u2019])|-)(?P<year>\d\d)(?:\s+|$)")


def _venue_year_tag(text: str) -> int:
    """The length of a ``Venue'YY`` tag opening ``text`` (0 for none); ``VENUE-YY`` only for a venue the table knows."""
    found = _VENUE_YEAR_TAG_RE.match(text)
    if found is None or not (found["apostrophe"] or venues.lookup(found["venue"])):
        return 0
    return found.end()


def _in_page_range(text: str, year: re.Match[str]) -> bool:
    """Whether a year-like number is a page of a range, ``(2014): 1929-1958``, not a year."""
    return bool(re.search(r"\d\s*[-\u2013]{1,2}\s*$", text[: year.start()]) or re.match(r"\s*[-\u2013]{1,2}\s*\d", text[year.end() :]))


def _full_year(two: str) -> int:
    """``'23`` -> 2023, ``'98`` -> 1998."""
    return 2000 + int(two) if int(two) <= 40 else 1900 + int(two)


def _venue_then_date(venue: str) -> tuple[str, int | None]:
    """The venue and its year from ``Venue YY – Mon YYYY`` or ``Venue'YY``; else the venue unchanged and None."""
    found = _VENUE_THEN_DATE_RE.match(venue)
    if found is not None and not re.fullmatch(r"(?i)arxiv|preprint|corr", found["venue"].strip()):
        year = int(found["year"]) if len(found["year"]) == 4 else _full_year(found["year"])
        return f"{found['venue'].strip()} {year}", year
    if found is None and not YEAR_RE.search(venue):
        short = _SHORT_YEAR_RE.search(venue)
        if short is not None:
            year = _full_year(short[1])
            return collapse_spaces(f"{venue[: short.start()]} {year} {venue[short.end():]}"), year
        tag = _VENUE_YEAR_TAG_RE.match(venue)
        if tag is not None and _venue_year_tag(venue):  # "ICLR-22"
            year = _full_year(tag["year"])
            return collapse_spaces(f"{tag['venue']} {year} {venue[tag.end():]}"), year
    return venue, None


def _fallback_year(venue: str, arxiv: str, url: str, parts: Parts) -> tuple[int | None, str]:
    years = YEAR_RE.findall(venue)
    if years:
        return int(years[-1]), "venue"
    if arxiv:
        return arxiv_year(arxiv), "arXiv id"
    for link in [url] + [k.href for k in parts.links if k.role == "paper"]:
        found = _URL_YEAR_RE.search(urlsplit(link).path) if link else None
        if found:
            return int(found[1]), "link"
        acl = _ACL_OLD_ID_RE.search(urlsplit(link).path) if link and _acl_host(link) else None
        if acl:
            return (2000 if int(acl[1]) < 60 else 1900) + int(acl[1]), "ACL Anthology id"
    return None, ""


def _acl_host(link: str) -> bool:
    host = urlsplit(link).netloc.lower().removeprefix("www.")
    return host in ("aclanthology.org", "aclweb.org")


