"""The search index: a store's searchable words in one cache file, read as needed.

Built from the store on the first search after a change and kept in
``cache_dir()`` keyed by the store's digest, so a search parses no YAML and
turns only its hits into ``Paper`` objects.  ``lclm.search.rank`` does the
matching and ranking on top of it.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from lclm.model import OTHERS, Paper
from lclm.store.core import Store, cache_path, category_files, load_store, read_blobs, store_digest, write_atomic
from lclm.text import fold, latex_to_unicode

INDEX_VERSION = 1
TOKEN_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

# What each field holds as text; the tokenizer splits it into words.
FIELD_TEXT: dict[str, Callable[[Paper], str]] = {
    "title": lambda p: clean_title(p.title),
    "authors": lambda p: " ".join(a for a in p.authors if a != OTHERS),
    "tags": lambda p: " ".join(p.tags),
    "year": lambda p: str(p.year),
    "key": lambda p: p.key,
    "venue": lambda p: p.venue,
    "acronym": lambda p: acronym(p.venue),
    "note": lambda p: p.note,
}

def clean_title(title: str) -> str:
    """A title as shown and searched: LaTeX escapes as Unicode, no braces."""
    return latex_to_unicode(title).replace("{", "").replace("}", "")


def acronym(venue: str) -> str:
    """Initials of a venue's words, stop words and numbers left out (CVPR, ICLR, NIPS)."""
    from lclm.keys import STOPWORDS

    words = re.findall(r"[^\W\d_]+", venue)
    return "".join(w[0] for w in words if w.lower() not in STOPWORDS).lower()


class Index:
    """The searchable words of a store, read from its cache file as needed.

    The file is one JSON line (digest, sections, and where each part lies)
    followed by plain-text parts that are read only when a query needs them:
    per field, its words folded (``F.folded``) and as written (``F.words``,
    left out when the same), one line each, and where each word's postings
    (the store positions of the papers it occurs in) start in ``F.post``;
    the pseudo-field ``names`` holds whole author names, for ``--author``;
    per paper, fixed-width runs of year, category number and record offset;
    ``ids`` (``kind:value<TAB>position`` lines); and the full records.
    """

    def __init__(self, root: Path, handle: BinaryIO, head: dict[str, Any], base: int) -> None:
        self.root, self.base, self._handle = root, base, handle
        self.sections: list[dict[str, Any]] = head["sections"]
        self.cats: list[list[str]] = head["cats"]  # [slug, name] per category number
        self.parts: dict[str, list[int]] = head["parts"]  # name -> [start, length]
        self._text: dict[str, str] = {}
        self._lines: dict[str, list[str]] = {}
        self._title_words: set[str] | None = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def _read(self, name: str, start: int = 0, length: int | None = None) -> str:
        first, size = self.parts[name]
        self._handle.seek(self.base + first + start)
        return self._handle.read(size - start if length is None else length).decode()

    def text(self, name: str) -> str:
        """One part of the file, whole (read once)."""
        got = self._text.get(name)
        if got is None:
            got = self._text[name] = self._read(name) if name in self.parts else ""
        return got

    def lines(self, name: str) -> list[str]:
        """One part of the file, split into lines (once)."""
        got = self._lines.get(name)
        if got is None:
            got = self._lines[name] = self.text(name).split("\n")
        return got

    def words(self, field_name: str) -> list[str]:
        """The words of a field as written."""
        return self.lines(f"{field_name}.words" if f"{field_name}.words" in self.parts else f"{field_name}.folded")

    def __len__(self) -> int:
        return self.parts["years"][1] // 4

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
        start, end = (int(x) for x in self.text(f"{field_name}.at")[12 * j : 12 * j + 24].split())
        return [int(i) for i in self.text(f"{field_name}.post")[start:end].split()]

    def lookup(self, ident: str) -> list[int]:
        """Store positions of the papers with identifier ``ident`` (``arxiv:2402.13753``)."""
        ids, needle, out = self.text("ids"), f"\n{ident}\t", []
        at = ids.find(needle)
        while at >= 0:
            start = at + len(needle)
            out.append(int(ids[start : ids.index("\n", start)]))
            at = ids.find(needle, start)
        return out

    def known_word(self, word: str) -> bool:
        """Whether ``word`` (folded) is a whole word of some title."""
        if self._title_words is None:
            self._title_words = set(self.lines("title.folded"))
        return word in self._title_words

    def records(self, positions: Sequence[int]) -> list[Paper]:
        """The full records of the papers at ``positions``."""
        out = []
        for i in positions:
            start = int(self._read("offsets", 12 * i, 12))
            self._handle.seek(self.base + self.parts["records"][0] + start)
            data, category, line = json.loads(self._handle.readline())
            out.append(Paper.from_dict(data, category=category, line=line))
        return out


