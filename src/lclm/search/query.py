"""The query language of ``lclm search``: text in, a ``Query`` out (no index needed).

* several words: all should match (``rope scaling``);
* ``"a quoted phrase"``: those words, in that order;
* ``-word`` (or ``-"a phrase"``): leave out papers that have it;
* ``a OR b``: either (binds tighter than the spaces around it);
* ``field:word``: that word in one field (``title:``, ``name:``, ``author:``,
  ``venue:``, ``tag:``, ``note:``, ``key:``, ``code:``, ``abstract:``), or a
  filter (``year:2023..2024``, ``since:2024``, ``category:NAME``), or an
  identifier (``arxiv:``, ``doi:``, ``url:``); an arXiv id, DOI, URL or key
  typed alone finds that paper.

An unknown field or a field without a value is a ``UsageError`` naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lclm.errors import UsageError
from lclm.search.paper_names import TOKEN_RE, compact
from lclm.text import fold

if TYPE_CHECKING:
    from lclm.search.synonyms import Synonyms

# The fields a bare word is looked for in, and what each ``field:`` prefix searches.
ALL_FIELDS = ("name", "defined", "title", "authors", "first", "code", "abstract", "tags", "year", "key", "venue", "acronym", "note")
SCOPES = {
    "title": ("title",),
    "name": ("name", "defined"),
    "aka": ("name", "defined"),
    "author": ("authors", "first"),
    "authors": ("authors", "first"),
    "venue": ("venue", "acronym"),
    "tag": ("tags",),
    "tags": ("tags",),
    "note": ("note",),
    "key": ("key",),
    "code": ("code",),
    "abstract": ("abstract",),
}
FILTERS = ("year", "since", "category", "cat")
ID_SCOPES = ("arxiv", "doi", "url")
KNOWN_SCOPES = (*SCOPES, *FILTERS, *ID_SCOPES)
# Words a query may hold that say nothing about which paper: they score, but are never required.
STOPWORDS = frozenset(
    "a al an and are as at be by can do does et for from how in into is it its of on or our paper papers "
    "than that the this to toward towards using via vs we what when which why with".split()
)
SYNONYM_WEIGHT = 0.8  # what a word stands for counts less than the word as typed, and less than its stem
FORM_WEIGHT = 0.95  # the word written otherwise (joined, split) counts a little less
MAX_QUERY_CHARS = 1000
MAX_WORDS = 32

_TOKEN_RE = re.compile(r'(-?)"([^"]*)(?:"|$)|(\S+)')
# A query word keeps its trailing pluses: ``c++`` is not the letter c, ``zero++`` is ZeRO++.
_QUERY_WORD_RE = re.compile(TOKEN_RE.pattern + r"\+*")
_LETTERS_DIGITS_RE = re.compile(r"[^\W\d_]+|\d+")
_YEAR_RE = re.compile(r"^(\d{4})?(?:(\.\.)(\d{4})?)?$")


@dataclass(frozen=True, slots=True)
class Alt:
    """One way to satisfy a clause: every word matches (in order, adjacent, when ``phrase``)."""

    words: tuple[str, ...]
    phrase: bool = False
    weight: float = 1.0  # below 1 for what the query's words stand for (synonyms)
    kind: str = ""  # "" as typed, "form" joined or split otherwise, "synonym" what it stands for


@dataclass(slots=True)
class Clause:
    """One thing a paper should have: any of ``alts``, in ``fields``.

    ``required`` (a ``field:word``) must match; ``optional`` (a stop word)
    only adds to the score; other clauses should all match.
    """

    alts: list[Alt]
    fields: tuple[str, ...] = ALL_FIELDS
    required: bool = False
    optional: bool = False
    raw: list[str] = field(default_factory=list)  # as typed, one per way it was written (OR)
    # The query's own words when several were merged into this clause ("kv cache" joined,
    # "positional encoding" with its short form): a partial match counts them one by one.
    parts: list[Clause] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        """Every word of every alternative."""
        return [w for alt in self.alts for w in alt.words]

    @property
    def size(self) -> int:
        """How many of the query's words this clause stands for."""
        return len(self.parts) or 1


@dataclass(slots=True)
class Query:
    """A parsed search: clauses, exclusions, exact identifiers and filters."""

    clauses: list[Clause] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # "arxiv:ID", "doi:..", "url:..", "key:.."
    years: tuple[int, int] | None = None
    categories: list[str] = field(default_factory=list)
    author: list[str] = field(default_factory=list)  # --author: words all in one author's name
    text: str = ""

    @property
    def is_empty(self) -> bool:
        """Nothing to search for and nothing to filter by."""
        return not (self.clauses or self.ids or self.years or self.categories or self.author)

    @property
    def names(self) -> set[str]:
        """What a paper must be called to be exactly what the query names (compacted)."""
        free = [c for c in self.clauses if not c.required and c.raw]
        if len(free) == 1:
            return {compact(r) for r in free[0].raw}
        return {"".join(compact(c.raw[0]) for c in free)} if free else set()


