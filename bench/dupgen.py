"""Planted duplicates and near-misses on top of a synthetic store, with the truth.

Each planted duplicate copies a source record and changes it the way people
retype or re-cite a paper; each near-miss copies a source and changes it
the way a *different* paper differs (a version number, another arXiv id or
DOI, years apart, other authors).  Typos never touch a digit: a changed
version number is a different paper, and no tool can tell it from a typo.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from lclm.duplicates.dedupe import paper_identities, surnames
from lclm.model import Paper
from lclm.store.layout import Store
from lclm.text import normalize_title

Change = Callable[[Paper, random.Random, int], Paper]

# ---------------------------------------------------------------- title retyping


def _words(title: str) -> list[str]:
    return title.split()


def _case(title: str, rng: random.Random) -> str:
    return rng.choice([str.lower, str.upper, str.title, lambda t: t[:1] + t[1:].lower()])(title)


def _punctuation(title: str, rng: random.Random) -> str:
    if ":" in title:
        return title.replace(":", rng.choice([" -", ".", " --", ""]), 1) + "."
    return title.replace("-", " ", 1) + rng.choice([".", "?", " ."])


def _braces(title: str, rng: random.Random) -> str:
    # BibTeX-style protection: {L}ong{W}anjuan, {GPU}s, and an accent escape.
    words = [f"{{{w[0]}}}{w[1:]}" if w[:1].isupper() and rng.random() < 0.7 else w for w in _words(title)]
    text = " ".join(words)
    return text.replace("e", "{\\'e}", 1) if "{\\'e}" not in text and rng.random() < 0.3 else text


def _dropped_word(title: str, rng: random.Random) -> str:
    words = _words(title)
    choices = [i for i, w in enumerate(words) if not any(c.isdigit() for c in w)]
    if len(words) < 4 or not choices:
        return _punctuation(title, rng)
    del words[rng.choice(choices)]
    return " ".join(words)


def _swapped_words(title: str, rng: random.Random) -> str:
    words = _words(title)
    if len(words) < 3:
        return _case(title, rng)
    i = rng.randrange(len(words) - 1)
    words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def _typo(title: str, rng: random.Random) -> str:
    """One slip of the keyboard in a word of four or more letters (never a digit)."""
    words = _words(title)
    choices = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not choices:
        return _case(title, rng)
    i = rng.choice(choices)
    w = words[i]
    k = rng.randrange(1, len(w) - 1)
    kind = rng.choice(["sub", "del", "swap", "ins"])
    letter = rng.choice(string.ascii_lowercase)
    words[i] = {
        "sub": w[:k] + letter + w[k + 1 :],
        "del": w[:k] + w[k + 1 :],
        "swap": w[: k - 1] + w[k] + w[k - 1] + w[k + 1 :],
        "ins": w[:k] + letter + w[k:],
    }[kind]
    return " ".join(words)


RETYPES: dict[str, Callable[[str, random.Random], str]] = {
    "title-case": _case,
    "title-punctuation": _punctuation,
    "title-latex-braces": _braces,
    "title-dropped-word": _dropped_word,
    "title-swapped-words": _swapped_words,
    "title-typo": _typo,
}


# ---------------------------------------------------------------- records


_ARXIV_IN_VENUE = re.compile(r"arXiv:\s*\S", re.IGNORECASE)


def _bare(src: Paper, n: int, **changes: object) -> Paper:
    """A copy of ``src`` with no identifiers (unless given) and a new key.

    A venue that names the source's arXiv id ("arXiv preprint arXiv:ID") is an identifier too
    (the identity rules read it), so the copy has none.
    """
    venue = "" if _ARXIV_IN_VENUE.search(src.venue) else src.venue
    base = {"key": f"{src.key}d{n}", "arxiv": "", "doi": "", "url": "", "venue": venue, "distinct": [], "note": "",
            "authors": list(src.authors), "tags": list(src.tags), "extra": {}}
    return replace(src, **{**base, **changes})  # type: ignore[arg-type]


def _retitled(src: Paper) -> str:
    """A title different enough that only an identifier can link the records."""
    return f"{src.title} (extended version, with supplementary material)"


def _arxiv_form(arxiv: str, rng: random.Random) -> dict[str, str]:
    return rng.choice(
        [
            {"url": f"https://arxiv.org/abs/{arxiv}v{rng.randint(1, 4)}"},
            {"url": f"http://arxiv.org/pdf/{arxiv}v2.pdf"},
            {"url": f"https://arxiv.org/html/{arxiv}v1"},
            {"arxiv": f"{arxiv}v3"},
            {"doi": f"10.48550/arXiv.{arxiv}"},
            {"url": f"https://doi.org/10.48550/arXiv.{arxiv}"},
        ]
    )


def _new_arxiv(rng: random.Random) -> str:
    return f"{rng.randint(1500, 2499):04d}.{rng.randint(10000, 99999):05d}"


def _new_doi(rng: random.Random) -> str:
    return f"10.{rng.randint(1000, 9999)}/{rng.choice(['j', 'conf', 'acl'])}.{rng.randint(10**5, 10**6)}"


def _fake_people(rng: random.Random) -> list[str]:
    first = ["Aino", "Bartosz", "Chidi", "Dagny", "Esko", "Fenna", "Gaute", "Hiroko", "Ilse", "Joaquim"]
    return [f"{rng.choice(first)} Q{''.join(rng.choices(string.ascii_lowercase, k=7))}" for _ in range(rng.randint(2, 6))]


@dataclass
class Planted:
    """A store with planted records, and what dedupe should find."""

    store: Store
    true_groups: list[set[int]] = field(default_factory=list)  # indices into store.papers
    kinds: dict[int, str] = field(default_factory=dict)  # planted index -> kind
    sources: dict[int, int] = field(default_factory=dict)  # planted index -> source index


def _duplicate(kind: str, src: Paper, rng: random.Random, n: int) -> Paper:
    if kind in RETYPES:
        # Another citation of the same paper: retyped title, no identifiers, maybe the published year.
        authors = [a.replace("-", "") for a in src.authors]
        return _bare(src, n, title=RETYPES[kind](src.title, rng), authors=authors, year=src.year + rng.choice([0, 0, 1]))
    if kind == "arxiv-forms":
        return _bare(src, n, title=_retitled(src), **_arxiv_form(src.arxiv, rng))
    if kind == "doi-case":
        doi = rng.choice([src.doi.upper(), f"https://doi.org/{src.doi.upper()}", f"doi:{src.doi}"])
        return _bare(src, n, title=_retitled(src), doi=doi)
    if kind == "url-forms":
        rest = src.url.removeprefix("https://").removeprefix("www.")
        tail = rng.choice(["#top", ""] if "?" in rest else ["/", "#top", ""])  # a slash ends a path, not a query
        url = rng.choice(["http://www.", "https://www.", "http://", "HTTPS://"]) + rest + tail
        return _bare(src, n, title=_retitled(src), url=url)
    raise ValueError(kind)


def _near_miss(kind: str, src: Paper, rng: random.Random, n: int) -> Paper:
    if kind == "near-version":
        words = src.title.split()
        numbered = [i for i, w in enumerate(words) if any(c.isdigit() for c in w)]
        if numbered:
            i = rng.choice(numbered)
            words[i] = "".join(str((int(c) + 1) % 10) if c.isdigit() else c for c in words[i])
        else:
            i = rng.randrange(len(words))
            word = words[i].rstrip(":,.")
            words[i] = word + rng.choice(["2", "-2", " 2", "-3", "1.5", " Part 2"]) + words[i][len(word) :]
        return _bare(src, n, title=" ".join(words))
    if kind == "near-arxiv":
        return _bare(src, n, arxiv=_new_arxiv(rng))
    if kind == "near-doi":
        return _bare(src, n, doi=_new_doi(rng))
    if kind == "near-years":
        return _bare(src, n, year=src.year + rng.choice([-4, -3, -2, 2, 3, 5]))
    if kind == "near-authors":
        return _bare(src, n, authors=_fake_people(rng))
    raise ValueError(kind)


DUPLICATE_KINDS = [*RETYPES, "arxiv-forms", "doi-case", "url-forms"]
NEAR_MISS_KINDS = ["near-version", "near-arxiv", "near-doi", "near-years", "near-authors"]


def _has_people(p: Paper) -> bool:
    return bool(surnames(p.authors))


def _fit(kind: str, p: Paper) -> bool:
    """Whether ``p`` can be the source of a planted record of ``kind``."""
    if not normalize_title(p.title) or len(p.title.split()) < 2:
        return False
    needs = {
        "arxiv-forms": lambda: bool(p.arxiv),
        "near-arxiv": lambda: bool(p.arxiv),
        "url-forms": lambda: p.url.startswith("https://") and "url" in paper_identities(p) and "arxiv" not in p.url,
        "near-authors": lambda: _has_people(p),
    }
    return needs.get(kind, lambda: True)()


def plant(store: Store, duplicates: int, near_misses: int, avoid: set[int], seed: int = 7) -> Planted:
    """Add ``duplicates`` and ``near_misses`` records (spread over the kinds) to ``store``.

    Sources are distinct records; a third of the identifier duplicates also
    get a retyped-title copy, making groups of three.  Sources for DOI kinds
    are given a DOI first (the real list has few).  Records in ``avoid``
    (the store's own duplicates) are never sources, so the truth stays plain.
    """
    rng = random.Random(seed)
    papers = store.papers
    order = rng.sample(range(len(papers)), len(papers))
    used: set[int] = set()
    out = Planted(store)

    # Where each kind's search through ``order`` stands: what it passed over is used,
    # avoided or unfit for that kind for good, so no record is looked at twice per kind.
    cursors: dict[str, int] = {}

    def source(kind: str) -> int:
        for at in range(cursors.get(kind, 0), len(order)):
            i = order[at]
            if i not in used and i not in avoid and _fit(kind, papers[i]):
                cursors[kind] = at + 1
                used.add(i)
                if kind in ("doi-case", "near-doi") and not papers[i].doi:
                    papers[i].doi = _new_doi(rng)
                return i
        raise RuntimeError(f"no source left for {kind}")

    def add(record: Paper, kind: str, src: int) -> int:
        papers.append(record)
        out.kinds[len(papers) - 1] = kind
        out.sources[len(papers) - 1] = src
        return len(papers) - 1

    for n in range(duplicates):
        kind = DUPLICATE_KINDS[n % len(DUPLICATE_KINDS)]
        i = source(kind)
        group = {i, add(_duplicate(kind, papers[i], rng, n), kind, i)}
        if kind in ("arxiv-forms", "doi-case", "url-forms") and n % 3 == 0:
            group.add(add(_duplicate("title-typo", papers[i], rng, n + 100000), "title-typo", i))
        out.true_groups.append(group)
    for n in range(near_misses):
        kind = NEAR_MISS_KINDS[n % len(NEAR_MISS_KINDS)]
        i = source(kind)
        add(_near_miss(kind, papers[i], rng, n + 200000), kind, i)
    for p in papers:
        p.line = 0
    return out
