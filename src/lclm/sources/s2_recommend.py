"""Semantic Scholar recommendations: ``POST /recommendations/v1/papers`` for the list.

Positives are the list's papers as ``ARXIV:id`` / ``DOI:doi``, negatives the
rejected ones.  The answer's ``recommendedPapers`` become papers (title,
abstract, authors, year, venue, arXiv id and DOI from ``externalIds``).  The
base URL is ``$LCLM_S2_URL``.  The POST itself is the one request lclm makes
that is not a GET; it uses ``lclm.sources.http``'s error mapping so its
failures read like every other service's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from lclm.errors import FetchError
from lclm.model import Paper
from lclm.sources.service import Source

# The Recommendations API has its own root beside the Graph API's (``LCLM_S2_URL``).
DEFAULT_URL = "https://api.semanticscholar.org/recommendations/v1"
FIELDS = "title,abstract,authors,year,venue,externalIds,url"
# The API takes at most this many recommendations per call, and this many seed papers is plenty.
MAX_LIMIT = 500
MAX_SEEDS = 500


def _parse(body: bytes) -> list[Paper]:
    return parse_recommendations(body)


def seed_ids(papers: Sequence[Paper]) -> list[str]:
    """The ids S2 knows the papers by: ``ARXIV:...`` or ``DOI:...`` (papers with neither are left out)."""
    out = [f"ARXIV:{p.arxiv}" if p.arxiv else f"DOI:{p.doi}" for p in papers if p.arxiv or p.doi]
    return list(dict.fromkeys(out))[:MAX_SEEDS]


def request_body(positives: Sequence[str], negatives: Sequence[str]) -> bytes:
    """The JSON body of the POST."""
    return json.dumps({"positivePaperIds": list(positives), "negativePaperIds": list(negatives)}).encode()


def parse_recommendations(body: bytes) -> list[Paper]:
    """The papers of an answer; ``FetchError`` for one that is not the expected JSON."""
    try:
        data = json.loads(body)
        items = data["recommendedPapers"]
    except (ValueError, TypeError, KeyError):
        raise FetchError("Semantic Scholar: unexpected answer (no recommendedPapers)") from None
    return [_paper(item) for item in items if isinstance(item, dict) and item.get("title")]


def _paper(item: dict[str, Any]) -> Paper:
    ids = item.get("externalIds") or {}
    arxiv = str(ids.get("ArXiv") or "")
    authors = [a.get("name", "") for a in item.get("authors") or [] if isinstance(a, dict)]
    return Paper(
        key="",
        title=str(item["title"]),
        year=int(item.get("year") or 0),
        authors=[a for a in authors if a],
        venue=str(item.get("venue") or ""),
        url=f"https://arxiv.org/abs/{arxiv}" if arxiv else str(item.get("url") or ""),
        arxiv=arxiv,
        doi=str(ids.get("DOI") or "") if not str(ids.get("DOI") or "").startswith("10.48550/") else "",
        abstract=str(item.get("abstract") or ""),
    )


def recommend(positives: Sequence[str], negatives: Sequence[str], limit: int = 100) -> list[Paper]:
    """Papers S2 recommends for the positives and against the negatives (``FetchError`` on failure)."""
    from urllib.parse import urlencode

    from lclm.sources import http

    base = SOURCE.url().rstrip("/")
    url = f"{base}/papers?{urlencode({'fields': FIELDS, 'limit': min(limit, MAX_LIMIT)})}"
    try:
        body = _post(url, request_body(positives, negatives))
    except http.HttpError as exc:
        detail = _error_text(exc.body)
        raise FetchError(f"{exc}{': ' + detail if detail else ''}") from None
    return parse_recommendations(body)


def _error_text(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    return str(data.get("error") or data.get("message") or "") if isinstance(data, dict) else ""


def _post(url: str, body: bytes) -> bytes:
    import os

    from lclm.sources import http

    key = os.environ.get("LCLM_S2_API_KEY", "")
    headers = {"Content-Type": "application/json"} | ({"x-api-key": key} if key else {})
    return http.request(url, SOURCE.name, SOURCE.gap(), data=body, headers=headers, attempts=SOURCE.attempts)


# This source's row of the one source table (``lclm.sources.registry``): asked once a run, never cached.
SOURCE = Source("Semantic Scholar recommendations", "LCLM_S2_RECOMMENDATIONS_URL", DEFAULT_URL, "LCLM_S2_DELAY", 1.0,
                MAX_SEEDS, 0.0, frozenset({"title", "authors", "year", "venue", "abstract"}), _parse, attempts=4)
