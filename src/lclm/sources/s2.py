"""Semantic Scholar's Graph API: the batch request and its JSON -> ``Record``.

``POST {root}/paper/batch?fields=...`` with ``{"ids": ["ARXIV:2402.13753",
"DOI:10...."]}`` answers a list in request order, ``null`` for an id it does
not know; up to 500 ids a call.  It works without a key at a shared rate; a
key from ``$LCLM_S2_API_KEY`` is sent as ``x-api-key``.  A merged record
carries the published version's venue (``venue``, ``publicationVenue``,
``journal``) and ``externalIds`` naming DBLP's record (``conf/icml/...``: a
source of record for where it appeared), the arXiv id and the DOI.  Note
that ``year`` is often the preprint's year; DBLP's key ends in the
publication year's two digits.  Pure, except ``fetch``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from lclm.errors import FetchError
from lclm.ids import normalize_doi
from lclm.sources.dblp import CORR_KEY
from lclm.sources.service import WEEK, Source
from lclm.text import collapse_spaces, strip_invisible

if TYPE_CHECKING:
    from lclm.sources.service import Answers

DEFAULT_URL = "https://api.semanticscholar.org/graph/v1"
BATCH = 500
FIELDS = "title,authors,year,venue,publicationVenue,journal,externalIds,publicationTypes,abstract"
KEY_ENV = "LCLM_S2_API_KEY"
# The two-digit year DBLP's key ends with ("conf/icml/PengQFS24" -> 24), maybe with a letter ("...24a").
_KEY_YEAR_RE = re.compile(r"(\d{2})[a-z]?$")


@dataclass(frozen=True, slots=True)
class Record:
    """What Semantic Scholar knows of one paper."""

    title: str
    authors: tuple[str, ...]
    year: int | None
    venue: str  # its venue as S2 names it ("International Conference on Machine Learning")
    venue_names: tuple[str, ...] = ()  # the venue's other names (publicationVenue, journal), for reading
    venue_type: str = ""  # "conference", "journal", ... (publicationVenue.type)
    dblp: str = ""  # DBLP's key (externalIds.DBLP)
    arxiv: str = ""
    doi: str = ""
    abstract: str = ""

    @property
    def dblp_published(self) -> bool:
        """Whether S2 names a DBLP record of a published version (not CoRR's of the preprint)."""
        return bool(self.dblp) and not self.dblp.startswith(CORR_KEY)  # DBLP's record of the preprint

    @property
    def dblp_year(self) -> int | None:
        """The publication year DBLP's key gives (``conf/icml/X24`` -> 2024), if any."""
        match = _KEY_YEAR_RE.search(self.dblp) if self.dblp_published else None
        return 2000 + int(match[1]) if match else None


def paper_id(arxiv: str = "", doi: str = "") -> str:
    """The id S2 is asked by: the arXiv id when there is one, else the DOI."""
    return f"ARXIV:{arxiv}" if arxiv else f"DOI:{doi}" if doi else ""


def batch_url(base: str) -> str:
    """The address of the batch endpoint, fields included."""
    return f"{base.rstrip('/')}/paper/batch?fields={quote(FIELDS, safe=',')}"


def cache_url(base: str, ident: str) -> str:
    """The address one id's answer is cached under (what a single-paper GET would be)."""
    return f"{base.rstrip('/')}/paper/{quote(ident, safe=':/')}?fields={quote(FIELDS, safe=',')}"


def parse_batch(data: bytes) -> list[Record | None]:
    """The records of a batch answer, in request order (None for an unknown id)."""
    body = _json(data)
    if not isinstance(body, list):
        raise FetchError(f"Semantic Scholar answer is not a list of papers ({_error(body)})")
    return [parse_paper(item) if item is not None else None for item in body]


def parse_one(data: bytes) -> Record | None:
    """One cached paper (JSON ``null``: unknown)."""
    body = _json(data)
    return None if body is None else parse_paper(body)


def parse_paper(item: Any) -> Record:
    """One paper object of the Graph API."""
    if not isinstance(item, dict) or not _text(item.get("title")):
        raise FetchError("Semantic Scholar answer has a paper without a title")
    ext, pub, journal = (_mapping(item.get(name)) for name in ("externalIds", "publicationVenue", "journal"))
    names = [_text(pub.get("name")), *map(_text, pub.get("alternate_names") or []), _text(journal.get("name"))]
    year = item.get("year")
    authors = [_text(a.get("name")) for a in item.get("authors") or [] if isinstance(a, dict)]
    return Record(
        title=_text(item.get("title")),
        authors=tuple(a for a in authors if a),
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        venue=_text(item.get("venue")),
        venue_names=tuple(dict.fromkeys(n for n in names if n)),
        venue_type=_text(pub.get("type")),
        dblp=_text(ext.get("DBLP")),
        arxiv=_text(ext.get("ArXiv")),
        doi=normalize_doi(_text(ext.get("DOI"))),
        abstract=_text(item.get("abstract")),
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise FetchError("Semantic Scholar answer is not JSON") from None


def _error(body: Any) -> str:
    if isinstance(body, dict):
        return str(body.get("error") or body.get("message") or "no papers")
    return type(body).__name__


def _text(value: Any) -> str:
    return collapse_spaces(strip_invisible(value)) if isinstance(value, str) else ""


# ---------------------------------------------------------------- fetching

# This source's row of the one source table (``lclm.sources.registry``).
SOURCE = Source("Semantic Scholar", "LCLM_S2_URL", DEFAULT_URL, "LCLM_S2_DELAY", 1.0, BATCH, WEEK,
                frozenset({"title", "authors", "venue", "year", "doi", "abstract"}), parse_batch, attempts=4,
                cache_missing=True)


def fetch(
    idents: Iterable[str], *, refresh: bool = False, offline: bool = False, progress: Callable[[int], None] | None = None
) -> Answers[Record]:
    """S2's records of ``idents`` (``ARXIV:...``/``DOI:...``): 500 a request, cached a week per id."""
    from lclm.sources import http
    from lclm.sources.service import ask

    source = SOURCE
    base = source.url()
    key = os.environ.get(KEY_ENV, "").strip()
    headers = {"Content-Type": "application/json"} | ({"x-api-key": key} if key else {})

    def one_batch(chunk: list[str]) -> dict[str, bytes | None]:
        try:
            body = http.request(batch_url(base), source.name, source.gap(), data=json.dumps({"ids": chunk}).encode(),
                                headers=headers, attempts=source.attempts)
        except http.HttpError as exc:
            raise FetchError(f"{exc} ({_error(_maybe_json(exc.body))})" if exc.body else str(exc)) from None
        items = _json(body)
        if not isinstance(items, list) or len(items) != len(chunk):
            raise FetchError(f"Semantic Scholar answer is not a list of {len(chunk)} papers ({_error(items)})")
        return {i: json.dumps(item).encode() if item is not None else None for i, item in zip(chunk, items)}

    return ask(source, idents, cache_url=lambda i: cache_url(base, i), fetch=one_batch,
               read=lambda _i, body: parse_one(body), refresh=refresh, offline=offline, progress=progress)


def _maybe_json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
