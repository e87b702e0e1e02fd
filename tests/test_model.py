"""The field table: written once, in Paper, and read in canonical order."""

from __future__ import annotations

from dataclasses import fields

from lclm.model import FIELD_TYPES, FIELDS, Paper, type_problem


def test_the_field_table_is_papers_own_declarations_in_canonical_order() -> None:
    stored = {f.name for f in fields(Paper)} - {"extra", "category", "line"}
    assert tuple(FIELD_TYPES) == FIELDS and set(FIELDS) == stored
    assert FIELD_TYPES["year"] is int and FIELD_TYPES["authors"] is list and FIELD_TYPES["venue"] is str
    # to_dict writes the canonical order, whatever order the dataclass declares.
    paper = Paper("a2024b", "T", 2024, ["A B"], aka=["X"], venue="V")
    assert list(paper.to_dict()) == ["key", "title", "aka", "authors", "year", "venue"]


def test_type_problems_name_what_is_wrong() -> None:
    assert type_problem("year", "2024") == "must be a whole number, not '2024'"
    assert type_problem("year", True) == "must be a whole number, not True"
    assert type_problem("authors", "A B") == "must be a list, not str 'A B'"
    assert type_problem("tags", ["x", 1]) == "every item must be text"
    assert type_problem("unknown", object()) is None
