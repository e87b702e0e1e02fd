"""`lclm validate`: the check of a whole store against the rules of ``lclm.rules``.

Each file is checked on its own (``lclm.checks.file``, with the record
checks of ``lclm.rules``), giving its problems and the few facts per paper
the store-wide rules need.  Those results are cached by each file's content
hash (``lclm.checks.cache``), so an unchanged file is not parsed again.
Candidate pairs across the store (a shared identifier, title or aka) are
found with dicts, in time linear in the number of papers, and each pair is
judged by ``lclm.duplicates.identity``, the rules `add`, the imports and
`dedupe` use.  Nothing here writes a data file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lclm.checks.result import FileResult, PaperFacts
from lclm.duplicates.identity import (
    ALIKE,
    CONFLICT,
    DIFFERENT,
    SAME,
    Evidence,
    judge,
    marked_distinct,
    shared_id,
    title_evidence,
)
from lclm.duplicates.profile import Profile, comparable_title
from lclm.errors import StoreError, UsageError
from lclm.rules import ERROR, RULES, WARNING
from lclm.store.layout import SECTIONS_FILE, category_files
from lclm.store.lock import reading

if TYPE_CHECKING:
    from lclm.checks.cache import Cache

__all__ = ["RULES", "Problem", "ValidationReport", "cross_check", "validate"]


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
class ValidationReport:
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


def validate(root: Path, only: Sequence[Path] = ()) -> ValidationReport:
    """Check the store at ``root``, or only the files in ``only`` against it.

    With ``only``, the given files' own problems are reported, and their
    papers' collisions with any paper of the store; READMEs are checked
    only when the whole store is, and only when it loads.
    """
    import gc

    from lclm.search import SEARCH_FILE

    category_files(root)  # a missing or empty store is one clear error, before locking
    with reading(root):  # as every command reads: never mid-write, an interrupted write finished
        # _search.yaml holds search's abbreviations (lclm.search.synonyms), not papers.
        paths = [path for path in category_files(root) if path.name != SEARCH_FILE]
        blobs = {path.name: _read(path) for path in paths}
        left = _staging_files(root)
    chosen = [name for name in _chosen(root, paths, only) if name != SEARCH_FILE]
    # Nothing here makes reference cycles; the collector's passes over the
    # many small objects of a large store's cache would only cost time.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        report = _validate(root, blobs, chosen, bool(only))
    finally:
        if gc_was_on:
            gc.enable()
    if not only and left:
        report.problems = left + report.problems
    return report


def _staging_files(root: Path) -> list[Problem]:
    """A temporary file of a write still in the store (every command removes those it can)."""
    import os

    from lclm.store.files import TEMP_SUFFIX

    names = sorted(n for n in os.listdir(root) if n.endswith(TEMP_SUFFIX))
    message = "a temporary file of an interrupted write, left in the store; delete it (git would commit it)"
    return [Problem(str(root / name), 0, "", "", "staging-file", message) for name in names]


def _validate(root: Path, blobs: dict[str, bytes], chosen: list[str], only: bool) -> ValidationReport:
    from lclm.checks.cache import Cache

    cache = Cache(root)
    results = cache.results(root, blobs)
    labels = {name: str(root / name) for name in blobs}
    wanted = {labels[name] for name in chosen}
    problems = [Problem(labels[name], *row) for name, result in results.items() for row in result.problems]
    problems += _file_problems(root, results, labels)
    facts = {labels[n]: r.papers for n, r in results.items() if n != SECTIONS_FILE}
    unread = any(not r.loadable and not r.papers for n, r in results.items() if n != SECTIONS_FILE)
    problems += cross_check(facts, wanted, complete=not unread)

    def near(rows: list[list[Any]] | None) -> tuple[list[list[Any]], list[list[Any]]]:
        ids = {labels[n]: paper_ids(r, cache.digests[n]) for n, r in results.items() if n != SECTIONS_FILE}
        before = {labels[n]: (r.papers, paper_ids(r, key)) for n, (key, r) in cache.before.items() if n != SECTIONS_FILE}
        found, pairs = near_duplicates(facts, ids, None if rows is None else (rows, before))
        return [list(p) for p in found], pairs

    problems += [Problem(*row) for row in cache.near(near)]
    problems = [p for p in problems if p.path in wanted]
    if not only and _loads(results):
        problems += _readme_problems(root, cache)
    cache.save()
    count = sum(len(results[name].papers) for name in chosen if name != SECTIONS_FILE)
    return ValidationReport(sorted(problems, key=_order), files=len(chosen), papers=count)


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
        if path.name not in chosen and path.name in names:  # not the venue table (lclm.venues)
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


def cross_check(
    facts: dict[str, list[PaperFacts]], wanted: set[str] | None = None, complete: bool = True
) -> list[Problem]:
    """Problems between papers anywhere in the store, found with dicts (linear time).

    ``facts`` maps each file's path to its papers, in store order.  Papers
    that share a key, an identifier, a normalised title or an aka are a
    candidate pair, judged by ``lclm.duplicates.identity``: the same paper
    (``same-id``, ``same-title``), look-alikes to mark ``distinct``
    (``look-alike``), or a shared id on other papers (``id-conflict``).  A
    pair is reported once, at the later paper and naming the earlier, or the
    other way round when only the earlier's file is ``wanted``.  When the
    store is not ``complete`` (a file could not be read), a ``distinct``
    key no paper has is not reported: it may be in that file.
    """
    return _CrossCheck(wanted, complete).run(facts)


_Place = tuple[str, PaperFacts]  # a paper's file and its facts
_FULL_PAIRS = 50  # a bucket of papers sharing one value is compared pair by pair up to this size
_RULE_OF = {SAME: "same-id", ALIKE: "look-alike", CONFLICT: "id-conflict"}


class _CrossCheck:
    def __init__(self, wanted: set[str] | None, complete: bool = True) -> None:
        self.wanted = wanted
        self.complete = complete
        self.problems: list[Problem] = []
        self.keys: dict[str, _Place] = {}
        self.former: dict[str, _Place] = {}
        self.buckets: dict[tuple[str, str], list[_Place]] = {}
        self.judged: set[tuple[int, int]] = set()

    def run(self, facts: dict[str, list[PaperFacts]]) -> list[Problem]:
        keys, see = self.keys, self._see
        for path, papers in facts.items():
            for paper in papers:
                place = (path, paper)
                if paper.key and keys.setdefault(paper.key, place) is not place:
                    self._report(place, keys[paper.key], "key", "key-unique", ("same key as ", ""), _line)
                for kind, value, _ in paper.identifiers:
                    see((kind, value), place)
                if paper.title:
                    see(("title", paper.title), place)
                for name in paper.aka:
                    see(("aka", comparable_title(name)), place)
        self._former_keys(facts)
        self.problems += _unknown_distinct(facts, set(keys), self.complete)
        return self.problems

    def _see(self, value: tuple[str, str], place: _Place) -> None:
        """File ``place`` under a value, and judge it against the papers already there."""
        bucket = self.buckets.get(value)
        if bucket is None:
            self.buckets[value] = [place]
            return
        for other in bucket[:_FULL_PAIRS]:
            self._judge(place, other)
        bucket.append(place)

    def _report(
        self, later: _Place, earlier: _Place, kind: str, rule: str, text: tuple[str, str],
        line_of: Callable[[PaperFacts], int],
    ) -> None:
        """Report a pair at the later paper, naming the earlier (swapped when only the earlier's file is wanted).

        The message is ``text[0]``, the other paper as ``KEY (path:line)``, then ``text[1]``.
        """
        swap = self.wanted is not None and later[0] not in self.wanted and earlier[0] in self.wanted
        (path, here), (there, other) = (earlier, later) if swap else (later, earlier)
        message = f"{text[0]}{other.key or '?'} ({there}:{line_of(other)}){text[1]}"
        self.problems.append(Problem(path, line_of(here), here.key, kind, rule, message))

    def _judge(self, later: _Place, earlier: _Place) -> None:
        pair = (id(earlier[1]), id(later[1]))
        if pair in self.judged:
            return
        self.judged.add(pair)
        a, b = _profile(later[1]), _profile(earlier[1])
        evidence = shared_id(a, b) or title_evidence(a.title, b.title, 100.0)
        if evidence is None:  # only an aka in common
            theirs = {comparable_title(name) for name in earlier[1].aka}
            shared = [name for name in later[1].aka if comparable_title(name) in theirs]
            if shared and not marked_distinct(a, b):
                text = (f"aka {shared[0]!r} is also an aka of ", "; if they are different papers, mark them distinct")
                self._report(later, earlier, "aka", "aka", text, _aka_line)
            return
        verdict = judge(a, b, evidence)
        if verdict.kind == DIFFERENT:
            return
        kind = evidence.kind if evidence.kind in ("arxiv", "doi", "url") else "title"
        rule = "same-title" if verdict.kind == SAME and kind == "title" else _RULE_OF[verdict.kind]
        what = evidence.describe() if kind != "title" else "same title"
        after = {
            ALIKE: f", but {verdict.reason}; if they are different papers, mark them distinct",
            CONFLICT: f", but {verdict.reason}",
        }.get(verdict.kind, "")
        self._report(later, earlier, kind, rule, (f"{what} as ", after), lambda f: f.line_of(kind))

    def _former_keys(self, facts: dict[str, list[PaperFacts]]) -> None:
        for path, papers in facts.items():
            for paper in papers:
                for key in paper.former:
                    if key in self.keys and key != paper.key:
                        there, live = self.keys[key]
                        message = f"former key {key} is the key of a live paper ({there}:{live.line})"
                        self.problems.append(Problem(path, paper.former_line, paper.key, "ids", "former-key", message))
                    elif key in self.former and self.former[key][1] is not paper:
                        there, other = self.former[key]
                        message = f"former key {key} is also a former key of {other.key} ({there}:{other.former_line})"
                        self.problems.append(Problem(path, paper.former_line, paper.key, "ids", "former-key", message))
                    self.former.setdefault(key, (path, paper))


def _line(facts: PaperFacts) -> int:
    return facts.line


def _aka_line(facts: PaperFacts) -> int:
    return facts.aka_line


def _profile(facts: PaperFacts) -> Profile:
    ids = {kind: value for kind, value, _ in facts.identifiers}
    versions = tuple((w, n) for w, n in facts.versions)
    return Profile(facts.key, facts.year, facts.title, ids, facts.distinct, versions=versions, people=facts.people)


def _unknown_distinct(facts: dict[str, list[PaperFacts]], keys: set[str], complete: bool) -> Iterator[Problem]:
    for path, papers in facts.items():
        for paper in papers:
            for name in paper.distinct:
                message = "lists the paper's own key" if name == paper.key else f"no paper has key {name!r}"
                if name == paper.key or (complete and name not in keys):
                    yield Problem(path, paper.distinct_line, paper.key, "distinct", "distinct-key", message)


Earlier = tuple[list[list[Any]], dict[str, tuple[list[PaperFacts], list[str]]]]


def near_duplicates(
    facts: dict[str, list[PaperFacts]], ids: dict[str, list[str]] | None = None, earlier: Earlier | None = None
) -> tuple[list[Problem], list[list[Any]]]:
    """Pairs whose titles `lclm dedupe` links though they differ, judged one paper: a warning at each record.

    The candidates are dedupe's (``lclm.duplicates.dedupe.near_titles``) and
    the verdict is ``lclm.duplicates.identity.judge``'s, so `validate` and
    `dedupe` give one answer.  Equal titles are ``same-title``'s.  Returns
    the problems and the pairs, as ``[id, id, evidence...]`` rows by ``ids``
    (a name per paper that stays while its facts do, ``paper_ids``).

    With ``earlier`` (the pairs found before some files changed, and each
    changed file's papers and ids then), only pairs that an edit may have
    touched are worked out again (``near_titles_since``); the others are kept.
    """
    from lclm.duplicates.dedupe import near_titles, near_titles_since

    ids = ids or {path: [f"{path}:{n}" for n in range(len(papers))] for path, papers in facts.items()}
    places = [(path, paper, name) for path, papers in facts.items() for paper, name in zip(papers, ids[path]) if paper.title]
    profiles: dict[int, Profile] = {}

    def profile_of(i: int) -> Profile:
        if i not in profiles:
            profiles[i] = _profile(places[i][1])
        return profiles[i]

    def one_paper(pair: tuple[int, int], evidence: Evidence) -> bool:
        return judge(profile_of(pair[0]), profile_of(pair[1]), evidence).kind == SAME

    if earlier is None:
        found = near_titles([profile_of(i) for i in range(len(places))])
        pairs = {pair: e for pair, e in found.items() if one_paper(pair, e)}
    else:
        rows, before = earlier
        changed, gone = _changes(places, before)
        found, moved = near_titles_since([paper.title for _, paper, _ in places], profile_of, changed, gone)
        pairs = {pair: e for pair, e in found.items() if one_paper(pair, e)}
        kept = {name for row in rows for name in row[:2]}
        holders: dict[str, list[int]] = {}
        for i in (i for i, (_, _, name) in enumerate(places) if name in kept):
            holders.setdefault(places[i][2], []).append(i)
        for a, b, kind, value, score, author in rows:  # an earlier pair of records the edits left alone
            for i in holders.get(a, ()):
                for j in holders.get(b, ()):
                    if i not in moved and j not in moved:
                        pairs[min(i, j), max(i, j)] = Evidence(kind, value, score, author)
    problems = []
    for (i, j), evidence in sorted(pairs.items()):
        for (path, here, _), (there, other, _) in ((places[i], places[j]), (places[j], places[i])):
            message = (
                f"near-identical title to {other.key} ({there}:{other.title_line}): {evidence.describe()};"
                " `lclm dedupe --merge` merges them, or mark them distinct"
            )
            problems.append(Problem(path, here.title_line, here.key, "title", "near-duplicate", message))
    found_rows = [[places[i][2], places[j][2], e.kind, e.value, e.score, e.author] for (i, j), e in sorted(pairs.items())]
    return problems, found_rows


def _changes(
    places: list[tuple[str, PaperFacts, str]], before: dict[str, tuple[list[PaperFacts], list[str]]]
) -> tuple[set[int], list[str]]:
    """The records added or edited since ``before`` (each changed file's papers and ids then), and the titles gone.

    A name held by as many titled papers of a file as before is unchanged there.
    """
    from collections import Counter

    now: dict[str, list[str]] = {path: [] for path in before}
    for path, _, name in places:
        if path in now:
            now[path].append(name)
    differ: dict[str, set[str]] = {}
    for path, (papers, names) in before.items():
        old = [name for paper, name in zip(papers, names) if paper.title]
        differ[path] = set(old).symmetric_difference(now[path])
        if len(set(old)) < len(old) or len(set(now[path])) < len(now[path]):  # a paper given twice: count them
            then, counts = Counter(old), Counter(now[path])
            differ[path] |= {name for name in then.keys() | counts.keys() if then[name] != counts[name]}
    changed = {i for i, (path, _, name) in enumerate(places) if path in differ and name in differ[path]}
    gone = [
        paper.title
        for path, (papers, names) in before.items()
        for paper, name in zip(papers, names)
        if paper.title and name in differ[path]
    ]
    return changed, gone


def paper_ids(result: FileResult, digest: str) -> list[str]:
    """A name for each paper of a file that stays while the paper's facts do.

    In a canonical file, the hash of the paper's block; else the file's hash and the paper's place.
    """
    if result.blocks:
        return [block for block, _ in result.blocks]
    return [f"{digest}:{n}" for n in range(len(result.papers))]


# ---------------------------------------------------------------- README


def _readme_problems(root: Path, cache: Cache) -> list[Problem]:
    """A README with the lclm markers whose list is not what the store renders now."""
    from lclm.checks.cache import digest
    from lclm.formats.markdown import has_markers, readme_files, readme_lang

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
    from lclm.checks.file import first_difference
    from lclm.formats.markdown import render_list, splice_readme
    from lclm.store.files import read_text
    from lclm.store.load import load_store

    current = read_text(path)
    expected = splice_readme(path, current, render_list(load_store(root), lang=lang))
    return first_difference(current, expected)
