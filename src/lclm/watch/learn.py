"""The two models, in plain Python over sparse vectors (no scikit-learn: the base install stays small).

``Classifier``: L2-regularised logistic regression, "does this paper belong
on the list" (positives: the list; negatives: rejections and background),
trained by a few epochs of stochastic gradient descent in a fixed order, so
a run is reproducible.  ``Neighbours``: the listed papers behind an inverted
index, for the nearest listed papers of a candidate and the categories they
vote for.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from lclm.watch.features import Vector

EPOCHS = 12
RATE = 0.5
L2 = 1e-4
# Neighbours that vote for a category, each with its squared similarity, the sum divided by the
# category's size to the power SIZE: a large category wins fewer papers only for being large.
# In leave-one-out on the committed list (k 10-40, power 1-3, SIZE 0-0.5) 25, 2 and 0.3 did best,
# and k 15-40 with SIZE 0.3 were all within a point of it.
K = 25
SIZE = 0.3
# The log-odds of a paper with no known word: about 0.1.
BIAS = -2.0


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(slots=True)
class Classifier:
    """A linear model over sparse vectors; ``probability`` is in 0-1."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0

    @classmethod
    def train(cls, examples: Sequence[tuple[Vector, int, float]], seed: int = 0) -> Classifier:
        """Fit on ``(vector, label 0/1, example weight)``; classes are balanced by weight.

        The bias is not learnt but fixed at ``BIAS``: a paper that shares no
        vocabulary with the list scores low, not at the even odds a balanced
        training set would give it.
        """
        model = cls(bias=BIAS)
        totals = [sum(w for _, y, w in examples if y == label) or 1.0 for label in (0, 1)]
        balance = [len(examples) / (2 * t) for t in totals]
        order = list(range(len(examples)))
        rng = random.Random(seed)
        weights = model.weights
        for epoch in range(EPOCHS):
            rng.shuffle(order)
            rate = RATE / (1 + epoch)
            for at in order:
                vec, label, weight = examples[at]
                z = model.bias + sum(v * weights.get(t, 0.0) for t, v in vec.items())
                step = rate * weight * balance[label] * (label - _sigmoid(z))
                for term, value in vec.items():
                    old = weights.get(term, 0.0)
                    weights[term] = old + step * value - rate * L2 * old
        return model

    def probability(self, vec: Vector) -> float:
        """How likely the paper belongs, 0-1."""
        weights = self.weights
        return _sigmoid(self.bias + sum(v * weights.get(t, 0.0) for t, v in vec.items()))


@dataclass(slots=True)
class Neighbours:
    """Labelled vectors (each listed paper with its category) behind an inverted index."""

    labels: list[str]
    postings: dict[str, list[tuple[int, float]]]
    sizes: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, vecs: Sequence[Vector], labels: Sequence[str]) -> Neighbours:
        """Index ``vecs``; ``labels[i]`` is the category of ``vecs[i]``."""
        postings: dict[str, list[tuple[int, float]]] = {}
        for at, vec in enumerate(vecs):
            for term, value in vec.items():
                postings.setdefault(term, []).append((at, value))
        sizes: dict[str, int] = {}
        for label in labels:
            sizes[label] = sizes.get(label, 0) + 1
        return cls(list(labels), postings, sizes)

    def similar(self, vec: Vector, skip: int = -1) -> dict[int, float]:
        """Cosine similarity to every indexed vector sharing a term (``skip``: leave one out)."""
        scores: dict[int, float] = {}
        for term, value in vec.items():
            for at, other in self.postings.get(term, ()):
                scores[at] = scores.get(at, 0.0) + value * other
        scores.pop(skip, None)
        return scores

    def nearest(self, scores: dict[int, float], count: int) -> list[tuple[int, float]]:
        """The ``count`` most similar indexed vectors, best first."""
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:count]

    def vote(self, scores: dict[int, float], k: int = K, skip: int = -1) -> list[tuple[str, float]]:
        """Categories ranked by the squared similarity of their papers among the ``k`` nearest, shares summing to 1.

        Each category's sum is divided by its size to the power ``SIZE``
        (``skip``: the held-out paper does not count in its category's size).
        """
        votes: dict[str, float] = {}
        for at, sim in self.nearest(scores, k):
            votes[self.labels[at]] = votes.get(self.labels[at], 0.0) + sim * sim
        held = self.labels[skip] if skip >= 0 else None
        votes = {c: v / max(self.sizes.get(c, 1) - (c == held), 1) ** SIZE for c, v in votes.items()}
        total = sum(votes.values())
        return sorted(((c, v / total) for c, v in votes.items()), key=lambda item: -item[1]) if total else []
