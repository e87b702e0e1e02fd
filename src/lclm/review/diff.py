"""``lclm diff``: what a change did to the list, paper by paper, and what to check about it.

``diff_store`` reads the store as it was at a git revision (``git show
REV:path``, nothing checked out) and as it is in the work tree, and pairs
the papers: by key, then a removed key and an added one that are the same
paper (``lclm.duplicates.identity``) as a renamed key.  Each pair that
differs is a ``PaperChange`` (fields old -> new, category moved, key
renamed).  The papers that arrived or changed are then checked: a
duplicate of a paper already listed, what ``validate`` says about them, a
preprint whose published version refresh's cache knows, what verify
flagged.  A check that had nothing to go on says "not checked", never
"fine".  Read-only: nothing here writes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lclm.duplicates.identity import ALIKE, CONFLICT, Lookup
from lclm.errors import LclmError
from lclm.model import Paper
from lclm.review import git
from lclm.store.layout import SECTIONS_FILE, Section, Store

# The kinds of finding, in the order a report lists them.
DUPLICATE, PROBLEM, PUBLISHED, VERIFY = "duplicate", "validate", "published", "verify"
_MATCH_WORDS = {ALIKE: "looks like", CONFLICT: "shares an identifier with"}


@dataclass(slots=True)
class FieldChange:
    """One field of one paper, before and after (``None``: not set)."""

    name: str
    old: Any
    new: Any


@dataclass(slots=True)
class PaperChange:
    """A paper on both sides that differs: fields, category, key."""

    old: Paper
    new: Paper
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def renamed(self) -> bool:
        """Whether the key changed (the same paper by the identity rule)."""
        return self.old.key != self.new.key

    @property
    def moved(self) -> bool:
        """Whether the paper changed category."""
        return self.old.category != self.new.category


@dataclass(slots=True)
class Finding:
    """Something to look at in a paper the change touched."""

    kind: str
    key: str
    where: str  # path:line of the paper in the work tree
    message: str


@dataclass(slots=True)
class StoreDiff:
    """The whole comparison; counts add up to the papers on each side."""

    base: str  # how the old side was chosen, for the heading
    root: str  # the store, as the user named it
    names: dict[str, str]  # category slug -> name (both sides)
    added: list[Paper] = field(default_factory=list)
    removed: list[Paper] = field(default_factory=list)
    changes: list[PaperChange] = field(default_factory=list)
    unchanged: int = 0
    findings: list[Finding] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)  # checks that had nothing to go on, and why
    merged_into: dict[str, str] = field(default_factory=dict)  # removed key -> key that lists it in ids

    def count(self, what: str) -> int:
        """``changed`` (fields), ``moved`` or ``renamed`` papers."""
        if what == "changed":
            return sum(bool(c.fields) for c in self.changes)
        return sum(getattr(c, what) for c in self.changes)

    @property
    def empty(self) -> bool:
        """Whether the two sides hold the same papers, field for field."""
        return not (self.added or self.removed or self.changes)

    def where(self, paper: Paper) -> str:
        """``papers/x.yaml:LINE`` of a paper of the work tree."""
        return f"{self.root}/{paper.category}.yaml:{paper.line}"

    def to_data(self) -> dict[str, Any]:
        """The comparison as plain data, for ``--json``."""

        def brief(paper: Paper) -> dict[str, Any]:
            return {"key": paper.key, "category": self.names.get(paper.category, paper.category), "title": paper.title}

        return {
            "base": self.base,
            "counts": {
                "added": len(self.added), "removed": len(self.removed), "changed": self.count("changed"),
                "moved": self.count("moved"), "renamed": self.count("renamed"), "unchanged": self.unchanged,
            },
            "added": [{**brief(p), "where": self.where(p), "record": p.to_dict()} for p in self.added],
            "removed": [{**brief(p), "merged_into": self.merged_into.get(p.key, "")} for p in self.removed],
            "changed": [
                {
                    **brief(c.new), "where": self.where(c.new),
                    "old_key": c.old.key if c.renamed else "",
                    "old_category": self.names.get(c.old.category, c.old.category) if c.moved else "",
                    "fields": [{"field": f.name, "old": f.old, "new": f.new} for f in c.fields],
                }
                for c in self.changes
            ],
            "findings": [{"kind": f.kind, "key": f.key, "where": f.where, "message": f.message} for f in self.findings],
            "not_checked": list(self.not_checked),
        }


# ---------------------------------------------------------------- reading the old side


def store_at(top: Path, commit: str, root: Path) -> Store:
    """The store at ``root`` as it was at ``commit`` (empty if it did not exist then)."""
    from lclm.store.codec import load_sections, read_papers
    from lclm.store.files import decode

    folder = os.path.relpath(root.resolve(), top).replace(os.sep, "/")
    folder = "" if folder == "." else folder
    names = set(git.files_at(top, commit, folder))
    store = Store(root, [], [])
    if SECTIONS_FILE not in names:
        return store
    at = f"{commit[:10]}:"

    def text(name: str) -> str:
        path = f"{folder}/{name}" if folder else name
        return decode(Path(at + path), git.show(top, commit, path))

    store.sections = load_sections(Path(at + SECTIONS_FILE), text(SECTIONS_FILE))
    for category in store.categories():
        if category.file in names:
            store.papers += read_papers(Path(at + category.file), category.slug, text(category.file))
    return store


# ---------------------------------------------------------------- comparing


def diff_store(root: Path, rev: str | None = None, label: str | None = None) -> StoreDiff:
    """Compare the store at ``root`` at revision ``rev`` (default: the merge base) with the work tree."""
    from lclm.store.load import load_store

    top = git.toplevel(root)
    if rev is None:
        commit, base = git.default_base(top)
    else:
        commit = git.resolve(top, rev)
        base = f"{rev} ({commit[:10]})"
    old = store_at(top, commit, root)
    new = load_store(root)
    out = StoreDiff(base, label or str(root), _names(old.sections) | _names(new.sections))
    _pair(out, old.papers, new.papers)
    _check(out, root, new)
    return out


def _names(sections: list[Section]) -> dict[str, str]:
    return {s.slug: s.name for top in sections for _, s in top.walk() if s.file}


def _pair(out: StoreDiff, old: list[Paper], new: list[Paper]) -> None:
    """Pair the papers by key, then removed with added ones that are the same paper (renamed keys)."""
    before = {p.key: p for p in old}
    after = {p.key for p in new}
    gone = [p for p in old if p.key not in after]
    index = Lookup(gone)
    taken: set[str] = set()
    for paper in new:
        was = before.get(paper.key)
        if was is None:
            match = index.find(paper)
            renamed = match is not None and match.kind not in (ALIKE, CONFLICT) and match.paper.key not in taken
            if match is not None and renamed:
                taken.add(match.paper.key)
                was = match.paper
            else:
                was = next((p for p in gone if p.key in paper.ids and p.key not in taken), None)
                if was is not None:
                    taken.add(was.key)
        if was is None:
            out.added.append(paper)
            continue
        change = PaperChange(was, paper, field_changes(was, paper))
        if change.fields or change.moved or change.renamed:
            out.changes.append(change)
        else:
            out.unchanged += 1
    out.removed = [p for p in gone if p.key not in taken]
    for paper in new:
        for key in paper.ids:
            out.merged_into.setdefault(key, paper.key)


def field_changes(old: Paper, new: Paper) -> list[FieldChange]:
    """The stored fields that differ, in canonical order (the key is not one: a rename is said apart)."""
    a, b = old.to_dict(), new.to_dict()
    names = [n for n in dict.fromkeys([*a, *b]) if n != "key"]
    return [FieldChange(n, a.get(n), b.get(n)) for n in names if a.get(n) != b.get(n)]


# ---------------------------------------------------------------- checks on what changed


def _check(out: StoreDiff, root: Path, store: Store) -> None:
    touched = [*out.added, *(c.new for c in out.changes if c.fields or c.renamed)]
    if not touched:
        return
    _duplicates(out, store, touched)
    _problems(out, root, {p.key for p in touched})
    _published(out, touched)
    _verified(out, root, touched)


def _duplicates(out: StoreDiff, store: Store, touched: list[Paper]) -> None:
    """A touched paper that is (or looks like) another paper of the list."""
    mine = {id(p) for p in touched}
    index = Lookup(p for p in store.papers if id(p) not in mine)
    for paper in touched:
        match = index.find(paper)
        if match is not None:
            other = match.paper
            verb = _MATCH_WORDS.get(match.kind, "is the same paper as")
            out.findings.append(
                Finding(DUPLICATE, paper.key, out.where(paper), f"{verb} {other.key} at {out.where(other)} ({match.describe()})")
            )
        index.add(paper)


def _problems(out: StoreDiff, root: Path, keys: set[str]) -> None:
    """What ``validate`` says about the touched papers (not about the rest of the list)."""
    from lclm.checks.validate import validate

    try:
        report = validate(root)
    except LclmError as exc:
        out.not_checked.append(f"{PROBLEM}: the store could not be validated ({exc})")
        return
    for problem in report.problems:
        if problem.key in keys:
            where = f"{problem.path}:{problem.line}" if problem.line else problem.path
            text = ": ".join(p for p in (problem.field, problem.message) if p)
            out.findings.append(Finding(PROBLEM, problem.key, where, f"{text} [{problem.rule}, {problem.severity}]"))


def _published(out: StoreDiff, touched: list[Paper]) -> None:
    """A touched preprint whose published version refresh's DBLP answers (cached, never asked) name."""
    from lclm.sources import dblp
    from lclm.venues import is_preprint_paper

    preprints = [p for p in touched if is_preprint_paper(p)]
    if not preprints:
        return
    answers = dblp.fetch([p.title for p in preprints], offline=True)
    unknown = 0
    for paper in preprints:
        records = answers.found.get(paper.title)
        if records is None:
            unknown += 1
            continue
        record = dblp.published_version(paper, records)
        if record is not None:
            out.findings.append(
                Finding(PUBLISHED, paper.key, out.where(paper), f"DBLP lists a published version: {record.venue} {record.year} (refresh's cache); `lclm refresh --keys {paper.key}` proposes it")
            )
    if unknown:
        out.not_checked.append(
            f"{PUBLISHED}: {unknown} of {len(preprints)} preprints not checked for a published version "
            "(not in refresh's cache; `lclm refresh` asks DBLP)"
        )


def _verified(out: StoreDiff, root: Path, touched: list[Paper]) -> None:
    """What ``lclm verify`` finds about the touched papers' ids, from its cache only (never asked)."""
    from lclm.checks.verify import verify_papers

    with_ids = [p for p in touched if p.arxiv or p.doi]
    if not with_ids:
        return
    try:
        result = verify_papers(root, with_ids, offline=True)
    except LclmError as exc:
        out.not_checked.append(f"{VERIFY}: the ids could not be checked ({exc})")
        return
    for finding in result.findings:
        out.findings.append(
            Finding(VERIFY, finding.key, f"{finding.path}:{finding.line}", f"{finding.field}: {finding.message} [{finding.kind}]")
        )
    unknown = sorted({key for keys in result.unresolved.values() for key in keys})
    if unknown:
        out.not_checked.append(
            f"{VERIFY}: the ids of {len(unknown)} of {len(with_ids)} new or changed papers are not in verify's cache "
            f"(`lclm verify --keys {','.join(unknown)}` asks)"
        )
