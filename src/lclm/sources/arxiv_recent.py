"""arXiv recent submissions: the API's listing by category and submission date, paged.

One query ``(cat:A OR cat:B) AND submittedDate:[SINCE TO UNTIL]``, newest
first, ``PAGE`` entries a request, requests 3 s apart (``LCLM_ARXIV_DELAY``)
through ``lclm.sources.http``; entries are read by ``lclm.sources.arxiv``'s
Atom parser.  The base URL is ``$LCLM_ARXIV_URL``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from urllib.parse import urlencode

from lclm.errors import FetchError, UsageError
from lclm.model import Paper

PAGE = 200
CATEGORY_RE = re.compile(r"^[a-z-]+(?:\.[A-Za-z-]+)?$")


def check_categories(categories: Sequence[str]) -> list[str]:
    """The categories as given, or a ``UsageError`` for one that is not an arXiv category name."""
    for name in categories:
        if not CATEGORY_RE.match(name):
            raise UsageError(f"--categories: not an arXiv category such as cs.CL: {name!r}")
    return list(categories)


def listing_url(base: str, categories: Sequence[str], since: date, until: date, start: int, size: int = PAGE) -> str:
    """The API request for one page of the listing."""
    cats = " OR ".join(f"cat:{c}" for c in categories)
    query = f"({cats}) AND submittedDate:[{since:%Y%m%d}0000 TO {until:%Y%m%d}2359]"
    params = {"search_query": query, "sortBy": "submittedDate", "sortOrder": "descending", "start": start, "max_results": size}
    return f"{base}?{urlencode(params)}"


def total_results(body: bytes) -> int:
    """The feed's ``opensearch:totalResults`` (0 when absent)."""
    found = re.search(rb"<opensearch:totalResults[^>]*>(\d+)<", body)
    return int(found.group(1)) if found else 0


def fetch_recent(
    categories: Sequence[str], since: date, until: date, *, limit: int = 2000, progress: Callable[[int, int], None] | None = None
) -> list[Paper]:
    """The papers submitted in ``categories`` from ``since`` to ``until``, newest first, at most ``limit``.

    Raises ``FetchError`` when a request fails (the caller reports it once).
    """
    from lclm.sources import http
    from lclm.sources.arxiv import SOURCE, explain_http_error, parse_feed

    base = SOURCE.url()
    papers: list[Paper] = []
    start = 0
    while start < limit:
        size = min(PAGE, limit - start)
        url = listing_url(base, categories, since, until, start, size)
        try:
            body = http.get(url, SOURCE.name, gap=SOURCE.gap())
        except http.HttpError as exc:
            raise FetchError(explain_http_error(exc)) from None
        feed = parse_feed(body)
        if feed.errors:
            raise FetchError(f"arXiv: {'; '.join(feed.errors)}")
        papers.extend(feed.papers.values())
        total = min(total_results(body), limit)
        start += size
        if progress:
            progress(len(papers), total)
        if len(feed.papers) < size or start >= total:  # a short page is the last
            break
    return papers