def index_path(root: Path) -> Path:
    """The search index file of a store, next to the store's own cache."""
    store_cache = cache_path(root)
    return store_cache.with_name(store_cache.stem.replace("store-", "search-") + ".idx")


def load_index(root: Path) -> Index:
    """The index of the store at ``root``, rebuilt (silently) when stale or unreadable."""
    digest = store_digest(read_blobs(category_files(root)))
    path = index_path(root)
    try:
        handle = path.open("rb")
    except OSError:
        pass
    else:
        try:
            line = handle.readline()
            head = json.loads(line)
            size = len(line) + sum(length for _, length in head["parts"].values())
            whole = size == os.fstat(handle.fileno()).st_size
            if head["version"] == INDEX_VERSION and head["digest"] == digest and whole:
                return Index(root, handle, head, len(line))
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # stale, cut short or damaged: build it again
        handle.close()
    text = build_index(load_store(root), digest)
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs speed
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    data = text.encode()
    line = data[: data.index(b"\n") + 1]
    return Index(root, io.BytesIO(data), json.loads(line), len(line))


def build_index(store: Store, digest: str) -> str:
    """The text of a store's index file."""
    from lclm.ids import identities

    words: dict[str, dict[str, list[int]]] = {name: {} for name in [*FIELD_TEXT, "names"]}
    ids, records, offsets, offset = [], [], [], 0
    for i, paper in enumerate(store.papers):
        for name, text_of in FIELD_TEXT.items():
            for token in dict.fromkeys(TOKEN_RE.findall(text_of(paper))):
                words[name].setdefault(token, []).append(i)
        for person in dict.fromkeys(" ".join(a.split()) for a in paper.authors if a != OTHERS):
            words["names"].setdefault(person, []).append(i)  # whole names, for --author
        found = dict(identities(paper))
        if "arxiv" in found:
            found.pop("url", None)  # an arXiv URL is looked up as its id
        found["key"] = fold(paper.key)
        ids += [f"{kind}:{' '.join(value.split())}\t{i}" for kind, value in found.items()]
        line = json.dumps([paper.to_dict(), paper.category, paper.line], ensure_ascii=False) + "\n"
        records.append(line)
        offsets.append(f"{offset:012d}")
        offset += len(line.encode())
    numbers = {c.slug: n for n, c in enumerate(store.categories())}
    parts = {
        "years": "".join(f"{min(max(p.year, 0), 9999):04d}" for p in store.papers),
        "cats": "".join(f"{numbers.get(p.category, 0):03d}" for p in store.papers),
        "offsets": "".join(offsets),
        "records": "".join(records),
        "ids": "\n" + "\n".join(ids) + "\n",
    }
    for name, table in words.items():
        folded = "\n".join(fold(w) for w in table)
        parts[f"{name}.folded"] = folded
        if folded != "\n".join(table):
            parts[f"{name}.words"] = "\n".join(table)
        postings = [" ".join(map(str, v)) + " " for v in table.values()]
        starts = list(itertools.accumulate((len(p) for p in postings), initial=0))
        parts[f"{name}.post"] = "".join(postings)
        parts[f"{name}.at"] = "".join(f"{n:011d} " for n in starts)
    where, at = {}, 0
    for name, text in parts.items():
        size = len(text.encode())
        where[name], at = [at, size], at + size
    head = {
        "version": INDEX_VERSION,
        "digest": digest,
        "sections": [s.to_dict() for s in store.sections],
        "cats": [[c.slug, c.name] for c in store.categories()],
        "parts": where,
    }
    return json.dumps(head, ensure_ascii=False) + "\n" + "".join(parts.values())
