"""Are two records the same paper?  The one rule set `add`, the imports, `dedupe` and `validate` ask.

A pair of records gets one of four answers (a ``Verdict``):

- ``same``: the same paper (a shared arXiv id or DOI; or a shared URL or a
  like title and nothing that parts them);
- ``different``: different papers (a ``distinct:`` mark, or a near title
  parted by a veto: another number or version, other arXiv ids or DOIs,
  years more than one apart, no author in common);
- ``alike``: a shared URL or the very same title, but a veto parts them:
  they look alike, and a ``distinct:`` mark should say they are two papers;
- ``conflict``: a shared arXiv id or DOI on records whose titles are clearly
  different and whose author lists share no one (a retitled version keeps
  its authors), or that a ``distinct:`` mark parts: one id is wrong.

Evidence, strongest first: the same arXiv id, DOI or normalised URL, then
titles that are equal or nearly equal once normalised.  A URL that names a
site (a bare domain, a domain and a fragment) or a code repository is no
identity.  Finding candidate pairs quickly is the caller's business
(``lclm.duplicates.dedupe`` blocks titles); the verdict on a pair is
``judge``'s alone.  Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lclm.duplicates.profile import Profile, profile, surnames
from lclm.model import Paper

SAME, DIFFERENT, ALIKE, CONFLICT = "same", "different", "alike", "conflict"
DEFAULT_THRESHOLD = 96.0  # rapidfuzz ratio (0-100) of normalised titles
MIN_WORDS = 4  # "one word more" links titles only when the shorter has this many words
MIN_TYPO_WORDS = 3  # "one typo apart" links titles of at least this many words
TYPO = 2  # Indel distance of one typo: a changed, missing, extra or swapped letter
FLOAT_SLACK = 1e-3  # rapidfuzz's cutoffs round: a score exactly at the cut must still pass
YEARS_APART = 1  # publication years further apart than this: different papers
TITLES_APART = 50.0  # token-set similarity below which two titles are clearly other papers
# Evidence kinds, strongest first; an arXiv id or DOI is proof on its own.
RANK = {"arxiv": 0, "doi": 1, "url": 2, "title": 3, "order": 3, "typo": 3, "word": 3}
CONCLUSIVE = frozenset({"arxiv", "doi"})
NEAR_WORDS = 3  # a lookup scores the known titles that hold one of the title's rarest words
ID_KINDS = ("arxiv", "doi", "url")
LABELS = {"arxiv": "same arXiv id", "doi": "same DOI", "url": "same URL"}


# ---------------------------------------------------------------- evidence


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

    @property
    def exact(self) -> bool:
        """A shared URL or the very same title: strong enough that a veto only makes a look-alike."""
        return self.kind == "url" or (self.kind == "title" and self.score >= 100)


def shared_id(a: Profile, b: Profile) -> Evidence | None:
    """The strongest identifier two records share."""
    for kind in ID_KINDS:
        value = a.ids.get(kind)
        if value and value == b.ids.get(kind):
            return Evidence(kind, value)
    return None


def one_word_apart(longer: list[str], shorter: list[str]) -> str:
    """The word(s) ``longer`` has more than ``shorter``, when that is all; else ''.

    One word anywhere, with MIN_WORDS words left; or two adjacent words
    inside the title (not at an end, where a subtitle or a name makes
    another paper's title), with MIN_WORDS + 1 left.
    """
    drop = len(longer) - len(shorter)
    if drop not in (1, 2) or len(shorter) < MIN_WORDS + drop - 1:
        return ""
    cuts = range(len(longer) - drop + 1) if drop == 1 else range(1, len(longer) - drop)
    for k in cuts:
        if longer[:k] + longer[k + drop :] == shorter:
            return " ".join(longer[k : k + drop])
    return ""


def title_evidence(a: str, b: str, threshold: float = DEFAULT_THRESHOLD) -> Evidence | None:
    """How two comparable titles are alike: equal, ``threshold`` similar, a typo, a word; or None."""
    if not a or not b:
        return None
    if a == b:
        return Evidence("title")
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Indel

    words_a, words_b = a.split(), b.split()
    if sorted(words_a) == sorted(words_b):
        return Evidence("order")
    cut = threshold - FLOAT_SLACK
    if threshold < 100:
        score = float(fuzz.ratio(a, b))
        best = max(score, float(fuzz.ratio(" ".join(sorted(words_a)), " ".join(sorted(words_b)))))
        if best >= cut:
            return Evidence("title", score=best)
        if min(len(words_a), len(words_b)) >= MIN_TYPO_WORDS and Indel.distance(a, b) <= TYPO:
            return Evidence("typo", score=score)
        longer, shorter = (words_a, words_b) if len(words_a) > len(words_b) else (words_b, words_a)
        word = one_word_apart(longer, shorter)
        if word:
            return Evidence("word", word, score)
    return None


def shared_author(a_authors: Sequence[str], a: Profile, b: Profile) -> str:
    """The first author of ``a`` whose surname ``b``'s list also holds, or ''."""
    shared = a.surnames & b.surnames
    for name in a_authors if shared else ():
        if surnames([name]) & shared:
            return name
    return ""


# ---------------------------------------------------------------- vetoes


def _identifier(kind: str, label: str) -> Callable[[Profile, Profile], str]:
    def rule(a: Profile, b: Profile) -> str:
        x, y = a.ids.get(kind), b.ids.get(kind)
        return f"different {label} ({x}, {y})" if x and y and x != y else ""

    return rule


def _numbers(a: Profile, b: Profile) -> str:
    x, y = a.versions, b.versions
    if [n for _, n in x] != [n for _, n in y]:
        return f"titles differ in a number or version ({_show(x)} vs {_show(y)})"
    for (word_a, _), (word_b, _) in zip(x, y, strict=True):
        # Both glued to a word, and not one typo apart: GPT-4 vs Phi-4.
        if word_a and word_b and _edits(word_a, word_b) > 1:
            return f"titles differ in a version token ({_show(x)} vs {_show(y)})"
    return ""


def _years(a: Profile, b: Profile) -> str:
    return f"years {a.year} and {b.year} are more than {YEARS_APART} apart" if abs(a.year - b.year) > YEARS_APART else ""


def _authors(a: Profile, b: Profile) -> str:
    x, y = a.surnames, b.surnames
    return "no author in common" if x and y and not x & y else ""


VETOES = (_identifier("arxiv", "arXiv ids"), _identifier("doi", "DOIs"), _numbers, _years, _authors)


def _show(versions: tuple[tuple[str, str], ...]) -> str:
    return " ".join(f"{w}{'-' if w else ''}{n}" for w, n in versions) or "none"


def _edits(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))


