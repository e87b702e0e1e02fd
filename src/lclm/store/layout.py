"""What a store is: its section tree and papers, and where it lives on disk.

``papers/_sections.yaml`` holds the section tree (names, translations, order,
and which file each category's papers live in); every category file is a YAML
list of paper mappings in the curator's order.  Nothing here reads a file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lclm.errors import StoreError, UsageError
from lclm.model import Paper

SECTIONS_FILE = "_sections.yaml"
# Present only while a write is being put in place (``lclm.store.journal``).
JOURNAL_FILE = ".lclm-journal"
VENUES_FILE = "_venues.yaml"  # the store's venue table (lclm.venues), not a category
WATCH_FILE = "_watch.yaml"  # what lclm watch remembers (lclm.watch.memory), not a category


@dataclass(slots=True)
class Section:
    """A heading of the list: a category (it has a ``file``), a group, or both."""

    name: str
    file: str = ""
    translations: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)

    @property
    def slug(self) -> str:
        """The category's file name without ``.yaml``."""
        return self.file.removesuffix(".yaml")

    def title(self, lang: str = "en") -> str:
        """The heading in ``lang``, falling back to English."""
        return self.translations.get(lang, self.name) if lang != "en" else self.name

    def walk(self, depth: int = 0) -> Iterator[tuple[int, Section]]:
        """This section and every section below it, with its depth."""
        yield depth, self
        for child in self.sections:
            yield from child.walk(depth + 1)

    def to_dict(self) -> dict[str, Any]:
        """The section as stored in ``_sections.yaml``."""
        out: dict[str, Any] = {"name": self.name}
        if self.file:
            out["file"] = self.file
        if self.translations:
            out["translations"] = dict(self.translations)
        if self.sections:
            out["sections"] = [s.to_dict() for s in self.sections]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        """A section from its stored mapping (already checked for shape)."""
        return cls(
            name=data["name"],
            file=data.get("file", ""),
            translations=dict(data.get("translations") or {}),
            sections=[cls.from_dict(s) for s in data.get("sections") or []],
        )


@dataclass(slots=True)
class Store:
    """The whole list: its section tree and its papers in store order.

    ``missing`` names category files ``_sections.yaml`` lists that do not
    exist; they load as empty categories so that one lost file does not stop
    every command (``validate`` reports them).
    """

    root: Path
    sections: list[Section]
    papers: list[Paper]
    missing: list[Path] = field(default_factory=list)

    def categories(self) -> list[Section]:
        """Every section that holds papers, in list order."""
        return [s for top in self.sections for _, s in top.walk() if s.file]

    def category(self, slug: str) -> Section:
        """The category whose file is ``slug``.yaml."""
        for section in self.categories():
            if section.slug == slug:
                return section
        raise StoreError(f"no category {slug!r}", path=self.root)

    def in_category(self, slug: str) -> list[Paper]:
        """The papers of one category, in the curator's order."""
        return [p for p in self.papers if p.category == slug]

    def path_of(self, paper: Paper) -> Path:
        """The file a paper lives in."""
        return self.root / f"{paper.category}.yaml"

    def category_for(self, query: str, create: bool = False) -> tuple[Section, bool]:
        """The category ``query`` names (``find_category``); with ``create``, a new one named ``query``.

        With ``create`` only a category of exactly that name or slug (any case)
        is taken as it; any other name starts a new category at the end of the
        list, its file a slug no other category uses.  True when it is new.
        """
        from lclm.text import fold, slugify

        if not create:
            return self.find_category(query, hint=f" (--create starts a new category named {query!r})"), False
        name = " ".join(query.split())
        cats = self.categories()
        found = next((c for c in cats if fold(name) in (c.slug, fold(c.name))), None)
        if found is not None:
            return found, False
        if not slugify(name):
            raise UsageError(f"category name {query!r} has no letters or digits to name its file by")
        taken = {c.slug for c in cats} | {p.stem for p in self.root.glob("*.yaml")}
        section = Section(name, file=f"{free_slug(name, taken)}.yaml")
        self.sections.append(section)
        return section, True

    def find_category(self, query: str, hint: str = "") -> Section:
        """The category a user means: by slug or name, any case, forgiving typos.

        ``kv cache`` finds "KV Cache Optimization".  An unknown or ambiguous
        name raises a ``UsageError`` that lists the categories (and ends with
        ``hint`` when unknown).
        """
        from rapidfuzz import fuzz, process

        from lclm.text import fold

        cats = self.categories()
        wanted = fold(query.strip())
        for cat in cats:
            if wanted in (cat.slug, fold(cat.name), *map(fold, cat.translations.values())):
                return cat
        # Every word the start of a word of one category's name: "kv", "mllm", "pre training".
        words = re.findall(r"\w+", wanted)
        by_words = [c for c in cats if _starts_words(words, re.findall(r"\w+", fold(c.name)))]
        if len(by_words) == 1:
            return by_words[0]
        if len(by_words) > 1:
            names = ", ".join(f"{c.slug} ({c.name})" for c in by_words)
            raise UsageError(f"category {query!r} is ambiguous: it could be {names}")
        choices = {i: fold(f"{c.name} {c.slug}") for i, c in enumerate(cats)}
        scored = process.extract(wanted, choices, scorer=fuzz.WRatio, limit=2, score_cutoff=80)
        if scored and (len(scored) == 1 or scored[0][1] - scored[1][1] >= 5):
            return cats[scored[0][2]]
        known = "; ".join(f"{c.slug} ({c.name})" for c in cats)
        raise UsageError(f"unknown category {query!r}; known categories: {known}{hint}")


def free_slug(name: str, taken: set[str]) -> str:
    """A file slug for a new category named ``name`` that no slug in ``taken`` has (``name-2``, ``-3``, ...); it joins ``taken``."""
    from lclm.text import slugify

    base = slug = slugify(name)
    n = 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _starts_words(words: list[str], name_words: list[str]) -> bool:
    return bool(words) and all(any(n.startswith(w) for n in name_words) for w in words)


def resolve_root(option: str | None = None) -> Path:
    """The store directory: ``--papers``, else ``$LCLM_PAPERS``, else ``./papers``."""
    return Path(option or os.environ.get("LCLM_PAPERS") or "papers")


def category_files(root: Path) -> list[Path]:
    """The YAML files of a store, sorted, the sections file included."""
    if not root.is_dir():
        what = "is not a directory" if root.exists() else "does not exist"
        raise StoreError(f"paper store {what} (use --papers DIR or set LCLM_PAPERS)", path=root)
    files = sorted(p for p in root.glob("*.yaml") if p.name not in (VENUES_FILE, WATCH_FILE))
    if not files:
        raise StoreError("paper store is empty (no *.yaml files)", path=root)
    return files
