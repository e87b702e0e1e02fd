"""Score the Markdown reader against hand-written truths of real lists (tests/data/lists_real).

Each list has ``truth/<list>.tsv``: about 30 entries spread over the file,
written from the source lines (title, first author, year, arXiv id; the
lists added on 2026-12-07 also venue and short names, ``aka``; see
``tests/data/lists_real/SOURCES.md``).  ``score`` parses a list and compares
the entries it read with its truth; ``Figures`` adds lists up.  Used by
``test_markdown_real.py`` (which asserts the targets of issue 22) and by
``bench/bench_import.py`` (which prints them).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

from lclm.model import OTHERS
from lclm.sources.markdown import ListEntry, ParsedList, parse_markdown
from lclm.text import fold, normalize_title

REAL = Path(__file__).resolve().parents[1] / "data" / "lists_real"
# What a clean author name never holds: markup, a truncation marker, a conjunction, a digit.
BAD_NAME_RE = re.compile(r"[*_\[\]()<>|`\\{}]|\bet\.?\s*al\b|\band\b|&|\d|^\W|\W$(?<!\.)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Truth:
    """One hand-checked entry: where its title is in the source, and what it says."""

    line: int
    title: str
    first_author: str
    year: int | None
    arxiv: str
    venue: str | None = None  # None: the truth does not say (older truths have no venue column)
    aka: str | None = None  # short names, "; "-separated


@dataclass(slots=True)
class Figures:
    """Counts for one list (or, added up, for all)."""

    truths: int = 0  # truth entries whose source gives a year (they must be read)
    read: int = 0
    titles: int = 0
    authors_checked: int = 0
    authors: int = 0
    years: int = 0
    arxiv_checked: int = 0
    arxiv: int = 0
    venues_checked: int = 0
    venues: int = 0
    akas_checked: int = 0
    akas: int = 0
    yearless: int = 0  # truth entries whose source has no year: they must be set aside, with their line
    yearless_reported: int = 0
    names: int = 0  # author names of every entry read from the list
    bad_names: int = 0
    entries: int = 0  # entries read from the whole list
    contaminated: int = 0  # entries carrying an arXiv id that is not in their own source lines
    misses: list[str] = field(default_factory=list)

    def add(self, other: Figures) -> None:
        for f in fields(self):
            if f.name == "misses":
                self.misses.extend(other.misses)
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def pct(self, part: str, whole: str) -> float:
        """``part`` as a percentage of ``whole`` (100 when there is nothing to count, 0 for bad names)."""
        total = getattr(self, whole)
        return 100.0 * getattr(self, part) / total if total else (0.0 if part == "bad_names" else 100.0)

    def row(self, name: str) -> str:
        """One line of the figures table."""
        return (
            f"{name[:44]:44} read {self.pct('read', 'truths'):5.1f}%  title {self.pct('titles', 'read'):5.1f}%"
            f"  author {self.pct('authors', 'authors_checked'):5.1f}%  year {self.pct('years', 'read'):5.1f}%"
            f"  arXiv {self.pct('arxiv', 'arxiv_checked'):5.1f}%"
            + (f"  venue {self.pct('venues', 'venues_checked'):5.1f}%" if self.venues_checked else "")
            + (f"  aka {self.pct('akas', 'akas_checked'):5.1f}%" if self.akas_checked else "")
            + f"  no-year set aside {self.yearless_reported}/{self.yearless}"
            f"  bad names {self.pct('bad_names', 'names'):4.2f}% ({self.bad_names}/{self.names})"
            f"  id mix-ups {self.contaminated}/{self.entries}"
        )


def lists() -> list[Path]:
    """The real lists that have a truth file."""
    return sorted(p for p in REAL.glob("*.md") if (REAL / "truth" / f"{p.stem}.tsv").exists() and p.name != "SOURCES.md")


def truths(path: Path) -> list[Truth]:
    """The hand-written truth of one list."""
    with open(REAL / "truth" / f"{path.stem}.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Truth(
            int(r["line"]), r["title"], r["first_author"], int(r["year"]) if r["year"] else None, r["arxiv"],
            r.get("venue"), r.get("aka"),
        )
        for r in rows
    ]


def venue_key(venue: str) -> str:
    """A venue compared without its year's form: ``ICLR'24`` = ``ICLR 2024`` = ``ICLR``."""
    return re.sub(r"\W|_", "", re.sub(r"(?:19|20)\d\d|['\u2019]\d\d", "", venue)).lower()


def name_key(name: str) -> str:
    """A name compared by its letters only: ``P.O. Pinheiro`` = ``P. O. Pinheiro``."""
    return re.sub(r"[^\w]|_", "", fold(name))


def parsed(path: Path, text: str) -> ParsedList:
    """What the reader makes of a list: parsed, or the parse this same lclm (``code_stamp``) made of these
    same bytes on an earlier run, kept under ``.pytest_cache`` (a warm run of the suite does not parse
    the corpus again; any change to lclm's files or the list's makes a new parse)."""
    import hashlib
    import pickle

    from lclm.store.cache import code_stamp

    key = hashlib.sha256(f"{code_stamp()}|{text}".encode()).hexdigest()[:24]
    kept = CACHE / f"{path.stem[:60]}-{key}.pickle"
    try:
        found: ParsedList = pickle.loads(kept.read_bytes())
        return found
    except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError):
        pass
    result = parse_markdown(text)
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob(f"{path.stem[:60]}-*.pickle"):
            old.unlink(missing_ok=True)
        kept.write_bytes(pickle.dumps(result))
    except OSError:
        pass  # a read-only checkout: parse every time
    return result


CACHE = Path(__file__).resolve().parents[2] / ".pytest_cache" / "lclm-parsed"


def score(path: Path) -> Figures:
    """Parse one list and compare it with its truth."""
    text = path.read_text(encoding="utf-8")
    parsed_list = parsed(path, text)
    out = Figures()
    entries = sorted(parsed_list.entries(), key=lambda e: e.line)
    for truth in truths(path):
        _score_one(path.stem, truth, entries, parsed_list, out)
    _whole_list(text, entries, out)
    return out


def _score_one(name: str, truth: Truth, entries: list[ListEntry], parsed: ParsedList, out: Figures) -> None:
    found = _match(truth, entries)
    if truth.year is None:
        out.yearless += 1
        reported = any(abs(p.line - truth.line) <= 2 for p in parsed.problems)
        out.yearless_reported += found is None and reported
        if found is not None or not reported:
            out.misses.append(f"{name}:{truth.line}: no year in the source, but {'read' if found else 'not reported'}")
        return
    out.truths += 1
    if found is None:
        out.misses.append(f"{name}:{truth.line}: not read: {truth.title[:60]!r}")
        return
    out.read += 1
    checks = [("title", normalize_title(found.title) == normalize_title(truth.title), found.title)]
    out.titles += checks[-1][1]
    checks.append(("year", found.year == truth.year, str(found.year)))
    out.years += checks[-1][1]
    if truth.first_author:
        out.authors_checked += 1
        first = found.authors[0] if found.authors else ""
        checks.append(("first author", name_key(first) == name_key(truth.first_author), first))
        out.authors += checks[-1][1]
    if truth.arxiv:
        out.arxiv_checked += 1
        checks.append(("arXiv", found.arxiv == truth.arxiv, found.arxiv))
        out.arxiv += checks[-1][1]
    if truth.venue is not None:
        out.venues_checked += 1
        checks.append(("venue", venue_key(found.venue) == venue_key(truth.venue), found.venue))
        out.venues += checks[-1][1]
    if truth.aka is not None:
        out.akas_checked += 1
        checks.append(("aka", "; ".join(found.aka) == truth.aka, "; ".join(found.aka)))
        out.akas += checks[-1][1]
    out.misses += [f"{name}:{truth.line}: {what}: {got!r}" for what, ok, got in checks if not ok]


def _match(truth: Truth, entries: list[ListEntry]) -> ListEntry | None:
    """The entry read at the truth's line (or within two lines of it, the closest title first)."""
    want = normalize_title(truth.title)
    near = [e for e in entries if e.line == truth.line or abs(e.line - truth.line) <= 2 and normalize_title(e.title) == want]
    if not near:
        return None
    return min(near, key=lambda e: (normalize_title(e.title) != want, abs(e.line - truth.line)))


def _whole_list(text: str, entries: list[ListEntry], out: Figures) -> None:
    """Names with debris, and arXiv ids that are not in the entry's own lines, over every entry read."""
    lines = text.splitlines()
    out.entries += len(entries)
    for i, entry in enumerate(entries):
        names = [a for a in entry.authors if a != OTHERS]
        out.names += len(names)
        out.bad_names += sum(1 for a in names if BAD_NAME_RE.search(a))
        if entry.arxiv:
            end = entries[i + 1].line - 1 if i + 1 < len(entries) and entries[i + 1].line > entry.line else entry.line + 8
            own = "\n".join(lines[max(0, entry.line - 1) : max(end, entry.line)])
            if entry.arxiv not in own:
                out.contaminated += 1
                out.misses.append(f"id mix-up at line {entry.line}: {entry.title[:50]!r} carries {entry.arxiv}")
