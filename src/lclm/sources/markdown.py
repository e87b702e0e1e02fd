"""Read an awesome-list README: headings become sections, list items papers.

Two entry formats are understood:

- the seed's ``* **[Title.](url)** Authors. Venue, year``
- the numbered ``N. [**Title.**](url) _Authors._ Venue Year. [badges]``

Pure: text in, ``ParsedList`` out.  What was cleaned on the way is recorded
per entry, and every line that looked like an entry but could not be read is
kept with its line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lclm.ids import arxiv_in, arxiv_year, doi_in_url
from lclm.model import OTHERS
from lclm.text import INVISIBLE, collapse_spaces, latex_to_unicode

HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# A list item that may be a paper: bullet or number, then a link or bold text.
ITEM_RE = re.compile(r"^\s*(?:[*+-]|\d+\.)\s+(?P<body>.*\S)\s*$")
LOOKS_LIKE_ENTRY_RE = re.compile(r"\*\*|\]\(https?://")
# Sections whose headings say they are not part of the paper list.
NOT_PAPERS_RE = re.compile(
    r"news|update|table of contents|^contents$|star history|citation|cite|contributors|"
    r"acknowledg|license|新闻|目录",
    re.IGNORECASE,
)
BADGE_RE = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)|!\[[^\]]*\]\([^)]*\)")
# "\$\\\$" and "\$\$\$\$" debris left by a BibTeX-to-Markdown conversion.
STRAY_MARKUP_RE = re.compile(r"(?:\*\*)?(?:\\\$|\\\\)+(?:\*\*)?")
# CommonMark lets a backslash escape any ASCII punctuation character.
MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
YEAR_RE = re.compile(r"\b(19\d\d|20\d\d)\b")
# Where the author list ends: ". " not after a lone initial ("Matei A. Zaharia").
AUTHORS_END_RE = re.compile(r"(?<![\s,][A-Z])(?<!^[A-Z])\.\s+")
LATEX_NOTE = "turned LaTeX escapes into Unicode"
ESCAPES_NOTE = "removed Markdown backslash escapes"


@dataclass(slots=True)
class Entry:
    """One paper as read from the list, before keys and categories are assigned."""

    line: int
    title: str
    authors: list[str]
    year: int
    venue: str = ""
    url: str = ""
    arxiv: str = ""
    doi: str = ""
    cleaned: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Heading:
    """A heading of the Markdown file and what stands under it."""

    level: int
    name: str
    line: int
    entries: list[Entry] = field(default_factory=list)
    children: list[Heading] = field(default_factory=list)

    def count(self) -> int:
        return len(self.entries) + sum(c.count() for c in self.children)


@dataclass(slots=True)
class ParsedList:
    """The heading forest holding papers, and the lines that could not be read."""

    headings: list[Heading]
    unreadable: list[tuple[int, str]]

    def entries(self) -> list[Entry]:
        out: list[Entry] = []
        stack = list(reversed(self.headings))
        while stack:
            h = stack.pop()
            out.extend(h.entries)
            stack.extend(reversed(h.children))
        return out


def parse_markdown(text: str) -> ParsedList:
    """Parse a README into headings and entries; see the module docstring."""
    root = Heading(0, "", 0)
    stack = [root]
    unreadable: list[tuple[int, str]] = []
    skipping_level = 0  # inside a news/contents section of this level
    in_fence = in_comment = False
    for number, raw in enumerate(text.splitlines(), 1):
        line, in_comment = _drop_comments(raw, in_comment)
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence or not line.strip():
            continue
        heading = HEADING_RE.match(line)
        if heading:
            level, name = len(heading[1]), _clean_heading(heading[2])
            if skipping_level and level > skipping_level:
                continue
            skipping_level = level if NOT_PAPERS_RE.search(name) else 0
            while stack[-1].level >= level:
                stack.pop()
            node = Heading(level, name, number)
            stack[-1].children.append(node)
            stack.append(node)
            continue
        if skipping_level:
            continue
        item = ITEM_RE.match(line)
        if not item:
            continue
        entry = parse_entry(item["body"], number)
        if entry is not None:
            stack[-1].entries.append(entry)
        elif LOOKS_LIKE_ENTRY_RE.search(item["body"]) and len(stack) > 1:
            unreadable.append((number, raw.strip()))
    return ParsedList(_trim(_prune(root.children)), unreadable)


def _drop_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    out: list[str] = []
    while line:
        if in_comment:
            end = line.find("-->")
            if end < 0:
                return "".join(out), True
            line, in_comment = line[end + 3 :], False
        else:
            start = line.find("<!--")
            if start < 0:
                out.append(line)
                break
            out.append(line[:start])
            line, in_comment = line[start + 4 :], True
    return "".join(out), in_comment


def _clean_heading(name: str) -> str:
    return collapse_spaces(MD_ESCAPE_RE.sub(r"\1", name).translate(INVISIBLE))


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


# ---------------------------------------------------------------- one entry


def parse_entry(body: str, line: int) -> Entry | None:
    """An entry from a list item's text, or None when it is not a paper."""
    cleaned: list[str] = []
    text = body.translate(INVISIBLE)
    if text != body:
        cleaned.append("removed zero-width characters")
    if "\\$" in text:
        text = STRAY_MARKUP_RE.sub(lambda m: "" if "\\$" in m[0] else m[0], text)
        cleaned.append("removed stray \\$\\\\\\$ markup")
    text = BADGE_RE.sub("", text).strip()
    head = _title_and_url(text)
    if head is None:
        return None
    title, url, rest = head
    if collapse_spaces(title) != title or collapse_spaces(rest) != rest:
        cleaned.append("removed extra white space")
    title, title_notes = _clean_title(title)
    cleaned.extend(title_notes)
    if not title:
        return None
    if rest.startswith("_"):
        fields = _numbered_rest(rest)
    else:
        fields = _seed_rest(rest)
    if fields is None:
        return None
    authors, venue, year = fields
    plain = [_unescape(a) for a in authors]
    venue_plain = _unescape(venue)
    if plain != authors or venue_plain != venue:
        cleaned.append(ESCAPES_NOTE)
    unescaped = [_unlatex(a) for a in plain]
    venue_clean = _unlatex(venue_plain)
    if unescaped != plain or venue_clean != venue_plain:
        cleaned.append(LATEX_NOTE)
    arxiv = arxiv_in(url) or arxiv_in(venue_clean)
    if year is None:
        year, source = _fallback_year(venue_clean, arxiv)
        if year is None:
            return None
        cleaned.append(f"took the missing year {year} from the {source}")
    notes = list(dict.fromkeys(cleaned))
    if LATEX_NOTE in notes and ESCAPES_NOTE in notes:
        notes.remove(ESCAPES_NOTE)  # the escapes were LaTeX's backslashes, doubled for Markdown
    return Entry(
        line=line,
        title=title,
        authors=unescaped,
        year=year,
        venue=venue_clean,
        url=url,
        arxiv=arxiv,
        doi=doi_in_url(url),
        cleaned=notes,
    )


