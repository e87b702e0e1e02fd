"""The search index: a store's searchable words, cached per category file.

Each category file has its own index *segment*, a cache file keyed by that
file's bytes (``lclm.store.cache``), so an edit rebuilds only the edited
file's segment; ``_sections.yaml`` and ``_search.yaml`` are cached the same
way.  A search reads the segments, parses no YAML when nothing changed, and
turns only its hits into ``Paper`` objects.  ``lclm.search.rank`` does the
matching and ranking on top of ``SearchIndex``.
"""

from __future__ import annotations

import io
import itertools
import json
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from lclm.model import OTHERS, Paper
from lclm.search import SEARCH_FILE
from lclm.search.paper_names import (
    TOKEN_RE,
    compact,
    paper_names,
    repo_owner_and_name,
    tokens,
)
from lclm.search.synonyms import Synonyms, builtin_generic, load_synonyms
from lclm.text import fold, latex_to_unicode

INDEX_VERSION = 12
KIND = "search"

# Name levels in ``namekeys``: a name proper; an acronym the abstract defines for other words,
# or the first words of the title ("Ring attention" in "Ring attention with blockwise ...").
NAME, DEFINED = "2", "1"
OPENING_WORDS = 3


def clean_title(title: str) -> str:
    """A title as shown and searched: LaTeX escapes as Unicode, no braces."""
    return latex_to_unicode(title).replace("{", "").replace("}", "")


def acronym(venue: str) -> str:
    """Initials of a venue's words, stop words and numbers left out (CVPR, ICLR, NIPS)."""
    import re

    from lclm.keys import STOPWORDS

    words = re.findall(r"[^\W\d_]+", venue)
    return "".join(w[0] for w in words if w.lower() not in STOPWORDS).lower()


@dataclass(frozen=True, slots=True)
class Named:
    """A paper with the names search knows it by."""

    paper: Paper
    names: list[str]
    defined: list[str]


def _name_words(names: list[str]) -> list[str]:
    out = []
    for name in names:
        out += tokens(name)
        if len(TOKEN_RE.findall(name)) > 1:
            out.append(compact(name))  # "Position Interpolation" is also "positioninterpolation"
    return out


# The words of each field, from a paper and its names.
FIELD_WORDS: dict[str, Callable[[Named], list[str]]] = {
    "name": lambda n: _name_words(n.names),
    "defined": lambda n: _name_words(n.defined),
    "title": lambda n: tokens(clean_title(n.paper.title)),
    "authors": lambda n: tokens(" ".join(a for a in n.paper.authors if a != OTHERS)),
    "first": lambda n: tokens(n.paper.authors[0]) if n.paper.authors and n.paper.authors[0] != OTHERS else [],
    "code": lambda n: tokens(" ".join(repo_owner_and_name(n.paper.code))),  # owner and repository
    "abstract": lambda n: tokens(latex_to_unicode(n.paper.abstract)),
    "tags": lambda n: tokens(" ".join(n.paper.tags)),
    "venue": lambda n: tokens(n.paper.venue),
    "acronym": lambda n: [acronym(n.paper.venue)] if n.paper.venue else [],
    "note": lambda n: tokens(n.paper.note),
    "key": lambda n: [n.paper.key],
    "year": lambda n: [str(n.paper.year)],
}


# ---------------------------------------------------------------- one segment


