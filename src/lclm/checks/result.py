"""What checking one file yields, as plain data that ``lclm.checks.cache`` keeps as JSON.

``lclm.checks.file`` makes a ``FileResult``; ``lclm.checks.validate`` reads
it (fresh or from the cache) and compares the ``PaperFacts`` across files.
Data only: no checks here, so the three modules depend on this one and not
on each other in a circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

Row = tuple[int, str, str, str, str, int]  # line, key, field, rule, message, column


class PaperFacts(NamedTuple):
    """What the store-wide rules need of one paper (a JSON array in the cache)."""

    key: str
    line: int
    identifiers: list[tuple[str, str, int]]  # (kind, value, line of the field it came from)
    title: str  # normalised
    title_line: int
    distinct: list[str]
    distinct_line: int
    year: int
    versions: list[tuple[str, str]]  # the title's number/version tokens
    people: list[str]  # folded surnames of the authors who are people
    aka: list[str]  # other names, as written
    aka_line: int
    former: list[str]  # former keys (the ``ids`` field)
    former_line: int

    def line_of(self, kind: str) -> int:
        """The line of the field an identifier kind or ``title`` came from."""
        if kind == "title":
            return self.title_line
        return next((line for k, _, line in self.identifiers if k == kind), self.line)

    def moved(self, by: int) -> PaperFacts:
        """The same facts for the paper moved ``by`` lines down the file."""
        return self._replace(
            line=self.line + by,
            identifiers=[(kind, value, line + by) for kind, value, line in self.identifiers],
            title_line=self.title_line + by,
            distinct_line=self.distinct_line + by,
            aka_line=self.aka_line + by,
            former_line=self.former_line + by,
        )

    @classmethod
    def from_json(cls, row: list[Any]) -> PaperFacts:
        """Facts back from their JSON array (``ValueError`` for a row of another shape).

        Taken as they are, lists for tuples: the cache file is checked whole
        (``lclm.store.cache``), and this runs for every paper of a store.
        """
        if not isinstance(row, list) or len(row) != len(cls._fields):
            raise ValueError("not a row of paper facts")
        return cls._make(row)


@dataclass
class FileResult:
    """One file's own problems, its papers' facts, and whether it loads as a store file.

    For ``_sections.yaml``, ``listed`` holds each category file it names, with the line.
    For a category file in canonical form, ``blocks`` holds the hash and first
    line of each paper's block, so the next check can keep the unchanged ones.
    """

    problems: list[Row] = field(default_factory=list)
    papers: list[PaperFacts] = field(default_factory=list)
    loadable: bool = True
    listed: list[tuple[str, int]] = field(default_factory=list)
    blocks: list[tuple[str, int]] = field(default_factory=list)

    def to_json(self) -> list[Any]:
        """The result as plain JSON data."""
        return [self.problems, self.papers, self.loadable, self.listed, self.blocks]

    @classmethod
    def from_json(cls, data: list[Any]) -> FileResult:
        """The result back from ``to_json`` data (raises on a malformed cache entry)."""
        problems, papers, loadable, listed, blocks = data
        return cls(
            [(int(a), str(b), str(c), str(d), str(e), int(f)) for a, b, c, d, e, f in problems],
            [PaperFacts.from_json(row) for row in papers],
            bool(loadable),
            [(str(name), int(line)) for name, line in listed],
            [(str(key), int(line)) for key, line in blocks],
        )
