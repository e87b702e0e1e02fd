"""`lclm validate`: the rules table, and the check of a whole store against it.

Each file is checked on its own (``lclm.checks.file``, with the paper checks
of ``lclm.checks.paper``), giving its problems and the few per-paper
values the store-wide rules need.  Those results are cached by each file's
content hash (``lclm.checks.cache``), so an unchanged file is not parsed
again; collisions across the store are then found with dicts over the
per-paper values, in time linear in the number of papers.  Nothing here
writes a data file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lclm.errors import StoreError, UsageError
from lclm.store.core import SECTIONS_FILE, category_files

if TYPE_CHECKING:
    from lclm.checks.cache import Cache

ERROR = "error"
WARNING = "warning"


class Rule(NamedTuple):
    """A rule: its id (shown with each problem), severity and explanation."""

    id: str
    severity: str
    explanation: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("encoding", ERROR, "Every file is UTF-8 text."),
        Rule("yaml-syntax", ERROR, "Every file is YAML (safe tags only, no *aliases); the error gives line and column."),
        Rule("file-shape", ERROR, "A category file is a list of papers, and each paper a mapping (key: value)."),
        Rule("sections", ERROR, "_sections.yaml exists and is a 'sections:' list; each section has a name and a file or sub-sections; no file is listed twice."),
        Rule("unlisted-file", ERROR, "Every *.yaml file of the store is a category listed in _sections.yaml (else no command sees it)."),
        Rule("missing-file", ERROR, "Every file listed in _sections.yaml exists."),
        Rule("required", ERROR, "Every paper has key, title and year."),
        Rule("type", ERROR, "year is a whole number; authors, tags and distinct are lists of text; other fields are text."),
        Rule("unknown-field", ERROR, "Only lclm's fields are used; a typo (autors) is named with the closest field (authors)."),
        Rule("duplicate-field", ERROR, "A field appears once in a paper (YAML would silently keep only the last value)."),
        Rule("too-long", ERROR, "Text and lists stay within sane sizes (a 1000-character title is a paste accident)."),
        Rule("year-range", ERROR, "year is between 1900 and next year."),
        Rule("key-format", ERROR, "key looks like surnameYEARword: lower-case letters and digits around a 4-digit year."),
        Rule("key-unique", ERROR, "No two papers of the store share a key."),
        Rule("arxiv-format", ERROR, "arxiv is a bare id, new (2502.17129) or old style (hep-th/9901001), with no version suffix."),
        Rule("doi-format", ERROR, "doi is a bare DOI (10.NNNN/...), without https://doi.org/ or doi: in front."),
        Rule("url-format", ERROR, "url is a well-formed http(s) address with a host and no spaces."),
        Rule("id-mismatch", ERROR, "arxiv, an arxiv.org url and an arXiv:ID in venue name one id; doi and a doi.org url one DOI."),
        Rule("same-id", ERROR, "No two papers share an arXiv id or DOI, nor a normalised URL unless one lists the other in 'distinct'."),
        Rule("same-title", ERROR, "No two papers share a normalised title unless one lists the other's key in 'distinct'."),
        Rule("distinct-key", ERROR, "Every key named in 'distinct' is another paper of the store."),
        Rule("empty-author", ERROR, "No author name is empty or without a letter (Qwen, :, An Yang)."),
        Rule("invisible-char", ERROR, "Titles, authors and venues hold no zero-width or control characters (they break search and matching)."),
        Rule("latex", ERROR, "Titles, authors and venues hold no leftover LaTeX ({\\'e}, \\$): write the character itself."),
        Rule("whitespace", WARNING, "Titles, authors and venues have no leading, trailing or doubled spaces."),
        Rule("title-period", WARNING, "A title does not end with a period (the rendered list adds one)."),
        Rule("canonical", WARNING, "Each file is in canonical form, as `lclm fmt` writes it, so edits give minimal diffs."),
        Rule("readme", ERROR, "A README with <!-- lclm:start --> / <!-- lclm:end --> markers holds the list as rendered now."),
    )
}

Row = tuple[int, str, str, str, str, int]  # line, key, field, rule, message, column


class Entry(NamedTuple):
    """What the store-wide rules need of one paper (a JSON array in the cache)."""

    key: str
    line: int
    ids: list[tuple[str, str, int]]  # (kind, value, line of the field it came from)
    title: str  # normalised
    title_line: int
    distinct: list[str]
    distinct_line: int


@dataclass
class FileResult:
    """One file's own problems, its papers' entries, and whether it loads as a store file.

    For ``_sections.yaml``, ``listed`` holds each category file it names, with the line.
    """

    problems: list[Row] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    loadable: bool = True
    listed: list[tuple[str, int]] = field(default_factory=list)

    def to_json(self) -> list[Any]:
        """The result as plain JSON data."""
        return [self.problems, self.entries, self.loadable, self.listed]

    @classmethod
    def from_json(cls, data: list[Any]) -> FileResult:
        """The result back from ``to_json`` data (raises on a malformed cache entry)."""
        problems, entries, loadable, listed = data
        return cls(
            [(int(a), str(b), str(c), str(d), str(e), int(f)) for a, b, c, d, e, f in problems],
            [Entry(*row) for row in entries],
            bool(loadable),
            [(str(name), int(line)) for name, line in listed],
        )


class Problem(NamedTuple):
    """One finding: where it is, which paper and field, which rule, and what."""

    path: str
    line: int
    key: str
    field: str
    rule: str
    message: str
    column: int = 0

    @property
    def severity(self) -> str:
        """``error`` or ``warning``, from the rule."""
        return RULES[self.rule].severity

    def format(self) -> str:
        """``path:line: key: field: message [rule]`` (empty parts left out)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.column:
            where += f":{self.column}"
        text = ": ".join(part for part in (where, self.key, self.field, self.message) if part)
        tag = self.rule if self.severity == ERROR else f"{self.rule}, {WARNING}"
        return f"{text} [{tag}]"

    def to_dict(self) -> dict[str, Any]:
        """The problem as JSON-ready data, severity included."""
        return {**self._asdict(), "severity": self.severity}


