"""The candidates of ``lclm watch --from FILE``: an arXiv Atom feed, a BibTeX file, or a file of ids.

The kind is told by the text: an XML document is a feed (read by
``lclm.sources.arxiv``'s parser), text with ``@type{`` entries is BibTeX
(``lclm.sources.bibtex``), anything else one arXiv id or DOI a line (``#``
starts a comment).  Ids are returned for the caller to fetch; a line that is
neither is an ``InputError`` naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lclm.errors import InputError
from lclm.ids import DOI_RE, normalize_doi, parse_arxiv
from lclm.model import Paper

_BIBTEX_RE = re.compile(r"^\s*@\w+\s*[{(]", re.M)


@dataclass(slots=True)
class FromFile:
    """What a ``--from`` file holds: papers in hand, and arXiv ids and DOIs still to fetch."""

    kind: str
    papers: list[Paper] = field(default_factory=list)
    arxiv: list[str] = field(default_factory=list)
    dois: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read(path: Path, text: str) -> FromFile:
    """The candidates of ``text`` (the contents of ``path``)."""
    head = text.lstrip()[:200]
    if head.startswith("<"):
        return _feed(path, text)
    if _BIBTEX_RE.search(text):
        return _bibtex(path, text)
    return _ids(path, text)


def _feed(path: Path, text: str) -> FromFile:
    from lclm.errors import FetchError
    from lclm.sources.arxiv import parse_feed

    try:
        feed = parse_feed(text.encode("utf-8"))
    except FetchError as exc:
        raise InputError(str(exc).replace("arXiv answer", "not an arXiv Atom feed:", 1), path=path) from None
    return FromFile("feed", list(feed.papers.values()))


def _bibtex(path: Path, text: str) -> FromFile:
    from lclm.sources.bibtex import read_entries

    entries, skips = read_entries(text, str(path))
    return FromFile("bibtex", [p for _, p in entries], skipped=[str(s) for s in skips])


def _ids(path: Path, text: str) -> FromFile:
    out = FromFile("ids")
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parsed = parse_arxiv(line)
        doi = normalize_doi(line)
        if parsed:
            out.arxiv.append(parsed[0])
        elif DOI_RE.match(doi):
            arxiv_doi = parse_arxiv(doi) if doi.startswith("10.48550/") else None
            (out.arxiv if arxiv_doi else out.dois).append(arxiv_doi[0] if arxiv_doi else doi)
        else:
            raise InputError(f"not an arXiv id or DOI: {line!r}", path=path, line=number)
    out.arxiv = list(dict.fromkeys(out.arxiv))
    out.dois = list(dict.fromkeys(out.dois))
    return out
