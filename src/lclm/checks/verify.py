"""Verify: does every arXiv id and DOI of the list belong to its paper?

Each arXiv id is resolved on arXiv (batched, 100 ids a request) and each
other DOI on Crossref (and on OpenAlex when Crossref has no record), through the one cache-or-ask loop of
``lclm.sources.registry``; the resolved title and authors are compared with
the record.  Titles compare after the folding the identity rules use
(case, accents, LaTeX, punctuation: ``lclm.text.normalize_title``), and a
subtitle added or dropped, or a near-identical title, is the same title.

What is found, per id (``Finding.kind``):

- ``wrong-id`` (error): the id resolves to a paper with another title and
  none of the record's first author: the id belongs to another paper;
- ``no-such-id`` (error): arXiv has no paper with this id;
- ``withdrawn`` (error): the paper was withdrawn on arXiv;
- ``retitled`` (warning): another title, but the first author is there:
  most likely the paper was renamed between versions;
- ``doi-unknown`` (warning): neither Crossref nor OpenAlex has a record of
  the DOI.

Nothing is written; papers marked ``distinct`` or with pinned fields are
verified like every other.  Pure apart from the store read and the sources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lclm.model import OTHERS, Paper

if TYPE_CHECKING:
    from lclm.sources.service import Answers

ERROR, WARNING = "error", "warning"
# Each kind of finding and its severity: errors make `lclm verify` exit 1.
KINDS = {"wrong-id": ERROR, "no-such-id": ERROR, "withdrawn": ERROR, "retitled": WARNING, "doi-unknown": WARNING}
# Titles at least this similar (rapidfuzz ratio of the folded titles) are one title with a typo.
SIMILAR = 90.0
# With no person to compare, titles sharing less than this (rapidfuzz token-set ratio) are two papers.
RELATED = 60.0
ARXIV_DOI_PREFIX = "10.48550/"

Progress = Callable[[str, int, int], None]  # (source, ids just settled, ids to ask it about)


@dataclass(frozen=True, slots=True)
class Finding:
    """One id that does not belong to its record as it should."""

    path: Path
    line: int
    key: str
    field: str  # "arxiv" or "doi"
    kind: str
    message: str

    @property
    def severity(self) -> str:
        """``error`` or ``warning``, from the kind."""
        return KINDS[self.kind]

    def format(self) -> str:
        """``path:line: key: field: message [kind]``, like ``lclm validate``."""
        tag = self.kind if self.severity == ERROR else f"{self.kind}, {WARNING}"
        return f"{self.path}:{self.line}: {self.key}: {self.field}: {self.message} [{tag}]"

    def to_data(self) -> dict[str, Any]:
        """The finding as plain data, for ``--json``."""
        return {"path": str(self.path), "line": self.line, "key": self.key, "field": self.field,
                "kind": self.kind, "severity": self.severity, "message": self.message}


@dataclass(slots=True)
class Verification:
    """The outcome: findings, and ids that could not be resolved (by source and reason)."""

    papers: int = 0
    ids: int = 0
    findings: list[Finding] = field(default_factory=list)
    unresolved: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (source, reason) -> keys
    requests: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(f.severity == ERROR for f in self.findings)

    def to_data(self) -> dict[str, Any]:
        """The whole outcome as plain data, for ``--json``."""
        return {
            "papers": self.papers,
            "ids": self.ids,
            "errors": self.errors,
            "warnings": len(self.findings) - self.errors,
            "findings": [f.to_data() for f in self.findings],
            "unresolved": [{"source": s, "reason": r, "keys": k} for (s, r), k in self.unresolved.items()],
            "requests": self.requests,
        }


def verify(
    root: Path,
    *,
    category: str | None = None,
    keys: Iterable[str] | None = None,
    refresh: bool = False,
    offline: bool = False,
    progress: Progress | None = None,
) -> Verification:
    """Resolve the ids of the selected papers and compare what they name with the records."""
    from lclm.formats.selection import select_papers

    papers = select_papers(root, category=category, keys=keys)
    return verify_papers(root, papers, refresh=refresh, offline=offline, progress=progress)


def verify_papers(
    root: Path, papers: list[Paper], *, refresh: bool = False, offline: bool = False, progress: Progress | None = None
) -> Verification:
    """Resolve the ids of ``papers`` (of the store at ``root``) and compare what they name with the records."""
    from lclm.sources import arxiv, crossref

    say = progress or (lambda _s, _n, _t: None)
    result = Verification(papers=len(papers))
    lines = _FieldLines(root)
    with_arxiv = [p for p in papers if p.arxiv]
    with_doi = [p for p in papers if p.doi and not p.doi.startswith(ARXIV_DOI_PREFIX)]
    result.ids = len(with_arxiv) + len(with_doi)
    if with_arxiv:
        idents = list(dict.fromkeys(p.arxiv for p in with_arxiv))
        say("arXiv", 0, len(idents))
        batch = arxiv.fetch_batch(idents, refresh=refresh, offline=offline, progress=lambda n: say("arXiv", n, len(idents)))
        result.requests["arXiv"] = batch.requests
        for paper in with_arxiv:
            where = (*lines.of(paper, "arxiv"), paper.key, "arxiv")
            if paper.arxiv in batch.failed:
                _unresolved(result, "arXiv", batch.failed[paper.arxiv], paper.key)
            elif paper.arxiv not in batch.papers:
                result.findings.append(Finding(*where, "no-such-id",
                                               f"arXiv has no paper with id {paper.arxiv}"))
            else:
                found = batch.papers[paper.arxiv]
                if paper.arxiv in batch.withdrawn:
                    note = batch.comments.get(paper.arxiv, "")
                    message = f"{paper.arxiv} was withdrawn on arXiv" + (f" ({note})" if note else "")
                    result.findings.append(Finding(*where, "withdrawn", message))
                else:
                    _compare(result, where, paper, found, "arXiv", paper.arxiv)
    if with_doi:
        dois = list(dict.fromkeys(p.doi for p in with_doi))
        say("Crossref", 0, len(dois))
        answers = crossref.fetch(dois, {p.doi: p.year for p in with_doi}, refresh=refresh, offline=offline,
                                 progress=lambda n: say("Crossref", n, len(dois)))
        result.requests["Crossref"] = answers.requests
        # A DOI Crossref does not know may be another agency's (DataCite's): OpenAlex knows those too.
        elsewhere = _openalex(result, [d for d in dois if d in answers.missing], refresh, offline, say)
        for paper in with_doi:
            where = (*lines.of(paper, "doi"), paper.key, "doi")
            if paper.doi in answers.failed:
                _unresolved(result, "Crossref", answers.failed[paper.doi], paper.key)
            elif paper.doi in answers.found:
                _compare(result, where, paper, answers.found[paper.doi], "Crossref", paper.doi)
            elif paper.doi in elsewhere.failed:
                _unresolved(result, "OpenAlex", elsewhere.failed[paper.doi], paper.key)
            elif paper.doi in elsewhere.found:
                _compare(result, where, paper, elsewhere.found[paper.doi], "OpenAlex", paper.doi)
            else:
                message = f"neither Crossref nor OpenAlex has a record of {paper.doi}"
                result.findings.append(Finding(*where, "doi-unknown", message))
    result.findings.sort(key=lambda f: (str(f.path), f.line))
    return result


Where = tuple[Path, int, str, str]  # path, line, key, field


def _openalex(result: Verification, dois: list[str], refresh: bool, offline: bool, say: Progress) -> Answers[Paper]:
    """OpenAlex's works for the DOIs Crossref has no record of."""
    from lclm.sources import openalex
    from lclm.sources.service import Answers

    if not dois:
        return Answers()
    say("OpenAlex", 0, len(dois))
    answers = openalex.fetch(dois, refresh=refresh, offline=offline, progress=lambda n: say("OpenAlex", n, len(dois)))
    result.requests["OpenAlex"] = answers.requests
    return answers


