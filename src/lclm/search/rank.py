"""Search the list: parse a query, filter, rank, and say what matched where.

Ranking.  Every query word is matched against the words of each field, and
a paper's score for that word is the best ``TIERS[tier] * FIELD_WEIGHTS[field]``
it reaches.  Scores add up over the query words; papers are ordered by exact
id/key matches first, then by how many words matched well (``STRONG``), then
by score, then newest first, then store order.

Compound names without a word list.  A query word found inside a longer word
is a *part* of a compound (LongRoPE, HiRoPE, VideoRoPE, RoPE-based, Longrope)
when each side of it is a boundary:

* the word's edge or a hyphen (``RoPE-based``);
* a change between letters and digits (``LongRoPE2``);
* a case change in the title as written: lower to upper (``Hi|RoPE``), or the
  start of a capitalised part after capitals (``NTK|RoPE``, but not ``EU|ROPE``);
* or a run of at least three letters that is itself a whole word somewhere in
  the list's titles (``long|rope`` because "long" is; ``Eu|rope`` is not).

Otherwise a match at the start of a word is a *prefix* (stream -> streaming),
and anywhere else it is *inside* an unrelated word (property, European).
Words of five letters or more also match words within a typo or two
(rapidfuzz ratio >= ``TYPO_CUTOFF``); shorter words would match too much.

Speed.  A search reads an index file in ``cache_dir()`` keyed by the
store's digest (see ``Index``), rebuilt silently when stale or unreadable:
no YAML is parsed and only the hits become ``Paper`` objects.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lclm.errors import UsageError
from lclm.model import Paper
from lclm.search.index import TOKEN_RE, Index, clean_title, load_index
from lclm.store.core import Section, Store
from lclm.text import fold

TIERS = {
    "whole": 1.0,  # the word itself: "rope" in "Base of RoPE"
    "plural": 0.9,  # one trailing s apart: "sinks" and "Sink"
    "part": 0.8,  # part of a compound name: LongRoPE, RoPE-based, Longrope
    "prefix": 0.7,  # the start of a word: "extrapol" in "extrapolation"
    "typo": 0.65,  # a near spelling, times the rapidfuzz ratio: "strming"
    "inside": 0.3,  # inside an unrelated word: "rope" in "European"
}
FIELD_WEIGHTS = {
    "title": 1.0,
    "authors": 0.85,
    "tags": 0.75,
    "year": 0.6,
    "key": 0.5,
    "venue": 0.5,
    "acronym": 0.5,  # initials of the venue: ICLR in "International Conference on Learning Representations"
    "note": 0.4,
}
TYPO_FIELDS = ("title", "authors", "venue", "tags", "note")
# ``field:word`` in a query, and the fields each prefix searches.
SCOPES = {
    "title": ("title",),
    "author": ("authors",),
    "authors": ("authors",),
    "venue": ("venue", "acronym"),
    "tag": ("tags",),
    "tags": ("tags",),
    "note": ("note",),
    "key": ("key",),
}
SUBSTRING_TIERS = ("whole", "part", "prefix", "inside")
STRONG = 0.45  # a word matched at least this well counts as matched
ID_SCORE = 100.0  # an exact arXiv id, DOI, URL or key outranks any text match
MORE_PLACES = 0.01  # per extra place a word matched (at most four): breaks ties
TYPO_MIN_LEN = 5
TYPO_CUTOFF = 80.0
MAX_QUERY_CHARS = 1000
MAX_WORDS = 32

_SPLIT_RE = re.compile(r"[-0-9]+")
_YEAR_RE = re.compile(r"^(\d{4})?(?:(\.\.)(\d{4})?)?$")


# ---------------------------------------------------------------- the query


@dataclass(frozen=True, slots=True)
class Term:
    """One query word; ``required`` words must match their fields, not just score."""

    text: str
    fields: tuple[str, ...] = tuple(FIELD_WEIGHTS)
    required: bool = False


@dataclass(slots=True)
class Query:
    """A parsed search: words, exact identifiers and filters."""

    terms: list[Term] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # "arxiv:ID", "doi:..", "url:..", "key:.."
    years: tuple[int, int] | None = None
    categories: list[str] = field(default_factory=list)
    author: list[str] = field(default_factory=list)  # --author: words all in one author's name
    text: str = ""

    @property
    def is_empty(self) -> bool:
        """Nothing to search for and nothing to filter by."""
        return not (self.terms or self.ids or self.years or self.categories or self.author)


def parse_years(text: str) -> tuple[int, int]:
    """``2023``, ``2023..2024``, ``2023..`` or ``..2024`` as an inclusive range."""
    match = _YEAR_RE.match(text.strip())
    if not match or not (match[1] or match[3]) or (match[2] and not match[1] and not match[3]):
        raise UsageError(f"invalid year {text!r:.40} (use 2023, 2023..2024, 2023.. or ..2024)")
    low = int(match[1]) if match[1] else 0
    high = int(match[3]) if match[3] else (9999 if match[2] else low)
    if low > high:
        raise UsageError(f"invalid year range {text!r}: {low} is after {high}")
    return low, high


def _words(text: str) -> list[str]:
    """Query words, folded, split like field text; control characters dropped."""
    return TOKEN_RE.findall(fold(text))


def _id_of(word: str) -> str | None:
    """``kind:value`` for an arXiv id, DOI or URL, else None."""
    if not any(c.isdigit() or c in ":/" for c in word):
        return None  # no identifier is all letters; and this spares importing lclm.ids
    from lclm.ids import DOI_RE, normalize_doi, normalize_url, parse_arxiv

    arxiv = parse_arxiv(word)
    if arxiv:
        return f"arxiv:{arxiv[0]}"
    doi = normalize_doi(word)
    if DOI_RE.match(doi):
        return f"doi:{doi}"
    if re.match(r"^https?://", word, re.IGNORECASE):
        return f"url:{normalize_url(word)}"
    return None


def parse_query(
    words: Sequence[str],
    *,
    category: str | None = None,
    year: str | None = None,
    since: int | None = None,
    author: str | None = None,
    venue: str | None = None,
) -> Query:
    """A ``Query`` from the command line; a malformed one raises ``UsageError``."""
    raw = " ".join(words)
    if len(raw) > MAX_QUERY_CHARS:
        raise UsageError(f"query is too long ({len(raw)} characters; at most {MAX_QUERY_CHARS})")
    printable = "".join(c if c.isprintable() else " " for c in raw)
    query = Query(text=" ".join(printable.split()))
    ranges = [parse_years(year)] if year else []
    if since is not None:
        ranges.append((since, 9999))
    if category:
        query.categories.append(category)
    for word in printable.split():
        scope, colon, value = word.partition(":")
        scope = scope.lower()
        if colon and value and scope in ("year", "since"):
            ranges.append(parse_years(value + (".." if scope == "since" else "")))
        elif colon and value and scope in ("category", "cat"):
            query.categories.append(value)
        elif colon and value and scope in SCOPES:
            query.terms += [Term(w, SCOPES[scope], True) for w in _words(value)]
        elif (ident := _id_of(value if colon and scope in ("arxiv", "doi") else word)) is not None:
            query.ids.append(ident)
        else:
            query.ids.append(f"key:{fold(word)}")
            query.terms += [Term(w) for w in _words(word)]
    query.terms += [Term(w, SCOPES["venue"], True) for w in _words(venue or "")]
    query.author = _words(author or "")
    if ranges:
        query.years = (max(r[0] for r in ranges), min(r[1] for r in ranges))
    query.terms = list(dict.fromkeys(query.terms))
    if len(query.terms) > MAX_WORDS:
        raise UsageError(f"query has {len(query.terms)} words; at most {MAX_WORDS}")
    return query


# ---------------------------------------------------------------- matching


def _left_ok(word: str, low: str, i: int, j: int, known: Callable[[str], bool]) -> bool:
    if i == 0 or low[i - 1] == "-" or low[i - 1].isdigit() != low[i].isdigit():
        return True
    if len(word) == len(low) and word[i].isupper():
        if word[i - 1].islower() or (word[i - 1].isupper() and not word[i:j].isupper()):
            return True
    side = _SPLIT_RE.split(low[:i])[-1]
    return len(side) >= 3 and known(side)


def _right_ok(word: str, low: str, j: int, known: Callable[[str], bool]) -> bool:
    if j == len(low) or low[j] == "-" or low[j - 1].isdigit() != low[j].isdigit():
        return True
    if len(word) == len(low) and word[j].isupper():
        if word[j - 1].islower() or (j + 1 < len(word) and word[j + 1].islower()):
            return True
    side = _SPLIT_RE.split(low[j:])[0]
    return len(side) >= 3 and known(side)


def tier(name: str, word: str, low: str, term: str, known: Callable[[str], bool]) -> str | None:
    """How query word ``term`` matches ``word`` (folded ``low``) of field ``name``, or None."""
    if low == term:
        return "whole"
    if name == "acronym":
        return "whole" if len(term) >= 3 and term.isalpha() and term in low else None
    if name == "key":  # only its start counts: "ding2024" for ding2024longrope
        return "prefix" if low.startswith(term) else None
    if min(len(low), len(term)) >= 3 and (low == term + "s" or term == low + "s"):
        return "plural"
    if name == "authors" and len(low) == 1:
        return "prefix" if term.startswith(low) else None  # an initial: "X." and "xipeng"
    best: str | None = None
    i = low.find(term)
    while i >= 0:
        j = i + len(term)
        if _left_ok(word, low, i, j, known):
            found = "part" if _right_ok(word, low, j, known) else "prefix"
        else:
            found = "inside"
        if best is None or TIERS[found] > TIERS[best]:
            best = found
        i = low.find(term, i + 1)
    if best == "prefix" and name == "authors" and len(term) > 1:
        best = "inside"  # "qiu" is not "Qiuyu"; only an initial stands for a name
    if best in ("prefix", "inside") and len(term) < 3 and not (name == "authors" and best == "prefix"):
        return None  # one or two letters inside words match almost everything
    return best


def _matches(index: Index, term: Term) -> list[tuple[float, str, int, str]]:
    """(strength, field, word number, tier) for every word of the index ``term`` matches, best first."""
    t = term.text
    # "sinks" also finds the word "sink": look for the shorter text, let ``tier`` judge.
    look_for = t[:-1] if len(t) >= 4 and t.endswith("s") else t
    out = []
    for name in term.fields:
        if name == "key" and t.isalpha() and not term.required:
            continue  # a key's other words are in the title and authors already
        weight = FIELD_WEIGHTS[name]
        found = index.containing(name, look_for)
        if found:
            folded, words = index.lines(f"{name}.folded"), index.words(name)
            for j in found:
                kind = tier(name, words[j], folded[j], t, index.known_word)
                if kind:
                    out.append((TIERS[kind] * weight, name, j, kind))
        if len(t) >= TYPO_MIN_LEN and name in TYPO_FIELDS and index.text(f"{name}.folded"):
            from rapidfuzz import fuzz, process

            seen = set(found)
            folded = index.lines(f"{name}.folded")
            near = process.extract(t, folded, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=None)
            out += [(TIERS["typo"] * r / 100 * weight, name, j, "typo") for _, r, j in near if j not in seen]
    out.sort(reverse=True)
    return out


def _by_author(index: Index, words: list[str]) -> set[int]:
    """Store positions of the papers with an author whose name holds every word."""
    names, lines = index.words("names"), set()
    for word in [w for w in words if len(w) > 1] or words:
        lines.update(index.containing("names", word))  # any word, so a typo in another still finds it
    out: set[int] = set()
    for j in lines:
        if _name_has(names[j], words):
            out.update(index.postings("names", j))
    return out


def _name_has(name: str, words: list[str]) -> bool:
    """Whether one author's name holds every word (in any order, accents ignored)."""
    tokens = [p for t in _words(name) for p in {t, *t.split("-")}]
    ok = ("whole", "plural", "part", "prefix")

    def has(w: str) -> bool:
        if any(tier("authors", t, t, w, lambda _: False) in ok for t in tokens):
            return True
        if len(w) < TYPO_MIN_LEN:
            return False
        from rapidfuzz import fuzz

        return any(fuzz.ratio(w, t) >= TYPO_CUTOFF for t in tokens)

    return all(has(w) for w in words)