class Segment:
    """The index of one category file: a JSON head line, then plain-text parts.

    Per field: its words folded (``F.folded``) and as written (``F.words``,
    left out when the same), one per line, and the local positions of the
    papers each word occurs in (``F.post``, starts in ``F.at``); the
    pseudo-field ``people`` holds whole author names, for ``--author``.  Per
    paper: its year (``years``, four digits), its names (``namekeys``, one
    line of ``level:compactname`` words, see ``NAME``); then ``ids``
    (``kind:value<TAB>position`` lines), and where each paper's full record
    starts (``offsets``) in the records.  The records are a cache file of
    their own, read only where needed (``records``: an open file and where
    its body starts): first each paper's words in order, one line each, for
    quoted phrases, then the records, one JSON line each.
    """

    def __init__(self, slug: str, body: bytes, records: tuple[BinaryIO, int]) -> None:
        end = body.index(b"\n") + 1
        head = json.loads(body[:end])
        self.slug, self.body, self.base = slug, body, end
        self.records, self.records_base = records
        self.phrase_size: int = head["phrase"]
        self.count: int = head["count"]
        self.parts: dict[str, list[int]] = head["parts"]
        self.word_counts: dict[str, int] = head["words"]  # per field

    def text(self, name: str) -> str:
        """One part, whole ("" when the segment has none)."""
        if name not in self.parts:
            return ""
        start, size = self.parts[name]
        return self.body[self.base + start : self.base + start + size].decode()

    def record(self, i: int) -> Paper:
        """The full record of local paper ``i``."""
        self.records.seek(self.records_base + self.phrase_size + int(self.text_slice("offsets", 12 * i, 12)))
        data, line = json.loads(self.records.readline())
        return Paper.from_dict(data, category=self.slug, line=line)

    def phrases(self) -> list[str]:
        """Each paper's words in order, one line per paper (kept with the records: read only for phrases)."""
        self.records.seek(self.records_base)
        return self.records.read(self.phrase_size).decode().split("\n")[: self.count]

    def text_slice(self, name: str, start: int, length: int) -> str:
        first = self.base + self.parts[name][0] + start
        return self.body[first : first + length].decode()


Terms = list[Any]  # what one paper puts in its segment, as JSON data (see ``paper_terms``)


def paper_terms(paper: Paper, generic: frozenset[str]) -> Terms:
    """One paper's part of its segment: its words per field, its name keys, its phrase text, its ids."""
    from lclm.ids import identities, normalize_url

    title = clean_title(paper.title)
    names, defined = paper_names(title, paper.aka, paper.code, paper.abstract, generic)
    named = Named(paper, names, defined)
    words = {name: list(dict.fromkeys(words_of(named))) for name, words_of in FIELD_WORDS.items()}
    words["people"] = list(dict.fromkeys(" ".join(a.split()) for a in paper.authors if a != OTHERS))
    # The whole title is a name too: a query that is the title names the paper.
    keys = [f"{NAME}:{compact(n)}" for n in (*names, title)]
    keys += [f"{DEFINED}:{compact(n)}" for n in defined]
    opening = TOKEN_RE.findall(title)[:OPENING_WORDS]
    keys += [f"{DEFINED}:{compact(' '.join(opening[:n]))}" for n in range(1, len(opening) + 1)]
    namekey = " ".join(dict.fromkeys(k for k in keys if len(k) > 2))
    phrase = phrase_text(" ".join([title, *names, paper.abstract]))
    found = dict(identities(paper))
    if "arxiv" in found and found.get("url", "").startswith("arxiv.org/"):
        found.pop("url")  # an arXiv URL is looked up as its id; any other URL as itself
    pairs = [*found.items(), ("key", fold(paper.key)), *(("key", fold(k)) for k in paper.ids)]
    if paper.code:
        pairs.append(("url", normalize_url(paper.code)))  # the code URL names the paper too
    ids = [f"{kind}:{' '.join(value.split())}" for kind, value in dict.fromkeys(pairs)]
    return [words, namekey, phrase, ids]


