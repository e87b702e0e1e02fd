"""A paper as weighted terms, and tf-idf vectors over them (sparse dicts).

Title words and word pairs weigh most, then abstract words; authors and the
venue are weaker signals of their own kind (``a:`` and ``v:`` terms), so a
shared surname never counts as a shared topic word.  Compound names are
split as well as kept (``LongRoPE`` gives ``longrope``, ``long`` and
``rope``), so a new paper on RoPE scaling meets the list's RoPE papers.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lclm.model import Paper
from lclm.text import fold

Vector = dict[str, float]

TITLE, ABSTRACT, AUTHOR, VENUE = 1.0, 0.35, 0.25, 0.15
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*|[0-9]+[A-Za-z]+[A-Za-z0-9]*")
# Where a compound name splits: after a lower-case run before a capital (Long|RoPE, Snap|KV),
# after an acronym before a word (KV|Quant), between letters and digits; "RoPE" and "LLaMA" stay whole.
_SPLIT_RE = re.compile(r"(?<=[a-z]{3})(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{3})|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")
STOPWORDS = frozenset(
    "a an and are as at be based by can do does for from how in into is it its of on or our over than that the their "
    "this to toward towards under us using via we what when where which while who why with without you your "
    "arxiv preprint paper new".split()
)


def _stem(word: str) -> str:
    """A light plural strip, enough for "models"/"model" and "caches"/"cache"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _deaccent(text: str) -> str:
    """Accents dropped, case kept (the case splits compound names)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The content words of ``text``, folded and stemmed; compound names also in parts."""
    out: list[str] = []
    for raw in _WORD_RE.findall(text if text.isascii() else _deaccent(text)):
        word = raw.lower()
        if word in STOPWORDS or len(word) < 2:
            continue
        out.append(_stem(word))
        parts = _SPLIT_RE.split(raw)
        if len(parts) > 1:
            out.extend(_stem(p.lower()) for p in parts if len(p) > 1 and p.lower() not in STOPWORDS)
    return out


def terms(paper: Paper, abstract: bool = True) -> dict[str, float]:
    """Weighted term counts of a paper: title words and pairs, abstract (unless told not), authors, venue."""
    bag: dict[str, float] = {}

    def put(term: str, weight: float) -> None:
        bag[term] = bag.get(term, 0.0) + weight

    title = words(paper.title)
    for word in title:
        put(word, TITLE)
    for first, second in zip(title, title[1:]):
        put(f"{first}_{second}", TITLE * 0.5)
    for word in words(paper.abstract) if abstract else ():
        put(word, ABSTRACT)
    for name in paper.authors:
        surname = fold(name).lower().split()[-1:] if name != "others" else []
        for part in surname:
            put(f"a:{part}", AUTHOR)
    for word in words(paper.venue):
        if not word.isdigit():
            put(f"v:{word}", VENUE)
    return bag


@dataclass(slots=True)
class Vectorizer:
    """Inverse document frequencies learnt from a set of papers."""

    idf: dict[str, float]
    unseen: float

    @classmethod
    def fit(cls, bags: Sequence[dict[str, float]]) -> Vectorizer:
        """Learn idf from term bags (each term counted once per paper)."""
        counts: dict[str, int] = {}
        for bag in bags:
            for term in bag:
                counts[term] = counts.get(term, 0) + 1
        total = len(bags) + 1
        idf = {term: math.log(total / (n + 1)) + 1.0 for term, n in counts.items()}
        return cls(idf, math.log(total) + 1.0)

    def vector(self, bag: dict[str, float]) -> Vector:
        """The L2-normalised tf-idf vector of a term bag (sublinear tf); terms never seen get the top idf."""
        vec = {t: (1.0 + math.log(w) if w > 1 else w) * self.idf.get(t, self.unseen) for t, w in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {t: v / norm for t, v in vec.items()} if norm else {}


def dot(a: Vector, b: Vector) -> float:
    """The dot product of two sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def vectors(vectorizer: Vectorizer, papers: Iterable[Paper]) -> list[Vector]:
    """The tf-idf vector of each paper."""
    return [vectorizer.vector(terms(p)) for p in papers]
