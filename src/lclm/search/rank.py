"""Search the list: rank the papers matching a parsed query, and say what matched where.

Ranking is a field-weighted BM25-style score.  Each clause of the query (a
word, a phrase, or ``a OR b``) gives a paper its best match's strength (tier
times field weight, see ``lclm.search.match``) times the clause's rarity,
``idf = ln(1 + (N - n + 0.5) / (n + 0.5))`` over the N papers, n of which
match it: ``kitaev`` (one paper) weighs far more than ``attention``.  Stop
words only add a little.  Two adjacent query words that are one author's
name add ``PERSON``.

Papers with an exact id or key come first; then papers matching every
clause, the ones the query names exactly first (see ``_name_levels``), by
score; newest first only breaks ties.  When no paper matches every clause,
the papers matching some follow, by score times the share of clauses they
match, each saying how many it matched (``Hit.words_matched``): an answer is
empty only when no word matches anything.  Required words (``title:rope``),
exclusions, years and categories always hold.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lclm.errors import UsageError
from lclm.model import Paper
from lclm.search.index import SearchIndex, clean_title, load_index
from lclm.search.match import Matcher, by_author, look_for, tier, typo_edits
from lclm.search.paper_names import TOKEN_RE
from lclm.search.query import Alt, Clause, Query, expand, parse_query, words_of
from lclm.text import fold

__all__ = ["Hit", "Result", "parse_query", "search", "tier", "title_spans"]

SUBSTRING_TIERS = ("whole", "piece", "part", "prefix")
ID_SCORE = 100.0  # an exact arXiv id, DOI, URL or key outranks any text match
PERSON = 2.0  # two query words that are one author's name ("song han") beat two authors' words
STOP_SHARE = 0.1  # what a stop word adds, against a word that says which paper
# How a word matched, in --explain's words.
HOW = {"whole": "exact", "piece": "exact", "plural": "stem", "stem": "stem", "part": "part", "prefix": "prefix", "typo": "typo"}


# ---------------------------------------------------------------- ranking


@dataclass(slots=True)
class Hit:
    """One ranked paper, with its score and what matched where."""

    paper: Paper
    score: float
    title: str  # as shown: see ``clean_title``
    category_name: str
    matched: dict[str, list[str]]  # field -> its words that matched, as written
    spans: list[tuple[int, int]]  # characters of ``title`` to highlight
    words_matched: int = 0  # how many of the query's words (clauses) this paper matches
    words: int = 0  # of how many
    explain: list[dict[str, Any]] = field(default_factory=list)  # per query word, with --explain

    @property
    def complete(self) -> bool:
        """Whether the paper matches every word of the query."""
        return self.words_matched == self.words


@dataclass(slots=True)
class Result:
    """The hits of a search (at most ``limit``) and how many papers matched in all."""

    hits: list[Hit]
    total: int

    @property
    def complete(self) -> bool:
        """Whether some paper matches every word (else the hits are the best partial matches)."""
        return any(hit.complete for hit in self.hits)


def search(root: Path, query: Query, limit: int = 20, explain: bool = False) -> Result:
    """Rank the papers of the store at ``root`` for ``query``; ``limit`` 0 keeps all.

    ``explain`` says, per hit, how each word of the query matched it.
    """
    if query.is_empty:
        raise UsageError(
            "nothing to search for: give words, an id, or a filter (--author, --year, --category, --venue)"
        )
    with load_index(root) as index:
        query = expand(query, index.synonyms, index.known_word, lambda word: _unknown(index, word))
        matcher = Matcher(index, explain)
        ranked = _rank(index, matcher, query, limit)
        terms = [w for c in query.clauses if "title" in c.fields for w in c.words]
        papers = index.records(ranked.shown)
        names = {slug: name for slug, name in _category_names(index.sections)}
        hits = []
        for i, paper in zip(ranked.shown, papers):
            hit = _hit(index, i, paper, ranked.scores.get(i, 0.0), matcher.matched, terms, names)
            hit.words_matched, hit.words = min(ranked.count[i], ranked.words), ranked.words
            if explain:
                hit.explain = _explain(index, matcher, query, ranked.weights, i, ranked.partial)
            hits.append(hit)
    return Result(hits, ranked.total)


def _unknown(index: SearchIndex, word: str) -> bool:
    """Whether no title, name or author of the list holds ``word`` in any form (likely a typo)."""
    return not any(index.containing(name, look_for(word)) for name in ("title", "name", "authors"))


@dataclass(slots=True)
class _Ranked:
    shown: list[int]  # store positions, best first
    total: int  # papers that matched
    scores: dict[int, float]
    count: Counter[int]  # clauses (words) each paper matches
    words: int  # clauses a paper should match
    weights: list[float]  # each clause's rarity (idf), in query order
    partial: bool  # no paper matched every word: these are the best partial matches


def idf(matching: int, papers: int) -> float:
    """BM25's rarity of a word ``matching`` of ``papers`` papers match (always above 0)."""
    return math.log(1 + (papers - matching + 0.5) / (matching + 0.5))


