"""Find records that are the same paper anywhere in the store.  Pure: no I/O.

This module finds candidate pairs quickly; whether a pair is one paper is
``lclm.duplicates.identity.judge``'s verdict, the one `add`, the imports
and `validate` use too.  Records judged the same paper form groups; a group
never holds two records a veto parts.  Pairs that only look alike (a shared
URL or title, parted by a veto) or that clash (a shared arXiv id on clearly
different titles) are notes.

Titles are never compared all against all.  Each title is filed in blocks
keyed by its number/version signature (titles whose signatures differ are
vetoed anyway) and by each of its rarest shared words; only titles of
similar length within a block are scored, by rapidfuzz in C.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from lclm.duplicates.identity import (
    CONCLUSIVE,
    DEFAULT_THRESHOLD,
    FLOAT_SLACK,
    MIN_TYPO_WORDS,
    MIN_WORDS,
    RANK,
    SAME,
    TYPO,
    Evidence,
    Verdict,
    judge,
    marked_distinct,
    shared_author,
    titles_apart,
    veto,
)
from lclm.duplicates.profile import (
    Profile,
    comparable_title,
    paper_identities,
    profile,
    surnames,
)
from lclm.store.layout import Store

__all__ = ["DEFAULT_THRESHOLD", "DuplicateReport", "Group", "Link", "Note", "comparable_title", "find_duplicates",
           "near_titles", "near_titles_since", "paper_identities", "surnames"]

RARE_WORDS = 3  # blocking words per title: any 2 differing words still share one
MAX_TITLE = 1000  # characters of a normalised title that are compared
FULL_PAIRS = 50  # identifier buckets up to this size are checked pair by pair


@dataclass(frozen=True, slots=True)
class Link:
    """Two records (indices into the store's papers) and why they are one paper."""

    a: int
    b: int
    evidence: Evidence


@dataclass(slots=True)
class Group:
    """Records that are one paper, in store order, and the links that joined them."""

    members: list[int]
    links: list[Link]


@dataclass(frozen=True, slots=True)
class Note:
    """Two records that look alike or clash, but are not grouped: the verdict says why."""

    a: int
    b: int
    verdict: Verdict

    @property
    def evidence(self) -> Evidence:
        """What links the two records."""
        assert self.verdict.evidence is not None  # a note always has evidence
        return self.verdict.evidence

    @property
    def veto(self) -> str:
        """Why they are not grouped."""
        return self.verdict.reason

    def describe(self) -> str:
        """``same URL x, but not grouped: no author in common`` / ``same arXiv id x, but the titles differ: ...``."""
        joint = "but not grouped: " if self.verdict.kind != "conflict" else "but "
        return f"{self.evidence.describe()}, {joint}{self.veto}"


@dataclass(slots=True)
class DuplicateReport:
    """What ``find_duplicates`` found."""

    groups: list[Group] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- the records


class _Titles:
    """Columns of what title matching compares, one entry per record."""

    def __init__(self) -> None:
        self.titles: list[str] = []
        self.words: list[list[str]] = []
        self.sorted: list[str] = []
        self.profiles: list[Profile] = []
        self.signatures: list[tuple[str, ...]] = []

    def add(self, title: str, facts: Profile) -> None:
        words = title.split()
        self.titles.append(title)
        self.words.append(words)
        self.sorted.append(" ".join(sorted(words)))
        self.profiles.append(facts)
        self.signatures.append(tuple(n for _, n in facts.versions))


def near_titles(profiles: Sequence[Profile], threshold: float = DEFAULT_THRESHOLD) -> dict[tuple[int, int], Evidence]:
    """Pairs of records (indices, lower first) whose titles dedupe links, though not equal, with the evidence.

    Similar to ``threshold``, one typo apart, the same words in another
    order, or one word apart: what ``find_duplicates`` compares titles by,
    for callers that hold profiles, not papers (``lclm validate``).  The
    evidence names a shared surname.  Whether a pair is one paper is
    ``judge``'s verdict.
    """
    t = _Titles()
    for facts in profiles:
        t.add(facts.title[:MAX_TITLE], facts)
    return _near(t, threshold, blocks(t).values())


def near_titles_since(
    titles: Sequence[str], profile_of: Callable[[int], Profile], changed: Iterable[int], gone: Iterable[str],
    threshold: float = DEFAULT_THRESHOLD,
) -> tuple[dict[tuple[int, int], Evidence], set[int]]:
    """``near_titles`` after an edit, worked out only around what the edit moved.

    The records are given by their ``titles`` (their profiles' titles) and
    ``profile_of`` (a record's profile, asked only for the few compared).
    ``changed`` are the records added or edited since an earlier store, and
    ``gone`` the titles of its records since removed or edited.  Returns the
    pairs of ``near_titles`` of the profiles that hold a ``moved`` record,
    and ``moved``: the changed records and those whose blocking words the
    edit shifted.  The other pairs of ``near_titles`` are exactly the earlier
    store's pairs between records not in ``moved``.
    """
    titles = [title[:MAX_TITLE] for title in titles]
    words = list(map(set, map(str.split, titles)))
    df = Counter(chain.from_iterable(words))
    changed = set(changed)
    lost = [set(title[:MAX_TITLE].split()) for title in gone]
    before = df.copy()  # the words' counts in the earlier store
    for ws in (words[i] for i in changed):
        before.subtract(ws)
    for ws in lost:
        before.update(ws)
    shifted = {w for w in chain(*(words[i] for i in changed), *lost) if before[w] != df[w]}
    moved = changed | {
        i for i, ws in enumerate(words)
        if i not in changed and not shifted.isdisjoint(ws) and _rarest(ws, df) != _rarest(ws, before)
    }
    # A partner of a moved record shares one of its rarest words: a block, or all but one or two words.
    keys = {w for i in moved for w in _rarest(words[i], df)}
    near = sorted(moved | {i for i, ws in enumerate(words) if not keys.isdisjoint(ws)})
    t = _Titles()
    for i in near:  # in store order, as near_titles sees them
        t.add(titles[i], profile_of(i))
    found: dict[tuple[object, str], list[int]] = defaultdict(list)
    for k, i in enumerate(near):
        for word in _rarest(words[i], df):
            if word in keys:
                found[t.signatures[k], word].append(k)
    mine = {k for k, i in enumerate(near) if i in moved}  # only pairs holding one of these are scored
    pairs = {
        (near[i], near[j]): evidence
        for (i, j), evidence in _near(t, threshold, found.values(), mine).items()
        if near[i] in moved or near[j] in moved
    }
    return pairs, moved


def _near(
    t: _Titles, threshold: float, candidates: Iterable[list[int]], only: set[int] | None = None
) -> dict[tuple[int, int], Evidence]:
    """The pairs of ``near_titles`` among ``t``'s records, titles compared within ``candidates``
    (with ``only``, just the pairs that hold one of those records)."""
    found: dict[tuple[int, int], Evidence] = {}
    for (i, j), (kind, score) in _title_scores(t, threshold, candidates, only).items():
        if t.titles[i] != t.titles[j]:
            found[i, j] = Evidence(kind, "", score, _shared_surname(t.profiles[i], t.profiles[j]))
    for (i, j), word in (_one_word_apart(t) if threshold < 100 else {}).items():
        if (i, j) not in found:
            found[i, j] = Evidence("word", word, _ratio(t.titles[i], t.titles[j]), _shared_surname(t.profiles[i], t.profiles[j]))
    return found


def _shared_surname(a: Profile, b: Profile) -> str:
    shared = sorted(a.surnames & b.surnames)
    return shared[0].title() if shared else ""


class _Records(_Titles):
    """Columns of what dedupe compares, one entry per paper, built once."""

    def __init__(self, store: Store, warnings: list[str]) -> None:
        super().__init__()
        papers = store.papers
        self.papers = papers
        for paper in papers:
            title = comparable_title(paper.title)
            if not title or len(title) > MAX_TITLE:
                where = f"{store.path_of(paper)}:{paper.line}: {paper.key}: title"
                problem = f"{len(title)} characters; compared on its first {MAX_TITLE}" if title else (
                    "nothing left once normalised; compared by identifiers only"
                )
                warnings.append(f"{where}: {problem}")
                title = title[:MAX_TITLE].rsplit(" ", 1)[0]
            self.add(title, profile(paper, title))
        self.ids = [p.ids for p in self.profiles]

    def shared_author(self, i: int, j: int) -> str:
        """The first author of ``i`` whose surname ``j``'s list also holds, or ''."""
        return shared_author(self.papers[i].authors, self.profiles[i], self.profiles[j])

    def veto(self, i: int, j: int) -> str:
        """Why records ``i`` and ``j`` are different papers whatever their titles say, or ''."""
        a, b = self.profiles[i], self.profiles[j]
        return "marked distinct" if marked_distinct(a, b) else veto(a, b)

    def judge(self, link: Link) -> Verdict:
        """The verdict on a link's two records."""
        return judge(self.profiles[link.a], self.profiles[link.b], link.evidence)

    def conclusive(self, i: int, j: int) -> bool:
        """Whether the two records share an arXiv id or a DOI."""
        a, b = self.ids[i], self.ids[j]
        return any(a.get(kind) and a.get(kind) == b.get(kind) for kind in CONCLUSIVE)

    def apart(self, i: int, j: int, conclusive_link: bool) -> bool:
        """Whether records ``i`` and ``j`` must not share a group."""
        a, b = self.profiles[i], self.profiles[j]
        if marked_distinct(a, b):
            return True
        if self.conclusive(i, j):
            return titles_apart(a, b) and not a.surnames & b.surnames
        return not conclusive_link and bool(veto(a, b))


def _ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.ratio(a, b))


