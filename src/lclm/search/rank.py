"""Search the list: rank the papers matching a parsed query, and say what matched where.

Ranking.  Papers with an exact id or key come first; then papers matching
every clause of the query (a word, a phrase, or ``a OR b``; stop words only
add to the score); then papers the query names exactly (see
``_name_levels``); then by score (two adjacent query words that are one
author's name add ``PERSON``); newest first only breaks ties.  When no paper
matches every clause of a query of four or more, one clause in four may be
missing.  A query that matches nothing returns nothing.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lclm.errors import UsageError
from lclm.model import Paper
from lclm.search.index import SearchIndex, clean_title, load_index
from lclm.search.match import Matcher, by_author, tier, typo_edits
from lclm.search.paper_names import TOKEN_RE
from lclm.search.query import Clause, Query, expand, parse_query, words_of
from lclm.text import fold

__all__ = ["Hit", "Result", "parse_query", "search", "tier", "title_spans"]

SUBSTRING_TIERS = ("whole", "part", "prefix")
ID_SCORE = 100.0  # an exact arXiv id, DOI, URL or key outranks any text match
PERSON = 0.5  # two query words that are one author's name ("song han") beat two authors' words
SLACK = 4  # when nothing matches all, one clause in this many may be missing


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
        query = expand(query, index.synonyms, index.known_word)
        matcher = Matcher(index)
        shown, total, scores = _rank(index, matcher, query, limit)
        terms = [w for c in query.clauses if "title" in c.fields for w in c.words]
        papers = index.records(shown)
        names = {slug: name for slug, name in _category_names(index.sections)}
        hits = [_hit(index, i, p, scores.get(i, 0.0), matcher.matched, terms, names) for i, p in zip(shown, papers)]
    return Result(hits, total)


def _rank(index: SearchIndex, matcher: Matcher, query: Query, limit: int) -> tuple[list[int], int, dict[int, float]]:
    """The best ``limit`` store positions in rank order (0: all), how many matched, and their scores."""
    exact: Counter[int] = Counter()
    for ident in query.ids:
        exact.update(index.lookup(ident))
    scored = [(c, matcher.clause(c)) for c in query.clauses]
    free = [s for c, s in scored if not c.required and not c.optional]
    count: Counter[int] = Counter()
    for s in free:
        count.update(s.keys())
    allowed = _filter(index, matcher, query, scored) or (lambda _: True)
    if free:
        chosen = [i for i, n in count.items() if n == len(free) and allowed(i)]
        if not chosen and len(free) >= SLACK:
            least = len(free) - len(free) // SLACK
            chosen = [i for i, n in count.items() if n >= least and allowed(i)]
        chosen += [i for i in exact if count[i] < len(free) and allowed(i)]
    elif query.ids and not query.clauses:
        chosen = [i for i in exact if allowed(i)]
    else:
        chosen = [i for i in range(len(index)) if allowed(i)]
    names = _name_levels(index, matcher, query, chosen)
    people = _one_person(index, query)
    scores: dict[int, float] = {}
    keyed = []
    totals = _totals([s for _, s in scored])
    years = index.text("years")
    for i in chosen:
        score = ID_SCORE * exact[i] + totals.get(i, 0.0) + PERSON * (i in people)
        scores[i] = score
        keyed.append((-exact[i], -count[i], -names.get(i, 0), -score, -int(years[4 * i : 4 * i + 4]), i))
    ranked = heapq.nsmallest(limit, keyed) if limit else sorted(keyed)
    return [key[-1] for key in ranked], len(chosen), scores


def _totals(scores: list[dict[int, float]]) -> dict[int, float]:
    """Each paper's score summed over the clauses."""
    if len(scores) == 1:
        return scores[0]
    out: dict[int, float] = {}
    for one in scores:
        for i, v in one.items():
            out[i] = out.get(i, 0.0) + v
    return out