def veto(a: Profile, b: Profile) -> str:
    """Why two records are different papers whatever their titles say, or ''."""
    for rule in VETOES:
        reason = rule(a, b)
        if reason:
            return reason
    return ""


def marked_distinct(a: Profile, b: Profile) -> bool:
    """Whether either record's ``distinct`` names the other: look-alikes kept apart."""
    return (bool(b.key) and b.key in a.distinct) or (bool(a.key) and a.key in b.distinct)


def titles_apart(a: Profile, b: Profile) -> bool:
    """Whether two titles are clearly other papers' (one is not, give or take, the other)."""
    from rapidfuzz import fuzz

    return bool(a.title and b.title) and float(fuzz.token_set_ratio(a.title, b.title)) < TITLES_APART


# ---------------------------------------------------------------- the verdict


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer for a pair: ``kind`` (SAME, DIFFERENT, ALIKE, CONFLICT), the evidence, and why."""

    kind: str
    evidence: Evidence | None = None
    reason: str = ""  # the veto (DIFFERENT, ALIKE) or the clash (CONFLICT)

    def describe(self) -> str:
        """``same URL x, but years 2020 and 2024 are more than 1 apart``-style text."""
        what = self.evidence.describe() if self.evidence else "nothing in common"
        return f"{what}, but {self.reason}" if self.reason else what


def judge(a: Profile, b: Profile, evidence: Evidence | None) -> Verdict:
    """The verdict on two records, given the strongest evidence linking them."""
    if evidence is None:
        return Verdict(DIFFERENT)
    if evidence.kind in CONCLUSIVE:
        if marked_distinct(a, b):
            return Verdict(CONFLICT, evidence, "they are marked distinct: one id is wrong")
        if titles_apart(a, b) and not a.surnames & b.surnames:
            return Verdict(CONFLICT, evidence, "the titles and authors differ: check the id")
        return Verdict(SAME, evidence)
    if marked_distinct(a, b):
        return Verdict(DIFFERENT, evidence, "marked distinct")
    reason = veto(a, b)
    if not reason:
        return Verdict(SAME, evidence)
    return Verdict(ALIKE if evidence.exact else DIFFERENT, evidence, reason)


def compare(a: Profile, b: Profile, threshold: float = DEFAULT_THRESHOLD, fuzzy: bool = True) -> Verdict:
    """The verdict on two records: their strongest evidence, judged."""
    evidence = shared_id(a, b)
    if evidence is None and a.title and b.title:
        evidence = title_evidence(a.title, b.title, threshold if fuzzy else 100.0)
    return judge(a, b, evidence)


# ---------------------------------------------------------------- a paper against many


@dataclass(frozen=True, slots=True)
class Match:
    """A known paper and the verdict on it (SAME, ALIKE or CONFLICT) for the paper looked up."""

    paper: Paper
    verdict: Verdict

    @property
    def kind(self) -> str:
        """The verdict's kind."""
        return self.verdict.kind

    def describe(self) -> str:
        """``same arXiv id 2502.17129``-style text for messages."""
        return self.verdict.describe()