def _indel(a: str, b: str) -> int:
    from rapidfuzz.distance import Indel

    return int(Indel.distance(a, b))


# ---------------------------------------------------------------- candidates


def _id_links(r: _Records) -> Iterator[Link]:
    """Links between records that share an identifier (pairs, or a star for big buckets)."""
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, ids in enumerate(r.ids):
        for kind, value in ids.items():
            buckets[kind, value].append(i)
    for (kind, value), members in buckets.items():
        if len(members) < 2:
            continue
        pairs: Iterable[tuple[int, int]] = (
            ((a, b) for n, a in enumerate(members) for b in members[n + 1 :])
            if len(members) <= FULL_PAIRS
            else ((members[0], b) for b in members[1:])
        )
        for a, b in pairs:
            yield Link(a, b, Evidence(kind, value))


def blocks(r: _Titles) -> dict[tuple[object, str], list[int]]:
    """Candidate blocks of titles: (version signature, one of the title's rarest words).

    Words found in one title only are skipped (they cannot be shared), so a
    typo does not use up a title's blocking words.  Two titles that differ
    in at most RARE_WORDS - 1 words each share a block: the rarest word they
    have in common is among the RARE_WORDS rarest of each.
    """
    words = [set(w) for w in r.words]
    df = Counter(w for ws in words for w in ws)
    out: dict[tuple[object, str], list[int]] = defaultdict(list)
    for i, ws in enumerate(words):
        signature = r.signatures[i]
        for word in _rarest(ws, df):
            out[signature, word].append(i)
    return out


