"""Rank candidate papers against the list: a score, a suggested category, the nearest listed papers.

``train`` learns from the list (positives), past rejections (negatives,
weighted more: the curator said so) and shipped background titles from lists
on other topics (``background.tsv``).  ``rank`` leaves out candidates the list
already has or that were rejected (by ``lclm.duplicates.identity``, the one
"same paper" rule set) and repeats within the feed, then orders the rest,
best first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

from lclm.duplicates.identity import Lookup
from lclm.model import Paper
from lclm.watch.features import Lexicon, Vector, Vectorizer, terms
from lclm.watch.learn import Classifier, Neighbours

REJECTED_WEIGHT = 3.0
NEAREST = 3
# A category whose nearest papers are too few or too far is no suggestion at all.
MIN_SIMILARITY = 0.02


def background() -> list[Paper]:
    """The shipped background negatives: titles from real lists on agents, retrieval and vision."""
    text = resources.files("lclm.watch").joinpath("background.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return [Paper(key="", title=row[1], year=0) for row in rows if len(row) == 2]


@dataclass(slots=True)
class Model:
    """What ``train`` learnt: two vocabularies, the classifier and the listed papers as neighbours.

    ``vectorizer`` (idf over the list, rejections and background) serves the
    classifier; ``placer`` (idf over the list alone) the neighbours: which
    words are rare within the list is what tells its categories apart
    (leave-one-out top-1 72.7 % against 71.8 % with the background's idf).
    """

    vectorizer: Vectorizer
    classifier: Classifier
    placer: Vectorizer
    neighbours: Neighbours
    listed: list[Paper]
    lexicon: Lexicon
    abstracts: bool = False

    def terms(self, paper: Paper) -> dict[str, float]:
        """A paper's terms (its abstract only if the list's papers mostly have one)."""
        return terms(paper, self.abstracts, self.lexicon)

    def vector(self, paper: Paper) -> Vector:
        """A paper as the classifier sees it."""
        return self.vectorizer.vector(self.terms(paper))

    def placing(self, paper: Paper) -> Vector:
        """A paper as the neighbours see it."""
        return self.placer.vector(self.terms(paper))

    def categories(self, paper: Paper, count: int = 3) -> list[tuple[str, float]]:
        """The best categories (slugs) for ``paper``, with their share of the vote."""
        return self.neighbours.vote(self.neighbours.similar(self.placing(paper)))[:count]


@dataclass(slots=True)
class Ranked:
    """One candidate with its score (0-1), suggested categories (best first) and nearest listed papers."""

    paper: Paper
    score: float
    categories: list[tuple[str, float]] = field(default_factory=list)
    nearest: list[Paper] = field(default_factory=list)

    @property
    def category(self) -> str:
        """The suggested category's slug ('' when no listed paper is near)."""
        return self.categories[0][0] if self.categories else ""


def train(listed: Sequence[Paper], rejected: Sequence[Paper] = (), extra: Sequence[Paper] | None = None) -> Model:
    """Learn from the list, the rejections and the background (``extra``, default the shipped file)."""
    negatives = background() if extra is None else list(extra)
    papers = [*listed, *rejected, *negatives]
    # A list without abstracts teaches nothing about abstract words: a candidate's abstract
    # would then only dilute its title, so it is read only when most listed papers have one.
    abstracts = 2 * sum(1 for p in listed if p.abstract) >= max(len(listed), 1)
    lexicon = Lexicon.of(listed)
    bags = [terms(p, abstracts, lexicon) for p in papers]
    vectorizer = Vectorizer.fit(bags)
    vecs = [vectorizer.vector(b) for b in bags]
    labels = [1] * len(listed) + [0] * (len(rejected) + len(negatives))
    weights = [1.0] * len(listed) + [REJECTED_WEIGHT] * len(rejected) + [1.0] * len(negatives)
    classifier = Classifier.train(list(zip(vecs, labels, weights)))
    placer = Vectorizer.fit(bags[: len(listed)])
    neighbours = Neighbours.build([placer.vector(b) for b in bags[: len(listed)]], [p.category for p in listed])
    return Model(vectorizer, classifier, placer, neighbours, list(listed), lexicon, abstracts)


def rank(model: Model, candidates: Iterable[Paper], rejected: Sequence[Paper] = ()) -> tuple[list[Ranked], dict[str, int]]:
    """The new candidates ranked best first, and how many were left out and why.

    Left out: ``listed`` (the list has the paper), ``rejected`` (rejected
    before) and ``repeated`` (a second copy within the candidates).
    """
    known, refused, seen = Lookup(model.listed), Lookup(rejected), Lookup()
    left_out = {"listed": 0, "rejected": 0, "repeated": 0}
    out: list[Ranked] = []
    for paper in candidates:
        reason = (
            "listed" if known.find(paper)
            else "rejected" if rejected and refused.find(paper)
            else "repeated" if seen.find(paper, fuzzy=False)
            else ""
        )
        if reason:
            left_out[reason] += 1
            continue
        seen.add(paper)
        out.append(judge(model, paper))
    out.sort(key=lambda r: -r.score)
    return out, left_out


def judge(model: Model, paper: Paper) -> Ranked:
    """Score one paper and find its category and nearest listed papers."""
    scores = model.neighbours.similar(model.placing(paper))
    nearest = [model.listed[at] for at, sim in model.neighbours.nearest(scores, NEAREST) if sim >= MIN_SIMILARITY]
    categories = model.neighbours.vote(scores)[:3] if nearest else []
    return Ranked(paper, round(model.classifier.probability(model.vector(paper)), 4), categories, nearest)