# ---------------------------------------------------------------- ranking


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked paper, with its score and what matched where."""

    paper: Paper
    score: float
    title: str  # as shown: see ``clean_title``
    category_name: str
    matched: dict[str, list[str]]  # field -> its words that matched, as written
    spans: list[tuple[int, int]]  # characters of ``title`` to highlight


@dataclass(slots=True)
class Result:
    """The hits of a search (at most ``limit``) and how many papers matched in all."""

    hits: list[Hit]
    total: int


def search(root: Path, query: Query, limit: int = 20) -> Result:
    """Rank the papers of the store at ``root`` for ``query``; ``limit`` 0 keeps all."""
    if query.is_empty:
        raise UsageError(
            "nothing to search for: give words, an id, or a filter (--author, --year, --category, --venue)"
        )
    with load_index(root) as index:
        shown, total, scores, matches = _rank(index, query, limit)
        terms = [t.text for t in query.terms if "title" in t.fields]
        papers = index.records(shown)
        hits = [_hit(index, i, p, scores.get(i, 0.0), matches, terms) for i, p in zip(shown, papers)]
    return Result(hits, total)


def _category_filter(index: Index, texts: list[str]) -> set[int] | None:
    """Category numbers allowed by ``--category``/``category:`` (None: all)."""
    if not texts:
        return None
    store = Store(index.root, [Section.from_dict(s) for s in index.sections], [])
    slugs = [slug for slug, _ in index.cats]
    allowed = set(range(len(slugs)))
    for text in texts:
        allowed &= {slugs.index(store.find_category(text).slug)}
    return allowed


def _rank(
    index: Index, query: Query, limit: int
) -> tuple[list[int], int, dict[int, float], list[tuple[str, int, set[int]]]]:
    """The best ``limit`` store positions in rank order (0: all), how many matched,
    their scores, and every (field, word number, papers) that matched."""
    exact: Counter[int] = Counter()
    for ident in query.ids:
        exact.update(index.lookup(ident))
    pool, required, per_term, matched = set(exact), [], [], []
    for term in query.terms:
        best: dict[int, float] = {}
        places: Counter[int] = Counter()
        well, needed = set(), set()
        for strength, name, j, kind in reversed(_matches(index, term)):
            posting = index.postings(name, j)
            best.update(dict.fromkeys(posting, strength))  # weakest first, so the best match stays
            places.update(posting)
            matched.append((name, j, set(posting)))
            if strength >= STRONG:
                well.update(posting)
            if kind != "inside":
                needed.update(posting)
        per_term.append((best, places, well))
        if term.required:
            required.append(needed)
        else:
            pool.update(best)
    free = bool(query.ids) or any(not t.required for t in query.terms)
    # With only filters and field-scoped words, every paper is a candidate until they narrow it.
    chosen: set[int] | range = pool if free else range(len(index))
    if query.author:
        required.append(_by_author(index, query.author))
    if required:
        chosen = set(chosen).intersection(*required)
    kept = _filtered(index, query, chosen)
    total = len(kept)
    strong: Counter[int] = Counter()
    for _, _, well in per_term:
        strong.update(well)
    kept = _best_levels(kept, [w for _, _, w in per_term], strong, exact, limit)
    years, scores, keyed = index.text("years"), {}, []
    for i in kept:
        score = ID_SCORE * exact[i]
        for best, places, _ in per_term:
            if i in best:
                score += best[i] + MORE_PLACES * min(places[i] - 1, 4)
        scores[i] = score
        keyed.append((-exact[i], -strong[i], -score, -int(years[4 * i : 4 * i + 4]), i))
    ranked = heapq.nsmallest(limit, keyed) if limit else sorted(keyed)
    kept = [key[-1] for key in ranked]
    return kept, total, scores, matched


def _best_levels(
    kept: list[int], wells: list[set[int]], strong: Counter[int], exact: Counter[int], limit: int
) -> list[int]:
    """The papers that can reach the top ``limit``.

    Rank goes by exact ids, then by how many words matched well, so only the
    best levels of that count need scoring: this keeps 100,000 papers fast.
    """
    if not limit or len(kept) <= limit:
        return kept
    everywhere = wells[0].intersection(*wells[1:]) if wells else set()
    top = set(kept).intersection(everywhere.union(exact))
    if len(top) >= limit:  # enough papers match every word well (set operations, no loop)
        return list(top)
    levels: dict[int, list[int]] = {}
    for i in kept:
        levels.setdefault(-1 if exact[i] else strong[i], []).append(i)
    out: list[int] = []
    for level in sorted(levels, key=lambda n: (n != -1, -n)):
        out += levels[level]
        if len(out) >= limit:
            break
    return out


def _filtered(index: Index, query: Query, chosen: set[int] | range) -> list[int]:
    """The positions that pass ``--year``/``--since`` and ``--category``."""
    cats = _category_filter(index, query.categories)
    if query.years is None and cats is None:
        return list(chosen)
    low, high = query.years or (0, 9999)
    years, numbers = index.text("years"), index.text("cats")
    return [
        i
        for i in chosen
        if low <= int(years[4 * i : 4 * i + 4]) <= high and (cats is None or int(numbers[3 * i : 3 * i + 3]) in cats)
    ]


def _hit(
    index: Index, i: int, paper: Paper, score: float, matches: list[tuple[str, int, set[int]]], terms: list[str]
) -> Hit:
    matched: dict[str, list[str]] = {}
    for name, j, papers in matches:
        if i in papers:
            word = index.words(name)[j]
            if word not in matched.setdefault(name, []):
                matched[name].append(word)
    title = clean_title(paper.title)
    cat_name = next((name for slug, name in index.cats if slug == paper.category), paper.category)
    spans = title_spans(title, set(matched.get("title", ())), terms, index.known_word)
    return Hit(paper, round(score, 3), title, cat_name, matched, spans)


def title_spans(
    title: str, words: set[str], terms: list[str], known: Callable[[str], bool]
) -> list[tuple[int, int]]:
    """Character ranges of ``title`` to highlight: each query word inside each matched word."""
    spans = []
    for match in TOKEN_RE.finditer(title):
        word, start = match.group(), match.start()
        if word not in words:
            continue
        low = fold(word)
        inner = [
            (start + low.find(t), start + low.find(t) + len(t))
            for t in terms
            if len(low) == len(word) and tier("title", word, low, t, known) in SUBSTRING_TIERS
        ]
        # A typo or plural, or folding changed the length: the whole word.
        spans.extend(inner or [(start, match.end())])
    return sorted(spans)
