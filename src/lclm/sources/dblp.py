"""DBLP: the search API's JSON -> candidate records, and which one is a paper's published version.

Pure functions; ``lclm.sources.http`` does the network call.  Both shapes the
API has served are read: an author as a plain string (older answers) or as
``{"@pid": ..., "text": ...}`` (current ones); a single author, a single hit
or a single venue may come as one value rather than a list, and an answer
with no hits has no ``hit`` key at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from lclm.errors import FetchError
from lclm.ids import normalize_doi
from lclm.model import Paper
from lclm.sources.service import Source
from lclm.text import collapse_spaces, normalize_title, strip_invisible

if TYPE_CHECKING:
    from lclm.sources.service import Answers

DEFAULT_URL = "https://dblp.org/search/publ/api"
HITS = 10  # candidates asked for per title
CACHE_SECONDS = 7 * 24 * 3600
YEARS_APART = 2  # a published version may appear this long after the preprint
# DBLP's record of an arXiv preprint: venue CoRR, volume abs/ID, DOI 10.48550/arXiv.ID.
CORR_VENUE = "corr"
ARXIV_DOI_PREFIX = "10.48550/"
CORR_KEY = "journals/corr/"  # the start of DBLP's key for a CoRR (arXiv) record
# "Fan Yang 0012": DBLP's number telling namesakes apart.
_HOMONYM_RE = re.compile(r"\s+\d{4}$")


@dataclass(frozen=True, slots=True)
class Record:
    """One DBLP publication record, cleaned (title without DBLP's final period)."""

    title: str
    authors: tuple[str, ...]
    venue: str
    year: int | None
    doi: str = ""
    url: str = ""  # the published version's address (DBLP's ``ee``)
    volume: str = ""
    key: str = ""

    @property
    def is_corr(self) -> bool:
        """Whether this is DBLP's record of an arXiv preprint (no published version)."""
        return (
            self.venue.casefold() == CORR_VENUE
            or self.volume.startswith("abs/")
            or self.doi.startswith(ARXIV_DOI_PREFIX)
            or self.key.startswith(CORR_KEY)
        )


def search_url(base: str, title: str) -> str:
    """The API address of a title search (the title's words, without punctuation)."""
    return f"{base}?{urlencode({'q': normalize_title(title), 'format': 'json', 'h': HITS})}"


def parse_search(data: bytes) -> list[Record]:
    """The records of a DBLP ``/search/publ/api`` JSON answer, in DBLP's order.

    Raises ``FetchError`` when the answer is not DBLP search JSON.
    """
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise FetchError("DBLP answer is not JSON") from None
    result = body.get("result") if isinstance(body, dict) else None
    hits = result.get("hits") if isinstance(result, dict) else None
    if not isinstance(hits, dict):
        raise FetchError("DBLP answer has no search result ('result.hits')")
    records = []
    for hit in _many(hits.get("hit")):
        info = hit.get("info") if isinstance(hit, dict) else None
        if isinstance(info, dict):
            record = _record(info)
            if record is not None:
                records.append(record)
    return records


def _record(info: dict[str, Any]) -> Record | None:
    title = _clean(info.get("title"))
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    if not title:
        return None
    authors = _many(info.get("authors", {}).get("author") if isinstance(info.get("authors"), dict) else None)
    year = _clean(info.get("year"))
    return Record(
        title=title,
        authors=tuple(a for a in map(author_name, authors) if a),
        venue=_first(info.get("venue")),
        year=int(year) if year.isdigit() else None,
        doi=normalize_doi(_first(info.get("doi"))),
        url=_first(info.get("ee")),
        volume=_clean(info.get("volume")),
        key=_clean(info.get("key")),
    )


def author_name(author: Any) -> str:
    """An author's name from either shape, without DBLP's homonym number."""
    text = author.get("text") if isinstance(author, dict) else author
    return _HOMONYM_RE.sub("", _clean(text))


def _many(value: Any) -> list[Any]:
    """DBLP gives one item as itself and several as a list; always a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(value: Any) -> str:
    items = _many(value)
    return _clean(items[0]) if items else ""


def _clean(value: Any) -> str:
    return collapse_spaces(strip_invisible(str(value))) if isinstance(value, (str, int)) else ""


# ---------------------------------------------------------------- matching


def published_version(paper: Paper, records: list[Record]) -> Record | None:
    """The record of ``paper``'s published version among ``records``, or None.

    A record counts only if its title equals the paper's once normalised
    (case, accents, punctuation), an author's surname is shared, its year is
    within two of the paper's, and it is not DBLP's record of the preprint
    itself.  The first such record (DBLP ranks them) wins.
    """
    from lclm.text import surnames

    title = normalize_title(paper.title)
    ours = surnames(paper.authors)
    for record in records:
        if record.is_corr or record.year is None or not record.venue:
            continue
        if normalize_title(record.title) != title or abs(record.year - paper.year) > YEARS_APART:
            continue
        if ours and ours.isdisjoint(surnames(record.authors)):
            continue
        return record
    return None


# ---------------------------------------------------------------- fetching

# This source's row of the one source table (``lclm.sources.registry``).
SOURCE = Source("DBLP", "LCLM_DBLP_URL", DEFAULT_URL, "LCLM_DBLP_DELAY", 1.0, 1, CACHE_SECONDS,
                frozenset({"title", "authors", "venue", "year", "doi", "url"}), parse_search)


def fetch(
    titles: Iterable[str], *, refresh: bool = False, offline: bool = False, progress: Callable[[int], None] | None = None
) -> Answers[list[Record]]:
    """DBLP's search hits for each title: one request per title, cached a week (``offline``: the cache only).

    A title whose answer is not DBLP JSON is ``failed`` alone; a bot-check
    page or a failed service stops the rest (``Answers.stopped``).
    """
    from lclm.sources import http
    from lclm.sources.service import ask

    source = SOURCE
    base = source.url()

    def one(chunk: list[str]) -> dict[str, bytes | None]:
        return {t: http.get(search_url(base, t), source.name, gap=source.gap(), attempts=source.attempts) for t in chunk}

    return ask(source, titles, cache_url=lambda t: search_url(base, t), fetch=one,
               read=lambda _t, body: parse_search(body), refresh=refresh, offline=offline, progress=progress)