def _compare(result: Verification, where: Where, paper: Paper, found: Paper, source: str, ident: str) -> None:
    """A finding when the resolved paper is not the record's: another title, and maybe another first author."""
    if same_title(paper.title, found.title):
        return
    by = _byline(found.authors)
    if _renamed(paper, found):
        message = f"{source} has another title for {ident}: {found.title!r}{by} (renamed?)"
        result.findings.append(Finding(*where, "retitled", message))
    else:
        message = f"{ident} is another paper on {source}: {found.title!r}{by}"
        result.findings.append(Finding(*where, "wrong-id", message))


def _renamed(paper: Paper, found: Paper) -> bool:
    """Whether another title for the id is most likely the paper renamed, not another paper.

    The record's first author among the resolved authors says so.  When
    there is no person to compare (an organisation such as "OpenAI", or no
    authors), the titles must still share most of their words: "GPT-4
    Technical Report" is no renaming of a workshop's proceedings.
    """
    from rapidfuzz import fuzz

    from lclm.duplicates.profile import comparable_title, surnames

    people = bool(surnames([a for a in paper.authors[:1] if a != OTHERS])) and bool(surnames(found.authors))
    if people:
        return first_author_among(paper.authors, found.authors)
    return fuzz.token_set_ratio(comparable_title(paper.title), comparable_title(found.title)) >= RELATED


