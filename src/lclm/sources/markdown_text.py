"""What a piece of a Markdown list item's text reads as, for the title and the field readers alike.

The text of runs (``text_of``) and that text without decoration (emoji,
stray links and brackets: ``strip_decoration``); a date (``is_date``); a tag
in brackets holding a year or date (``[ICLR 2024]``, ``[2024/05]``) and a
venue with a two-digit year opening the text (``NeurIPS'23``); where an
author list ends (``AUTHORS_END_RE``) and whether text reads as one
(``names_like``); bold runs in parentheses (``(**oral**)``, a note).  Each
is used by both ``lclm.sources.markdown_title`` and
``lclm.sources.markdown_fields``, so it lives below them.  Pure.
"""

from __future__ import annotations

import re

from lclm import venues
from lclm.sources.markdown_parts import Parts, Run
from lclm.text import collapse_spaces

DATE_RE = re.compile(
    r"^\W*(?:(19\d\d|20\d\d)[./\-年](?:\d{1,2})(?:[./\-月]\d{1,2}日?)?"
    r"|(?:\d{1,2}[./\-])?\d{1,2}[./\-](19\d\d|20\d\d)"
    r"|(?:\d{1,2}\s+)?[A-Z][A-Za-z]{2,8}\.?\s+(?:\d{1,2},?\s+)?(19\d\d|20\d\d)|(19\d\d|20\d\d))\W*$"
)
EMOJI_CODE_RE = re.compile(r":[a-z0-9_+-]+:")
_DECORATION_RE = re.compile(
    r"\[+[^\[\]]*\]+\s*\(\s*https?://[^)\s]*\s*\)|\(\s*https?://[^)\s]*\s*\)"
    r"|\[\[[^\[\]]*\]\]|[\u00a0|]+|\(\s*\)|\[\s*\]|[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\uFE0F]"
)
ET_AL_RE = re.compile(r"\bet\.?\s*al\b\.?", re.IGNORECASE)
# Where the author list ends: ". " not after a lone initial ("Matei A. Zaharia", "J.L. Cai", "Sercan Ö. Arik").
AUTHORS_END_RE = re.compile(r"(?<![\s,.\-][^\W\d_])(?<!^[^\W\d_])\.\s+")
# "[ICLR 2024]", "(NeurIPS'23)", "[2024/05]": a venue or date tag before or after a title.
# A tag holds a digit (a year or date), so "(Dynamic) Prompting" keeps its first word.
TAG_RE = re.compile(r"[\[(](?=[^\[\]()]*\d)[^\[\]()]{2,40}[\])]")
LEADING_TAG_RE = re.compile(r"\s*(?:[\[(](?=[^\[\]()]*\d)[^\[\]()]{2,40}[\])]\s*[-:]?\s*)+")
MONTH = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"  # a month's name, maybe cut short
MONTH_RE = re.compile(rf"\W*{MONTH}\W*")
# A month and day with no year, "05/16" or "2.21": the day a list under a year heading took the paper up.
MONTH_DAY = r"(?:0?[1-9]|1[0-2])[./](?:0?[1-9]|[12]\d|3[01])"
_NAME_WORD_RE = re.compile(r"^[^\W\d_][\w.'\u2019-]*$")


def is_date(text: str) -> bool:
    """Whether the text is nothing but a date: ``2024.05``, ``11 Oct 2023``, ``2023``."""
    return bool(DATE_RE.match(text.strip()))


def text_of(runs: list[Run]) -> str:
    """The runs' text, joined."""
    return "".join(r.text for r in runs)


def in_parentheses(parts: Parts, group: list[int]) -> bool:
    """Whether bold runs sit inside parentheses written around them: ``(**oral**)``."""
    before = parts.runs[group[0] - 1].text if group[0] > 0 else ""
    after = parts.runs[group[-1] + 1].text if group[-1] + 1 < len(parts.runs) else ""
    return before.rstrip().endswith("(") and after.lstrip().startswith(")")


def names_like(text: str) -> bool:
    """Whether text reads as an author list: capitalised name words, commas, no digits."""
    text = strip_decoration(text)
    if not text or re.search(r"\d", text) or MONTH_RE.fullmatch(text):  # "Apr. 2023" is a date
        return False
    words = text.replace(",", " ").replace(";", " ").split()
    if len(words) < 2 or not all(_NAME_WORD_RE.match(w) or w.lower() in ("and", "et", "al.", "al") for w in words):
        return False
    named = [w for w in words if w.lower() not in ("et", "al.", "al")]  # "Anoop R Katti et al.": one name and others
    return "," in text or ";" in text or len(named) <= 4


def strip_decoration(text: str) -> str:
    """The text without emoji (``:codes:`` too), links left as text, ``[[labels]]``, empty brackets and bars; spaces collapsed, edges trimmed."""
    text = EMOJI_CODE_RE.sub(" ", text)
    return collapse_spaces(_DECORATION_RE.sub(" ", text)).strip(" -–—:;,")


# "NeurIPS'23 ", "ICLR-22 ", "AAAI-21 ": a venue with a two-digit year opening an item.
VENUE_YEAR_TAG_RE = re.compile(r"(?P<venue>[A-Z][A-Za-z&]{1,15})(?:(?P<apostrophe>['\u2019])|-)(?P<year>\d\d)(?:\s+|$)")


def venue_year_tag(text: str) -> int:
    """The length of a ``Venue'YY`` tag opening ``text`` (0 for none); ``VENUE-YY`` only for a venue the table knows."""
    found = VENUE_YEAR_TAG_RE.match(text)
    if found is None or not (found["apostrophe"] or venues.lookup(found["venue"])):
        return 0
    return found.end()
