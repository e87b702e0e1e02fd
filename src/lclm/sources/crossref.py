"""Crossref: a ``/works/DOI`` answer -> ``Paper``.

Pure functions; ``lclm.sources.http`` does the network call.  The venue is written
the way the list writes it: ``Journal, 21(140), 1--67`` for an article,
``Proceedings ..., 9154--9162`` for a conference paper.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from lclm.errors import FetchError
from lclm.ids import normalize_doi
from lclm.model import Paper
from lclm.sources.service import DAY, Source
from lclm.text import collapse_spaces, strip_invisible

if TYPE_CHECKING:
    from lclm.sources.service import Answers

DEFAULT_URL = "https://api.crossref.org/works"
# Crossref's polite pool: requests naming a contact address get the better service.
MAILTO_ENV = "LCLM_MAILTO"
# Where a publication year may be, best first.  ``created``/``deposited`` are
# left out on purpose: they date the Crossref record, not the paper (a 2003
# workshop paper in the corpus was registered in 2004).
# A conference's start date (``event.start``) is tried last.
DATE_FIELDS = ("issued", "published", "published-print", "published-online", "posted")
# Which parts make up the venue, by Crossref work type; others use DEFAULT_VENUE.
VENUE_PARTS: dict[str, tuple[str, ...]] = {
    "journal-article": ("container", "volume", "pages"),
    "proceedings-article": ("container", "pages"),
    "book-chapter": ("container", "pages"),
    "book": ("publisher",),
    "monograph": ("publisher",),
    "posted-content": ("publisher",),
}
DEFAULT_VENUE = ("container", "volume", "pages")
# An abstract's own heading ("<jats:title>Abstract</jats:title>") is no part of its text.
_HEADING_RE = re.compile(r"<(jats:)?title\b[^>]*>.*?</(jats:)?title>", re.DOTALL)
_DASHES_RE = re.compile(r"\s*[-\u2013\u2014]+\s*")
_TAG_RE = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")


def work_url(base: str, doi: str) -> str:
    """The API address of one DOI's record."""
    return f"{base.rstrip('/')}/{quote(doi, safe='/')}"


def parse_work(data: bytes, doi: str, year: int | None = None) -> Paper:
    """The paper of a Crossref ``/works/DOI`` answer.

    ``year`` is used only when Crossref has no publication date.  Raises
    ``FetchError`` when the answer is not a Crossref work or lacks a title or
    a year.
    """
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise FetchError("Crossref answer is not JSON") from None
    work = body.get("message") if isinstance(body, dict) else None
    if not isinstance(work, dict):
        raise FetchError("Crossref answer has no work record ('message')")
    title = _title(work)
    if not title:
        raise FetchError("Crossref record has no title")
    year = _year(work) or year
    if year is None:
        raise FetchError(
            "Crossref record has no publication date (issued, published... are empty); "
            "give the year with --year"
        )
    doi = normalize_doi(str(work.get("DOI") or doi))
    return Paper(
        key="",
        title=title,
        year=year,
        authors=_authors(work.get("author")),
        venue=venue(work),
        url=f"https://doi.org/{doi}",
        doi=doi,
        abstract=abstract(work),
    )


def abstract(work: dict[str, Any]) -> str:
    """The work's abstract as plain text (JATS markup and its heading removed)."""
    text = work.get("abstract")
    return strip_markup(_HEADING_RE.sub(" ", text)) if isinstance(text, str) else ""


def strip_markup(text: str) -> str:
    """Text without JATS/HTML tags or entities: ``<i>E. coli</i>`` -> ``E. coli``."""
    return collapse_spaces(strip_invisible(html.unescape(_TAG_RE.sub("", text))))


def _first(value: Any) -> str:
    """Crossref gives most text fields as a list; the first item, as clean text."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return strip_markup(value) if isinstance(value, str) else ""


def _title(work: dict[str, Any]) -> str:
    title, subtitle = _first(work.get("title")), _first(work.get("subtitle"))
    if subtitle and subtitle.casefold() not in title.casefold():
        return f"{title}: {subtitle}"
    return title


def _year(work: dict[str, Any]) -> int | None:
    event = work.get("event")
    dates = [work.get(name) for name in DATE_FIELDS]
    dates.append(event.get("start") if isinstance(event, dict) else None)
    for date in dates:
        year = _date_year(date)
        if year is not None:
            return year
    return None


def _date_year(date: Any) -> int | None:
    """The year of a Crossref date (``{"date-parts": [[2012, 3]]}``); None if empty."""
    try:
        year = date["date-parts"][0][0]
    except (TypeError, KeyError, IndexError):
        return None
    if isinstance(year, str) and year.isdigit():
        return int(year)
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def _authors(people: Any) -> list[str]:
    names = []
    for person in people if isinstance(people, list) else []:
        if not isinstance(person, dict):
            continue
        given, family = _first(person.get("given")), _first(person.get("family"))
        # Organisations come as "name" only.
        name = " ".join(p for p in (given, family) if p) or _first(person.get("name"))
        if name:
            names.append(name)
    return names


def venue(work: dict[str, Any]) -> str:
    """The venue as the list writes it, from the parts the work's type calls for."""
    parts = VENUE_PARTS.get(str(work.get("type")), DEFAULT_VENUE)
    values = {
        "container": _first(work.get("container-title")),
        "publisher": _first(work.get("publisher")),
        "volume": _volume(work),
        "pages": _DASHES_RE.sub("--", _first(work.get("page") or work.get("article-number"))),
    }
    text = ", ".join(values[p] for p in parts if values[p])
    return text or values["container"] or values["publisher"]


def _volume(work: dict[str, Any]) -> str:
    volume, issue = _first(work.get("volume")), _first(work.get("issue"))
    if volume and issue:
        return f"{volume}({issue})"
    return volume


# ---------------------------------------------------------------- fetching

# This source's row of the one source table (``lclm.sources.registry``).
SOURCE = Source("Crossref", "LCLM_CROSSREF_URL", DEFAULT_URL, "LCLM_CROSSREF_DELAY", 0.0, 1, DAY,
                frozenset({"title", "authors", "venue", "abstract"}), parse_work)


def polite(url: str) -> str:
    """``url`` with ``mailto=$LCLM_MAILTO`` when configured (Crossref's polite pool)."""
    mailto = os.environ.get(MAILTO_ENV, "").strip()
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'mailto': mailto})}" if mailto else url


def fetch(
    dois: Iterable[str],
    years: Mapping[str, int | None] | None = None,
    *,
    refresh: bool = False,
    offline: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Answers[Paper]:
    """Crossref's record of each DOI: one request per DOI, cached a week; a 404 is ``missing``.

    ``years`` gives a DOI's year for a record without a date.
    """
    from lclm.sources import http
    from lclm.sources.service import ask

    source = SOURCE
    base = source.url()

    def one(chunk: list[str]) -> dict[str, bytes | None]:
        answers: dict[str, bytes | None] = {}
        for doi in chunk:
            try:
                answers[doi] = http.get(polite(work_url(base, doi)), source.name, gap=source.gap(), attempts=source.attempts)
            except http.HttpError as exc:
                if exc.status != 404:
                    raise
                answers[doi] = None  # Crossref has no record of this DOI
        return answers

    return ask(source, dois, cache_url=lambda d: work_url(base, d), fetch=one,
               read=lambda d, body: parse_work(body, d, (years or {}).get(d)), refresh=refresh,
               offline=offline, progress=progress)
