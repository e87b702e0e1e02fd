"""Find records that are the same paper anywhere in the store.  Pure: no I/O.

Two records are linked by evidence, strongest first: the same arXiv id, the
same DOI, the same normalised URL, or titles that are equal or nearly equal
once normalised.  A link is refused by a veto (titles that differ in a
number or version token, different arXiv ids or DOIs, years more than one
apart, author lists with no surname in common, or a ``distinct:`` mark).
An arXiv id or DOI is proof on its own; only ``distinct:`` overrides it.
Linked records form groups; a group never holds two records a veto parts.

Titles are never compared all against all.  Each title is filed in blocks
keyed by its number/version signature (titles whose signatures differ are
vetoed anyway) and by each of its rarest shared words; only titles of
similar length within a block are scored, by rapidfuzz in C.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from lclm.ids import identities, normalize_doi, parse_arxiv
from lclm.model import OTHERS, Paper
from lclm.store.core import Store
from lclm.text import fold, latex_to_unicode, normalize_title

DEFAULT_THRESHOLD = 96.0  # rapidfuzz ratio (0-100) of normalised titles
RARE_WORDS = 3  # blocking words per title: any 2 differing words still share one
MIN_WORDS = 4  # "one word more" links titles only when the shorter has this many words
MIN_TYPO_WORDS = 3  # "one typo apart" links titles of at least this many words
TYPO = 2  # Indel distance of one typo: a changed, missing, extra or swapped letter
FLOAT_SLACK = 1e-3  # rapidfuzz's cutoffs round: a score exactly at the cut must still pass
MAX_TITLE = 1000  # characters of a normalised title that are compared
FULL_PAIRS = 50  # identifier buckets up to this size are checked pair by pair
YEARS_APART = 1  # publication years further apart than this: different papers
# Evidence kinds, strongest first; an arXiv id or DOI is proof on its own.
RANK = {"arxiv": 0, "doi": 1, "url": 2, "title": 3, "order": 3, "typo": 3, "word": 3}
CONCLUSIVE = frozenset({"arxiv", "doi"})
LABELS = {"arxiv": "same arXiv id", "doi": "same DOI", "url": "same URL"}
# Words that mark an author entry as an organisation, not a person.
ORG_WORDS = frozenset(
    "team ai inc lab labs technology technologies research group contributors "
    "consortium foundation university institute corporation company community".split()
)

_PUNCT_RE = re.compile(r"[\W_]+")
# A number and its letters ("1v", "70b"), and the word glued before it: "gpt-4", "qwen2".
_VERSION_RE = re.compile(r"(?:(?<![a-z])([a-z]*)-?)?(\d+(?:[.,]\d+)*)([a-z]*)")
_DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why two records were taken to be one paper."""

    kind: str  # a key of RANK
    value: str = ""  # the shared identifier, or the word one title lacks
    score: float = 100.0  # title similarity, 0-100
    author: str = ""  # a surname both author lists hold

    def describe(self) -> str:
        """``same arXiv id 2502.17129`` / ``title 97% similar, shared author Zhang``."""
        if self.kind in LABELS:
            return f"{LABELS[self.kind]} {self.value}"
        special = {
            "word": f"same title but for one word ({self.value})",
            "typo": f"same title but for a typo ({self.score:.0f}% similar)",
            "order": "same title, words in another order",
        }
        text = special.get(self.kind) or ("same title" if self.score >= 100 else f"title {self.score:.0f}% similar")
        return f"{text}, shared author {self.author}" if self.author else text


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
    """Two records that share a URL but are kept apart by a veto."""

    a: int
    b: int
    evidence: Evidence
    veto: str

    def describe(self) -> str:
        return f"{self.evidence.describe()}, but not grouped: {self.veto}"


@dataclass(slots=True)
class Report:
    """What ``find_duplicates`` found."""

    groups: list[Group] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- record forms


def paper_identities(paper: Paper) -> dict[str, str]:
    """``lclm.ids.identities`` as a dict, the arXiv id without version, also read from an arXiv DOI.

    A URL that is only a site (``stepfun.com``, ``openai.com``) names no one
    paper and is left out.  A DOI read from a doi.org URL is taken from the
    normalised URL, so ``www.``, a fragment or a trailing slash do not stick to it.
    """
    ids = dict(identities(paper))
    url = ids.get("url")
    if url is not None and "/" not in url and "?" not in url:
        del ids["url"]
    elif url and url.startswith(("doi.org/10.", "dx.doi.org/10.")) and not paper.doi.strip():
        ids["doi"] = normalize_doi(url.split("/", 1)[1])
    doi = paper.doi.strip()
    arxiv = ids.get("arxiv") or (doi if doi.lower().startswith("10.48550/arxiv.") else "")
    parsed = parse_arxiv(arxiv) if arxiv else None
    if parsed:
        ids["arxiv"] = parsed[0]
        if ids.get("url") == f"arxiv.org/abs/{parsed[0]}":
            del ids["url"]  # the arXiv id already says it
    return ids


