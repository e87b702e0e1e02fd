"""Checking one file of a store on its own: parse, apply the paper checks, compare to canonical form.

The ``FileResult`` holds the file's problems and, per paper, the few values
the store-wide rules compare, so that ``lclm.checks.validate`` can cache it as JSON
and skip this module entirely for an unchanged file.  Pure: bytes in, data
out.  The canonical form is the store's own (``lclm.store.canonical``), the one
`lclm fmt` writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lclm.checks.result import FileResult, PaperFacts, Row
from lclm.duplicates.profile import (
    comparable_title,
    paper_identities,
    surnames,
    version_tokens,
)
from lclm.errors import StoreError, YamlSyntaxError
from lclm.model import FIELD_TYPES, REQUIRED, Paper
from lclm.rules import check_record, show, size_problem
from lclm.store.cache import digest
from lclm.store.codec import (
    RawRecord,
    dump_paper,
    dump_papers,
    dump_sections,
    parse_category,
    parse_record,
    read_sections,
    split_records,
    type_problem,
)
from lclm.store.files import decode
from lclm.store.yamlio import comment_lines


def _failure(path: Path, exc: StoreError, rule: str) -> FileResult:
    """A file that could not be read at all: one problem, placed by the error's fields."""
    line, column, message = located(path, exc)
    return FileResult([(line, "", "", rule, message, column)], loadable=False)


def located(path: Path, exc: StoreError) -> tuple[int, int, str]:
    """``(line, column, message)`` of a ``StoreError`` about ``path``, from the error's fields."""
    if exc.path != str(path):
        return 0, 0, str(exc)
    return exc.line, exc.column, ": ".join(part for part in (exc.field, exc.message) if part)


def _parse_rule(exc: StoreError, shape_rule: str) -> str:
    return "yaml-syntax" if isinstance(exc, YamlSyntaxError) else shape_rule


# ---------------------------------------------------------------- category files


# Above this size a file is checked block by block even on its first check (memory over speed).
BLOCKWISE_BYTES = 8 << 20


def check_category(path: Path, data: bytes, before: FileResult | None = None) -> FileResult:
    """Every problem of one category file taken on its own, and its papers' entries.

    ``before`` is the result for the file's previous bytes: when both are in
    canonical form, each paper's block that did not change keeps its
    results (moved to its new lines), and only the edited blocks are read.
    """
    try:
        text = decode(path, data)
    except StoreError as exc:
        return _failure(path, exc, "encoding")
    edited = before is not None and bool(before.blocks)
    if not data.startswith(b"\xef\xbb\xbf") and (edited or len(data) > BLOCKWISE_BYTES):  # the mark is not canonical
        # A canonical file is read a paper's block at a time when it was checked before (its unchanged
        # blocks keep their results) or is very large (a file of 100,000 papers never holds its whole node
        # tree at once); otherwise one read of the whole file is faster.
        by_block = _check_blocks(path, text, before if edited else None)
        if by_block is not None:
            return by_block
    try:
        items = parse_category(path, text)
    except StoreError as exc:
        return _failure(path, exc, _parse_rule(exc, "file-shape"))
    result = FileResult()
    papers: list[Paper] = []
    for item in items:
        if not isinstance(item, RawRecord):
            line, value = item
            message = f"a paper must be a mapping (key: value), not {show(value)}"
            result.problems.append((line, "", "", "file-shape", message, 0))
            result.loadable = False
            continue
        rows, facts, paper = _check_record(path, item)
        result.problems += rows
        result.papers.append(facts)
        if paper is not None:
            papers.append(paper)
        else:
            result.loadable = False
    expected = dump_papers(papers) if result.loadable else None
    form = _form_problems(path, text, data, expected)
    result.problems += form
    blocks = split_records(text) if result.loadable and not form else None
    if blocks is not None and [line for line, _ in blocks] == [p.line for p in papers]:
        result.blocks = [(digest(block.encode()), line) for line, block in blocks]
    return result


def _check_record(path: Path, item: RawRecord) -> tuple[list[Row], PaperFacts, Paper | None]:
    """One record's problems and facts, and its paper when the record loads as one."""
    good = _well_typed(item.data)
    key = good.get("key", "")
    rows: list[Row] = [
        (item.field_lines.get(name, item.line), key, name, rule, message, 0)
        for rule, name, message in check_record(item.data)
    ]
    paper = None
    if all(name in good for name in REQUIRED) and not any(type_problem(n, v) for n, v in item.data.items()):
        paper = Paper.from_dict(item.data, category=path.stem, line=item.line)
    return rows, _facts(item, good), paper


def _check_blocks(path: Path, text: str, before: FileResult | None) -> FileResult | None:
    """The result of a canonical file block by block, reusing ``before``'s blocks; None if it is not canonical.

    A block that ``before`` held keeps its rows and facts; it was canonical
    there, and still is unless it moved to or from the end of the file (only
    the last block has no blank line after it).  Any other block is read and
    checked alone, and must be its paper's canonical dump.
    """
    blocks = split_records(text)
    if not blocks:
        return None
    known = _results_by_block(before) if before is not None else {}
    result = FileResult()
    for number, (line, block) in enumerate(blocks, 1):
        key, last = digest(block.encode()), number == len(blocks)
        part = known.get(key)
        if part is not None and block.endswith("\n\n") != last:
            start, rows, facts = part
            rows, facts = [(row[0] + line - start, *row[1:]) for row in rows], facts.moved(line - start)
        else:
            try:
                record = parse_record(path, line, block)
            except StoreError:
                return None
            if record is None:
                return None
            rows, facts, paper = _check_record(path, record)
            if paper is None or dump_paper(paper, last) != block:
                return None
        result.problems += rows
        result.papers.append(facts)
        result.blocks.append((key, line))
    return result