def build_segment(
    slug: str, papers: Sequence[Paper], generic: frozenset[str], known: dict[str, Terms] | None = None
) -> tuple[bytes, bytes, dict[str, Terms]]:
    """The bytes of one category's segment and of its records, and each paper's terms by record hash.

    A paper whose record hash ``known`` holds takes its terms from there
    (after an edit, only the edited papers are worked out again).
    """
    from lclm.store.cache import digest

    known = known or {}
    words: dict[str, dict[str, list[int]]] = {name: {} for name in [*FIELD_WORDS, "people"]}
    ids, records, offsets, namekeys, phrases, offset = [], [], [], [], [], 0
    memo: dict[str, Terms] = {}
    for i, paper in enumerate(papers):
        data = json.dumps(paper.to_dict(), ensure_ascii=False)
        key = digest(data.encode())
        terms = known.get(key)
        if not (isinstance(terms, list) and len(terms) == 4):
            terms = paper_terms(paper, generic)
        memo[key] = terms
        fields, namekey, phrase, paper_ids = terms
        for name, found in fields.items():
            table = words[name]
            for token in found:
                table.setdefault(token, []).append(i)
        namekeys.append(namekey)
        phrases.append(phrase)
        ids += [f"{kind_value}\t{i}" for kind_value in paper_ids]
        line = f"[{data}, {paper.line}]\n"
        records.append(line)
        offsets.append(f"{offset:012d}")
        offset += len(line.encode())
    parts = {
        "years": "".join(f"{min(max(p.year, 0), 9999):04d}" for p in papers),
        "namekeys": "\n".join(namekeys),
        "ids": "\n" + "\n".join(ids) + "\n",
        "offsets": "".join(offsets),
    }
    for name, table in words.items():
        if not table:
            continue
        folded = "\n".join(fold(w) for w in table)
        parts[f"{name}.folded"] = folded
        if folded != "\n".join(table):
            parts[f"{name}.words"] = "\n".join(table)
        postings = [" ".join(map(str, v)) + " " for v in table.values()]
        starts = list(itertools.accumulate((len(p) for p in postings), initial=0))
        parts[f"{name}.post"] = "".join(postings)
        parts[f"{name}.at"] = "".join(f"{n:011d} " for n in starts)
    where, at, blobs = {}, 0, []
    for name, text in parts.items():
        blob = text.encode()
        where[name], at = [at, len(blob)], at + len(blob)
        blobs.append(blob)
    phrase_part = ("\n".join(phrases) + "\n").encode()
    counts = {name: len(table) for name, table in words.items() if table}
    head = json.dumps({"count": len(papers), "parts": where, "words": counts, "phrase": len(phrase_part)}).encode() + b"\n"
    return head + b"".join(blobs), phrase_part + "".join(records).encode(), memo


def phrase_text(text: str) -> str:
    """A text's words folded, one space apart, hyphens as spaces: what a quoted phrase must occur in."""
    return " ".join(fold(t) for t in TOKEN_RE.findall(text.replace("-", " ")))


# ---------------------------------------------------------------- the whole store


