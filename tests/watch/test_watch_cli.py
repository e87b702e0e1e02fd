"""`lclm watch --from FILE`: ranking, the JSON interface, triage, rejections that never come back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import DATA, run
from lclm.store.load import load_store


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module does not test the cache."""
    return warm_store


WATCH = DATA / "watch"
LISTED_TITLE = "Challenges in Deploying Long-Context Transformers: A Theoretical Peak Performance Analysis"


def rows(name: str) -> list[list[str]]:
    text = (WATCH / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def bibtex(titles: list[str]) -> str:
    return "".join(
        f"@misc{{cand{n},\n  title = {{{t}}},\n  author = {{Doe, Jane}},\n  year = {{2026}},\n}}\n\n" for n, t in enumerate(titles)
    )


@pytest.fixture
def mixed(tmp_path: Path) -> tuple[Path, list[str], list[str]]:
    """A BibTeX file of 10 long-context papers not on the list, 10 vision/agents/retrieval papers, and one listed paper."""
    long_context = [t for t, *_ in rows("long_context_not_listed.tsv")[:10]]
    others = [t for _, t in rows("other_topics.tsv")[::40][:10]]
    path = tmp_path / "new.bib"
    mixed_titles = [x for pair in zip(others, long_context) for x in pair] + [LISTED_TITLE]
    path.write_text(bibtex(mixed_titles), encoding="utf-8")
    return path, long_context, others


def test_json_lists_candidates_best_first_with_the_interface_keys(store: Path, mixed: tuple[Path, list[str], list[str]]) -> None:
    path, long_context, others = mixed
    result = run("--papers", str(store), "watch", "--from", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data) == 20  # the listed paper never appears
    assert LISTED_TITLE not in [c["title"] for c in data]
    assert all({"title", "score", "category", "nearest"} <= set(c) for c in data)
    scores = [c["score"] for c in data]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    names = {c.name for c in load_store(store).categories()}
    assert all(c["category"] in names for c in data)
    assert all(len(c["nearest"]) == 3 for c in data[:10])
    # the long-context papers come before the papers from lists on other topics
    top = {c["title"] for c in data[:10]}
    assert len(top & set(long_context)) >= 9
    assert "1 listed" in result.stderr


def test_markdown_digest_and_plain_lines(store: Path, mixed: tuple[Path, list[str], list[str]]) -> None:
    path, _, _ = mixed
    result = run("--papers", str(store), "watch", "--from", str(path), "--markdown", "--limit", "3")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "## New papers for the list (3 candidates)"
    assert [line[:3] for line in lines[2:5]] == ["1. ", "2. ", "3. "]
    assert "suggested: " in lines[2] and "nearest: `" in lines[2]
    plain = run("--papers", str(store), "watch", "--from", str(path), "--limit", "2")
    assert len(plain.stdout.splitlines()) == 2 and plain.stdout.count("\t") == 8


def test_rejected_paper_never_reappears_and_teaches_the_model(store: Path, mixed: tuple[Path, list[str], list[str]]) -> None:
    path, _, _ = mixed
    first = json.loads(run("--papers", str(store), "watch", "--from", str(path), "--json").stdout)
    result = run("--papers", str(store), "watch", "--from", str(path), "--triage", "--limit", "1", input="r\n")
    assert result.exit_code == 0, result.stderr
    assert f"rejected: {first[0]['title']}" in result.stderr
    saved = yaml.safe_load((store / "_watch.yaml").read_text(encoding="utf-8"))
    assert [r["title"] for r in saved["rejected"]] == [first[0]["title"]]
    again = json.loads(run("--papers", str(store), "watch", "--from", str(path), "--json").stdout)
    assert first[0]["title"] not in [c["title"] for c in again]
    assert len(again) == len(first) - 1
    # and a third run, in a fresh process's cache, still leaves it out
    third = run("--papers", str(store), "watch", "--from", str(path), "--json")
    assert first[0]["title"] not in third.stdout and "1 rejected" in third.stderr
    # validate leaves the watch file alone
    assert run("--papers", str(store), "validate").exit_code == 0


def test_accepting_adds_through_add_into_the_suggested_category(store: Path, mixed: tuple[Path, list[str], list[str]]) -> None:
    path, _, _ = mixed
    best = json.loads(run("--papers", str(store), "watch", "--from", str(path), "--json").stdout)[0]
    slug = best["categories"][0]["slug"]
    result = run("--papers", str(store), "watch", "--from", str(path), "--triage", "--limit", "2", input="a\ns\n")
    assert result.exit_code == 0, result.stderr
    assert f"to {store / slug}.yaml:" in result.stdout
    assert "accepted 1, rejected 0, skipped 1" in result.stderr
    assert best["title"] in (store / f"{slug}.yaml").read_text(encoding="utf-8")
    assert best["title"] in (store / "README.md").read_text(encoding="utf-8")  # READMEs re-rendered
    assert run("--papers", str(store), "validate").exit_code == 0
    # accepted, so now listed: left out
    again = run("--papers", str(store), "watch", "--from", str(path), "--json")
    assert best["title"] not in again.stdout and "1 listed" not in again.stderr and "2 listed" in again.stderr


def test_accept_into_another_category_by_number(store: Path, mixed: tuple[Path, list[str], list[str]]) -> None:
    path, _, _ = mixed
    result = run("--papers", str(store), "watch", "--from", str(path), "--triage", "--limit", "1", input="v\nl\n1\n")
    assert result.exit_code == 0, result.stderr
    assert "to " + str(store / "survey-technical-report.yaml") in result.stdout


def test_feed_file_is_read(store: Path) -> None:
    result = run("--papers", str(store), "watch", "--from", str(WATCH / "new_search_testing_10entries.xml"), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data) == 10 and all(c["arxiv"] for c in data)
    assert max(c["score"] for c in data) < 0.5  # software testing is not long-context modelling


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2502.17129\nnot an id\n", "{path}:2: not an arXiv id or DOI: 'not an id'"),
        ("<feed>", "{path}: not an arXiv Atom feed: is not well-formed XML"),
    ],
)
def test_bad_from_file_is_one_line(store: Path, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "ids.txt"
    path.write_text(text, encoding="utf-8")
    result = run("--papers", str(store), "watch", "--from", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("lclm: error: " + message.format(path=path))
    assert len(result.stderr.splitlines()) == 1


def test_malformed_watch_file_names_file_line_and_field(store: Path, mixed: tuple[Path, list[str], list[str]]) -> None:
    path, _, _ = mixed
    (store / "_watch.yaml").write_text("last_run: '2026-12-01'\nrejected:\n- arxiv: '2501.00001'\n", encoding="utf-8")
    result = run("--papers", str(store), "watch", "--from", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"lclm: error: {store / '_watch.yaml'}:2: rejected: must be a list of papers, each with a title\n"


def test_unreadable_entry_of_a_bibtex_file_is_named_and_counted(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "some.bib"
    path.write_text(bibtex(["Ring Attention with Blockwise Transformers, Again"]) + "@misc{b,\n  year = {2026},\n}\n", encoding="utf-8")
    result = run("--papers", str(store), "watch", "--from", str(path), "--min-score", "0.99")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        f"lclm: note: {path}:7: b: no title\n"
        "1 candidates, 0 shown; left out: 1 cut by --min-score or --limit; 1 entries of the file unreadable\n"
    )
