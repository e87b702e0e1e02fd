"""The checks `lclm validate` applies to one paper, as tables.

Each check yields ``(rule id, message)`` findings, the rule being one of
``lclm.checks.validate.RULES``.  Field checks are looked up in ``FIELD_CHECKS`` by
field name; checks that need several fields of one paper are in
``RECORD_CHECKS``.  Store-wide rules (collisions, files, README) are applied by
``lclm.checks.validate``.  Pure functions: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from lclm.ids import ARXIV_ID_RE, DOI_RE, arxiv_in, doi_in_url, normalize_doi, parse_arxiv
from lclm.keys import KEY_RE
from lclm.model import FIELD_TYPES, FIELDS, REQUIRED
from lclm.store.core import type_problem
from lclm.text import INVISIBLE, has_latex, latex_to_unicode

# Sizes past which a value is an accident, not data; also what keeps a 10 MB
# title from reaching the regular expressions below.
MAX_CHARS = {"title": 1000, "venue": 1000, "url": 2000, "note": 20000}
MAX_CHARS_DEFAULT = 300  # key, arxiv, doi, and each item of a list
MAX_ITEMS = 5000

_BAD_CHAR_RE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(map(chr, INVISIBLE)) + "]")

Finding = tuple[str, str]  # (rule id, message)
Check = Callable[[Any], Iterator[Finding]]


def show(value: Any, width: int = 60) -> str:
    """A value quoted for a message, cut to ``width`` characters."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


# ---------------------------------------------------------------- one value


def text_hygiene(text: str, what: str = "") -> Iterator[Finding]:
    """Invisible or control characters, leftover LaTeX, stray spaces."""
    prefix = f"{what} " if what else ""
    bad = _BAD_CHAR_RE.search(text)
    if bad:
        yield "invisible-char", f"{prefix}{show(text)} has U+{ord(bad.group()):04X} at column {bad.start() + 1}"
    if has_latex(text):
        fixed = latex_to_unicode(text)
        hint = f"; write {show(fixed)}" if fixed != text and not has_latex(fixed) else ""
        yield "latex", f"{prefix}{show(text)} has LaTeX markup{hint}"
    if text != text.strip():
        yield "whitespace", f"{prefix}{show(text)} has leading or trailing space"
    elif "  " in text:
        yield "whitespace", f"{prefix}{show(text)} has a doubled space"


def check_title(title: str) -> Iterator[Finding]:
    """Text hygiene, and no closing period."""
    yield from text_hygiene(title)
    if title.endswith(".") and not title.endswith(".."):
        yield "title-period", f"{show(title)} ends with a period"


def check_authors(authors: list[str]) -> Iterator[Finding]:
    """Each name present, with a letter, and clean."""
    for number, name in enumerate(authors, 1):
        if not name.strip():
            yield "empty-author", f"author {number} is empty"
        elif not any(c.isalpha() for c in name):
            yield "empty-author", f"author {number} {show(name)} has no letter (punctuation from a citation export?)"
        else:
            yield from text_hygiene(name, f"author {number}")


def check_venue(venue: str) -> Iterator[Finding]:
    """Text hygiene."""
    yield from text_hygiene(venue)


def check_year(year: int) -> Iterator[Finding]:
    """Between 1900 and next year."""
    last = date.today().year + 1
    if not 1900 <= year <= last:
        yield "year-range", f"{year} is not between 1900 and {last}"


def check_key(key: str) -> Iterator[Finding]:
    """The citation-key shape of ``lclm.keys``."""
    if not KEY_RE.match(key):
        yield "key-format", f"{show(key)} is not surnameYEARword (lower-case letters and digits around a 4-digit year)"


def check_arxiv(value: str) -> Iterator[Finding]:
    """A bare, possible arXiv id; the fix is named when the input holds one."""
    if ARXIV_ID_RE.match(value):
        wrong = arxiv_number_problem(value)
        if wrong:
            yield "arxiv-format", f"{show(value)} is not an arXiv id: {wrong}"
        return
    parsed = parse_arxiv(value)
    if parsed is None:
        yield "arxiv-format", f"{show(value)} is not an arXiv id (2502.17129 or hep-th/9901001)"
    elif parsed[1]:
        yield "arxiv-format", f"{show(value)} has a version suffix; write {parsed[0]!r}"
    else:
        yield "arxiv-format", f"{show(value)} is not a bare arXiv id; write {parsed[0]!r}"