class SearchIndex:
    """The index of a whole store: its segments, in store order, seen as one.

    Word numbers of a field run across the segments (segment by segment) and
    paper positions are store positions, so ``rank`` never sees segments.
    """

    def __init__(self, root: Path, sections: list[dict[str, Any]], segments: list[Segment], synonyms: Synonyms) -> None:
        self.root, self.sections, self.segments, self.synonyms = root, sections, segments, synonyms
        self.bases = list(itertools.accumulate((s.count for s in segments), initial=0))
        self._text: dict[str, str] = {}
        self._lines: dict[str, list[str]] = {}
        self._starts: dict[str, tuple[list[int], list[int]]] = {}
        self._title_words: set[str] | None = None
        self._pieces: dict[str, tuple[list[str], list[int]]] = {}

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the records' files."""
        for segment in self.segments:
            segment.records.close()

    def __len__(self) -> int:
        return self.bases[-1]

    def _segment_of(self, i: int) -> tuple[Segment, int]:
        n = bisect_right(self.bases, i) - 1
        return self.segments[n], i - self.bases[n]

    def text(self, name: str) -> str:
        """A part of every segment, joined (lines run on from segment to segment)."""
        got = self._text.get(name)
        if got is None:
            if name == "years":  # fixed width per paper
                got = "".join(s.text(name) for s in self.segments)
            else:  # one word per line, and a segment without the part has no line for it
                got = "\n".join(s.text(name) for s in self.segments if name in s.parts)
            self._text[name] = got
        return got

    def lines(self, name: str) -> list[str]:
        """A part of every segment, as lines."""
        got = self._lines.get(name)
        if got is None:
            text = self.text(name)
            got = self._lines[name] = text.split("\n") if text else []
        return got

    def per_paper(self, name: str) -> list[str]:
        """A one-line-per-paper part (``namekeys``, ``phrase``), by store position."""
        key = f"{name}/papers"
        got = self._lines.get(key)
        if got is None:
            got = self._lines[key] = [
                line
                for s in self.segments
                if s.count
                for line in (s.phrases() if name == "phrase" else s.text(name).split("\n"))
            ]
        return got

    def typo_candidates(self, field_name: str) -> tuple[list[str], list[int]]:
        """The folded words of a field and the pieces of its hyphenated words, with each one's word
        number: what a typo is compared with ("augmentd" with the "augmented" of "retrieval-augmented")."""
        key = f"{field_name}/typo"
        got = self._pieces.get(key)
        if got is None:
            words, numbers = [], []
            for j, word in enumerate(self.lines(f"{field_name}.folded")):
                for piece in (word, *word.split("-")) if "-" in word else (word,):
                    words.append(piece)
                    numbers.append(j)
            got = self._pieces[key] = (words, numbers)
        return got

    def words(self, field_name: str) -> list[str]:
        """The words of a field as written."""
        out: list[str] = []
        key = f"{field_name}.words/as-written"
        if key in self._lines:
            return self._lines[key]
        for s in self.segments:
            if f"{field_name}.folded" in s.parts:
                name = f"{field_name}.words" if f"{field_name}.words" in s.parts else f"{field_name}.folded"
                out += s.text(name).split("\n")
        self._lines[key] = out
        return out

    def _word_starts(self, field_name: str) -> tuple[list[int], list[int]]:
        """First word number of each segment that has the field, and those segments' numbers."""
        got = self._starts.get(field_name)
        if got is None:
            starts, which, n = [], [], 0
            for k, s in enumerate(self.segments):
                if f"{field_name}.folded" in s.parts:
                    starts.append(n)
                    which.append(k)
                    n += s.word_counts[field_name]
            got = self._starts[field_name] = (starts, which)
        return got

    def containing(self, field_name: str, text: str) -> list[int]:
        """Numbers of the words of a field whose folded form contains ``text``."""
        folded, out, line, prev = self.text(f"{field_name}.folded"), [], 0, 0
        at = folded.find(text) if text else -1
        while at >= 0:
            line += folded.count("\n", prev, at)
            out.append(line)
            end = folded.find("\n", at)
            if end < 0:
                break
            line, prev = line + 1, end + 1
            at = folded.find(text, prev)
        return out

    def postings(self, field_name: str, j: int) -> list[int]:
        """Store positions of the papers word ``j`` of a field occurs in."""
        starts, which = self._word_starts(field_name)
        n = bisect_right(starts, j) - 1
        segment, local, base = self.segments[which[n]], j - starts[n], self.bases[which[n]]
        at = segment.text_slice(f"{field_name}.at", 12 * local, 24).split()
        start, end = int(at[0]), int(at[1])
        return [base + int(i) for i in segment.text_slice(f"{field_name}.post", start, end - start).split()]

    def lookup(self, ident: str) -> list[int]:
        """Store positions of the papers with identifier ``ident`` (``arxiv:2402.13753``)."""
        needle, out = f"\n{ident}\t", []
        for segment, base in zip(self.segments, self.bases):
            ids = segment.text("ids")
            at = ids.find(needle)
            while at >= 0:
                start = at + len(needle)
                out.append(base + int(ids[start : ids.index("\n", start)]))
                at = ids.find(needle, start)
        return out

    def named(self, names: set[str]) -> list[tuple[int, int]]:
        """(store position, level) of every paper with one of ``names`` (compacted) in ``namekeys``."""
        out = []
        for segment, base in zip(self.segments, self.bases):
            text, found = segment.text("namekeys"), []
            for name in names:
                at = text.find(f":{name}")
                while at >= 0:
                    end = at + len(name) + 1
                    if end == len(text) or text[end] in " \n":
                        found.append(at)
                    at = text.find(f":{name}", end)
            line, prev = 0, 0
            for at in sorted(found):  # count lines once through the text, not from the start each time
                line += text.count("\n", prev, at)
                prev = at
                out.append((base + line, int(text[at - 1])))
        return out

    def known_word(self, word: str) -> bool:
        """Whether ``word`` (folded) is a whole word of some title or name."""
        if self._title_words is None:
            self._title_words = set(self.lines("title.folded")).union(self.lines("name.folded"))
        return word in self._title_words

    def year(self, i: int) -> int:
        """The year of the paper at store position ``i``."""
        return int(self.text("years")[4 * i : 4 * i + 4])

    def category(self, i: int) -> str:
        """The category slug of the paper at store position ``i``."""
        return self._segment_of(i)[0].slug

    def records(self, positions: Sequence[int]) -> list[Paper]:
        """The full records of the papers at ``positions``."""
        out = []
        for i in positions:
            segment, local = self._segment_of(i)
            out.append(segment.record(local))
        return out


