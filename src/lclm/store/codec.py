"""The store's two file formats: category files (lists of papers) and ``_sections.yaml``.

Text in, records out, and back: ``parse_category``/``to_paper`` and
``load_sections`` read, ``dump_papers``/``dump_sections`` give the one
canonical text, so a rewrite makes a minimal diff.  ``split_records`` cuts a
category file into its papers' blocks, so that after an edit only the
blocks that changed need YAML again.  No disk access.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from lclm.errors import StoreError
from lclm.model import REQUIRED, Paper
from lclm.model import (
    type_problem as type_problem,  # the rule lives with the field table; checks import it from here
)
from lclm.store.layout import Section
from lclm.store.yamlio import compose, construct, dump_yaml, yaml_module

SECTIONS_HEADER = (
    "# The list's sections in order. A section with 'file' is a category whose\n"
    "# papers live in that file; 'sections' nests headings; 'translations' gives\n"
    "# the heading in other languages (lclm export markdown --lang zh).\n"
)


@dataclass(slots=True)
class RawRecord:
    """One paper mapping as written, with the line of the record and of each field."""

    data: dict[str, Any]
    line: int
    field_lines: dict[str, int]


def parse_category(path: Path, text: str) -> list[RawRecord | tuple[int, Any]]:
    """The records of a category file, in file order.

    Each item is a ``RawRecord``, or ``(line, value)`` for an item that is not
    a mapping.  Raises ``StoreError`` for syntax errors and a top level that
    is not a list.
    """
    yaml = yaml_module()
    root = compose(path, text)
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise StoreError("top level must be a list of papers (- key: ...)", path=path, line=root.start_mark.line + 1)
    items: list[RawRecord | tuple[int, Any]] = []
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            items.append((line, construct(node, path)))
            continue
        field_lines: dict[str, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                field_lines.setdefault(key_node.value, key_node.start_mark.line + 1)
        items.append(RawRecord(construct(node, path), line, field_lines))
    return items


# A character at the left margin: in a category file it may only start a paper ("- ...").
_MARGIN_RE = re.compile(r"^[^ \n]", re.MULTILINE)


def split_records(text: str) -> list[tuple[int, str]] | None:
    """Each paper's block of a category file, with the line it starts on; None when it does not cut cleanly.

    A file cuts cleanly when it starts with a paper and every line at the
    left margin starts one (``- ...``): then each block reads alone as the
    one-item list it is part of.  Nothing YAML reads can run on across such
    a line: a plain or block value ends where the margin is reached, and a
    quoted value or a ``[``/``{`` left open there leaves its own block
    unreadable, which sends the caller back to the whole file.  Anything
    else at the margin (a comment, ``---``, a top-level mapping) gives None.
    """
    starts = []
    for match in _MARGIN_RE.finditer(text):
        at = match.start()
        if not (text.startswith("- ", at) or text.startswith("-\n", at) or text[at:] == "-"):
            return None
        starts.append(at)
    if not starts or starts[0] != 0:
        return None
    blocks, line = [], 1
    for at, end in zip(starts, [*starts[1:], len(text)], strict=True):
        block = text[at:end]
        blocks.append((line, block))
        line += block.count("\n")
    return blocks


def parse_record(path: Path, line: int, block: str) -> RawRecord | None:
    """The one paper of a block from ``split_records`` (lines as in the whole file), or None.

    None when the block does not read alone as exactly one mapping; raises
    ``StoreError`` as ``parse_category`` does (its line counted from the
    block: callers read the whole file again for the error).  The block is
    read alone and its lines moved after, so reading every block of a big
    file costs its size, not its size times its lines.
    """
    items = parse_category(path, block)
    if len(items) != 1 or not isinstance(items[0], RawRecord):
        return None
    record, by = items[0], line - 1
    record.line += by
    record.field_lines = {name: at + by for name, at in record.field_lines.items()}
    return record


def to_paper(path: Path, slug: str, item: RawRecord | tuple[int, Any]) -> Paper:
    """A ``Paper`` from a parsed record, or a one-line ``StoreError``."""
    if not isinstance(item, RawRecord):
        line, value = item
        raise StoreError(f"a paper must be a mapping (key: value), not {value!r:.40}", path=path, line=line)
    data, key = item.data, item.data.get("key", "?")
    for name in REQUIRED:
        if name not in data:
            raise StoreError(f"{name}: required field is missing", path=path, line=item.line, field=key)
    for name, value in data.items():
        problem = type_problem(name, value)
        if problem:
            raise StoreError(f"{name}: {problem}", path=path, line=item.field_lines.get(name, item.line), field=key)
    return Paper.from_dict(data, category=slug, line=item.line)


def read_papers(path: Path, slug: str, text: str) -> list[Paper]:
    """The papers of a category file's text, or the one-line error of the first bad record."""
    return [to_paper(path, slug, item) for item in parse_category(path, text)]


def load_sections(path: Path, text: str) -> list[Section]:
    """The section tree of ``_sections.yaml``, or a one-line ``StoreError`` for its first problem."""
    read = read_sections(path, text)
    if read.problems:
        line, name, message = read.problems[0]
        raise StoreError(message, path=path, line=line, field=name)
    return read.sections


class SectionsRead(NamedTuple):
    """What ``read_sections`` found: the tree, its problems, and the files it lists."""

    sections: list[Section]  # empty when there are problems
    problems: list[tuple[int, str, str]]  # (line, field, message)
    listed: dict[str, int]  # category file -> its line


def read_sections(path: Path, text: str) -> SectionsRead:
    """The section tree of ``_sections.yaml``, every ``(line, field, problem)`` of its shape, the files listed.

    The one rule for what a section may be, used by loading (which stops at
    the first problem) and by ``validate`` (which reports them all): a
    ``name`` in text; a ``file`` that is a NAME.yaml in the store itself,
    listed once; ``sections`` a list; ``translations`` text by language.
    The tree is empty when there is any problem.  Raises ``StoreError``
    for a file that is not YAML or not a mapping with a ``sections:`` list.
    """
    node = compose(path, text)
    data = construct(node, path) if node is not None else None
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise StoreError("must be a mapping with a 'sections:' list", path=path, line=1)
    problems: list[tuple[int, str, str]] = []
    listed: dict[str, int] = {}
    _shape_all(data["sections"], _child(node, "sections"), listed, problems)
    sections = [] if problems else [Section.from_dict(s) for s in data["sections"]]
    return SectionsRead(sections, problems, listed)


def _shape_all(items: list[Any], node: Any, files: dict[str, int], problems: list[tuple[int, str, str]]) -> None:
    for item, item_node in zip(items, node.value, strict=True):
        problems += _section_shape(item, item_node, files)
        children = item.get("sections") if isinstance(item, dict) else None
        if isinstance(children, list):
            _shape_all(children, _child(item_node, "sections"), files, problems)


def _section_shape(data: Any, node: Any, files: dict[str, int]) -> list[tuple[int, str, str]]:
    """The problems of one section mapping (not those below it); ``files`` gathers the files listed."""
    line = node.start_mark.line + 1
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"].strip():
        return [(line, "", "every section needs a 'name' and either 'file' or 'sections'")]
    name, file, children = data["name"], data.get("file", ""), data.get("sections") or []
    problems = []
    translations = data.get("translations") or {}
    if not isinstance(translations, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in translations.items()
    ):
        problems.append((_line_of(node, "translations", line), "", f"{name}: every 'translations' must map a language to text"))
    if not isinstance(children, list):
        problems.append((_line_of(node, "sections", line), "", f"{name}: 'sections' must be a list"))
    file_line = _line_of(node, "file", line)
    if not isinstance(file, str) or (file and not _is_store_file(file)):
        problems.append((file_line, "", f"{name}: file {file!r:.40} must be a NAME.yaml in the store"))
    elif file in files:
        problems.append((file_line, "file", f"{file} is listed twice (first on line {files[file]})"))
    elif file:
        files[file] = file_line
    elif not children:
        problems.append((line, "", f"{name}: needs a file or sub-sections"))
    return problems


def _is_store_file(name: str) -> bool:
    """Whether ``name`` names a category file in the store's own folder (not lclm's ``_*.yaml`` files)."""
    stem = name.removesuffix(".yaml")
    return name.endswith(".yaml") and bool(stem) and "/" not in name and "\\" not in name and stem[0] not in "._"


def _child(node: Any, key: str) -> Any:
    """The value node of ``key`` in a mapping node, or None."""
    for key_node, value in getattr(node, "value", None) or []:
        if getattr(key_node, "value", None) == key:
            return value
    return None


def _line_of(node: Any, key: str, default: int) -> int:
    value = _child(node, key)
    return value.start_mark.line + 1 if value is not None else default


def dump_papers(papers: list[Paper]) -> str:
    """The canonical text of a category file: one block per paper, blank line between.

    The papers are written in one go (a tenth faster than one by one) and
    the blank lines put in before each paper's ``- ``, the only lines at the
    left margin; should any other line start there, each paper is written
    on its own instead.
    """
    if len(papers) > 1:
        text, count = _ITEM_START_RE.subn("\n\n", dump_yaml([p.to_dict() for p in papers]))
        if count == len(papers) - 1:
            return text
    return "\n".join(dump_paper(p) for p in papers)


_ITEM_START_RE = re.compile(r"\n(?=-[ \n])")  # where a list item after the first starts


def dump_paper(paper: Paper, last: bool = True) -> str:
    """The canonical block of one paper; one not ``last`` in its file ends with the blank line between."""
    return dump_yaml([paper.to_dict()]) + ("" if last else "\n")


# A line a category file may start with before its first paper: blank, or a comment.
_HEADER_RE = re.compile(r"^\s*(?:#.*)?$")


def append_text(old: str, block: str, has_papers: bool) -> str:
    """A category file's text ``old`` with ``block`` (new papers' canonical text) after it.

    The old text is kept as it is, comments and all; a file without papers
    keeps only its header of comments (an empty ``[]`` goes).
    """
    if has_papers:
        return old.rstrip("\n") + "\n\n" + block
    kept = [line for line in old.splitlines() if _HEADER_RE.match(line) and line.strip()]
    return "".join(f"{line}\n" for line in kept) + block


def dump_papers_placed(papers: list[Paper]) -> str:
    """``dump_papers``, also setting each paper's ``line`` to where its block starts."""
    blocks, line = [], 1
    for paper in papers:
        block = dump_paper(paper)
        paper.line = line
        line += block.count("\n") + 1
        blocks.append(block)
    return "\n".join(blocks)


def dump_sections(sections: list[Section]) -> str:
    """The canonical text of ``_sections.yaml``."""
    return SECTIONS_HEADER + dump_yaml({"sections": [s.to_dict() for s in sections]})