def _filter(
    index: SearchIndex, matcher: Matcher, query: Query, scored: list[tuple[Clause, dict[int, float]]]
) -> Callable[[int], bool] | None:
    """Whether a store position passes the required clauses, --author, the years, categories
    and exclusions (None: there are none)."""
    required = [set(s) for c, s in scored if c.required]
    if query.author:
        required.append(by_author(index, query.author))
    excluded: set[int] = set()
    for clause in query.excluded:
        excluded.update(matcher.clause(clause, typos=False))
    cats = _category_filter(index, query.categories)
    low, high = query.years or (0, 9999)
    check_years = query.years is not None
    if not (required or excluded or check_years or cats is not None):
        return None

    def allowed(i: int) -> bool:
        if i in excluded or any(i not in r for r in required):
            return False
        if check_years and not low <= index.year(i) <= high:
            return False
        return cats is None or index.category(i) in cats

    return allowed


def _name_levels(index: SearchIndex, matcher: Matcher, query: Query, chosen: list[int]) -> dict[int, int]:
    """How exactly each chosen paper is what the query names.

    2: one of its names (or its whole title) is the query; 1: an acronym its
    abstract defines is, or the first words of its title are, or (when the
    query needed typos) a name is within a typo of it.
    """
    wanted = {n for n in query.names if n}
    wanted |= {n[:-1] for n in wanted if len(n) > 3 and n.endswith("s")}
    if not wanted:
        return {}
    out = dict[int, int]()
    for i, level in index.named(wanted):
        out[i] = max(out.get(i, 0), level)
    if matcher.typos:  # a name a typo away counts, as the words did
        from rapidfuzz.distance import OSA

        lines = index.per_paper("namekeys")
        for i in chosen:
            names = [key.partition(":")[2] for key in lines[i].split()]
            if not out.get(i) and any(OSA.distance(w, n) <= typo_edits(w, n) for w in wanted for n in names):
                out[i] = 1
    return out


def _one_person(index: SearchIndex, query: Query) -> set[int]:
    """Papers by an author whose name is two adjacent words of the query, in either order."""
    words = [c.alts[0].words[0] for c in query.clauses if not c.required and len(c.alts[0].words) == 1]
    out: set[int] = set()
    if len(words) < 2 or not all(w.isalpha() for w in words):
        return out
    names = index.lines("people.folded")
    for a, b in itertools.pairwise(words):
        for text in (f"{a} {b}", f"{b} {a}"):
            for j in index.containing("people", text):
                if {a, b} <= set(words_of(names[j])):
                    out.update(index.postings("people", j))
    return out


def _category_names(sections: list[dict[str, Any]]) -> list[tuple[str, str]]:
    from lclm.store.layout import Section, Store

    store = Store(Path(), [Section.from_dict(s) for s in sections], [])
    return [(c.slug, c.name) for c in store.categories()]


def _category_filter(index: SearchIndex, texts: list[str]) -> set[str] | None:
    """Category slugs allowed by ``--category``/``category:`` (None: all)."""
    if not texts:
        return None
    from lclm.store.layout import Section, Store

    store = Store(index.root, [Section.from_dict(s) for s in index.sections], [])
    allowed = {c.slug for c in store.categories()}
    for text in texts:
        allowed &= {store.find_category(text).slug}
    return allowed


def _hit(
    index: SearchIndex,
    i: int,
    paper: Paper,
    score: float,
    matches: list[tuple[str, int, set[int]]],
    terms: list[str],
    categories: dict[str, str],
) -> Hit:
    matched: dict[str, list[str]] = {}
    for name, j, papers in matches:
        if i in papers:
            word = index.words(name)[j]
            if word not in matched.setdefault(name, []):
                matched[name].append(word)
    title = clean_title(paper.title)
    spans = title_spans(title, set(matched.get("title", ())), terms, index.known_word)
    return Hit(paper, round(score, 3), title, categories.get(paper.category, paper.category), matched, spans)


def title_spans(
    title: str, words: set[str], terms: list[str], known: Callable[[str], bool]
) -> list[tuple[int, int]]:
    """Character ranges of ``title`` to highlight: each query word inside each matched word."""
    spans = []
    for match in TOKEN_RE.finditer(title):
        word, start = match.group(), match.start()
        if word not in words and word.replace("-", "") not in words:
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
