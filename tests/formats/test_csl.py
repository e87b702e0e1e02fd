"""JSON and CSL-JSON export, checked against the structure pandoc and citeproc read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import LANDMARK, QWQ, SPECIAL, T5, THUS, make_store, run
from lclm.formats.csl import csl_item, csl_name
from lclm.model import Paper
from lclm.store.load import load_store


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module does not test the cache."""
    return warm_store


# The CSL-JSON data model (citation-style-language/schema, csl-data.json 1.0):
# item types, and the kind of value each variable holds.
CSL_TYPES = set(
    "article article-journal article-magazine article-newspaper bill book broadcast chapter classic collection"
    " dataset document entry entry-dictionary entry-encyclopedia figure graphic hearing interview legal_case"
    " legislation manuscript map motion_picture musical_score pamphlet paper-conference patent performance"
    " periodical personal_communication post post-weblog regulation report review review-book software song"
    " speech standard thesis treaty webpage".split()
)
NAME_VARIABLES = {"author", "editor", "container-author", "translator", "collection-editor", "composer", "director"}
DATE_VARIABLES = {"issued", "accessed", "submitted", "event-date", "original-date", "available-date"}
NUMBER_VARIABLES = {"volume", "issue", "page", "number", "edition", "chapter-number", "collection-number", "page-first"}
STRING_VARIABLES = {
    "title", "container-title", "container-title-short", "publisher", "publisher-place", "DOI", "URL", "ISBN",
    "ISSN", "keyword", "note", "abstract", "genre", "source", "language", "title-short", "event", "archive",
}
NAME_PARTS = {"family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal"}


def csl_problems(data: Any) -> list[str]:
    """Everything in ``data`` that a CSL-JSON reader would refuse."""
    if not isinstance(data, list):
        return ["top level is not a list"]
    problems = []
    for n, item in enumerate(data):
        where = f"item {n}"
        if not isinstance(item, dict):
            problems.append(f"{where}: not an object")
            continue
        if not isinstance(item.get("id"), (str, int)) or item.get("id") == "":
            problems.append(f"{where}: id must be a string or number")
        if item.get("type") not in CSL_TYPES:
            problems.append(f"{where}: type {item.get('type')!r} is not a CSL type")
        for key, value in item.items():
            if key in ("id", "type"):
                continue
            if key in NAME_VARIABLES:
                ok = isinstance(value, list) and all(
                    isinstance(v, dict) and v and set(v) <= NAME_PARTS and all(isinstance(x, str) and x for x in v.values())
                    for v in value
                )
            elif key in DATE_VARIABLES:
                parts = value.get("date-parts") if isinstance(value, dict) else None
                ok = (
                    isinstance(parts, list) and 1 <= len(parts) <= 2
                    and all(isinstance(p, list) and 1 <= len(p) <= 3 and all(isinstance(x, (int, str)) for x in p) for p in parts)
                )
            elif key in NUMBER_VARIABLES:
                ok = isinstance(value, (str, int)) and value != ""
            elif key in STRING_VARIABLES:
                ok = isinstance(value, str) and value != ""
            else:
                ok = False
            if not ok:
                problems.append(f"{where}: {key}: {value!r:.60} is not valid")
    return problems


def test_the_validator_catches_what_pandoc_refuses() -> None:
    assert csl_problems({"id": "a"}) == ["top level is not a list"]
    bad = [{"id": "", "type": "journal", "author": [{"name": "X"}], "issued": {"date-parts": [2020]}, "pages": "1"}]
    assert csl_problems(bad) == [
        "item 0: id must be a string or number",
        "item 0: type 'journal' is not a CSL type",
        "item 0: author: [{'name': 'X'}] is not valid",
        "item 0: issued: {'date-parts': [2020]} is not valid",
        "item 0: pages: '1' is not valid",
    ]


def test_the_whole_list_is_valid_csl_json(store: Path) -> None:
    result = run("--papers", str(store), "export", "csl-json")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    assert csl_problems(items) == []
    assert [i["id"] for i in items] == [p.key for p in load_store(store).papers]