def load_index(root: Path) -> SearchIndex:
    """The index of the store at ``root``; segments whose file changed are rebuilt (silently).

    Close it (or use it in a ``with``) to close the records' files.
    """
    from lclm.store.layout import SECTIONS_FILE, category_files
    from lclm.store.load import paused_gc, read_store_files

    files = category_files(root)
    blobs = read_store_files(root, [p for p in files if p.name in (SECTIONS_FILE, SEARCH_FILE)])
    sections, synonyms = _meta(root, blobs)
    generic = builtin_generic()
    segments: list[Segment] = []
    from lclm.store.cache import digest

    parts = []  # each category: slug, file, bytes, their hash
    for slug, file in _category_files(sections):
        data = _read_category(root / file)
        parts.append((slug, file, data, digest(data)))
    try:
        with paused_gc():
            _build_side_by_side(root, parts, generic)
            for slug, file, data, key in parts:
                segments.append(_segment(root, slug, file, generic, data, key))
    except BaseException:
        for segment in segments:
            segment.records.close()
        raise
    return SearchIndex(root, sections, segments, synonyms)


# From this many bytes of category files to index, their segments are built in worker processes.
PARALLEL_BYTES = 2 << 20


def _build_side_by_side(root: Path, parts: list[tuple[str, str, bytes, str]], generic: frozenset[str]) -> None:
    """Build (and cache) the segments not cached yet in worker processes (``lclm.workers``), when
    they are many bytes; ``_segment`` then reads them from the cache.  Nothing is done when the work
    is small, cannot be spread, or the cache cannot be written (``_segment`` builds them then)."""
    if sum(len(data) for _, _, data, _ in parts) < PARALLEL_BYTES:
        return  # a small store: not worth a look at the cache before _segment's own
    todo = [part for part in parts if part[2] and not _cached(root, part[0], part[3])]
    todo.sort(key=lambda part: -len(part[2]))  # the biggest first, so the workers finish together
    if len(todo) < 2 or sum(len(data) for _, _, data, _ in todo) < PARALLEL_BYTES:
        return
    from lclm.workers import run_forked

    run_forked(len(todo), lambda i: _segment(root, *todo[i][:2], generic, *todo[i][2:]).records.close())


def _cached(root: Path, slug: str, key: str) -> bool:
    """Whether the segment of a category file whose bytes hash to ``key`` is in the cache (headers checked)."""
    from lclm.store.cache import cache_file, make_stamp, open_blob

    cache, stamp = cache_file(root, KIND, f"{slug}.idx"), make_stamp(KIND, INDEX_VERSION, slug, key)
    found = [open_blob(cache, stamp), open_blob(cache.with_suffix(".rec"), f"{stamp}|records")]
    for opened in found:
        if opened is not None:
            opened[0].close()
    return all(found)