def _rarest(words: set[str], df: Counter[str]) -> list[str]:
    """A title's blocking words: its RARE_WORDS rarest that another title has too.

    One order for all (fewest titles first, ties by spelling), so every title ranks shared words alike.
    """
    return sorted([w for w in words if df[w] > 1], key=lambda w: (df[w], w))[:RARE_WORDS]


def _title_scores(
    r: _Titles, threshold: float, candidates: Iterable[list[int]] | None = None, only: set[int] | None = None
) -> dict[tuple[int, int], tuple[str, float]]:
    """Every pair within a block whose titles are ``threshold`` similar or one typo apart.

    Each title is scored as written and with its words sorted (a swapped
    word), which equals rapidfuzz's token_sort_ratio at a fraction of the
    cost.  Values are ("title" or "typo", best score).  ``candidates``
    (default: ``blocks(r)``) are lists of records to compare among themselves;
    with ``only``, just the pairs holding one of those records are scored
    (after an edit, the edited records' pairs).
    """
    extract: Any = None  # rapidfuzz, imported once a pair is to be scored (after an edit there is often none)
    typos = threshold < 100
    threshold -= FLOAT_SLACK
    slack = 1 - threshold / 100
    widest = (1 + slack) / (1 - slack)
    found: dict[tuple[int, int], tuple[str, float]] = {}
    for block in blocks(r).values() if candidates is None else candidates:
        members = sorted((i for i in block if r.titles[i]), key=lambda i: len(r.titles[i]))
        if len(members) < 2:
            continue
        lengths = [len(r.titles[i]) for i in members]
        for forms in (r.titles, r.sorted):
            texts = [forms[i] for i in members]
            for n, i in enumerate(members[:-1]):
                size = lengths[n]
                # One typo (Indel distance 2) in a short title costs more than the threshold allows.
                typo = typos and texts[n].count(" ") + 1 >= MIN_TYPO_WORDS
                cutoff = min(threshold, 100 * (1 - 1 / size) - FLOAT_SLACK) if typo else threshold
                # Indel similarity caps at 2*short/(short+long): skip titles too long to reach it.
                end = bisect.bisect_right(lengths, max(size * widest, size + 2 * typo), n + 1)
                if end == n + 1:
                    continue
                targets: Sequence[int] = range(n + 1, end)
                choices = texts[n + 1 : end]
                if only is not None and i not in only:
                    targets = [m for m in targets if members[m] in only]
                    if not targets:
                        continue
                    choices = [texts[m] for m in targets]
                if extract is None:
                    from rapidfuzz import fuzz, process

                    extract, ratio = process.extract, fuzz.ratio
                hits = extract(texts[n], choices, scorer=ratio, score_cutoff=cutoff, limit=None)
                for text, score, k in hits:
                    if score < threshold and _indel(texts[n], text) > TYPO:
                        continue
                    j = members[targets[k]]
                    pair = (i, j) if i < j else (j, i)
                    if score > found.get(pair, ("", -1.0))[1]:
                        kind = "title" if score >= threshold else "typo"
                        if score >= 100 and r.titles[i] != r.titles[j]:
                            kind = "order"  # the same words, sorted
                        found[pair] = (kind, score)
    return found


