"""What the identity rules compare of one record: its identifiers, title forms and people.

A ``Profile`` is computed once per record; ``lclm.duplicates.identity``
judges pairs of them.  A URL that names a site (a bare domain, a domain and
a fragment) or a code repository is no identifier of a paper.  Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from lclm.ids import doi_in_url, identities, parse_arxiv
from lclm.model import Paper
from lclm.text import fold, latex_to_unicode, normalize_title
from lclm.text import (
    surnames as surnames,  # the one rule, in lclm.text; imported from here by the identity rules
)

# Hosts of code and model repositories: their pages name a repository, not a paper
# (except the paths listed, which are paper pages).
CODE_HOSTS = {"github.com": (), "gitlab.com": (), "bitbucket.org": (), "huggingface.co": ("papers",)}
_PUNCT_RE = re.compile(r"[\W_]+")
# A number and its letters ("1v", "70b"), and the word glued before it: "gpt-4", "qwen2".
_VERSION_RE = re.compile(r"(?:(?<![a-z])([a-z]*)-?)?(\d+(?:[.,]\d+)*)([a-z]*)")
_DIGIT_RE = re.compile(r"\d")


def names_no_paper(normal: str) -> bool:
    """Whether a normalised URL (``lclm.ids.normalize_url``) names a site or a code repository, not a paper.

    A site is a bare host (``stepfun.com``, what ``https://www.stepfun.com/#step3``
    becomes); a repository is a page of a code host that names an owner or
    an owner's repository (``github.com/org/repo``), or any model or dataset
    page of Hugging Face (but its ``papers/`` pages are papers).
    """
    where, _, _query = normal.partition("?")
    host, _, path = where.partition("/")
    if not path and not _query:
        return True
    if host not in CODE_HOSTS:
        return False
    parts = [part for part in path.split("/") if part]
    return not (parts and parts[0] in CODE_HOSTS[host]) and (len(parts) <= 2 or host == "huggingface.co")


def paper_identities(paper: Paper) -> dict[str, str]:
    """The identifiers of a paper: ``arxiv`` (no version), ``doi``, ``url`` (normalised).

    The arXiv id is also read from an arXiv URL or DOI, a DOI from a doi.org
    URL.  A site or code-repository URL names no one paper and is left out,
    and so is an arXiv URL (the id already says it).
    """
    ids = dict(identities(paper))
    url = ids.get("url")
    if url is not None and names_no_paper(url):
        del ids["url"]
    elif url and url.startswith(("doi.org/10.", "dx.doi.org/10.")) and not paper.doi.strip():
        ids["doi"] = doi_in_url(f"https://{url}")
    doi = paper.doi.strip()
    arxiv = ids.get("arxiv") or (doi if doi.lower().startswith("10.48550/arxiv.") else "")
    parsed = parse_arxiv(arxiv) if arxiv else None
    if parsed:
        ids["arxiv"] = parsed[0]
        if ids.get("url") == f"arxiv.org/abs/{parsed[0]}":
            del ids["url"]
    return ids


def comparable_title(title: str) -> str:
    """``normalize_title``, with a fast path for plain ASCII (most titles)."""
    if title.isascii() and "\\" not in title:
        return _PUNCT_RE.sub(" ", title.replace("{", "").replace("}", "").lower()).strip()
    return normalize_title(title)


def version_tokens(title: str) -> tuple[tuple[str, str], ...]:
    """The numbers of a title with the word glued to each, sorted by number.

    ``Qwen2.5 Technical Report`` -> ``(("qwen", "2.5"),)``; ``Gemma 2`` ->
    ``(("", "2"),)``.  Thousands separators are dropped.
    """
    if not _DIGIT_RE.search(title):
        return ()
    plain = title.isascii() and "\\" not in title
    text = (title.lower() if plain else fold(latex_to_unicode(title))).replace("{", "").replace("}", "")
    chunks = [c for c in text.split() if _DIGIT_RE.search(c)]
    found = [(m[1] or "", m[2].replace(",", "") + m[3]) for c in chunks for m in _VERSION_RE.finditer(c)]
    return tuple(sorted(found, key=lambda t: (t[1], t[0])))


class Profile:
    """What the rules compare of one record, computed once (surnames on first use)."""

    __slots__ = ("key", "year", "title", "versions", "ids", "distinct", "_authors", "_surnames")

    def __init__(
        self,
        key: str,
        year: int,
        title: str,
        ids: Mapping[str, str],
        distinct: Iterable[str] = (),
        *,
        versions: tuple[tuple[str, str], ...] | None = None,
        authors: Sequence[str] = (),
        people: Iterable[str] | None = None,
    ) -> None:
        self.key, self.year, self.title, self.ids = key, year, title, ids
        self.distinct = frozenset(distinct)
        self.versions = version_tokens(title) if versions is None else versions
        self._authors = authors
        self._surnames = None if people is None else frozenset(people)

    @property
    def surnames(self) -> frozenset[str]:
        """The people's folded surnames."""
        if self._surnames is None:
            self._surnames = surnames(self._authors)
        return self._surnames


def profile(paper: Paper, title: str | None = None) -> Profile:
    """The profile of ``paper`` (``title``: its comparable title, when already made)."""
    return Profile(
        paper.key,
        paper.year,
        comparable_title(paper.title) if title is None else title,
        paper_identities(paper),
        paper.distinct,
        versions=version_tokens(paper.title),
        authors=paper.authors,
    )