def _segment(root: Path, slug: str, file: str, generic: frozenset[str], data: bytes, key: str) -> Segment:
    """One category's segment (its file's bytes ``data``, their hash ``key``), from its cache files or built (and cached) afresh."""
    from lclm.store.cache import (
        cache_file,
        code_stamp,
        make_stamp,
        open_blob,
        read_blob,
        read_json,
        write_blob,
        write_json,
    )

    cache, stamp = cache_file(root, KIND, f"{slug}.idx"), make_stamp(KIND, INDEX_VERSION, slug, key)
    kept, stored = cache.with_suffix(".rec"), f"{stamp}|records"
    records = open_blob(kept, stored)
    body = read_blob(cache, stamp) if records is not None else None
    if body is None:
        if records is not None:
            records[0].close()
        # Each paper's terms are kept apart from the segment, by the paper's own hash, so they outlive an edit.
        terms_cache = cache_file(root, KIND, f"{slug}.terms")
        terms_stamp = make_stamp(KIND, INDEX_VERSION, slug, "terms", code_stamp())
        known = read_json(terms_cache, terms_stamp)
        body, lines, terms = build_segment(
            slug, _read_papers(root, slug, file, data), generic, known if isinstance(known, dict) else None
        )
        write_blob(kept, stored, lines)
        write_blob(cache, stamp, body)
        write_json(terms_cache, terms_stamp, terms)
        records = open_blob(kept, stored) or (io.BytesIO(lines), 0)  # a cache that cannot be written
    assert records is not None  # opened with its body, or just written
    return Segment(slug, body, records)


def _read_category(path: Path) -> bytes:
    """A category file's bytes; b"" when it is listed but missing (an empty category, validate reports it)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""
    except OSError as exc:
        from lclm.errors import StoreError

        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None


def _read_papers(root: Path, slug: str, file: str, data: bytes) -> list[Paper]:
    """The papers of one category file, from the store's own per-file cache when it has them."""
    if not data:
        return []
    from lclm.store import load
    from lclm.store.layout import Section

    return load.category_papers(root, Section(slug, file), data)


def _meta(root: Path, blobs: dict[Path, bytes]) -> tuple[list[dict[str, Any]], Synonyms]:
    """The section tree and the store's synonyms, cached by the bytes of their two files."""
    from lclm.store.cache import cache_file, digest, make_stamp, read_json, write_json
    from lclm.store.layout import SECTIONS_FILE

    sections_path, search_path = root / SECTIONS_FILE, root / SEARCH_FILE
    if sections_path not in blobs:
        from lclm.errors import StoreError

        raise StoreError(f"{sections_path}: missing (it lists the categories and their order)")
    key = digest(blobs[sections_path] + b"\0" + blobs.get(search_path, b""))
    cache, stamp = cache_file(root, KIND, "_meta.json"), make_stamp(KIND, INDEX_VERSION, key)
    data = read_json(cache, stamp)
    if not isinstance(data, dict):
        from lclm.store.codec import load_sections
        from lclm.store.files import decode

        sections = load_sections(sections_path, decode(sections_path, blobs[sections_path]))
        extra = {}
        if search_path in blobs:
            extra = load_synonyms(search_path, decode(search_path, blobs[search_path]))
        data = {"sections": [s.to_dict() for s in sections], "synonyms": extra}
        write_json(cache, stamp, data)
    return data["sections"], Synonyms.with_store(data["synonyms"])


def _category_files(sections: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(slug, file) of every category, in list order."""
    out = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("file"):
                out.append((item["file"].removesuffix(".yaml"), item["file"]))
            walk(item.get("sections") or [])

    walk(sections)
    return out