def parse_years(text: str) -> tuple[int, int]:
    """``2023``, ``2023..2024``, ``2023..`` or ``..2024`` as an inclusive range."""
    match = _YEAR_RE.match(text.strip())
    if not match or not (match[1] or match[3]) or (match[2] and not match[1] and not match[3]):
        raise UsageError(f"invalid year {text!r:.40} (use 2023, 2023..2024, 2023.. or ..2024)")
    low = int(match[1]) if match[1] else 0
    high = int(match[3]) if match[3] else (9999 if match[2] else low)
    if low > high:
        raise UsageError(f"invalid year range {text!r}: {low} is after {high}")
    return low, high


def words_of(text: str) -> list[str]:
    """Query words, folded, split like field text (trailing pluses kept); control characters dropped."""
    return _QUERY_WORD_RE.findall(fold(text))


def parse_query(
    words: Sequence[str],
    *,
    category: str | None = None,
    year: str | None = None,
    since: int | None = None,
    author: str | None = None,
    venue: str | None = None,
) -> Query:
    """A ``Query`` from the command line; a malformed one raises ``UsageError``."""
    raw = " ".join(words)
    if len(raw) > MAX_QUERY_CHARS:
        raise UsageError(f"query is too long ({len(raw)} characters; at most {MAX_QUERY_CHARS})")
    printable = "".join(c if c.isprintable() else " " for c in raw)
    query = Query(text=" ".join(printable.split()))
    ranges = [parse_years(year)] if year else []
    if since is not None:
        ranges.append((since, 9999))
    if category:
        query.categories.append(category)
    join_next = False
    for match in _TOKEN_RE.finditer(printable):
        negated, quoted, word = match[1] == "-", match[2], match[3]
        if word == "OR":
            join_next = bool(query.clauses) and not query.clauses[-1].required
            continue
        clause = _clause(query, ranges, quoted, word, negated)
        if clause is None:
            join_next = False
            continue
        if negated or (word is not None and word.startswith("-") and len(word) > 1):
            query.excluded.append(clause)
        elif join_next and not clause.required:
            query.clauses[-1].alts += clause.alts
            query.clauses[-1].raw += clause.raw
        else:
            query.clauses.append(clause)
        join_next = False
    query.clauses += [Clause([Alt((w,))], SCOPES["venue"], required=True) for w in words_of(venue or "")]
    query.author = words_of(author or "")
    if ranges:
        query.years = (max(r[0] for r in ranges), min(r[1] for r in ranges))
    count = sum(len(c.words) for c in query.clauses + query.excluded)
    if count > MAX_WORDS:
        raise UsageError(f"query has {count} words; at most {MAX_WORDS}")
    return query


def _clause(query: Query, ranges: list[tuple[int, int]], quoted: str | None, word: str | None, negated: bool) -> Clause | None:
    """The clause one token of the query stands for (None: it was a filter or an id)."""
    if quoted is not None:
        found = words_of(quoted)
        if not found:
            return None
        return Clause([Alt(tuple(found), phrase=len(found) > 1)], raw=[quoted])
    assert word is not None
    if word.startswith("-") and len(word) > 1 and not negated:
        scope = word[1:].partition(":")[0].lower()
        if scope in (*FILTERS, *ID_SCOPES) and ":" in word:
            raise UsageError(f"{word}: a filter or an identifier cannot be left out; only words and field:word can")
        if scope in SCOPES and ":" in word:
            return _clause(query, ranges, None, word[1:], True)
        found = words_of(word[1:])
        return Clause(_alts(found), raw=[word[1:]]) if found else None
    scope, colon, value = word.partition(":")
    low = scope.lower()
    if colon and low.isalpha() and low in KNOWN_SCOPES:
        if not value:
            raise UsageError(f"{scope}: needs a value, as in {low}:{_EXAMPLES.get(low, 'attention')}")
        return _scoped(query, ranges, low, value)
    ident = _id_of(word)
    if ident is not None:
        query.ids.append(ident)
        return None
    if colon and value and low.isalpha() and len(low) > 1 and not value.startswith("/"):
        raise UsageError(_unknown_field(scope, word))
    found = words_of(word)
    if not found:
        return None
    query.ids.append(f"key:{fold(word.rstrip(':'))}")
    return Clause(_alts(found), raw=[word.rstrip(":")])


