"""Authors, venue, year and dates of a Markdown list item, from what follows its title.

Authors (``fields``) are the italic text, the names before a cited title,
the names on the line after the title, the name list after a ``<br>`` (or in
an authors cell), or the ``Authors.`` of ``Authors. Venue, year``, read by
the one author grammar (``lclm.sources.names``); what is left is venue and
year (``venue_year``: tags lose their brackets, a date the list added or a
venue's short year ``ICLR'23`` gives the year, a venue badge or a date column
stand in for what the text lacks).  A line holding only a date is the
entry's date, not its venue (``date_rows``); an entry with no year takes it
from the arXiv id or the link (``fallback_year``).  ``reads_back_plain``
tells the renderer whether authors written plainly read back as the same
list.  Pure: parts in, text and years out.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lclm import venues
from lclm.ids import arxiv_year
from lclm.model import OTHERS
from lclm.sources.markdown_parts import (
    YEAR_RE,
    Link,
    Parts,
    Run,
    badge_venue,
)
from lclm.sources.markdown_text import (
    AUTHORS_END_RE,
    ET_AL_RE,
    LEADING_TAG_RE,
    MONTH,
    MONTH_DAY,
    MONTH_RE,
    TAG_RE,
    VENUE_YEAR_TAG_RE,
    in_parentheses,
    is_date,
    names_like,
    strip_decoration,
    text_of,
    venue_year_tag,
)
from lclm.sources.names import parse_authors
from lclm.text import collapse_spaces, latex_to_unicode

MISSING = 0  # the list says "NA" where the year goes


def date_rows(parts: Parts, used: set[int]) -> int | None:
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
        text = text_of([parts.runs[i] for i in members]).strip()
        if text and is_date(text):
            used.update(members)
            found = YEAR_RE.search(text)
            year = year or (int(found[1]) if found else None)
    return year


def fields(parts: Parts, used: set[int], title_link: Link | None) -> tuple[str, str, int | None]:
    """``(authors text, venue text, year or None)`` from what follows the title."""
    rest = [(i, r) for i, r in enumerate(parts.runs) if i not in used and r.link < 0]
    if not rest:
        return "", "", None
    title_segment = parts.runs[min(used)].segment if used else 0
    cited = _cited_authors(parts, rest, used)
    if cited is not None:
        return cited
    # Italics in parentheses are an affiliation or a note ("CVPR, 2022 (*Google*)"), not the authors.
    named = {i for i, r in rest if r.em and not r.strong and not in_parentheses(parts, [i])}
    italic = [parts.runs[i] for i in sorted(named)]
    by_row = _next_row_authors(parts, rest, used) if not italic else None
    if by_row is not None:
        return by_row
    if italic:
        authors, venue = _italic_authors(text_of(italic).strip(" *_"))
        after = text_of([r for i, r in rest if i not in named])
        cut = _AFTER_ITALIC_ET_AL_RE.match(after) if not venue else None
        if cut is not None:  # "*Linting Xue* et al. NAACL 2021": the list's "others" outside the italics
            authors, after = f"{authors.strip(' .')} et al.", after[cut.end() :]
        venue += " " + after
        return authors.strip(" .*_"), venue, None
    same = strip_decoration(text_of([r for _, r in rest if r.segment == title_segment])).lstrip("*_. ")
    tags = LEADING_TAG_RE.match(same)
    tagged = same[: tags.end()] if tags else ""  # "[2024/05] [Title](url) by ...": the tag goes to the venue
    same = same[len(tagged) :]
    later = tagged + " " + text_of([r for _, r in rest if r.segment != title_segment])
    if not same:
        marked = title_link is not None or any(parts.runs[i].strong for i in used)  # a plain title has no authors
        return _later_fields(parts, [r for _, r in rest if r.segment != title_segment], marked, tagged, title_segment)
    dated = re.match(r"^\((?P<y>(?:19|20)\d\d)\),?\s*(?P<a>.*?)\.?$", same)
    if dated and (not dated["a"] or names_like(re.sub(r"\bet\.?\s*al\b\.?", "", dated["a"]).strip(" ,."))):
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
    names = text_of(following).strip(" \\")
    if not names or not ("," in names or " and " in names) or not names_like(names):
        return None
    return names, text_of([r for _, r in rest if r.row > row + 1]), None


def _cited_authors(parts: Parts, rest: list[tuple[int, Run]], used: set[int]) -> tuple[str, str, int | None] | None:
    """A citation's ``Last, First, and First Last. "Title." Venue (Year)``: the names come before the title."""
    if not used:
        return None
    first = min(used)
    cell = parts.cell_of(parts.runs[first].segment)  # in a table, only the title's own cell cites
    before = _CITATION_NO_RE.sub("", text_of([r for i, r in rest if i < first and parts.cell_of(r.segment) == cell])).strip(" \"\u201c\u201d'")
    dated = re.search(r"\s*\(((?:19|20)\d\d)\)\.?$", before)  # "Last, First; Last, First (2015)."
    if dated is not None:
        before = before[: dated.start()]
    if len(before.split()) < 2 or not names_like(before.rstrip(". ")):
        return None
    after = text_of([r for i, r in rest if i > max(used)]).lstrip(" \"\u201c\u201d.,")
    return before.rstrip(". "), after, int(dated[1]) if dated is not None else None


