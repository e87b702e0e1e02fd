"""The field's abbreviations: one table, shipped with lclm, that a store extends.

``synonyms.json`` (next to this module) maps a short form to the phrases it
stands for (``llm`` -> "large language model"); a store adds or extends
entries in ``papers/_search.yaml``::

    synonyms:
      llm: large language model
      kv: [key-value, key value]

A query word finds its phrases and a query phrase finds its short form.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from lclm.errors import StoreError
from lclm.search.paper_names import TOKEN_RE, compact
from lclm.text import fold

BUILTIN = Path(__file__).with_name("synonyms.json")


@lru_cache(maxsize=1)
def _builtin() -> dict[str, list[str]]:
    data = json.loads(BUILTIN.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def builtin_generic() -> frozenset[str]:
    """The built-in short forms: common abbreviations, never a paper's own name."""
    return frozenset(_builtin())


def load_synonyms(path: Path, text: str) -> dict[str, list[str]]:
    """The ``synonyms`` table of a store's ``_search.yaml``; a malformed one is a ``StoreError``."""
    from lclm.store.yamlio import compose, construct

    node = compose(path, text)
    data = construct(node) if node is not None else None
    table = data.get("synonyms") if isinstance(data, dict) else None
    if data is None:
        return {}
    if not isinstance(table, dict):
        raise StoreError(f"{path}:1: must be a mapping with a 'synonyms:' mapping (word: phrase or list of phrases)")
    out: dict[str, list[str]] = {}
    for short, phrases in table.items():
        items = [phrases] if isinstance(phrases, str) else phrases
        if not isinstance(short, str) or not isinstance(items, list) or not all(isinstance(p, str) for p in items):
            raise StoreError(f"{path}: synonyms: {short!r}: give a phrase or a list of phrases")
        out[short] = list(items)
    return out


class Synonyms:
    """Short forms and the word sequences they stand for, folded."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.expansions: dict[str, list[tuple[str, ...]]] = {}
        self.shorts: dict[tuple[str, ...], str] = {}
        for short, phrases in table.items():
            key = compact(short)
            for phrase in phrases:
                words = tuple(fold(w) for w in TOKEN_RE.findall(phrase.replace("-", " ")))
                if key and words and words != (key,):
                    self.expansions.setdefault(key, []).append(words)
                    self.shorts.setdefault(tuple(_singular(w) for w in words), key)
                    if len(words) == 1:  # a synonym, not an abbreviation: "review" also stands for "survey"
                        self.expansions.setdefault(words[0], []).append((key,))

    @classmethod
    def with_store(cls, extra: dict[str, Any]) -> Synonyms:
        """The built-in table with a store's entries added."""
        table = {k: list(v) for k, v in _builtin().items()}
        for short, phrases in extra.items():
            table.setdefault(short, [])
            table[short] += [p for p in phrases if p not in table[short]]
        return cls(table)

    def expand(self, word: str) -> list[tuple[str, ...]]:
        """The phrases a query word stands for (``llms`` -> large language model)."""
        got = self.expansions.get(word)
        if got is None and len(word) > 2 and word.endswith("s"):
            got = self.expansions.get(word[:-1])
        return got or []

    def short_for(self, words: tuple[str, ...]) -> str | None:
        """The short form of a phrase of query words, if it has one."""
        return self.shorts.get(tuple(_singular(w) for w in words))

    @property
    def longest(self) -> int:
        """The most words a phrase of the table has."""
        return max((len(k) for k in self.shorts), default=0)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
