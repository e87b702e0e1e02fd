"""The paper record and the field table shared by every command.

A ``Paper`` does no I/O; ``lclm.store`` reads and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Stored fields in canonical order, with the Python type each must have.
FIELD_TYPES: dict[str, type] = {
    "key": str,
    "title": str,
    "aka": list,  # other names the paper goes by (RoPE for RoFormer)
    "authors": list,
    "year": int,
    "venue": str,
    "url": str,
    "arxiv": str,
    "doi": str,
    "code": str,  # the code repository's URL
    "tags": list,
    "note": str,
    "pinned": list,  # fields `lclm refresh` must never propose to change
    "distinct": list,
    "ids": list,  # former keys (biblatex's ``ids``): a merge keeps citing drafts working
    "abstract": str,
}
FIELDS = tuple(FIELD_TYPES)
REQUIRED = ("key", "title", "year")
# The word a truncated author list ends with, as the seed list writes it.
OTHERS = "others"


@dataclass(slots=True)
class Paper:
    """One paper of the list.

    ``category`` (the category's file slug) and ``line`` (where the record
    starts in that file) describe where the paper lives; they are not stored
    as fields.  ``extra`` keeps fields lclm does not know, so a rewrite never
    drops what a user wrote.
    """

    key: str
    title: str
    year: int
    authors: list[str] = field(default_factory=list)
    aka: list[str] = field(default_factory=list)
    venue: str = ""
    url: str = ""
    arxiv: str = ""
    doi: str = ""
    code: str = ""
    tags: list[str] = field(default_factory=list)
    note: str = ""
    pinned: list[str] = field(default_factory=list)
    distinct: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    abstract: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    category: str = ""
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The stored fields in canonical order, empty optional ones left out."""
        out: dict[str, Any] = {}
        for name in FIELDS:
            value = getattr(self, name)
            if name in REQUIRED or value:
                out[name] = value
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], category: str = "", line: int = 0
    ) -> Paper:
        """Build a paper from stored fields; unknown fields go to ``extra``."""
        known = {k: v for k, v in data.items() if k in FIELD_TYPES}
        extra = {k: v for k, v in data.items() if k not in FIELD_TYPES}
        return cls(**known, extra=extra, category=category, line=line)

    @property
    def first_author(self) -> str:
        """The first author's name, or an empty string."""
        return self.authors[0] if self.authors else ""