@dataclass
class Report:
    """Every problem found, in file and line order, and what was checked."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    papers: int = 0

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(p.severity == ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return len(self.problems) - self.errors

    def failed(self, strict: bool = False) -> bool:
        """Whether the check fails: any error, or with ``strict`` any problem."""
        return bool(self.problems) if strict else self.errors > 0


# ---------------------------------------------------------------- the check


def validate(root: Path, only: Sequence[Path] = ()) -> Report:
    """Check the store at ``root``, or only the files in ``only`` against it.

    With ``only``, the given files' own problems are reported, and their
    papers' collisions with any paper of the store; READMEs are checked
    only when the whole store is, and only when it loads.
    """
    import gc

    paths = category_files(root)
    chosen = _chosen(root, paths, only)
    # Nothing here makes reference cycles; the collector's passes over the
    # many small objects of a large store's cache would only cost time.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _validate(root, paths, chosen, bool(only))
    finally:
        if gc_was_on:
            gc.enable()


def _validate(root: Path, paths: list[Path], chosen: list[str], only: bool) -> Report:
    from lclm.checks.cache import Cache

    cache = Cache(root)
    blobs = {path.name: _read(path) for path in paths}
    results = {name: cache.result(root / name, blob) for name, blob in blobs.items()}
    labels = {name: str(root / name) for name in blobs}
    wanted = {labels[name] for name in chosen}
    problems = [Problem(labels[name], *row) for name, result in results.items() for row in result.problems]
    problems += _file_problems(root, results, labels)
    entries = {labels[n]: r.entries for n, r in results.items() if n != SECTIONS_FILE}
    problems += cross_check(entries, wanted)
    problems = [p for p in problems if p.path in wanted]
    if not only and _loads(results):
        problems += _readme_problems(root, cache)
    cache.save()
    count = sum(len(results[name].entries) for name in chosen if name != SECTIONS_FILE)
    return Report(sorted(problems, key=_order), files=len(chosen), papers=count)


def _loads(results: dict[str, FileResult]) -> bool:
    """Whether the store loads as a whole (what rendering a README needs)."""
    sections = results.get(SECTIONS_FILE)
    if sections is None or not sections.loadable:
        return False
    return all(name in results and results[name].loadable for name, _ in sections.listed)


def _order(problem: Problem) -> tuple[str, int, int]:
    return problem.path, problem.line, problem.column


def _chosen(root: Path, paths: list[Path], only: Sequence[Path]) -> list[str]:
    """The names of the files to report on; a file outside the store is a usage error."""
    names = [path.name for path in paths]
    if not only:
        return names
    home = root.resolve()
    chosen: list[str] = []
    for path in only:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        if path.resolve().parent != home or path.suffix != ".yaml":
            raise UsageError(f"{path}: not a YAML file of the paper store {root} (choose the store with --papers)")
        if path.name not in chosen:
            chosen.append(path.name)
    return chosen


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None


def _file_problems(root: Path, results: dict[str, FileResult], labels: dict[str, str]) -> list[Problem]:
    """Files listed in _sections.yaml but missing, and category files not listed."""
    sections = results.get(SECTIONS_FILE)
    here = str(root / SECTIONS_FILE)
    if sections is None:
        return [Problem(here, 0, "", "", "sections", "missing; it lists the categories and their order")]
    if not sections.loadable:
        return []
    listed = {name for name, _ in sections.listed}
    problems = [
        Problem(here, line, "", "file", "missing-file", f"{name} is listed but does not exist")
        for name, line in sections.listed
        if name not in results
    ]
    problems += [
        Problem(labels[name], 1, "", "", "unlisted-file", f"not listed in {SECTIONS_FILE}, so no command reads it")
        for name in results
        if name != SECTIONS_FILE and name not in listed
    ]
    return problems


# ---------------------------------------------------------------- across files


def cross_check(entries: dict[str, list[Entry]], wanted: set[str] | None = None) -> list[Problem]:
    """Collisions between papers anywhere in the store, found with dicts (linear time).

    ``entries`` maps each file's path to its papers, in store order.  A
    colliding pair is reported once, at the later paper and naming the
    earlier, or the other way round when only the earlier's file is
    ``wanted``.  A pair with the same title or URL is exempt when one paper
    lists the other in ``distinct``; a pair is reported once, for its first
    shared value.
    """
    problems: list[Problem] = []
    paired: set[tuple[int, int]] = set()

    def report(later: _Place, earlier: _Place, kind: str, value: str) -> None:
        from lclm.duplicates.identity import REASONS  # the wording add and import use too

        paired.add((id(earlier[2]), id(later[2])))
        swap = wanted is not None and later[0] not in wanted and earlier[0] in wanted
        (path, line, entry), (there, there_line, other) = (earlier, later) if swap else (later, earlier)
        what = REASONS.get(kind, f"same {kind}") + (f" {value}" if kind in _ID_KINDS else "")
        message = f"{what} as {other.key or '?'} ({there}:{there_line})"
        problems.append(Problem(path, line, entry.key, kind, _COLLISION_RULES.get(kind, "same-id"), message))

    first: dict[tuple[str, str], _Place] = {}
    more: dict[tuple[str, str], list[_Place]] = {}  # only values held by two papers or more

    def see(kind: str, value: str, place: _Place) -> None:
        earliest = first.setdefault((kind, value), place)
        if earliest is place:
            return
        group = more.setdefault((kind, value), [earliest])
        entry = place[2]
        for other in group:
            exempt = kind in _DISTINCT_EXEMPTS and _distinct(entry, other[2])
            if not exempt and (id(other[2]), id(entry)) not in paired:
                report(place, other, kind, value)
                break
        group.append(place)

    for path, file_entries in entries.items():
        for entry in file_entries:
            if entry.key:
                see("key", entry.key, (path, entry.line, entry))
            for kind, value, line in entry.ids:
                see(kind, value, (path, line, entry))
            if entry.title:
                see("title", entry.title, (path, entry.title_line, entry))
    keys = {key for kind, key in first if kind == "key"}
    problems += _unknown_distinct(entries, keys)
    return problems


_ID_KINDS = ("arxiv", "doi", "url")
_COLLISION_RULES = {"key": "key-unique", "title": "same-title"}
# A shared homepage or repository URL, or a shared title, can belong to
# different works; a shared arXiv id or DOI cannot.
_DISTINCT_EXEMPTS = ("url", "title")
_Place = tuple[str, int, Entry]  # a paper's file, the line in question, its entry


def _distinct(a: Entry, b: Entry) -> bool:
    return (bool(b.key) and b.key in a.distinct) or (bool(a.key) and a.key in b.distinct)


def _unknown_distinct(entries: dict[str, list[Entry]], keys: set[str]) -> Iterator[Problem]:
    for path, file_entries in entries.items():
        for entry in file_entries:
            for name in entry.distinct:
                message = "lists the paper's own key" if name == entry.key else f"no paper has key {name!r}"
                if name == entry.key or name not in keys:
                    yield Problem(path, entry.distinct_line, entry.key, "distinct", "distinct-key", message)


# ---------------------------------------------------------------- README


def _readme_problems(root: Path, cache: Cache) -> list[Problem]:
    """A README with the lclm markers whose list is not what the store renders now."""
    from lclm.formats.markdown import has_markers, readme_files, readme_lang
    from lclm.checks.cache import digest

    problems = []
    for path in readme_files(root):
        text = path.read_bytes()
        # A README that only mentions the markers in its prose is not a list.
        if not has_markers(text.decode("utf-8", "replace")):
            continue
        lang = readme_lang(path)
        key = digest("".join(cache.digests.values()).encode() + text + lang.encode())
        verdict = cache.readme(path, key, partial(_stale_line, root, path, lang))
        if verdict:
            hint = f"lclm export markdown --readme {path}" + (f" --lang {lang}" if lang != "en" else "")
            problems.append(Problem(str(path), verdict, "", "", "readme", f"out of date from line {verdict}; run `{hint}`"))
    return problems


def _stale_line(root: Path, path: Path, lang: str) -> int:
    """0 when the README holds the list as rendered now, else the first line that differs."""
    from lclm.formats.markdown import render_list, splice_readme
    from lclm.store.core import load_store, read_text
    from lclm.checks.file import first_difference

    current = read_text(path)
    expected = splice_readme(path, current, render_list(load_store(root), lang=lang))
    return first_difference(current, expected)
