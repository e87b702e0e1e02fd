"""OpenAlex: one work by DOI (``GET {root}/works/https://doi.org/DOI``) -> ``Paper``.

OpenAlex knows DOIs Crossref does not (DataCite's, for one), so ``lclm
verify`` asks it about a DOI Crossref has no record of.  It answers a
singleton as a Work object, and an unknown DOI with an HTML 404 page.  Since
February 2026 it wants a free key, sent as ``api_key`` from
``$LCLM_OPENALEX_API_KEY``.  Pure, except ``fetch``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from lclm.errors import FetchError
from lclm.ids import normalize_doi
from lclm.model import Paper
from lclm.sources.service import WEEK, Source
from lclm.text import collapse_spaces, strip_invisible

if TYPE_CHECKING:
    from lclm.sources.service import Answers

DEFAULT_URL = "https://api.openalex.org"
KEY_ENV = "LCLM_OPENALEX_API_KEY"


def work_url(base: str, doi: str) -> str:
    """The address of one DOI's work (what answers are cached under; the key is added when asking)."""
    return f"{base.rstrip('/')}/works/https://doi.org/{quote(doi, safe='/')}"


def parse_work(data: bytes) -> Paper:
    """The paper of an OpenAlex Work object; ``FetchError`` when it is not one."""
    try:
        work = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise FetchError("OpenAlex answer is not JSON") from None
    if not isinstance(work, dict) or not _text(work.get("title") or work.get("display_name")):
        raise FetchError("OpenAlex answer is not a work with a title")
    year = work.get("publication_year")
    source = (work.get("primary_location") or {}).get("source") or {}
    authors = [_text((a.get("author") or {}).get("display_name")) for a in work.get("authorships") or [] if isinstance(a, dict)]
    doi = normalize_doi(_text(work.get("doi")))
    return Paper(
        key="",
        title=_text(work.get("title") or work.get("display_name")),
        year=year if isinstance(year, int) and not isinstance(year, bool) else 0,
        authors=[a for a in authors if a],
        venue=_text(source.get("display_name")) if isinstance(source, dict) else "",
        url=f"https://doi.org/{doi}" if doi else "",
        doi=doi,
    )


def _text(value: Any) -> str:
    return collapse_spaces(strip_invisible(value)) if isinstance(value, str) else ""


# ---------------------------------------------------------------- fetching

# This source's row of the one source table (``lclm.sources.registry``).
SOURCE = Source("OpenAlex", "LCLM_OPENALEX_URL", DEFAULT_URL, "LCLM_OPENALEX_DELAY", 0.1, 1, WEEK,
                frozenset({"title", "authors", "venue", "year"}), parse_work)


def fetch(
    dois: Iterable[str], *, refresh: bool = False, offline: bool = False, progress: Callable[[int], None] | None = None
) -> Answers[Paper]:
    """OpenAlex's work for each DOI: one request per DOI, cached a week; a 404 is ``missing``."""
    from lclm.sources import http
    from lclm.sources.service import ask

    source = SOURCE
    base = source.url()
    key = os.environ.get(KEY_ENV, "").strip()

    def one(chunk: list[str]) -> dict[str, bytes | None]:
        answers: dict[str, bytes | None] = {}
        for doi in chunk:
            url = work_url(base, doi) + (f"?{urlencode({'api_key': key})}" if key else "")
            try:
                answers[doi] = http.get(url, source.name, gap=source.gap(), attempts=source.attempts)
            except http.HttpError as exc:
                if exc.status != 404:
                    raise
                answers[doi] = None  # OpenAlex has no work with this DOI
        return answers

    return ask(source, dois, cache_url=lambda d: work_url(base, d), fetch=one, read=lambda _d, body: parse_work(body),
               refresh=refresh, offline=offline, progress=progress)
