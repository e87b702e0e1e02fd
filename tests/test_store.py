"""The store: loading, canonical saving, the cache, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PAPERS, run
from lclm.errors import StoreError, UsageError
from lclm.model import Paper
from lclm.store.core import (
    SECTIONS_FILE,
    cache_path,
    dump_papers,
    load_store,
    save_store,
    write_atomic,
)


def test_committed_store_has_the_seed_sections_in_order() -> None:
    store = load_store(PAPERS, use_cache=False)
    tree = [(s.name, [c.name for c in s.sections]) for s in store.sections]
    assert tree == [
        ("Survey & Technical Report", []),
        ("Architecture", ["Length Extrapolation", "KV Cache Optimization", "Memory Management", "Architecture Innovation"]),
        ("Infrastructure", ["Training Infrastructure", "Inference Infrastructure"]),
        ("Training", ["Long-Context Pre-Training", "Long-Context Post-Training", "Long-Context MLLM"]),
        ("Evaluation", ["Long-Context Evaluation", "Unanswered Question"]),
    ]
    assert store.category("length-extrapolation").translations == {"zh": "长度外推"}
    assert len({p.key for p in store.papers}) == len(store.papers)


def test_load_then_save_is_byte_identical(store: Path) -> None:
    before = {p.name: p.read_bytes() for p in store.glob("*.yaml")}
    save_store(load_store(store, use_cache=False))
    after = {p.name: p.read_bytes() for p in store.glob("*.yaml")}
    assert after == before


def test_canonical_dump_orders_fields_and_keeps_unknown_ones() -> None:
    paper = Paper.from_dict(
        {"year": 2024, "title": "T", "key": "a2024t", "autors": ["X"], "arxiv": "2401.00001"}
    )
    assert dump_papers([paper]) == (
        "- key: a2024t\n  title: T\n  year: 2024\n  arxiv: '2401.00001'\n  autors:\n  - X\n"
    )


def test_warm_load_comes_from_the_cache_and_matches_a_cold_load(store: Path) -> None:
    cold = load_store(store)
    assert cache_path(store).exists()
    warm = load_store(store)
    assert warm.papers == cold.papers
    assert [s.to_dict() for s in warm.sections] == [s.to_dict() for s in cold.sections]


def test_a_changed_file_is_never_served_from_a_stale_cache(store: Path) -> None:
    load_store(store)
    path = store / "unanswered-question.yaml"
    path.write_text(path.read_text().replace("year: 2024", "year: 2019", 1))
    assert any(p.year == 2019 for p in load_store(store).in_category("unanswered-question"))


def test_an_unreadable_cache_is_rebuilt_silently(store: Path) -> None:
    load_store(store)
    cache_path(store).write_text("{not json")
    assert len(load_store(store).papers) == len(load_store(store, use_cache=False).papers)
    damaged = json.loads(cache_path(store).read_text())
    damaged["papers"][0] = ["only", "two"]  # valid JSON, right digest, wrong shape
    cache_path(store).write_text(json.dumps(damaged))
    assert load_store(store).papers[0].key == load_store(store, use_cache=False).papers[0].key
    assert json.loads(cache_path(store).read_text())["version"] == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- key: a\n  title: [unclosed\n", "unanswered-question.yaml:3:1: YAML syntax"),
        ("key: a\n", "unanswered-question.yaml:1: top level must be a list"),
        ("- just a string\n", "unanswered-question.yaml:1: a paper must be a mapping"),
        ("- key: a2024b\n  title: B\n", "unanswered-question.yaml:1: a2024b: year: required field is missing"),
        ("- key: a2024b\n  title: B\n  year: soon\n", "unanswered-question.yaml:3: a2024b: year: must be a whole number"),
        ("- &a {key: x}\n- *a\n", "unanswered-question.yaml:2:3: YAML aliases"),
    ],
)
def test_malformed_files_give_one_line_with_the_place(store: Path, text: str, message: str) -> None:
    (store / "unanswered-question.yaml").write_text(text)
    with pytest.raises(StoreError, match="^" + str(store).replace("\\", "\\\\") + "/" + message.replace("[", "\\[")):
        load_store(store)


def test_non_utf8_file_is_reported_with_its_line(store: Path) -> None:
    (store / "unanswered-question.yaml").write_bytes(b"- key: a\n  title: caf\xe9\n")
    result = run("--papers", str(store), "export", "markdown")
    assert result.exit_code == 1
    assert result.stderr == f"lclm: error: {store}/unanswered-question.yaml:2: not UTF-8 (byte 0xe9 at offset 21)\n"


def test_missing_and_empty_stores_are_one_line_errors(tmp_path: Path) -> None:
    missing = run("--papers", str(tmp_path / "nope"), "export", "markdown")
    assert (missing.exit_code, missing.stdout) == (1, "")
    assert missing.stderr == f"lclm: error: {tmp_path}/nope: paper store does not exist (use --papers DIR or set LCLM_PAPERS)\n"
    empty = run("export", "markdown", env={"LCLM_PAPERS": str(tmp_path)})
    assert empty.stderr == f"lclm: error: {tmp_path}: paper store is empty (no *.yaml files)\n"


def test_a_category_listed_but_missing_is_named(store: Path) -> None:
    (store / "memory-management.yaml").unlink()
    result = run("--papers", str(store), "export", "markdown")
    assert result.stderr == f"lclm: error: {store}/memory-management.yaml: listed in {SECTIONS_FILE} but missing\n"


def test_store_defaults_to_papers_in_the_current_directory(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(store.parent)
    assert run("export", "markdown").stdout.startswith(f"{len(load_store(store).papers)} papers in 12 categories.")


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("old\n")
    with pytest.raises(TypeError):
        write_atomic(path, 42)  # type: ignore[arg-type]  # fails half-way, after the temp file exists
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("kv cache", "kv-cache-optimization"),
        ("KV", "kv-cache-optimization"),
        ("mllm", "long-context-mllm"),
        ("Survey", "survey-technical-report"),
        ("pre training", "long-context-pre-training"),
        ("lenght extrapolaton", "length-extrapolation"),
        ("unanswered-question", "unanswered-question"),
        ("长度外推", "length-extrapolation"),
    ],
)
def test_categories_are_found_by_name_slug_word_or_typo(query: str, slug: str) -> None:
    assert load_store(PAPERS).find_category(query).slug == slug


def test_unknown_and_ambiguous_categories_are_usage_errors() -> None:
    store = load_store(PAPERS)
    with pytest.raises(UsageError, match=r"^unknown category 'xyz'; known categories: survey-technical-report \(Survey & Technical Report\); "):
        store.find_category("xyz")
    with pytest.raises(UsageError, match=r"^category 'training' is ambiguous: it could be training-infrastructure"):
        store.find_category("training")