def _alts(found: list[str]) -> list[Alt]:
    """The ways to match a typed word: ``flash-attention`` is also ``flashattention`` and ``flash attention``."""
    if len(found) > 1:
        return [Alt(tuple(found))]
    word = found[0]
    if "-" not in word:
        return [Alt((word,))]
    return [Alt((word,)), Alt((word.replace("-", ""),), kind="form"), Alt(tuple(word.split("-")), kind="form")]


_EXAMPLES = {
    "year": "2023..2024",
    "since": "2024",
    "category": "kv-cache",
    "cat": "kv-cache",
    "author": "dao",
    "authors": "dao",
    "venue": "iclr",
    "key": "su2024roformer",
    "arxiv": "2104.09864",
    "doi": "10.1145/3600006.3613165",
    "url": "https://arxiv.org/abs/2104.09864",
    "code": "streaming-llm",
    "name": "rope",
    "aka": "rope",
}


def _scoped(query: Query, ranges: list[tuple[int, int]], scope: str, value: str) -> Clause | None:
    if scope in ("year", "since"):
        ranges.append(parse_years(value + (".." if scope == "since" else "")))
        return None
    if scope in ("category", "cat"):
        query.categories.append(value)
        return None
    if scope in ID_SCOPES:
        ident = _id_of(value if scope != "arxiv" or ":" in value else f"arXiv:{value}")
        if ident is None:
            raise UsageError(f"{scope}:{value}: not a valid {'arXiv id' if scope == 'arxiv' else scope.upper()}")
        query.ids.append(ident)
        return None
    found = words_of(value)
    if not found:
        raise UsageError(f"{scope}:{value}: no words to look for")
    if scope == "key":
        return Clause([Alt((fold(value),))], SCOPES[scope], required=True)
    return Clause([Alt(tuple(found))], SCOPES[scope], required=True)


def _unknown_field(scope: str, word: str) -> str:
    import difflib

    close = difflib.get_close_matches(scope.lower(), KNOWN_SCOPES, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}:? " if close else ""
    return f"unknown field {scope!r} in {word!r}: {hint}fields are {', '.join(KNOWN_SCOPES)}"


def _id_of(word: str) -> str | None:
    """``kind:value`` for an arXiv id, DOI or URL, else None."""
    if not any(c.isdigit() or c in ":/" for c in word):
        return None  # no identifier is all letters; and this spares importing lclm.ids
    from lclm.ids import DOI_RE, normalize_doi, normalize_url, parse_arxiv

    arxiv = parse_arxiv(word)
    if arxiv:
        return f"arxiv:{arxiv[0]}"
    doi = normalize_doi(word)
    if DOI_RE.match(doi):
        return f"doi:{doi}"
    if re.match(r"^https?://", word, re.IGNORECASE):
        return f"url:{normalize_url(word)}"
    return None


def expand(
    query: Query, synonyms: Synonyms, known: Callable[[str], bool], unknown: Callable[[str], bool] = lambda _: False
) -> Query:
    """The query with the other forms of its words as alternatives.

    An abbreviation also stands for its phrases and a phrase for its
    abbreviation (``synonyms``); two words that are one word of the list
    (``known``) also match it joined (``snap kv`` -> SnapKV), and a word the
    list does not have also matches as two of its words (``ringattention``
    -> "Ring attention").  A word in no form in the list (``unknown``) is
    also tried joined to its neighbour, as a misspelt compound (``flsh
    attention``: "FlashAttention").
    """
    out: list[Clause] = []
    clauses = _unrepeated(query.clauses)
    i = 0
    while i < len(clauses):
        merged = _phrase_with_short(clauses, i, synonyms) or _joined(clauses, i, known, unknown, synonyms)
        if merged is not None:
            clause, used = merged
            clause.parts = [_with_forms(c, synonyms, known) for c in clauses[i : i + used]]
            out.append(clause)
            i += used
            continue
        out.append(_with_forms(clauses[i], synonyms, known))
        i += 1
    only_stop = all(_is_stop(c) for c in out if not c.required)
    for clause in out:
        clause.optional = not clause.required and not only_stop and _is_stop(clause)
    query.clauses = out
    return query


def _unrepeated(clauses: list[Clause]) -> list[Clause]:
    """The clauses without a repeated plain word ("tokens ... a million tokens" asks for tokens once)."""
    seen: set[str] = set()
    out = []
    for clause in clauses:
        word = _plain_word(clause)
        if word is None or word not in seen:
            out.append(clause)
        if word is not None:
            seen.add(word)
    return out


