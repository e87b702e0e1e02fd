"""Import a ``.bib`` file into one category: new papers appended, duplicates skipped with the reason.

The parsing is ``lclm.sources.bibtex`` (a pure reader); this module decides
what goes in and writes it through the store transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lclm.errors import InputError, LclmError
from lclm.model import Paper


@dataclass(slots=True)
class BibtexImportReport:
    """What ``import_bibtex`` did: the category, papers added, entries skipped and entries that could not be read.

    ``written`` is False when nothing was written: a dry run, or entries
    that could not be read without ``partial``.
    """

    category: str
    name: str
    new: bool = False  # the category was made by this import (``create``)
    added: list[Paper] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    written: bool = False


def read_bib(path: Path) -> str:
    """A ``.bib`` file's text, or a one-line ``InputError``."""
    from lclm.store.files import read_text

    try:
        return read_text(path)
    except LclmError as exc:
        raise InputError(str(exc)) from None


def import_bibtex(
    root: Path, path: Path, category: str, dry_run: bool = False, partial: bool = False, create: bool = False
) -> BibtexImportReport:
    """Append the new papers of the ``.bib`` file ``path`` to ``category`` (with ``create``, a new category
    of that name unless one has exactly that name: ``Store.category_for``).

    Each entry is judged by ``lclm.duplicates.identity.sort_batch`` against
    the list and the file's earlier entries: a paper the list has, or looks
    like, is skipped with the reason; an entry that is the same paper as an
    earlier one of the file is merged into it (one record is written); one
    that only looks like or clashes with an earlier one is skipped.  An entry
    ``lclm validate`` would reject (``lclm.rules``) is skipped too.  Keys that
    fit ``KEY_RE`` and are free are kept, others are made with ``make_key``.
    An entry the parser cannot read is ``failed``, at its own line; then
    nothing is written unless ``partial``.  With ``dry_run`` nothing is
    written.
    """
    from lclm.actions.write import transaction
    from lclm.duplicates.identity import ALIKE, KNOWN, NEW, REPEAT, sort_batch
    from lclm.duplicates.merge import merge_papers
    from lclm.keys import KEY_RE, make_key
    from lclm.rules import input_problems, size_problem
    from lclm.sources.bibtex import read_entries

    papers, skipped = read_entries(read_bib(path), str(path))
    bib_keys = {id(paper): bib_key or "(no key)" for bib_key, paper in papers}
    with transaction(root, dry_run=dry_run) as tx:
        section, new = tx.store.category_for(category, create)
        report = BibtexImportReport(
            section.slug, section.name, new,
            skipped=[str(skip) for skip in skipped if not skip.failed], failed=[str(skip) for skip in skipped if skip.failed],
        )
        taken = {p.key for p in tx.store.papers}
        written: dict[int, Paper] = {}  # id of an entry's paper -> the record written for it
        for arrival in sort_batch([paper for _, paper in papers], tx.store.papers, fuzzy=True):
            paper, match = arrival.paper, arrival.match
            label = f"{path}:{paper.line}: {bib_keys[id(paper)]}"
            if arrival.status == NEW:
                record = merge_papers(paper, arrival.repeats).kept if arrival.repeats else paper
                problems = input_problems(record)
                if problems:
                    report.skipped.append(f"{label}: " + "; ".join(f"{name}: {why}" for _, name, why in problems))
                    continue
                if not (KEY_RE.match(record.key) and record.key not in taken and not size_problem("key", record.key)):
                    record.key = make_key(record.authors, record.year, record.title, taken)
                taken.add(record.key)
                written[id(paper)] = record
                report.added.append(record)
                continue
            assert match is not None  # every other status names what it matched
            earlier = written.get(id(match.paper))
            if arrival.status == REPEAT and earlier is not None:
                reason = f"the same paper as {earlier.key} earlier in this file ({match.describe()}); merged into it"
            elif arrival.status == REPEAT:
                reason = f"the same paper as an earlier entry that was skipped ({match.describe()})"
            elif arrival.status == KNOWN:
                reason = f"already in the list as {match.paper.key} ({match.describe()})"
            else:
                in_file = id(match.paper) in bib_keys
                where = f"{earlier.key if earlier else bib_keys[id(match.paper)]} earlier in this file" if in_file else (
                    f"{match.paper.key} in the list")
                if match.kind == ALIKE:
                    reason = f"looks like {where} ({match.describe()}); if it is another paper, add a distinct field naming it"
                else:
                    reason = f"shares an identifier with {where} ({match.describe()})"
            report.skipped.append(f"{label}: {reason}")
        report.written = bool(report.added) and not dry_run and (partial or not report.failed)
        if report.written:
            if new:
                tx.touch_sections()
            tx.append(section.slug, report.added)  # the file's text kept, comments and all
    return report
