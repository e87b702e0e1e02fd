"""arXiv: what a user may type for a paper, the query URL, and Atom -> ``Paper``.

Pure functions; ``lclm.sources.http`` does the network call.  Both Atom formats the
API has served are read: the legacy one (namespace declared on each element,
DOI also as ``<link title="doi">``, titles wrapped with a newline and two
spaces) and the current one (namespaces on ``<feed>``).  ElementTree resolves
either to the same qualified names, so one reader serves both.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

from lclm.errors import FetchError, UsageError
from lclm.ids import normalize_doi, parse_arxiv
from lclm.model import Paper
from lclm.sources.service import Source
from lclm.text import collapse_spaces, strip_invisible

if TYPE_CHECKING:
    from lclm.sources.http import HttpError

DEFAULT_URL = "https://export.arxiv.org/api/query"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
# The path an arXiv API error entry's <id> carries instead of /abs/.
ERROR_MARK = "/api/errors"
# Ids per API call (the API pages beyond what ``max_results`` asks for).
BATCH = 100
# How long a fetched entry is reused before arXiv is asked again.
CACHE_SECONDS = 7 * 24 * 3600


def arxiv_id(text: str) -> str:
    """The versionless arXiv id of anything a user may type for one paper.

    ``arXiv:2502.17129v2`` and ``https://arxiv.org/pdf/2502.17129v1`` both
    give ``2502.17129``; anything else raises a ``UsageError``.
    """
    parsed = parse_arxiv(text)
    if parsed is None:
        raise UsageError(
            f"{text}: not an arXiv id (expected e.g. 2502.17129, arXiv:2502.17129v2, "
            "https://arxiv.org/abs/2502.17129 or hep-th/9901001)"
        )
    return parsed[0]


def abs_url(ident: str) -> str:
    """The canonical page of a paper, as the list writes it."""
    return f"https://arxiv.org/abs/{ident}"


def preprint_venue(ident: str) -> str:
    """The venue of a paper known only as a preprint, as the list writes it."""
    return f"arXiv preprint arXiv:{ident}"


def query_url(base: str, idents: Iterable[str]) -> str:
    """One API request for several ids (latest versions, all of them on one page)."""
    idents = list(idents)
    return f"{base}?{urlencode({'id_list': ','.join(idents), 'max_results': len(idents)})}"


@dataclass(slots=True)
class Feed:
    """An API answer: the papers by versionless id, and any error entries' messages.

    ``journal_refs`` holds each paper's ``<arxiv:journal_ref>`` (where the
    authors say it was published); ``entries`` the raw entries, for caching.
    """

    papers: dict[str, Paper] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    journal_refs: dict[str, str] = field(default_factory=dict)
    entries: dict[str, Element] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


# How arXiv marks a withdrawn paper: its last version's comment or abstract says so.
_WITHDRAWN_RE = re.compile(r"\b(?:this (?:paper|article|submission|manuscript) (?:has been|was|is) withdrawn|withdrawn by the authors?|paper withdrawn)\b", re.IGNORECASE)


def is_withdrawn(comment: str, abstract: str) -> bool:
    """Whether an entry's comment or abstract says the paper was withdrawn."""
    return bool(_WITHDRAWN_RE.search(comment) or _WITHDRAWN_RE.search(abstract[:300]))


def parse_feed(data: bytes) -> Feed:
    """The papers of an Atom feed from the arXiv API.

    Raises ``FetchError`` for text that is not a well-formed Atom feed.
    """
    # Paper metadata never needs a DTD; refusing one keeps entity expansion out.
    if b"<!DOCTYPE" in data[:2048].upper():
        raise FetchError("arXiv answer is not an Atom feed (it has a DOCTYPE)")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise FetchError(f"arXiv answer is not well-formed XML ({exc})") from None
    if root.tag != f"{ATOM}feed":
        raise FetchError(f"arXiv answer is not an Atom feed (root element {root.tag!r})")
    feed = Feed()
    for entry in root.iter(f"{ATOM}entry"):
        entry_id = _text(entry, f"{ATOM}id")
        if ERROR_MARK in entry_id:
            feed.errors.append(_text(entry, f"{ATOM}summary") or entry_id)
            continue
        parsed = parse_arxiv(entry_id)
        if parsed is None:
            raise FetchError(f"arXiv answer has an entry with an unexpected id {entry_id!r}")
        feed.papers[parsed[0]] = _paper(parsed[0], entry)
        feed.entries[parsed[0]] = entry
        journal_ref = _text(entry, f"{ARXIV}journal_ref")
        if journal_ref:
            feed.journal_refs[parsed[0]] = journal_ref
        comment = _text(entry, f"{ARXIV}comment")
        if comment:
            feed.comments[parsed[0]] = comment
    return feed