_AFTER_ITALIC_ET_AL_RE = re.compile(r"^[\s.,]*et\.?\s*al\b\.?", re.IGNORECASE)


def _italic_authors(text: str) -> tuple[str, str]:
    """Italic authors, and a venue written after "et al." inside the same emphasis: ``*A B et al. arXiv.*``.

    Italic text is otherwise authors whole: the renderer sets a list holding
    ``. `` (``Md. Tamim Iqbal``) in italics so that it reads back as one list.
    """
    if YEAR_RE.search(text) and (
        venues.kind(text) or MONTH_WORD_RE.search(text) or not names_like(YEAR_RE.sub("", text).strip(" ,.;"))
    ):
        return "", text  # "*arXiv, Oct 2024*", "*NeurIPS, Oct 2022*", "*RA-L, 2025*": where and when, not who
    cut = ET_AL_RE.search(text)
    if cut and text[cut.end() :].strip(" .,"):
        return text[: cut.end()], text[cut.end() :].strip(" .,")
    return text, ""


# A month's name, whole or cut short, as a word of its own ("Oct 2024", "June 23 - June 29"; not "Mark").
MONTH_WORD_RE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?)\b",
    re.IGNORECASE,
)


def _authors_then_venue(text: str) -> tuple[str, str]:
    """``by A, B`` / ``A, B. Venue 2023`` -> (authors, venue); else ("", text)."""
    by = re.match(r"^(?:by|authors?:)\s+(?P<names>[^.]+(?:\.(?!\s)[^.]*)*)(?:\.\s+(?P<rest>.*))?$", text, re.IGNORECASE)
    if by and names_like(by["names"]):
        return by["names"], by["rest"] or ""
    end = AUTHORS_END_RE.search(text)
    if end and names_like(text[: end.start()]):
        return text[: end.start()], text[end.end() :]
    if text.endswith(".") and names_like(text[:-1]):  # "Ada Lovelace." with the venue in a link
        return text[:-1], ""
    return "", text