def _with_forms(clause: Clause, synonyms: Synonyms, known: Callable[[str], bool]) -> Clause:
    """A clause with what its words stand for (synonyms) and their other spellings as alternatives."""
    if clause.required:
        return clause
    extra = [
        Alt(words, weight=SYNONYM_WEIGHT, kind="synonym")
        for alt in clause.alts
        if len(alt.words) == 1 and not alt.phrase
        for words in synonyms.expand(alt.words[0])
    ]
    shorts = [synonyms.short_for(alt.words) for alt in clause.alts if len(alt.words) > 1]
    extra += [Alt((short,), weight=SYNONYM_WEIGHT, kind="synonym") for short in shorts if short]
    extra += [split for alt in clause.alts if len(alt.words) == 1 for split in _splits(alt.words[0], known)]
    extra += [split for alt in clause.alts if len(alt.words) == 1 for split in _digit_splits(alt.words[0])]
    extra = [a for a in dict.fromkeys(extra) if a not in clause.alts]
    return Clause(clause.alts + extra, clause.fields, raw=clause.raw)


def _plain_word(clause: Clause) -> str | None:
    """The one word of a clause that is just a word, else None."""
    if clause.required or len(clause.alts) != 1 or len(clause.alts[0].words) != 1 or clause.alts[0].phrase:
        return None
    return clause.alts[0].words[0]


def _joined(
    clauses: list[Clause], i: int, known: Callable[[str], bool], unknown: Callable[[str], bool], synonyms: Synonyms
) -> tuple[Clause, int] | None:
    """Words i and i+1 as one clause when together they are one word of the list (``snap kv``),
    or may be one misspelt (``flsh attention``: a word the list lacks, joined to its neighbour,
    may be a typo of a compound name, "FlashAttention")."""
    if i + 1 >= len(clauses):
        return None
    a, b = _plain_word(clauses[i]), _plain_word(clauses[i + 1])
    if not a or not b or a in STOPWORDS or b in STOPWORDS:
        return None
    if not known(a + b) and not (a.isalpha() and b.isalpha() and len(a + b) >= 8 and (unknown(a) or unknown(b))):
        return None
    raw = [" ".join(r for c in clauses[i : i + 2] for r in c.raw[:1])]
    alts = [Alt((a, b)), Alt((a + b,), weight=FORM_WEIGHT, kind="form")]
    alts += [Alt((*words, b), weight=SYNONYM_WEIGHT, kind="synonym") for words in synonyms.expand(a)]
    alts += [Alt((a, *words), weight=SYNONYM_WEIGHT, kind="synonym") for words in synonyms.expand(b)]
    return Clause(list(dict.fromkeys(alts)), raw=raw), 2


def _splits(word: str, known: Callable[[str], bool]) -> list[Alt]:
    """A word as two adjacent words of the list (``ringattention``: "Ring attention")."""
    if len(word) < 5 or not word.isalpha():
        return []
    return [
        Alt((word[:n], word[n:]), phrase=True, weight=FORM_WEIGHT, kind="form")
        for n in range(2, len(word) - 1)
        if word[:n] not in STOPWORDS and word[n:] not in STOPWORDS and known(word[:n]) and known(word[n:])
    ]


def _digit_splits(word: str) -> list[Alt]:
    """A word of letters and digits as its runs, adjacent (``2bit``: "2 bit", ``flashattention2``)."""
    runs = _LETTERS_DIGITS_RE.findall(word)
    if len(runs) < 2 or "".join(runs) != word:
        return []
    return [Alt(tuple(runs), phrase=True, weight=FORM_WEIGHT, kind="form")]


def _is_stop(clause: Clause) -> bool:
    return len(clause.alts) == 1 and clause.alts[0].words[0] in STOPWORDS and len(clause.alts[0].words) == 1


def _phrase_with_short(clauses: list[Clause], i: int, synonyms: Synonyms) -> tuple[Clause, int] | None:
    """Words i, i+1, ... of the query that spell a phrase with a short form, as one clause."""
    for size in range(min(synonyms.longest, len(clauses) - i), 1, -1):
        span = clauses[i : i + size]
        if any(c.required or len(c.alts) != 1 or len(c.alts[0].words) != 1 for c in span):
            continue
        words = tuple(c.alts[0].words[0] for c in span)
        short = synonyms.short_for(words)
        if short is not None:
            raw = [" ".join(r for c in span for r in c.raw[:1])]
            return Clause([Alt(words), Alt((short,), weight=SYNONYM_WEIGHT, kind="synonym")], raw=raw), size
    return None