def _paper(ident: str, entry: Element) -> Paper:
    title = _text(entry, f"{ATOM}title")
    published = _text(entry, f"{ATOM}published") or _text(entry, f"{ATOM}updated")
    if not title or not published[:4].isdigit():
        raise FetchError(f"arXiv entry {ident} has no title or no publication date")
    authors = [_clean(a.findtext(f"{ATOM}name") or "") for a in entry.iter(f"{ATOM}author")]
    return Paper(
        key="",
        title=title,
        year=int(published[:4]),
        authors=[a for a in authors if a],
        venue=_text(entry, f"{ARXIV}journal_ref") or preprint_venue(ident),
        url=abs_url(ident),
        arxiv=ident,
        doi=_doi(entry),
        abstract=_text(entry, f"{ATOM}summary"),
    )


def _doi(entry: Element) -> str:
    doi = _text(entry, f"{ARXIV}doi")
    if not doi:
        # The legacy format may give the DOI only as a related link.
        for link in entry.iter(f"{ATOM}link"):
            if link.get("title") == "doi":
                doi = link.get("href", "")
                break
    # Several DOIs come space-separated; the first is the published version.
    return normalize_doi(doi.split()[0]) if doi.split() else ""


def _text(element: Element, tag: str) -> str:
    return _clean(element.findtext(tag) or "")


def _clean(text: str) -> str:
    return collapse_spaces(strip_invisible(text))


# ---------------------------------------------------------------- fetching

# This source's row of the one source table (``lclm.sources.registry``).
SOURCE = Source("arXiv", "LCLM_ARXIV_URL", DEFAULT_URL, "LCLM_ARXIV_DELAY", 3.0, BATCH, CACHE_SECONDS,
                frozenset({"title", "authors", "venue", "year", "doi", "abstract"}), parse_feed)

Progress = Callable[[int], None]


@dataclass(slots=True)
class Batch:
    """What arXiv said about a set of ids (versionless).

    ``journal_refs`` and ``comments``: where the authors say a paper
    appeared ("Accepted at ICLR 2024"); ``withdrawn``: ids whose last version
    withdraws the paper; ``missing``: ids arXiv has no paper for;
    ``failed``: ids that could not be asked about, with why (the first
    failure of the service stops the rest, so it is reported once);
    ``requests`` counts the calls actually made.
    """

    papers: dict[str, Paper] = field(default_factory=dict)
    journal_refs: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    withdrawn: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    requests: int = 0


def fetch_batch(
    idents: Iterable[str], *, refresh: bool = False, offline: bool = False, progress: Progress | None = None
) -> Batch:
    """The arXiv records of ``idents``: 100 ids per request, requests 3 s apart.

    Through the one cache-or-ask loop (``lclm.sources.service.ask``): each
    entry is cached for a week under its own id, and so is "no such paper";
    ``refresh`` asks again for everything, ``offline`` only reads the cache.
    The base URL is ``$LCLM_ARXIV_URL`` (default the public API).  Never
    raises for a failed request: its ids go to ``failed``.  ``progress(n)``
    is called as each ``n`` ids are settled.
    """
    from lclm.sources import http
    from lclm.sources.service import ask

    source = SOURCE
    base = source.url()

    def fetch(chunk: list[str]) -> dict[str, bytes | None]:
        feed = _ask(http, base, chunk, source)
        return {i: _entry_feed(feed.entries[i]) if i in feed.entries else None for i in chunk}

    answers = ask(
        source, idents, cache_url=lambda i: query_url(base, [i]), fetch=fetch,
        read=_read_one, refresh=refresh, offline=offline, progress=progress,
    )
    batch = Batch(missing=answers.missing, failed=answers.failed, requests=answers.requests)
    for ident, feed in answers.found.items():
        batch.papers[ident] = feed.papers[ident]
        for into, values in ((batch.journal_refs, feed.journal_refs), (batch.comments, feed.comments)):
            if ident in values:
                into[ident] = values[ident]
        if is_withdrawn(feed.comments.get(ident, ""), feed.papers[ident].abstract):
            batch.withdrawn.add(ident)
    return batch


def _read_one(ident: str, body: bytes) -> Feed | None:
    """A one-entry feed (as cached) for ``ident``; None when it holds no such paper."""
    feed = parse_feed(body)
    return feed if ident in feed.papers else None


def explain_http_error(exc: HttpError) -> str:
    """What a failed arXiv request says: arXiv explains a 400 in an Atom error entry."""
    with contextlib.suppress(FetchError):
        errors = parse_feed(exc.body).errors
        if errors:
            return f"arXiv: {'; '.join(errors)} (HTTP {exc.status})"
    return str(exc)


def _ask(http: Any, base: str, chunk: list[str], source: Source) -> Feed:
    """One request for ``chunk``; arXiv's own error entries become a ``FetchError``."""
    try:
        body = http.get(query_url(base, chunk), source.name, gap=source.gap(), attempts=source.attempts)
    except http.HttpError as exc:
        raise FetchError(explain_http_error(exc)) from None
    feed = parse_feed(body)
    if feed.errors:
        raise FetchError(f"arXiv: {'; '.join(feed.errors)}")
    return feed


def _entry_feed(entry: Element) -> bytes:
    """A feed holding only ``entry``: what a one-id request would have answered."""
    inner = ElementTree.tostring(entry, encoding="unicode")
    return f'<feed xmlns="{ATOM[1:-1]}">{inner}</feed>'.encode()
