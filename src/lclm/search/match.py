"""Matching one query word against the index: tiers, word forms, typos, authors.

Each query word is matched against the words of each field; how
well is its *tier* (``TIERS``) times the field's weight (``FIELD_WEIGHTS``):
a name or title counts most, then authors (the first author a little more),
then tags, code and abstract, then venue.  A word matches another

* whole, one trailing ``s`` apart (``sinks``, "Sink"), or with another
  ending of the same word by the Snowball English stemmer (``quantize`` and
  "Quantization", ``scaling`` and "Scaled"; see ``stem``), also as one piece
  of a hyphenated or letters-and-digits word (``bits`` in "2bit",
  ``segments`` in "Segment-wise");
* as a *part* of a compound name, when each side of it is a boundary: the
  word's edge or a hyphen (``RoPE-based``), a change between letters and
  digits (``LongRoPE2``), a case change in the word as written (``Hi|RoPE``,
  ``NTK|RoPE`` but not ``EU|ROPE``), or a run of three letters or more that
  is itself a whole word of some title or name (``long|rope``; ``Eu|rope`` is not);
* as a *prefix* (``extrapol`` in "extrapolation", three letters or more);
* within a typo, only when the word matches nothing better: one edit
  (OSA distance) for words of 4-7 letters, two for 8 or more, none shorter,
  and never in the first letter (``nope`` is not a typo of "RoPE"; Lucene's
  fuzzy queries keep a prefix for the same reason).

A one-letter word matches only itself (``c++`` is not every author whose
name starts with C).  Venue and abstract match whole words, endings and
prefixes only, and nothing matches inside an unrelated word (``rope`` is not
in "European").  What a query's words stand for (abbreviations, synonyms)
matches whole words and endings only, never a part or a typo (``pe`` for
"positional encoding" is not in "RoPE").  What a query's words also stand
for is ``lclm.search.query.expand``'s.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lclm.search.index import SearchIndex
from lclm.search.query import Alt, Clause, words_of

TIERS = {
    "whole": 1.0,  # the word itself: "rope" in "Base of RoPE"
    "piece": 0.95,  # a whole word of a hyphenated one: "kv" in "KV-Cache", "rope" in "RoPE-based"
    "plural": 0.9,  # one trailing s apart: "sinks" and "Sink"
    "stem": 0.85,  # another ending of the same word: "scaling" and "Scaled"
    "part": 0.8,  # part of a compound name: LongRoPE, RoPE-based, Longrope
    "prefix": 0.7,  # the start of a word: "extrapol" in "extrapolation"
    "typo": 0.5,  # a near spelling: "strming"
}
# The tiers a word standing for another (a synonym) may match by: no parts, prefixes or typos.
STRICT = frozenset(("whole", "piece", "plural", "stem"))
FIELD_WEIGHTS = {
    "name": 1.0,  # a title's lead, an aka, the repository's name
    "title": 1.0,
    "defined": 0.9,  # an acronym the abstract defines for other words
    "authors": 0.85,
    "first": 0.87,  # the first author: "beltagy" means Longformer before Beltagy's other papers
    "tags": 0.75,
    "code": 0.7,
    "abstract": 0.6,
    "year": 0.6,
    "key": 0.5,
    "venue": 0.45,
    "acronym": 0.45,  # initials of the venue: ICLR in "International Conference on Learning Representations"
    "note": 0.4,
}
WORD_ONLY = ("venue", "abstract")  # whole words, plurals and prefixes only
TYPO_FIELDS = ("name", "title", "authors", "first", "code", "tags")
MORE_PLACES = 0.01  # per extra field a word matched in (at most four): breaks ties
STEM_MIN = 4  # letters a stem keeps: "uses" is not "use" + "s", but "scaled" is "scale"
_SPLIT_RE = re.compile(r"[-0-9]+")
_PIECES_RE = re.compile(r"[a-z]+|[0-9]+")
_CASE_PIECES_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")  # PagedAttention: Paged, Attention
_stems: dict[str, str] = {}


def stem(word: str) -> str:
    """The Snowball English stem of a folded word (``quantize``, ``quantization`` -> ``quantiz``).

    PyStemmer (the C build of the Snowball stemmers) costs under a
    millisecond to import and a microsecond a word, so it is imported here,
    when a search first needs a stem.
    """
    got = _stems.get(word)
    if got is None:
        global _stemmer
        if _stemmer is None:
            import Stemmer  # a C extension without type hints (ignored in pyproject's mypy overrides)

            _stemmer = Stemmer.Stemmer("english")
        got = _stems[word] = _stemmer.stemWord(word)
    return got


_stemmer: Any = None


def look_for(term: str) -> str:
    """What a word of the index must contain to be a form of ``term``: what it shares with its stem."""
    if not term.isalpha():
        return term
    common = os.path.commonprefix([term, stem(term)])
    return common if len(common) >= 3 else term


def _same_stem(word: str, low: str, term: str) -> bool:
    """Whether ``word`` (folded ``low``) is another form of ``term``, whole or as one of its
    pieces ("2bit", "Segment-wise", "PagedAttention")."""
    target = stem(term)
    if len(target) < STEM_MIN - 1 or not term.isalpha():
        return False
    if stem(low) == target:
        return True
    pieces = _PIECES_RE.findall(low)
    if len(word) == len(low) and not word.islower() and not word.isupper():
        pieces += [p.lower() for p in _CASE_PIECES_RE.findall(word)]
    return len(pieces) > 1 and any(p.isalpha() and stem(p) == target for p in pieces)


def typo_edits(term: str, word: str) -> int:
    """How many edits a query word may be from a word of the list and still match it."""
    if len(term) <= 3:
        return 0
    return 2 if max(len(term), len(word)) >= 8 else 1


# ---------------------------------------------------------------- one word


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
    if len(term) == 1 and term.isalpha() and name not in ("authors", "first"):
        return None  # one letter is a word, never the start of one (an author's initial is, below)
    if name == "acronym":
        return "whole" if len(term) >= 3 and term.isalpha() and term in low else None
    if name == "key":  # only its start counts: "ding2024" for ding2024longrope
        return "prefix" if low.startswith(term) else None
    if "-" in low and term in low.split("-") and name not in WORD_ONLY:
        return "piece"
    if min(len(low), len(term)) >= 3 and (low == term + "s" or term == low + "s"):
        return "plural"
    if name not in ("authors", "first", "key") and _same_stem(word, low, term):
        return "stem"
    if name in ("authors", "first") and len(low) == 1:
        return "prefix" if term.startswith(low) else None  # an initial: "X." and "xipeng"
    best: str | None = None
    i = low.find(term)
    while i >= 0:
        j = i + len(term)
        found = None
        if _left_ok(word, low, i, j, known):
            found = "part" if _right_ok(word, low, j, known) else "prefix"
        if found and (best is None or TIERS[found] > TIERS[best]):
            best = found
        i = low.find(term, i + 1)
    if best == "prefix" and name in ("authors", "first") and len(term) > 1:
        return None  # "qiu" is not "Qiuyu"; only an initial stands for a name
    if best == "part" and name in WORD_ONLY:
        best = "prefix" if low.startswith(term) else None
    if best == "prefix" and len(term) < 3 and name not in ("authors", "first"):
        return None  # one or two letters start too many words
    return best


Match = tuple[float, str, int, str]  # strength, field, word number, tier


def word_matches(index: SearchIndex, term: str, fields: tuple[str, ...], required: bool = False) -> list[Match]:
    """Every word of the index ``term`` matches in ``fields`` (no typos), best first."""
    # "sinks" also finds the word "sink", "scaling" finds "scaled": look for what the
    # word shares with its stem, let ``tier`` judge.
    needle = look_for(term)
    out = []
    for name in fields:
        if name == "key" and term.isalpha() and not required:
            continue  # a key's other words are in the title and authors already
        found = index.containing(name, needle)
        if found:
            weight = FIELD_WEIGHTS[name]
            folded, words = index.lines(f"{name}.folded"), index.words(name)
            for j in found:
                kind = tier(name, words[j], folded[j], term, index.known_word)
                if kind:
                    out.append((TIERS[kind] * weight, name, j, kind))
    out.sort(reverse=True)
    return out


def typo_matches(index: SearchIndex, term: str, fields: tuple[str, ...]) -> list[Match]:
    """The words of ``fields`` within ``typo_edits`` of ``term`` and with its first letter, best first."""
    if len(term) < 4 or not term.isalpha():
        return []
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    out = []
    for name in fields:
        folded, numbers = index.typo_candidates(name) if name in TYPO_FIELDS else ([], [])
        if not folded:
            continue
        cutoff = 2 if len(term) >= 6 else 1
        seen: set[int] = set()
        for word, edits, k in process.extract(term, folded, scorer=OSA.distance, score_cutoff=cutoff, limit=None):
            j = numbers[k]
            if 0 < edits <= typo_edits(term, word) and word[:1] == term[:1] and j not in seen:
                seen.add(j)
                out.append((TIERS["typo"] * (1 - 0.1 * edits) * FIELD_WEIGHTS[name], name, j, "typo"))
    out.sort(reverse=True)
    return out


How = tuple[str, int, str]  # field, word number, tier: how a word matched one paper


@dataclass(slots=True)
class WordHits:
    """Where one query word matched: best strength per paper, and in how many fields."""

    best: dict[int, float] = field(default_factory=dict)
    places: Counter[int] = field(default_factory=Counter)
    matched: list[tuple[str, int, set[int]]] = field(default_factory=list)
    how: dict[int, How] = field(default_factory=dict)  # the best match per paper (kept for --explain only)

    scores: dict[int, float] = field(default_factory=dict)  # best, plus a little per extra field

    def finish(self) -> WordHits:
        more = {i: MORE_PLACES * min(n - 1, 4) for i, n in self.places.items() if n > 1}
        self.scores = {i: b + more.get(i, 0.0) for i, b in self.best.items()} if more else self.best
        return self


class Matcher:
    """Matches query words against one index, remembering each word's hits.

    ``explain`` keeps, per paper, how each word matched it (``WordHits.how``).
    """

    def __init__(self, index: SearchIndex, explain: bool = False) -> None:
        self.index, self.explain = index, explain
        self._seen: dict[tuple[str, tuple[str, ...], bool, bool, bool], WordHits] = {}
        self.matched: list[tuple[str, int, set[int]]] = []
        self.typos = False  # whether some word matched only by a typo

    def word(self, term: str, fields: tuple[str, ...], required: bool, typos: bool = True, strict: bool = False) -> WordHits:
        """Where ``term`` matched in ``fields``; ``strict``: whole words and their forms only."""
        key = (term, fields, required, typos, strict)
        got = self._seen.get(key)
        if got is None:
            matches = word_matches(self.index, term, fields, required)
            if strict:
                matches = [m for m in matches if m[3] in STRICT]
            elif not matches and typos:
                matches = typo_matches(self.index, term, fields)
                self.typos = self.typos or bool(matches)
            got = self._seen[key] = WordHits()
            for strength, name, j, kind in reversed(matches):  # weakest first, so the best stays
                posting = self.index.postings(name, j)
                got.best.update(dict.fromkeys(posting, strength))
                got.places.update(posting)
                got.matched.append((name, j, set(posting)))
                if self.explain:
                    got.how.update(dict.fromkeys(posting, (name, j, kind)))
            got.finish()
        return got

    def hits(self, alt: Alt, clause: Clause, typos: bool = True) -> list[WordHits]:
        """The hits of each word of ``alt``."""
        strict = alt.kind == "synonym"
        return [self.word(w, clause.fields, clause.required, typos and not alt.phrase, strict) for w in alt.words]

    def alt(self, alt: Alt, clause: Clause, typos: bool = True) -> dict[int, float]:
        """Papers matching every word of ``alt``, with their mean word score."""
        hits = self.hits(alt, clause, typos)
        for h in hits:
            self.matched += h.matched
        if len(hits) == 1 and not alt.phrase:
            only = hits[0].scores
            return only if alt.weight == 1 else {i: alt.weight * v for i, v in only.items()}
        hits.sort(key=lambda h: len(h.scores))
        common = set(hits[0].scores).intersection(*(h.scores for h in hits[1:]))
        if alt.phrase and common:
            needle = f" {' '.join(w.replace('-', ' ') for w in alt.words)} "
            lines = self.index.per_paper("phrase")
            common = {i for i in common if needle in f" {lines[i]} "}
        share = alt.weight / len(hits)
        return {i: share * sum(h.scores[i] for h in hits) for i in common}

    def clause(self, clause: Clause, typos: bool = True) -> dict[int, float]:
        """Papers matching any alternative of ``clause``, with the best alternative's score."""
        out: dict[int, float] = {}
        for alt in clause.alts:
            for i, score in self.alt(alt, clause, typos).items():
                if score > out.get(i, 0.0):
                    out[i] = score
        return out


# ---------------------------------------------------------------- authors


def by_author(index: SearchIndex, words: list[str]) -> set[int]:
    """Store positions of the papers with an author whose name holds every word."""
    names, lines = index.words("people"), set()
    for word in [w for w in words if len(w) > 1] or words:
        lines.update(index.containing("people", word))  # any word, so a typo in another still finds it
    out: set[int] = set()
    for j in lines:
        if _name_has(names[j], words):
            out.update(index.postings("people", j))
    return out


def _name_has(name: str, words: list[str]) -> bool:
    """Whether one author's name holds every word (in any order, accents ignored)."""
    tokens = [p for t in words_of(name) for p in {t, *t.split("-")}]
    ok = ("whole", "piece", "plural", "part", "prefix")

    def has(w: str) -> bool:
        if any(tier("authors", t, t, w, lambda _: False) in ok for t in tokens):
            return True
        if len(w) < 5:  # short names are too alike: Song is not Rong
            return False
        from rapidfuzz.distance import OSA

        return any(OSA.distance(w, t) <= typo_edits(w, t) for t in tokens)

    return all(has(w) for w in words)