@pytest.mark.parametrize(
    ("paper", "expected"),
    [
        (THUS, {"type": "article", "publisher": "arXiv", "number": "arXiv:2502.17129"}),
        (LANDMARK, {"type": "paper-conference", "container-title": "Advances in Neural Information Processing Systems",
                    "volume": "36", "page": "54567-54585"}),
        (T5, {"type": "article-journal", "container-title": "Journal of machine learning research", "volume": "21",
              "issue": "140", "page": "1-67"}),
        (QWQ, {"type": "webpage", "URL": "https://qwenlm.github.io/blog/qwq-32b-preview/"}),
        (Paper("openai2023tiktoken", "tiktoken", 2023, ["OpenAI"], url="https://github.com/openai/tiktoken"), {"type": "software"}),
        (SPECIAL, {"type": "paper-conference", "container-title": "First Conference on Language Modeling", "DOI": "10.1000/x_y"}),
    ],
    ids=lambda v: v.key if isinstance(v, Paper) else "",
)
def test_items_by_kind(paper: Paper, expected: dict[str, str]) -> None:
    item = csl_item(paper)
    assert {k: item.get(k) for k in expected} == expected
    assert item["id"] == paper.key and item["title"] == paper.title
    assert item["issued"] == {"date-parts": [[paper.year]]}


@pytest.mark.parametrize(
    ("name", "csl"),
    [
        ("Jared D Kaplan", {"family": "Kaplan", "given": "Jared D"}),
        ("Diego de las Casas", {"family": "Casas", "given": "Diego", "non-dropping-particle": "de las"}),
        ("Martin Luther King Jr.", {"family": "King", "given": "Martin Luther", "suffix": "Jr."}),
        ("Qwen Team", {"literal": "Qwen Team"}),
        ("OpenAI", {"literal": "OpenAI"}),
    ],
)
def test_csl_names(name: str, csl: dict[str, str]) -> None:
    assert csl_name(name) == csl


def test_json_export_is_the_records_with_their_category(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "list.json"
    result = run("--papers", str(store), "export", "json", "-o", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    records = json.loads(out.read_text(encoding="utf-8"))
    assert records == [{**p.to_dict(), "category": p.category} for p in load_store(store).papers]


def test_json_and_csl_take_the_same_selection_options(tmp_path: Path) -> None:
    root = make_store(tmp_path / "papers", {"surveys": [THUS, QWQ], "methods": [LANDMARK, T5]})
    tex = tmp_path / "draft.tex"
    tex.write_text("\\cite{raffel2020exploring,liu2025thus,gone2020x}", encoding="utf-8")
    plain = run("--papers", str(root), "export", "json", "--tex", str(tex), "--allow-missing")
    assert [r["key"] for r in json.loads(plain.stdout)] == ["liu2025thus", "raffel2020exploring"]
    assert plain.stderr == f"lclm: {tex}:1: gone2020x: not in the list\n"
    csl = run("--papers", str(root), "export", "csl-json", "--category", "surveys", "--keys", "team2024qwq,liu2025thus")
    assert [i["id"] for i in json.loads(csl.stdout)] == ["liu2025thus", "team2024qwq"]
    missing = run("--papers", str(root), "export", "csl-json", "--keys", "nope2020x")
    assert (missing.exit_code, missing.stdout) == (1, "")
    assert missing.stderr.splitlines() == [
        "lclm: --keys: nope2020x: not in the list",
        "lclm: error: no paper selected by --keys; nothing written",
    ]


def test_a_truncated_author_list_drops_others_as_csl_does(store: Path) -> None:
    # CSL has no "and others": the style writes "et al." itself, a literal would print as a name.
    items = json.loads(run("--papers", str(store), "export", "csl-json").stdout)
    truncated = [i for i in items if i["id"] == "ye2024differential"]
    assert truncated and {"literal": "others"} not in truncated[0]["author"]
    assert not any({"literal": "others"} in i.get("author", []) for i in items)
    assert truncated[0]["author"][-1] != {"literal": "others"} and len(truncated[0]["author"]) >= 1