def comparable_title(title: str) -> str:
    """``normalize_title``, with a fast path for plain ASCII (most titles)."""
    if title.isascii() and "\\" not in title:
        return _PUNCT_RE.sub(" ", title.replace("{", "").replace("}", "").lower()).strip()
    return normalize_title(title)


def version_tokens(title: str) -> tuple[tuple[str, str], ...]:
    """The numbers of a title with the word glued to each, sorted by number.

    ``Qwen2.5 Technical Report`` -> ``(("qwen", "2.5"),)``; ``Gemma 2`` ->
    ``(("", "2"),)``.  Thousands separators are dropped.
    """
    if not _DIGIT_RE.search(title):
        return ()
    plain = title.isascii() and "\\" not in title
    text = (title.lower() if plain else fold(latex_to_unicode(title))).replace("{", "").replace("}", "")
    chunks = [c for c in text.split() if _DIGIT_RE.search(c)]
    found = [(m[1] or "", m[2].replace(",", "") + m[3]) for c in chunks for m in _VERSION_RE.finditer(c)]
    return tuple(sorted(found, key=lambda t: (t[1], t[0])))


def surnames(authors: list[str]) -> frozenset[str]:
    """Folded surnames of the people among ``authors`` (empty: no real list).

    Organisations ("OpenAI", "Gemini Team", "Meta AI") and ``others`` are
    not people; a name is a person when it has two or more words.
    """
    found = set()
    for name in authors:
        if name == OTHERS:
            continue
        last, comma, first = name.partition(",")
        words = _PUNCT_RE.sub(" ", fold(latex_to_unicode(name)).replace("-", "")).split()
        if len(words) < 2 or ORG_WORDS.intersection(words):
            continue
        surname = fold(latex_to_unicode(last)).split() if comma and first.strip() else words[-1:]
        found.add("".join(_PUNCT_RE.sub("", w) for w in surname))
    return frozenset(found)


# ---------------------------------------------------------------- the records


class _Records:
    """Columns of what dedupe compares, one entry per paper, built once."""

    def __init__(self, store: Store, warnings: list[str]) -> None:
        papers = store.papers
        self.papers = papers
        self.titles: list[str] = []
        self.words: list[list[str]] = []
        self.sorted: list[str] = []
        self.versions = [version_tokens(p.title) for p in papers]
        self.signatures = [tuple(n for _, n in v) for v in self.versions]
        self.ids = [paper_identities(p) for p in papers]
        self.distinct = [frozenset(p.distinct) for p in papers]
        self._surnames: dict[int, frozenset[str]] = {}
        for paper in papers:
            title = comparable_title(paper.title)
            if not title or len(title) > MAX_TITLE:
                where = f"{store.path_of(paper)}:{paper.line}: {paper.key}: title"
                problem = f"{len(title)} characters; compared on its first {MAX_TITLE}" if title else (
                    "nothing left once normalised; compared by identifiers only"
                )
                warnings.append(f"{where}: {problem}")
                title = title[:MAX_TITLE].rsplit(" ", 1)[0]
            words = title.split()
            self.titles.append(title)
            self.words.append(words)
            self.sorted.append(" ".join(sorted(words)))

    def surnames(self, i: int) -> frozenset[str]:
        if i not in self._surnames:
            self._surnames[i] = surnames(self.papers[i].authors)
        return self._surnames[i]

    def shared_author(self, i: int, j: int) -> str:
        """The first author of ``i`` whose surname ``j``'s list also holds, or ''."""
        shared = self.surnames(i) & self.surnames(j)
        for name in self.papers[i].authors if shared else ():
            if surnames([name]) & shared:
                return name
        return ""

    def veto(self, i: int, j: int) -> str:
        """Why records ``i`` and ``j`` are different papers, or ''."""
        for rule in _VETOES:
            reason = rule(self, i, j)
            if reason:
                return reason
        return ""

    def conclusive(self, i: int, j: int) -> bool:
        """Whether the two records share an arXiv id or a DOI."""
        a, b = self.ids[i], self.ids[j]
        return any(a.get(kind) and a.get(kind) == b.get(kind) for kind in CONCLUSIVE)


def _marked(r: _Records, i: int, j: int) -> str:
    p, q = r.papers[i], r.papers[j]
    return "marked distinct" if p.key in r.distinct[j] or q.key in r.distinct[i] else ""


def _identifier(kind: str, label: str) -> Callable[[_Records, int, int], str]:
    def rule(r: _Records, i: int, j: int) -> str:
        a, b = r.ids[i].get(kind), r.ids[j].get(kind)
        return f"different {label} ({a}, {b})" if a and b and a != b else ""

    return rule