_PREFERENCE = {SAME: 0, CONFLICT: 1, ALIKE: 2}


class Lookup:
    """The papers known so far, findable by identifier and title; extended as papers are added."""

    def __init__(self, papers: Iterable[Paper] = (), threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self.by_id: dict[tuple[str, str], list[int]] = {}
        self.by_title: dict[str, list[int]] = {}
        self.titles: list[str] = []
        self.papers: list[Paper] = []
        self.profiles: list[Profile] = []
        self.postings: dict[str, list[int]] = {}  # title word -> the known titles holding it
        self.sorted: list[str] = []  # each title with its words sorted (token_sort_ratio's form, made once)
        for paper in papers:
            self.add(paper)

    def add(self, paper: Paper, facts: Profile | None = None) -> None:
        """Make ``paper`` findable (``facts``: its profile, when already made)."""
        at = len(self.papers)
        facts = profile(paper) if facts is None else facts
        for kind_value in facts.ids.items():
            self.by_id.setdefault(kind_value, []).append(at)
        if facts.title:
            self.by_title.setdefault(facts.title, []).append(at)
            for word in set(facts.title.split()):
                self.postings.setdefault(word, []).append(at)
        self.titles.append(facts.title)
        self.sorted.append(" ".join(sorted(facts.title.split())))
        self.papers.append(paper)
        self.profiles.append(facts)

    def find(self, paper: Paper, fuzzy: bool = True, facts: Profile | None = None) -> Match | None:
        """The known paper ``paper`` is (SAME), clashes with (CONFLICT) or looks like (ALIKE); else None."""
        found = self.find_all(paper, fuzzy, facts)
        return found[0] if found else None

    def find_all(self, paper: Paper, fuzzy: bool = True, facts: Profile | None = None) -> list[Match]:
        """Every known paper ``paper`` is, clashes with or looks like: the best first (SAME, CONFLICT, ALIKE)."""
        facts = profile(paper) if facts is None else facts
        candidates: dict[int, None] = {}
        for kind_value in facts.ids.items():
            candidates.update(dict.fromkeys(self.by_id.get(kind_value, ())))
        candidates.update(dict.fromkeys(self.by_title.get(facts.title, ())))
        if fuzzy and facts.title:
            candidates.update(dict.fromkeys(self._near(facts)))
        judged = [(at, compare(facts, self.profiles[at], self.threshold, fuzzy)) for at in candidates]
        judged = sorted(((at, v) for at, v in judged if v.kind != DIFFERENT), key=lambda item: _PREFERENCE[item[1].kind])
        return [Match(self.papers[at], self._named(paper, facts, at, verdict)) for at, verdict in judged]

    def _named(self, paper: Paper, facts: Profile, at: int, verdict: Verdict) -> Verdict:
        """The verdict with the author the two share named in its evidence."""
        evidence = verdict.evidence
        if evidence is not None and evidence.kind not in LABELS:
            author = shared_author(paper.authors, facts, self.profiles[at])
            evidence = Evidence(evidence.kind, evidence.value, evidence.score, author)
            verdict = Verdict(verdict.kind, evidence, verdict.reason)
        return verdict

    def _near(self, facts: Profile) -> list[int]:
        """Known titles close enough that ``title_evidence`` may link them (a loose first cut).

        Only titles holding one of this title's NEAR_WORDS rarest known words
        are scored: a title that differs from it in fewer words shares one
        of them, and ``title_evidence`` links no title further off.  So a
        lookup costs what those words' titles cost, not the whole list
        (an import of 20,000 entries would otherwise be quadratic).  A title
        whose record has another arXiv id or DOI is left out: the ids part
        them whatever the titles say (``veto``), and the very same title is
        found by ``by_title``.
        """
        from rapidfuzz import fuzz, process

        title, postings, profiles = facts.title, self.postings, self.profiles
        mine = [(kind, facts.ids[kind]) for kind in CONCLUSIVE if kind in facts.ids]
        words = title.split()
        known = sorted((len(postings[w]), w) for w in set(words) if w in postings)
        found: set[int] = set()
        for _, word in known[:NEAR_WORDS]:
            found.update(postings[word])
        if mine:
            found = {at for at in found if all(profiles[at].ids.get(kind, value) == value for kind, value in mine)}
        if not found:
            return []
        order = sorted(found)
        # token_sort_ratio, with each known title's words sorted once, not on every lookup.
        hits: Any = process.extract(
            " ".join(sorted(words)), [self.sorted[at] for at in order], scorer=fuzz.ratio, score_cutoff=60, limit=20
        )
        return [order[index] for _, _, index in hits]


# ---------------------------------------------------------------- a batch of incoming papers


NEW, KNOWN, REPEAT, REFUSED = "new", "known", "repeat", "refused"


@dataclass(slots=True)
class Arrival:
    """What to do with one incoming paper of a batch (an imported file).

    ``status``: NEW (write it), KNOWN (the store has it: ``match.paper``),
    REPEAT (the same paper as an earlier one of the batch, ``match.paper``:
    merge the two, write one), REFUSED (it looks like or clashes with a paper
    of the store or of the batch: write neither it nor a second copy).
    """

    paper: Paper
    status: str
    match: Match | None = None
    repeats: list[Paper] = field(default_factory=list)  # for a NEW paper: later repeats of it
    alike: list[Paper] = field(default_factory=list)  # for a look-alike of the batch: every earlier paper it looks like


def sort_batch(incoming: Sequence[Paper], known: Iterable[Paper], fuzzy: bool = False) -> list[Arrival]:
    """Judge each incoming paper against the store's papers and the batch's earlier ones.

    A paper the store has, or looks like, is not written (KNOWN / REFUSED);
    a paper the batch already holds is a REPEAT of that first one, to be
    merged into it (the first's ``repeats`` lists it); one that looks like or
    clashes with an earlier one is REFUSED.  Never are two records of one
    paper both written.
    """
    store = Lookup(known)
    batch = Lookup()
    out: list[Arrival] = []
    first: dict[int, Arrival] = {}
    for paper in incoming:
        facts = profile(paper)
        match = store.find(paper, fuzzy, facts)
        if match is not None:
            out.append(Arrival(paper, KNOWN if match.kind == SAME else REFUSED, match))
            continue
        found = batch.find_all(paper, fuzzy, facts)
        if found:
            match = found[0]
            arrival = Arrival(paper, REPEAT if match.kind == SAME else REFUSED, match)
            if arrival.status == REPEAT:
                first[id(match.paper)].repeats.append(paper)
            elif match.kind == ALIKE:
                # Another paper with a like title: a later copy of *this* one must find it, not only its look-alike;
                # and it is told apart from every earlier one it looks like, not the first only.
                arrival.alike = [m.paper for m in found if m.kind == ALIKE]
                first[id(paper)] = arrival
                batch.add(paper, facts)
            out.append(arrival)
            continue
        arrival = Arrival(paper, NEW)
        first[id(paper)] = arrival
        batch.add(paper, facts)
        out.append(arrival)
    return out
