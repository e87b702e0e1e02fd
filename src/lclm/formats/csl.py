"""Papers as JSON data and as CSL-JSON (Zotero, pandoc, citeproc): pure functions."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from lclm.formats.bibtex import venue_kind
from lclm.ids import arxiv_id
from lclm.model import OTHERS, Paper
from lclm.text import is_organisation
from lclm.venues import parse_venue

# The CSL item type for each kind of venue (see lclm.formats.bibtex.venue_kind).
CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "preprint": "article",  # what Zotero exports for an arXiv preprint
    "misc": "document",
    "web": "webpage",
}
# A page with no venue on these hosts is a code repository.
SOFTWARE_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org"})
# Lower-case words that start a family name (Diego de las Casas -> family "de las Casas").
PARTICLES = frozenset("van von de der den del della des di da das do dos du la las le les ten ter zu".split())
SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})


def to_json(papers: Iterable[Paper]) -> str:
    """The records as a JSON list: each paper's stored fields and its category."""
    return _json_lines({**p.to_dict(), "category": p.category} for p in papers)


def _json_lines(items: Iterable[dict[str, Any]]) -> str:
    """A JSON list with one item per line: diffs well, and json's C encoder
    writes it (it does not when asked to indent)."""
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


def csl_name(name: str) -> dict[str, str]:
    """One author as a CSL name: ``{family, given}``, or ``{literal}`` for an
    organisation or a one-word name."""
    words = name.split()
    if len(words) < 2 or is_organisation(name):
        return {"literal": name}
    out: dict[str, str] = {}
    if words[-1] in SUFFIXES and len(words) > 2:
        out["suffix"] = words.pop()
    family = [words.pop()]
    while len(words) > 1 and words[-1] in PARTICLES:
        family.insert(0, words.pop())
    out["family"] = family[-1]
    out["given"] = " ".join(words)
    if family[:-1]:
        out["non-dropping-particle"] = " ".join(family[:-1])
    return out


def csl_item(paper: Paper) -> dict[str, Any]:
    """One paper as a CSL-JSON item."""
    kind = venue_kind(paper)
    host = urlsplit(paper.url).netloc.lower().removeprefix("www.")
    item: dict[str, Any] = {
        "id": paper.key,
        "type": "software" if kind == "web" and host in SOFTWARE_HOSTS else CSL_TYPES[kind],
        "title": paper.title,
    }
    # A truncated list's "others" is left out, as CSL has it: the style decides when to
    # write "et al." (a literal "others" would be printed as a name by every processor).
    named = [a for a in paper.authors if a != OTHERS]
    if named:
        item["author"] = [csl_name(a) for a in named]
    item["issued"] = {"date-parts": [[paper.year]]}
    if kind == "preprint":
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{arxiv_id(paper)}"
    elif paper.venue:
        venue = parse_venue(paper.venue) if kind in ("article", "inproceedings") else None
        item["container-title"] = venue.container if venue else paper.venue
        if venue:
            parts = {"volume": venue.volume, "issue": venue.number, "page": venue.pages.replace("--", "-")}
            parts["publisher"] = venue.publisher
            item.update({k: v for k, v in parts.items() if v})
    if paper.doi:
        item["DOI"] = paper.doi
    if paper.url:
        item["URL"] = paper.url
    if paper.tags:
        item["keyword"] = ", ".join(paper.tags)
    if paper.aka:
        # CSL has no variable for a paper's other names; Zotero shows ``note`` as its Extra field.
        item["note"] = "Also known as: " + "; ".join(paper.aka)
    return item


def to_csl(papers: Iterable[Paper]) -> list[dict[str, Any]]:
    """The papers as CSL-JSON items, in the order given."""
    return [csl_item(p) for p in papers]


def to_csl_json(papers: Iterable[Paper]) -> str:
    """CSL-JSON text: a list of items, as ``pandoc --bibliography refs.json`` reads it."""
    return _json_lines(to_csl(papers))