def _numbers(r: _Records, i: int, j: int) -> str:
    a, b = r.versions[i], r.versions[j]
    if [n for _, n in a] != [n for _, n in b]:
        return f"titles differ in a number or version ({_show(a)} vs {_show(b)})"
    for (word_a, _), (word_b, _) in zip(a, b, strict=True):
        # Both glued to a word, and not one typo apart: GPT-4 vs Phi-4.
        if word_a and word_b and _edits(word_a, word_b) > 1:
            return f"titles differ in a version token ({_show(a)} vs {_show(b)})"
    return ""


def _years(r: _Records, i: int, j: int) -> str:
    a, b = r.papers[i].year, r.papers[j].year
    return f"years {a} and {b} are more than {YEARS_APART} apart" if abs(a - b) > YEARS_APART else ""


def _authors(r: _Records, i: int, j: int) -> str:
    a, b = r.surnames(i), r.surnames(j)
    return "no author in common" if a and b and not a & b else ""


_VETOES = (_marked, _identifier("arxiv", "arXiv ids"), _identifier("doi", "DOIs"), _numbers, _years, _authors)


def _show(versions: tuple[tuple[str, str], ...]) -> str:
    return " ".join(f"{w}{'-' if w else ''}{n}" for w, n in versions) or "none"


def _ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.ratio(a, b))


def _indel(a: str, b: str) -> int:
    from rapidfuzz.distance import Indel

    return int(Indel.distance(a, b))


def _edits(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))


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


def blocks(r: _Records) -> dict[tuple[object, str], list[int]]:
    """Candidate blocks of titles: (version signature, one of the title's rarest words).

    Words found in one title only are skipped (they cannot be shared), so a
    typo does not use up a title's blocking words.  Two titles that differ
    in at most RARE_WORDS - 1 words each share a block: the rarest word they
    have in common is among the RARE_WORDS rarest of each.
    """
    words = [set(w) for w in r.words]
    df = Counter(w for ws in words for w in ws)
    # One global order (rarest first, ties by spelling) so every title ranks shared words alike.
    rank = {w: n for n, w in enumerate(sorted((w for w, c in df.items() if c > 1), key=lambda w: (df[w], w)))}
    shared = frozenset(rank)
    out: dict[tuple[object, str], list[int]] = defaultdict(list)
    for i, ws in enumerate(words):
        signature = r.signatures[i]
        for word in sorted(ws & shared, key=rank.__getitem__)[:RARE_WORDS]:
            out[signature, word].append(i)
    return out


def _title_scores(
    r: _Records, threshold: float, candidates: Iterable[list[int]] | None = None
) -> dict[tuple[int, int], tuple[str, float]]:
    """Every pair within a block whose titles are ``threshold`` similar or one typo apart.

    Each title is scored as written and with its words sorted (a swapped
    word), which equals rapidfuzz's token_sort_ratio at a fraction of the
    cost.  Values are ("title" or "typo", best score).  ``candidates``
    (default: ``blocks(r)``) are lists of records to compare among themselves.
    """
    from rapidfuzz import fuzz, process

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
                hits = process.extract(texts[n], texts[n + 1 : end], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
                for text, score, k in hits:
                    if score < threshold and _indel(texts[n], text) > TYPO:
                        continue
                    j = members[n + 1 + k]
                    pair = (i, j) if i < j else (j, i)
                    if score > found.get(pair, ("", -1.0))[1]:
                        kind = "title" if score >= threshold else "typo"
                        if score >= 100 and r.titles[i] != r.titles[j]:
                            kind = "order"  # the same words, sorted
                        found[pair] = (kind, score)
    return found


def _one_word_apart(r: _Records) -> dict[tuple[int, int], str]:
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
        for x in left:
            for y in right:
                if _marked(self.r, x, y):
                    return False
                if not conclusive and not self.r.conclusive(x, y) and self.r.veto(x, y):
                    return False
        self.parent[b] = a
        self.members[a] = left + right
        self.links[a] = self.links.get(a, []) + self.links.pop(b, []) + [link]
        self.members.pop(b, None)
        return True

    def groups(self) -> list[Group]:
        out = [Group(sorted(m), self.links[root]) for root, m in self.members.items()]
        return sorted(out, key=lambda g: g.members[0])


def find_duplicates(store: Store, threshold: float = DEFAULT_THRESHOLD) -> Report:
    """Every group of records in ``store`` that are the same paper, with the reasons."""
    report = Report()
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
        kind = link.evidence.kind
        veto = _marked(r, link.a, link.b) if kind in CONCLUSIVE else r.veto(link.a, link.b)
        if not veto:
            groups.join(link)
        elif kind == "url" and veto != "marked distinct":
            report.notes.append(Note(link.a, link.b, link.evidence, veto))
    report.groups = groups.groups()
    return report