def _rank(index: SearchIndex, matcher: Matcher, query: Query, limit: int) -> _Ranked:
    """The best ``limit`` store positions in rank order (0: all), with what ranked them."""
    exact: Counter[int] = Counter()
    for ident in query.ids:
        exact.update(index.lookup(ident))
    scored = [(c, matcher.clause(c)) for c in query.clauses]
    weights = [idf(len(s), len(index)) for _, s in scored]
    free = [(c, s) for c, s in scored if not c.required and not c.optional]
    words = sum(c.size for c, _ in free)
    count: Counter[int] = Counter()
    for c, s in free:
        count.update(dict.fromkeys(s, c.size))
    allowed = _filter(index, matcher, query, scored) or (lambda _: True)
    partial = False
    totals = _totals(scored, weights)
    if free:
        chosen = [i for i, n in count.items() if n == words and allowed(i)]
        if not chosen:
            partial = True
            count, totals = _partial(index, matcher, scored, weights)
            chosen = [i for i in count if allowed(i)]
        chosen = list(dict.fromkeys(chosen + [i for i in exact if count[i] < words and allowed(i)]))
    elif query.ids and not query.clauses:
        chosen = [i for i in exact if allowed(i)]
    else:
        chosen = [i for i in range(len(index)) if allowed(i)]
    names = _name_levels(index, matcher, query, chosen) if not partial else {}
    people = _one_person(index, query)
    scores: dict[int, float] = {}
    keyed = []
    years = index.text("years")
    for i in chosen:
        score = ID_SCORE * exact[i] + totals.get(i, 0.0) + PERSON * (i in people)
        if partial:  # Lucene's coordination factor: the share of the words matched
            score *= count[i] / words
        scores[i] = score
        keyed.append((-exact[i], -count[i] * (not partial), -names.get(i, 0), -score, -int(years[4 * i : 4 * i + 4]), i))
    ranked = heapq.nsmallest(limit, keyed) if limit else sorted(keyed)
    if not free:
        count = Counter(dict.fromkeys(chosen, 0))
    return _Ranked([key[-1] for key in ranked], len(chosen), scores, count, words, weights, partial)


def _partial(
    index: SearchIndex, matcher: Matcher, scored: list[tuple[Clause, dict[int, float]]], weights: list[float]
) -> tuple[Counter[int], dict[int, float]]:
    """Words matched and scores when no paper has every word: word by word.

    A clause that merged several query words ("kv cache", "positional
    encoding" or its "pe") counts each of them on its own here, so a paper
    with two of three words of a phrase scores for two; a paper matching the
    whole clause counts all its words.
    """
    count: Counter[int] = Counter()
    totals: dict[int, float] = {}
    for (clause, whole), weight in zip(scored, weights):
        share = STOP_SHARE if clause.optional else 1.0
        if not clause.parts:
            if not clause.required and not clause.optional:
                count.update(whole.keys())
            for i, v in whole.items():
                totals[i] = totals.get(i, 0.0) + share * weight * v
            continue
        part_scores = [matcher.clause(p) for p in clause.parts]
        part_weights = [idf(len(p), len(index)) for p in part_scores]
        mine: dict[int, float] = {}
        for one, w in zip(part_scores, part_weights):
            count.update(one.keys())
            for i, v in one.items():
                mine[i] = mine.get(i, 0.0) + w * v
        for i, v in whole.items():  # the whole phrase, or its short form: every word
            count[i] = clause.size
            if i not in mine:  # by the short form alone: as strong as it, for every word
                mine[i] = v * sum(part_weights)
        for i, v in mine.items():
            totals[i] = totals.get(i, 0.0) + v
    return count, totals


def _totals(scored: list[tuple[Clause, dict[int, float]]], weights: list[float]) -> dict[int, float]:
    """Each paper's score: its clauses' strengths times their rarity, summed."""
    out: dict[int, float] = {}
    for (clause, one), weight in zip(scored, weights):
        weight *= STOP_SHARE if clause.optional else 1.0
        for i, v in one.items():
            out[i] = out.get(i, 0.0) + weight * v
    return out


def _explain(
    index: SearchIndex, matcher: Matcher, query: Query, weights: list[float], i: int, partial: bool
) -> list[dict[str, Any]]:
    """How each clause of the query matched paper ``i``: its words, fields and tiers, and its score part.

    When no paper matches every word, a clause of several query words is
    explained word by word, as ``_partial`` counts it.
    """
    out = []
    for clause, weight in zip(query.clauses, weights):
        by_parts = [p for p in clause.parts if i in matcher.clause(p)]
        if partial and clause.parts and (by_parts or i not in matcher.clause(clause)):
            for part in clause.parts:
                out.append(_explain_clause(index, matcher, part, idf(len(matcher.clause(part)), len(index)), i))
        else:
            out.append(_explain_clause(index, matcher, clause, weight, i))
    return out


def _explain_clause(index: SearchIndex, matcher: Matcher, clause: Clause, weight: float, i: int) -> dict[str, Any]:
    best: tuple[float, Alt, list[dict[str, str]]] | None = None
    typed = set(words_of(" ".join(clause.raw)))
    for alt in clause.alts:
        score = matcher.alt(alt, clause).get(i)
        if score is None or (best is not None and score <= best[0]):
            continue
        parts = []
        for term, hits in zip(alt.words, matcher.hits(alt, clause)):
            name, j, kind = hits.how[i]
            how = "synonym" if alt.kind == "synonym" and term not in typed else HOW[kind]
            parts.append({"query": term, "field": name, "word": index.words(name)[j], "how": how})
        best = (score, alt, parts)
    share = STOP_SHARE if clause.optional else 1.0
    entry: dict[str, Any] = {"word": " OR ".join(clause.raw) or " ".join(clause.words), "idf": round(weight, 2)}
    if best is None:
        entry |= {"matched": [], "score": 0.0}
    else:
        entry |= {"matched": best[2], "score": round(best[0] * weight * share, 3)}
        if best[1].kind == "form":
            entry["form"] = " ".join(best[1].words)
    if clause.optional:
        entry["stop_word"] = True
    return entry


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