def arxiv_number_problem(arxiv_id: str) -> str:
    """What makes a well-shaped id impossible (month 13, 4 digits after 2015), or ''.

    New-style ids began in April 2007 (0704.0001) and have had five digits
    after the dot since January 2015; old-style numbers are YYMMNNN.
    """
    if "/" in arxiv_id:
        month = int(arxiv_id[-5:-3])
        return "" if 1 <= month <= 12 else f"month {month:02d} does not exist"
    yymm, number = arxiv_id.split(".")
    month, digits = int(yymm[2:]), 5 if yymm >= "1501" else 4
    if not 1 <= month <= 12:
        return f"month {month:02d} does not exist"
    if yymm < "0704":
        return "new-style ids start in April 2007 (0704)"
    if len(number) != digits:
        return f"ids of {yymm[:2]}/{yymm[2:]} have {digits} digits after the dot"
    return ""


def check_doi(value: str) -> Iterator[Finding]:
    """A bare DOI; the fix is named when the input holds one."""
    if DOI_RE.match(value):
        return
    bare = normalize_doi(value)
    hint = f"; write {bare!r}" if DOI_RE.match(bare) else ""
    yield "doi-format", f"{show(value)} is not a bare DOI (10.NNNN/...){hint}"


def check_url(value: str) -> Iterator[Finding]:
    """An http(s) URL with a host and no white space."""
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme not in ("http", "https"):
        yield "url-format", f"{show(value)} is not an http(s) URL"
    elif not host or "." not in host or any(c.isspace() for c in value):
        yield "url-format", f"{show(value)} is not a well-formed URL"


FIELD_CHECKS: dict[str, Check] = {
    "key": check_key,
    "title": check_title,
    "authors": check_authors,
    "year": check_year,
    "venue": check_venue,
    "url": check_url,
    "arxiv": check_arxiv,
    "doi": check_doi,
}


def size_problem(name: str, value: Any) -> str | None:
    """Why ``value`` is too big for field ``name``, or None."""
    limit = MAX_CHARS.get(name, MAX_CHARS_DEFAULT)
    if isinstance(value, str):
        return f"{len(value)} characters (at most {limit})" if len(value) > limit else None
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            return f"{len(value)} items (at most {MAX_ITEMS})"
        for number, item in enumerate(value, 1):
            if isinstance(item, str) and len(item) > MAX_CHARS_DEFAULT:
                return f"item {number} has {len(item)} characters (at most {MAX_CHARS_DEFAULT})"
    return None


# ---------------------------------------------------------------- one paper

FieldFinding = tuple[str, str, str]  # (rule id, field, message)
RecordCheck = Callable[[dict[str, Any]], Iterator[FieldFinding]]


def check_ids_agree(data: dict[str, Any]) -> Iterator[FieldFinding]:
    """arxiv vs an arxiv.org url vs an arXiv:ID in venue; doi vs a doi.org url."""
    arxiv, url, venue, doi = (data.get(k, "") for k in ("arxiv", "url", "venue", "doi"))
    url_arxiv = arxiv_in(url) if "arxiv.org" in url.lower() else ""
    venue_arxiv = arxiv_in(venue)
    if arxiv and url_arxiv and url_arxiv != arxiv:
        yield "id-mismatch", "url", f"{show(url)} is arXiv {url_arxiv}, but arxiv is {arxiv}"
    named = arxiv or url_arxiv
    if named and venue_arxiv and venue_arxiv != named:
        where = "arxiv" if arxiv else "url"
        yield "id-mismatch", "venue", f"{show(venue)} names arXiv {venue_arxiv}, but {where} is {named}"
    url_doi = doi_in_url(url)
    if doi and url_doi and url_doi != normalize_doi(doi):
        yield "id-mismatch", "url", f"{show(url)} is DOI {url_doi}, but doi is {doi}"


RECORD_CHECKS: tuple[RecordCheck, ...] = (check_ids_agree,)


def closest_field(name: str) -> str:
    """The known field a misspelt one probably means, or ''."""
    import difflib

    close = difflib.get_close_matches(name.lower(), FIELDS, n=1, cutoff=0.6)
    return close[0] if close else ""


def check_record(data: dict[str, Any]) -> Iterator[FieldFinding]:
    """Every problem of one paper mapping taken on its own: (rule, field, message)."""
    for name in REQUIRED:
        if name not in data:
            yield "required", name, "required field is missing"
    clean = True
    for name, value in data.items():
        if name not in FIELD_TYPES:
            near = closest_field(str(name))
            hint = f"; did you mean {near!r}?" if near else ""
            yield "unknown-field", str(name), f"unknown field{hint}"
            continue
        wrong_type = type_problem(name, value)
        too_big = None if wrong_type else size_problem(name, value)
        if wrong_type or too_big:
            clean = False
            yield ("type", name, wrong_type) if wrong_type else ("too-long", name, str(too_big))
            continue
        check = FIELD_CHECKS.get(name)
        for rule, message in check(value) if check else ():
            yield rule, name, message
    if clean:
        for record_check in RECORD_CHECKS:
            yield from record_check(data)