def _results_by_block(result: FileResult) -> dict[str, tuple[int, list[Row], PaperFacts]]:
    """``block hash -> (its first line, its rows, its paper's facts)`` of a result cut into blocks."""
    starts = [line for _, line in result.blocks]
    if [facts.line for facts in result.papers] != starts:
        return {}
    ends = [*starts[1:], 1 << 62]
    return {
        key: (start, [row for row in result.problems if start <= row[0] < end], facts)
        for (key, start), end, facts in zip(result.blocks, ends, result.papers, strict=True)
    }


def _well_typed(data: dict[str, Any]) -> dict[str, Any]:
    """The known fields whose values have the right type and a sane size."""
    return {
        name: value
        for name, value in data.items()
        if name in FIELD_TYPES and not type_problem(name, value) and not size_problem(name, value)
    }


def _facts(item: RawRecord, good: dict[str, Any]) -> PaperFacts:
    lines = item.field_lines
    year = good.get("year", 0)
    ids_of = Paper(key="", title="", year=0, **{k: good.get(k, "") for k in ("arxiv", "doi", "url")})
    # Each identity is the field of its kind, else the one it was read from (an arXiv DOI, the url).
    source = {"arxiv": "doi" if "arxiv" not in good and good.get("doi") else "url", "doi": "url", "url": "url"}
    ids = [
        (kind, value, lines.get(kind if kind in good else source[kind], item.line))
        for kind, value in paper_identities(ids_of).items()
    ]
    title = good.get("title", "")
    return PaperFacts(
        key=good.get("key", ""),
        line=item.line,
        identifiers=ids,
        title=comparable_title(title),
        title_line=lines.get("title", item.line),
        distinct=list(good.get("distinct", [])),
        distinct_line=lines.get("distinct", item.line),
        year=year if isinstance(year, int) else 0,
        versions=list(version_tokens(title)),
        people=_people(good.get("authors", [])),
        aka=list(good.get("aka", [])),
        aka_line=lines.get("aka", item.line),
        former=list(good.get("ids", [])),
        former_line=lines.get("ids", item.line),
    )


def _people(authors: list[str]) -> list[str]:
    """``surnames`` of the authors, sorted; each name's surname worked out once per process."""
    found: set[str] = set()
    for name in authors:
        surname = _surnames.get(name)
        if surname is None:
            surname = surnames([name])  # a name's surname does not depend on the others
            if len(_surnames) < _NAMES_KEPT:
                _surnames[name] = surname
        found |= surname
    return sorted(found)


_surnames: dict[str, frozenset[str]] = {}
_NAMES_KEPT = 1 << 20  # names remembered at most (a bigger store works out the rest each time)


# ---------------------------------------------------------------- canonical form


def _form_problems(path: Path, text: str, data: bytes, expected: str | None) -> list[Row]:
    """The canonical-form warning, and the duplicate fields a non-canonical file may hide.

    A file equal to its canonical dump can hold neither comments nor a field
    given twice (the dump has neither), so only other files are scanned.
    """
    if expected is not None and expected.encode() == data:
        return []
    # Only a file that is not canonical is scanned for fields given twice.
    from lclm.store.canonical import duplicate_fields

    rows: list[Row] = [
        (line, key, name, "duplicate-field", f"given again (first on line {first}); YAML keeps only this one", 0)
        for line, key, name, first in duplicate_fields(path, text)
    ]
    if expected is not None:
        rows.append(_canonical_row(text, data, expected))
    return rows


def _canonical_row(text: str, data: bytes, expected: str) -> Row:
    """Where and how a file departs from its canonical form (its text, or only its bytes)."""
    line = first_difference(text, expected)
    if line == 0:  # the same text in other bytes
        if data.startswith(b"\xef\xbb\xbf"):
            return (1, "", "", "canonical", "starts with a byte-order mark; `lclm fmt` removes it", 0)
        line = data[: data.find(b"\r")].count(b"\n") + 1 if b"\r" in data else 1
        return (line, "", "", "canonical", f"Windows (CRLF) line ends from line {line}; `lclm fmt` rewrites them", 0)
    comments = comment_lines(text, expected)
    lost = f"; its comments (line {', '.join(map(str, comments[:3]))}) would be lost, move them into a note" if comments else ""
    return (line, "", "", "canonical", f"not in canonical form from line {line}; `lclm fmt` rewrites it{lost}", 0)


def first_difference(old: str, new: str) -> int:
    """The first line (from 1) where two texts differ, or 0 when they are equal."""
    if old == new:
        return 0
    for number, (a, b) in enumerate(zip(old.splitlines(True), new.splitlines(True)), 1):  # noqa: B905 (lengths differ)
        if a != b:
            return number
    return min(old.count("\n"), new.count("\n")) + 1


# ---------------------------------------------------------------- _sections.yaml


def check_sections(path: Path, data: bytes) -> FileResult:
    """The problems of ``_sections.yaml`` and the category files it lists, with lines.

    The shape rule is the store's own (``lclm.store.codec.read_sections``),
    so what validate accepts is what every command loads.
    """
    try:
        text = decode(path, data)
    except StoreError as exc:
        return _failure(path, exc, "encoding")
    try:
        read = read_sections(path, text)
    except StoreError as exc:
        return _failure(path, exc, _parse_rule(exc, "sections"))
    if read.problems:
        rows: list[Row] = [(line, "", name, "sections", message, 0) for line, name, message in read.problems]
        return FileResult(rows, loadable=False)
    result = FileResult(listed=list(read.listed.items()))
    result.problems += _form_problems(path, text, data, dump_sections(read.sections))
    return result