def _later_fields(
    parts: Parts, later: list[Run], marked: bool, tagged: str = "", title_segment: int = 0
) -> tuple[str, str, int | None]:
    """Authors and venue from the segments after the title's (``<br>``-separated, or cells).

    A segment the list itself calls the authors (an "Authors" column, a names
    line under the title) is the authors.  Otherwise, after a linked or bold
    title (``marked``) or in a table, the first segment that reads as a name
    list is; after a plain title, all is venue.
    """
    by_segment: dict[int, str] = {}
    for r in later:
        by_segment[r.segment] = by_segment.get(r.segment, "") + r.text
    stated = [s for s, text in sorted(by_segment.items()) if parts.cells.get(s) == "authors" and text.strip()]
    authors_segment = stated[0] if stated else -1
    if not stated and (marked or parts.cells):
        own = parts.cell_of(title_segment)  # in a table, a name list under the title in its own cell, not a Name column
        for segment, text in sorted(by_segment.items()):
            if parts.cells.get(segment, "title") == "title" and parts.cell_of(segment) == own and names_like(text):
                authors_segment = segment
                break
    venue = tagged + " " + " ".join(
        t for s, t in sorted(by_segment.items()) if s != authors_segment and parts.cells.get(s, "") not in ("date", "skip", "authors", "other", "links")
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


_SEED_YEAR_RE = re.compile(r"(?:^|(?P<sep>[,.])\s*)(?:(?P<year>(?:19|20)\d\d)|NA|N/A|n\.d\.)\s*\.?$")


def _seed_rest(rest: str) -> tuple[str, str, int | None] | None:
    """``Authors. Venue, year`` / ``Authors. year`` / ``year`` (year may be ``NA``)."""
    match = _SEED_YEAR_RE.search(rest)
    if not match:
        return None
    year = int(match["year"]) if match["year"] else MISSING
    before = rest[: match.start()].strip()
    if not before:
        return "", "", year
    if match["sep"] == "." and not MONTH_RE.fullmatch(before):  # "Apr. 2023" is a date, not "Authors. 2023"
        return before, "", year
    end = AUTHORS_END_RE.search(before)
    if end is None:
        return "", before, year
    return before[: end.start()], before[end.end() :].strip(), year


_EMPTY_BRACKETS_RE = re.compile(r"\[\s*\]|\(\s*\)")
_DATE_TOKEN_RE = re.compile(
    r"(?<![\w.])(19\d\d|20\d\d)[./\-]\d{1,2}(?:[./\-]\d{1,2})?(?![\w.])"
    rf"|\(\s*{MONTH}\s+(?:\d{{1,2}},?\s+)?(19\d\d|20\d\d)\s*\)"
)
# "20171222": a date written without separators, at the start of what follows the title.
_COMPACT_DATE_RE = re.compile(r"\s*((?:19|20)\d\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b\s*")
# The month (and day) left at a venue's end when its date's year was taken: "CoRL, Nov", "ICRA, May 17th".
_TRAILING_MONTH_RE = re.compile(rf"[,\s]+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?[,\s]*$")


def _untag(venue: str) -> str:
    """``[ICLR 2024] [2024/05]`` -> ``ICLR 2024 2024/05``: tags lose their brackets."""
    while (tag := TAG_RE.match(venue)) is not None:
        venue = f"{tag[0][1:-1].strip()} {venue[tag.end():].strip()}".strip()
        if venue.startswith(tag[0][1:-1].strip()) and not TAG_RE.match(venue):
            break
    return venue


# A month and day before the title ("* 05/16 - **Title**" under "### 2024"): when the list added it.
_MONTH_DAY_RE = re.compile(rf"{MONTH_DAY}\s*[-\u2013\u2014:]?")
_WRAPPED_RE = re.compile(r"[(\[][\s*_]*([^()\[\]]*?)['\u2019]?[\s*_]*[)\]]")


def venue_year(parts: Parts, text: str, year: int | None, strip: bool = True) -> tuple[str, int | None, list[str]]:
    """The venue and year from the leftover text, a venue badge, or a date cell."""
    venue = collapse_spaces(latex_to_unicode(strip_decoration(text))).strip(" ,;").lstrip(". *_")
    wrapped = _WRAPPED_RE.fullmatch(venue)
    if wrapped is not None:  # "(*EACL'24'*)", "[NeurIPS 2024]": the venue in brackets, maybe with a stray quote
        venue = wrapped[1]
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
    if year is not None and f"({year})" in venue.replace(" ", ""):  # "(*2025*) `ICML`": the year in brackets at an end
        venue = re.sub(rf"^\(\s*{year}\s*\)[\s.,;]*|[\s,;]*\(\s*{year}\s*\)[\s.]*$", "", venue)
    if MONTH_RE.fullmatch(venue) or _MONTH_DAY_RE.fullmatch(venue):  # "(Oct 2023)", "05/16 -": a date, not a venue
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
                found = YEAR_RE.search(text_of([r for r in parts.runs if r.segment == segment]))
                if found:
                    year = int(found[1])  # the list states it in its date column: reading, not a cleaning
                    break
    return venue, year, notes


# "ICLR 24 – Oct 2023", "NAACL 2022 - Dec 2021": a venue's year, then the date the paper appeared.
_VENUE_THEN_DATE_RE = re.compile(
    r"^(?P<venue>[A-Za-z][\w.&'\u2019 -]{0,40}?)\s*['\u2019]?(?P<year>(?:19|20)?\d\d)\s*[-\u2013\u2014]\s*"
    rf"(?:{MONTH}\s*)?(?:\d{{1,2}},?\s+)?(?:(?:19|20)?\d\d)\b"
)
# "ACL'23", "Preprint'24", "FSE’24": a venue with a two-digit year.
_SHORT_YEAR_RE = re.compile(r"(?<=[A-Za-z)])\s?['\u2019](\d\d)\b")


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
        tag = VENUE_YEAR_TAG_RE.match(venue)
        if tag is not None and venue_year_tag(venue):  # "ICLR-22"
            year = _full_year(tag["year"])
            return collapse_spaces(f"{tag['venue']} {year} {venue[tag.end():]}"), year
    return venue, None


_URL_YEAR_RE = re.compile(r"(?:^|[/=_.-])(19[89]\d|20[0-4]\d)(?=$|[/._-])")
# An ACL Anthology id of the old form, ``W19-5040`` or ``P18-1031``: its two digits are the year.
_ACL_OLD_ID_RE = re.compile(r"/(?:anthology/)?[A-Z](\d\d)-\d{4}(?:\.pdf)?/?$")


def fallback_year(venue: str, arxiv: str, url: str, parts: Parts) -> tuple[int | None, str]:
    """``(year, where it came from)``: the last year in ``venue``, else the arXiv id's, else one in a paper link's path (an old ACL Anthology id too)."""
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
