"""Paper identifiers: arXiv ids, DOIs and URLs, parsed and normalised.

Pure functions; fetching a record for an id lives elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit, urlunsplit

from lclm.model import Paper

# New style 2502.17129 (4 or 5 digits after the dot since 2015), old style hep-th/9901001.
NEW_ARXIV = r"\d{4}\.\d{4,5}"
OLD_ARXIV = r"[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID_RE = re.compile(rf"^(?:{NEW_ARXIV}|{OLD_ARXIV})$")
# Pages named by the arXiv id they show: Hugging Face's paper pages, alphaXiv, ar5iv.
_MIRRORS = r"(?:huggingface\.co|hf\.co)/papers/|alphaxiv\.org/(?:abs|overview)/|ar5iv\.org/(?:abs|html)/"
_ARXIV_ANY_RE = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html|format)/|{_MIRRORS}|arxiv:\s*|10\.48550/arxiv\.|^)"
    rf"(?P<id>{NEW_ARXIV}|{OLD_ARXIV})(?P<version>v\d+)?(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
_ARXIV_IN_TEXT_RE = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html)/|{_MIRRORS}|arxiv:\s*|10\.48550/arxiv\.)(?P<id>{NEW_ARXIV}|{OLD_ARXIV})",
    re.IGNORECASE,
)
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def parse_arxiv(text: str) -> tuple[str, str] | None:
    """``(id, version)`` for anything a user may type for one arXiv paper.

    Accepts ``2502.17129``, ``2502.17129v2``, ``arXiv:2502.17129``, abs/pdf/html
    URLs (and the pages of Hugging Face, alphaXiv and ar5iv that show a paper by
    its id), the DOI ``10.48550/arXiv.2502.17129`` and old-style ``hep-th/9901001``.
    Returns None when ``text`` is none of these.
    """
    match = _ARXIV_ANY_RE.search(text.strip())
    if not match:
        return None
    arxiv_id = match["id"]
    if "/" in arxiv_id:  # old style: archive lower-case, subject class as given
        archive, number = arxiv_id.split("/")
        name, dot, subject = archive.partition(".")
        arxiv_id = f"{name.lower()}{dot}{subject.upper()}/{number}"
    return arxiv_id, (match["version"] or "").lower()


def arxiv_in(text: str) -> str:
    """The first arXiv id a URL or venue text carries (without version), or ''."""
    match = _ARXIV_IN_TEXT_RE.search(text)
    return parse_arxiv(match.group(0))[0] if match else ""  # type: ignore[index]


def arxiv_id(paper: Paper) -> str:
    """The paper's arXiv id (without version), from its field, URL or venue text; '' for none.

    The one answer to "which arXiv paper is this": exports, stats, the web
    page, duplicates and preprint status all ask it.
    """
    return paper.arxiv or arxiv_in(paper.url) or arxiv_in(paper.venue)


def arxiv_year(arxiv_id: str) -> int | None:
    """The year an arXiv id was assigned: ``2502.17129`` -> 2025."""
    digits = arxiv_id.rsplit("/", 1)[-1][:2]
    if not digits.isdigit():
        return None
    yy = int(digits)
    return 1900 + yy if yy >= 91 else 2000 + yy


def normalize_doi(text: str) -> str:
    """A DOI without resolver prefix, lower-cased (DOIs are case-insensitive)."""
    return _DOI_PREFIX_RE.sub("", text.strip()).lower()


def doi_in_url(url: str) -> str:
    """The DOI of a doi.org URL, or ''."""
    if re.match(r"^https?://(?:dx\.)?doi\.org/10\.", url, re.IGNORECASE):
        return normalize_doi(unquote(url))  # Crossref writes the DOI's slash as %2F
    return ""


def normalize_url(url: str) -> str:
    """A URL reduced for comparison: no scheme, ``www.``, fragment or trailing slash.

    arXiv abs/pdf/html URLs of one paper reduce to the same ``arxiv.org/abs/ID``.
    """
    arxiv = parse_arxiv(url)
    if arxiv and "arxiv.org" in url.lower():
        return f"arxiv.org/abs/{arxiv[0]}"
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return urlunsplit(("", host, path, parts.query, "")).lstrip("/")


def identities(paper: Paper) -> Iterator[tuple[str, str]]:
    """The identifiers that make two records the same paper: (kind, value)."""
    arxiv = arxiv_id(paper)
    if arxiv:
        yield "arxiv", arxiv
    doi = normalize_doi(paper.doi) if paper.doi else doi_in_url(paper.url)
    if doi.startswith("10.48550/arxiv."):
        doi = ""  # the arXiv DOI is the arXiv id, already yielded
    if doi:
        yield "doi", doi
    if paper.url:
        yield "url", normalize_url(paper.url)
