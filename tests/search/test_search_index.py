"""The search index: cached per category file, rebuilt only where a file changed; names and synonyms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import HAND_EDITS, forked_runs, run
from lclm.search.paper_names import defined_acronyms, paper_names, repo_name, title_lead


def search(store: Path, *args: str) -> Any:
    return run("--papers", str(store), "search", *args)


def keys(result: Any) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return [line.split("\t")[0] for line in result.stdout.splitlines()]


def segments(tmp_path: Path) -> dict[str, bytes]:
    """The index's cache files, by name."""
    found = sorted((tmp_path / "cache" / "lclm" / "search").glob("*/*"))
    assert found, "no search cache written"
    return {path.name: path.read_bytes() for path in found}


# ---------------------------------------------------------------- the cache


def test_an_edit_rebuilds_only_the_edited_files_part(store: Path, tmp_path: Path) -> None:
    assert keys(search(store, "alibi", "--limit", "1")) == ["press2022train"]
    before = segments(tmp_path)
    assert {"length-extrapolation.idx", "kv-cache-optimization.idx", "_meta.json"} <= set(before)
    path = store / "length-extrapolation.yaml"
    path.write_text(path.read_text().replace("- ALiBi\n", "- ALiBi\n  - Linear Biases Attention\n"))
    assert keys(search(store, "linear", "biases", "attention", "--limit", "1")) == ["press2022train"]
    after = segments(tmp_path)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"length-extrapolation.idx", "length-extrapolation.rec", "length-extrapolation.terms"}


def test_an_edit_works_out_only_the_edited_papers_terms(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lclm.search import index

    assert keys(search(store, "alibi", "--limit", "1")) == ["press2022train"]
    path = store / "length-extrapolation.yaml"
    path.write_text(HAND_EDITS["add an author to the first (later lines move)"][0](path.read_text()))
    worked = []
    terms = index.paper_terms
    monkeypatch.setattr(index, "paper_terms", lambda paper, generic: worked.append(paper.key) or terms(paper, generic))
    assert keys(search(store, "new", "person")) == [first_key(path)]
    assert len(worked) == 1


def first_key(path: Path) -> str:
    """The key of the first paper of a category file."""
    return path.read_text().split("\n", 1)[0].removeprefix("- key: ")


@pytest.mark.parametrize("edit", [name for name, (_, canonical) in HAND_EDITS.items() if canonical])
def test_after_a_hand_edit_search_finds_what_a_fresh_index_does(warm_store: Path, tmp_path: Path, edit: str) -> None:
    store = warm_store  # its index as a first search leaves it, made once per session
    query = ("context", "--limit", "0", "--json")
    search(store, *query)
    path = store / "unanswered-question.yaml"
    path.write_text(HAND_EDITS[edit][0](path.read_text()))
    after = search(store, *query)
    fresh = run("--papers", str(store), "search", *query, env={"XDG_CACHE_HOME": str(tmp_path / "fresh")})
    assert (after.exit_code, after.stdout) == (fresh.exit_code, fresh.stdout)


def test_a_damaged_or_foreign_cache_is_ignored_and_rebuilt(store: Path, tmp_path: Path) -> None:
    expected = keys(search(store, "mamba", "--limit", "5"))
    folder = next((tmp_path / "cache" / "lclm" / "search").iterdir())
    for cache in folder.glob("*.*"):
        cache.write_bytes(cache.read_bytes()[:-40])  # cut short
    assert keys(search(store, "mamba", "--limit", "5")) == expected
    for cache in folder.iterdir():
        cache.write_text('{"stamp": "lclm 0.0|search|1", "size": 7, "crc": 0}\nrubbish')
    assert keys(search(store, "mamba", "--limit", "5")) == expected


def test_a_missing_category_file_is_an_empty_category(store: Path) -> None:
    (store / "architecture-innovation.yaml").unlink()
    assert "gu2023mamba" not in keys(search(store, "mamba", "--limit", "0"))  # it lived there
    assert keys(search(store, "alibi", "--limit", "1")) == ["press2022train"]


def test_search_works_when_the_cache_cannot_be_written(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert keys(search(store, "alibi", "--limit", "1")) == ["press2022train"]


# ---------------------------------------------------------------- the store's synonyms


def test_a_store_adds_its_own_abbreviations(store: Path) -> None:
    assert search(store, "lc", "compression").exit_code == 1
    (store / "_search.yaml").write_text("synonyms:\n  lc: long context\n  sinks: [attention sinks, sink tokens]\n")
    found = keys(search(store, "lc", "compression", "--limit", "0"))
    assert "zhang2024long" in found  # "Long Context Compression with Activation Beacon"
    assert run("--papers", str(store), "validate", "--strict").exit_code == 0  # not a category file


def test_a_malformed_search_file_is_a_one_line_error(store: Path) -> None:
    (store / "_search.yaml").write_text("synonyms: [a, b]\n")
    result = search(store, "rope")
    assert result.exit_code == 1
    assert result.stderr == (
        f"lclm: error: {store / '_search.yaml'}:1: must be a mapping with a 'synonyms:' mapping"
        " (word: phrase or list of phrases)\n"
    )


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("title", "lead"),
    [
        ("YaRN: Efficient Context Window Extension", "YaRN"),
        ("Qwen2 Technical Report", "Qwen2"),
        ("Phi-3 technical report: A highly capable language model", "Phi-3"),
        ("Train Short, Test Long: Attention with Linear Biases", "Train Short, Test Long"),
        ("Why the effective context length of models falls short: a study", ""),  # a sentence
        ("Mistral 7B", ""),
        ("Needle In A Haystack - Pressure Testing LLMs", "Needle In A Haystack"),
        ("Self-attention with relative position representations", ""),
    ],
)
def test_title_lead(title: str, lead: str) -> None:
    assert title_lead(title) == lead


def test_acronyms_defined_in_an_abstract() -> None:
    text = (
        "We introduce Attention with Linear Biases (ALiBi). Unlike Rotary Position Embedding (RoPE), "
        "it keeps the key-value (KV) cache and Multi-head Latent Attention (MLA) apart (see Table 1)."
    )
    assert [a for a, _ in defined_acronyms(text)] == ["ALiBi", "RoPE", "KV", "MLA"]
    # The field's abbreviations are not names; an acronym for the title's words is a name, others weaker.
    names, weaker = paper_names("Roformer: Enhanced transformer with rotary position embedding", [], "", text, frozenset({"kv"}))
    assert names == ["Roformer", "RoPE"] and weaker == ["ALiBi", "MLA"]


def test_repository_names() -> None:
    assert repo_name("https://github.com/mit-han-lab/streaming-llm") == "streaming-llm"
    assert repo_name("https://github.com/Dao-AILab/flash-attention.git") == "flash-attention"
    assert repo_name("https://example.org/some/page") == ""


def test_segments_built_side_by_side_are_the_ones_one_process_builds(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    import sys

    from lclm.search import index

    if not sys.platform.startswith("linux"):
        pytest.skip("workers are forked on Linux only")
    monkeypatch.setenv("LCLM_JOBS", "1")
    alone = search(store, "rope", "--limit", "20")
    built_alone = segments(tmp_path)
    shutil.rmtree(tmp_path / "cache")
    spread = forked_runs(monkeypatch, index)
    together = search(store, "rope", "--limit", "20")
    assert spread and spread[0] is not None  # the workers built the segments
    assert (together.exit_code, together.stdout) == (alone.exit_code, alone.stdout)
    assert keys(alone)[:1] == ["su2024roformer"]
    assert segments(tmp_path) == built_alone