def _fallback_year(venue: str, arxiv: str) -> tuple[int | None, str]:
    years = YEAR_RE.findall(venue)
    if years:
        return int(years[-1]), "venue"
    return (arxiv_year(arxiv), "arXiv id") if arxiv else (None, "")


def _title_and_url(text: str) -> tuple[str, str, str] | None:
    """``(title, url, rest)`` from ``**[T](u)**``, ``[**T**](u)``, ``[T](u)`` or ``**T**``."""
    start = text.lstrip("*").lstrip()
    if start.startswith("["):
        close = _matching(start, 0, "[", "]")
        if close is None or not start[close + 1 : close + 2] == "(":
            return None
        end = _matching(start, close + 1, "(", ")")
        if end is None:
            return None
        title, url = start[1:close], start[close + 2 : end].strip()
        if not re.match(r"^https?://\S+$", url):
            return None
        return title.replace("**", ""), url, _strip_joiners(start[end + 1 :])
    match = re.match(r"^\*\*(.+?)\*\*(.*)$", text)
    if match and not match[1].startswith("["):
        return match[1], "", _strip_joiners(match[2])
    return None


def _matching(text: str, start: int, opening: str, closing: str) -> int | None:
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "\\":
            continue
        if text[i] == opening and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == closing and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i
    return None


def _strip_joiners(rest: str) -> str:
    """Drop the bold markers and period between a title and its authors."""
    return rest.lstrip("*. ").strip()


def _clean_title(title: str) -> tuple[str, list[str]]:
    notes = []
    text = _unescape(title)
    if text != collapse_spaces(title):
        notes.append(ESCAPES_NOTE)
    unlatexed = latex_to_unicode(text)
    if unlatexed != text:
        notes.append(LATEX_NOTE)
    had_period = unlatexed.endswith(".")
    text = unlatexed.removesuffix(".")
    if had_period and text[-1:] in (".", "?", "!"):
        notes.append(f"removed doubled punctuation at the end of the title ({text[-1]}.)")
        text = text.rstrip(".") if text.endswith(".") else text
    return text.strip(), notes


def _unescape(text: str) -> str:
    return collapse_spaces(MD_ESCAPE_RE.sub(r"\1", text))


def _unlatex(text: str) -> str:
    return collapse_spaces(latex_to_unicode(text))


def _seed_rest(rest: str) -> tuple[list[str], str, int | None] | None:
    """``Authors. Venue, year`` / ``Authors. year`` / ``year`` (year may be ``NA``)."""
    match = re.search(
        r"(?:^|(?P<sep>[,.])\s*)(?:(?P<year>(?:19|20)\d\d)|NA|N/A|n\.d\.)\s*\.?$", rest
    )
    if not match:
        return None
    year = int(match["year"]) if match["year"] else None
    before = rest[: match.start()].strip()
    if not before:
        return [], "", year
    if match["sep"] == ".":
        return _split_authors(before), "", year
    end = AUTHORS_END_RE.search(before)
    if end is None:
        return [], before, year
    return _split_authors(before[: end.start()]), before[end.end() :].strip(), year


def _numbered_rest(rest: str) -> tuple[list[str], str, int | None] | None:
    """``_Authors._ Venue Year.``"""
    match = re.match(r"^_(?P<authors>[^_]*)_\s*(?P<venue>.*)$", rest)
    if not match:
        return None
    authors = match["authors"].strip().removesuffix(".")
    venue = match["venue"].strip().removesuffix(".").strip()
    years = YEAR_RE.findall(venue)
    year = int(years[-1]) if years else None
    if years and venue.endswith(years[-1]):
        venue = venue[: -len(years[-1])].rstrip(" ,")
    return _split_authors(authors), venue, year


def _split_authors(text: str) -> list[str]:
    names = [collapse_spaces(n) for n in text.strip().removesuffix(".").split(",")]
    names = [n for n in names if n]
    if names and names[-1].lower() in ("others", "et al", "et al."):
        names[-1] = OTHERS
    return names