def same_title(ours: str, theirs: str) -> bool:
    """Whether two titles are one title: equal once folded, one a subtitle short of the other, or nearly so."""
    from rapidfuzz import fuzz

    from lclm.duplicates.profile import comparable_title

    a, b = comparable_title(ours), comparable_title(theirs)
    if not a or not b:
        return False
    if a == b or {a, _lead(ours)} & {b, _lead(theirs)} - {""}:  # equal, or the same name before a subtitle
        return True
    short, long = sorted((a, b), key=len)
    if long.startswith(short + " ") and len(short.split()) >= 2:
        return True
    return fuzz.ratio(a, b) >= SIMILAR


def _lead(title: str) -> str:
    """A title's name before its colon, folded ("" when there is no colon or no name)."""
    from lclm.duplicates.profile import comparable_title

    head, colon, _rest = title.partition(":")
    return comparable_title(head) if colon and head.strip() else ""


def first_author_among(ours: list[str], theirs: list[str]) -> bool:
    """Whether the record's first author is among the resolved authors (True when there is no person to compare).

    A person is their surname and first initial, in either name order, so
    "L. Zhang" is "Li Lyna Zhang" but "Haozhen Zhang" is not "Songyang Zhang"
    (a surname alone says little in a field where Zhang, Wang and Li abound).
    """
    from lclm.duplicates.profile import surnames

    first = [a for a in ours[:1] if a != OTHERS]
    mine = _person_keys(first[0]) if surnames(first) else set()  # an organisation is no person to compare
    if not mine or not surnames(theirs):
        return True
    return any(mine & _person_keys(name) for name in theirs)


def _person_keys(name: str) -> set[tuple[str, str]]:
    """(surname, first initial) of a name, read in both orders ("Zhang Haozhen" and "Haozhen Zhang")."""
    from lclm.text import fold, latex_to_unicode

    last, comma, rest = name.partition(",")
    words = (rest.split() + last.split()) if comma else name.split()
    words = ["".join(c for c in fold(latex_to_unicode(w)) if c.isalnum()) for w in words]
    words = [w for w in words if w]
    if len(words) < 2:
        return set()
    return {(words[-1], words[0][0]), (words[0], words[-1][0])}


def _byline(authors: list[str]) -> str:
    if not authors:
        return ""
    return f" by {authors[0]}" + (" et al." if len(authors) > 1 else "")


def _unresolved(result: Verification, source: str, reason: str, key: str) -> None:
    result.unresolved.setdefault((source, reason.removeprefix(f"{source}: ")), []).append(key)


class _FieldLines:
    """The line of a field in a paper's record (the record's first line if it is not found)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, list[str]] = {}

    def path(self, paper: Paper) -> Path:
        return self.root / f"{paper.category}.yaml"

    def of(self, paper: Paper, name: str) -> tuple[Path, int]:
        from lclm.store.files import read_text

        path = self.path(paper)
        if paper.category not in self.files:
            try:
                self.files[paper.category] = read_text(path).splitlines()
            except OSError:
                self.files[paper.category] = []
        text = self.files[paper.category]
        for number in range(max(paper.line, 1), len(text) + 1):
            line = text[number - 1]
            if number > paper.line and line.startswith("- "):
                break
            if line.startswith((f"  {name}:", f"- {name}:")):
                return path, number
        return path, paper.line