def _one_word_apart(r: _Titles) -> dict[tuple[int, int], str]:
    """Pairs of titles where one is the other with a word left out, and that word.

    A left-out word costs a short title more similarity than the threshold
    allows, yet is a common slip when a title is retyped.  Two adjacent
    words inside the title count as one when the shorter title keeps
    MIN_WORDS + 1 (a hyphenated word such as "Long-form" is two words once
    normalised); not at either end, where a subtitle or a name makes
    another paper's title.
    Found exactly: each title less a word is looked up among the titles,
    but only when a title starts and ends as that shorter one would.
    """
    at: dict[str, list[int]] = defaultdict(list)
    ends: Counter[tuple[str, str]] = Counter()
    for i, (title, words) in enumerate(zip(r.titles, r.words, strict=True)):
        if len(words) >= MIN_WORDS:
            at[title].append(i)
            ends[words[0], words[-1]] += 1
    found: dict[tuple[int, int], str] = {}
    for i, words in enumerate(r.words):
        n = len(words)
        for drop in (1, 2):
            if n - drop < MIN_WORDS + drop - 1:
                continue
            # Every cut but the first and the last keeps both ends: is another title so framed?
            inner = ends[words[0], words[-1]] > 1
            cuts = range(n - drop + 1) if inner else (0, n - drop)
            for k in cuts if drop == 1 else (c for c in cuts if 0 < c < n - drop):
                rest = words[:k] + words[k + drop :]
                if (rest[0], rest[-1]) not in ends:  # no title starts and ends so
                    continue
                for j in at.get(" ".join(rest), ()):
                    found[(i, j) if i < j else (j, i)] = " ".join(words[k : k + drop])
    return found


# ---------------------------------------------------------------- grouping


class _Groups:
    """Union-find whose unions keep every group free of vetoed pairs."""

    def __init__(self, r: _Records) -> None:
        self.r = r
        self.parent: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}
        self.links: dict[int, list[Link]] = {}

    def root(self, i: int) -> int:
        parent = self.parent
        while parent.get(i, i) != i:
            parent[i] = parent.get(parent[i], parent[i])  # halve the path as we go
            i = parent[i]
        return i

    def join(self, link: Link) -> bool:
        """Put the link's records in one group unless a veto parts two of their members."""
        a, b = self.root(link.a), self.root(link.b)
        if a == b:
            return True
        left, right = self.members.get(a, [a]), self.members.get(b, [b])
        conclusive = link.evidence.kind in CONCLUSIVE
        if any(self.r.apart(x, y, conclusive) for x in left for y in right):
            return False
        self.parent[b] = a
        self.members[a] = left + right
        self.links[a] = self.links.get(a, []) + self.links.pop(b, []) + [link]
        self.members.pop(b, None)
        return True

    def groups(self) -> list[Group]:
        out = [Group(sorted(m), self.links[root]) for root, m in self.members.items()]
        return sorted(out, key=lambda g: g.members[0])


def find_duplicates(store: Store, threshold: float = DEFAULT_THRESHOLD) -> DuplicateReport:
    """Every group of records in ``store`` that are the same paper, with the reasons, and the look-alikes."""
    report = DuplicateReport()
    r = _Records(store, report.warnings)
    links: dict[tuple[int, int], Link] = {}
    for link in _id_links(r):
        pair = (link.a, link.b)
        if pair not in links or RANK[link.evidence.kind] < RANK[links[pair].evidence.kind]:
            links[pair] = link
    for (i, j), (kind, score) in _title_scores(r, threshold).items():
        if (i, j) not in links:
            links[i, j] = Link(i, j, Evidence(kind, "", score, r.shared_author(i, j)))
    for (i, j), word in (_one_word_apart(r) if threshold < 100 else {}).items():
        if (i, j) not in links:
            score = _ratio(r.titles[i], r.titles[j])
            links[i, j] = Link(i, j, Evidence("word", word, score, r.shared_author(i, j)))
    groups = _Groups(r)
    for link in sorted(links.values(), key=lambda k: (RANK[k.evidence.kind], -k.evidence.score, k.a, k.b)):
        verdict = r.judge(link)
        if verdict.kind == SAME:
            groups.join(link)
        elif verdict.kind != "different":
            report.notes.append(Note(link.a, link.b, verdict))
    report.groups = groups.groups()
    return report
