"""The paper record and the field table shared by every command.

A ``Paper`` does no I/O; ``lclm.store`` reads and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

# Stored fields in canonical order (the order a record is written in).  Each
# field's type is the one ``Paper`` declares: ``FIELD_TYPES`` below.
FIELDS = (
    "key", "title", "aka", "authors", "year", "venue", "url", "arxiv", "doi", "code",
    "tags", "note", "pinned", "distinct", "ids", "abstract",
)
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
    aka: list[str] = field(default_factory=list)  # other names the paper goes by (RoPE for RoFormer)
    venue: str = ""
    url: str = ""
    arxiv: str = ""
    doi: str = ""
    code: str = ""  # the code repository's URL
    tags: list[str] = field(default_factory=list)
    note: str = ""
    pinned: list[str] = field(default_factory=list)  # fields `lclm refresh` must never propose to change
    distinct: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # former keys (biblatex's ``ids``): a merge keeps citing drafts working
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


# Where a paper lives and what lclm does not know: attributes of ``Paper``, not stored fields.
_NOT_STORED = frozenset({"extra", "category", "line"})
# The Python type each stored field must have, from ``Paper``'s own declarations
# (written as text: this module uses postponed annotations).
_TYPES: dict[str, type] = {"str": str, "int": int, "list[str]": list}
_DECLARED = {f.name: _TYPES[str(f.type)] for f in fields(Paper) if f.name not in _NOT_STORED}
if set(_DECLARED) != set(FIELDS):  # a field added to Paper and not to FIELDS, or the other way
    raise ImportError(f"lclm.model: FIELDS and Paper disagree on {sorted(set(_DECLARED) ^ set(FIELDS))}")
FIELD_TYPES: dict[str, type] = {name: _DECLARED[name] for name in FIELDS}


def type_problem(name: str, value: Any) -> str | None:
    """Why ``value`` cannot be field ``name``, or None when it can (an unknown field can be anything)."""
    expected = FIELD_TYPES.get(name)
    if expected is None:
        return None
    if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        return f"must be a whole number, not {value!r:.40}"
    if expected is not int and not isinstance(value, expected):
        kind = "a list" if expected is list else "text"
        return f"must be {kind}, not {type(value).__name__} {value!r:.40}"
    if expected is list and not all(isinstance(v, str) for v in value):
        return "every item must be text"
    return None
