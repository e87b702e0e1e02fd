"""The store: loading, canonical saving, the per-file cache, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import HAND_EDITS, PAPERS, run, yaml_reads
from lclm.errors import StoreError, UsageError
from lclm.model import Paper
from lclm.store.cache import cache_file
from lclm.store.codec import dump_papers
from lclm.store.layout import SECTIONS_FILE
from lclm.store.load import load_store
from lclm.store.transaction import save_store


def entry(store: Path, name: str) -> Path:
    """The cache entry of one store file."""
    return cache_file(store, "store", f"{name}.json")


def entries(store: Path) -> dict[str, bytes]:
    folder = entry(store, SECTIONS_FILE).parent
    return {p.name: p.read_bytes() for p in folder.iterdir()}


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
    assert sorted(entries(store)) == sorted(f"{p.name}.json" for p in store.glob("*.yaml"))
    warm = load_store(store)
    assert warm.papers == cold.papers
    assert [s.to_dict() for s in warm.sections] == [s.to_dict() for s in cold.sections]


def test_an_edit_reparses_only_the_edited_file(store: Path) -> None:
    load_store(store)
    before = entries(store)
    path = store / "unanswered-question.yaml"
    path.write_text(path.read_text().replace("year: 2024", "year: 2019", 1))
    loaded = load_store(store)
    assert any(p.year == 2019 for p in loaded.in_category("unanswered-question"))
    after = entries(store)
    assert [n for n in after if after[n] != before[n]] == ["unanswered-question.yaml.json"]
    assert loaded.papers == load_store(store, use_cache=False).papers


@pytest.mark.parametrize("edit", HAND_EDITS)
def test_after_a_hand_edit_the_cached_load_is_a_fresh_load(warm_store: Path, edit: str) -> None:
    store = warm_store  # its cache as a first load leaves it, made once per session
    load_store(store)
    path = store / "unanswered-question.yaml"
    path.write_text(HAND_EDITS[edit][0](path.read_text(encoding="utf-8")), encoding="utf-8")
    try:
        fresh = load_store(store, use_cache=False)
    except StoreError as exc:
        with pytest.raises(StoreError) as again:
            load_store(store)
        assert str(again.value) == str(exc)
        return
    assert load_store(store).papers == fresh.papers  # lines included


def test_an_edit_reads_only_the_edited_papers_yaml(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_store(store)
    path = store / "unanswered-question.yaml"
    path.write_text(HAND_EDITS["add an author to the first (later lines move)"][0](path.read_text()))
    read = yaml_reads(monkeypatch)
    papers = load_store(store).in_category("unanswered-question")
    assert len(read) == 1 and read[0].count("\n- key: ") == 0 and "New Person" in read[0]
    assert papers[0].authors[0] == "New Person"
    assert [p.line for p in papers] == [p.line for p in load_store(store, use_cache=False).in_category("unanswered-question")]


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # cut short
        lambda b: b.replace(b'"key', b'"kez', 1) if b'"key' in b else b[:-3] + b"xyz",  # one changed byte
        lambda b: b.replace(b"lclm ", b"lclm 9", 1),  # another version's
        lambda b: b"{not json",
        lambda b: b"",
    ],
)
def test_a_damaged_or_foreign_cache_entry_is_ignored_and_rebuilt(store: Path, damage) -> None:  # type: ignore[no-untyped-def]
    truth = load_store(store, use_cache=False)
    load_store(store)
    good = entries(store)
    for name in ("kv-cache-optimization.yaml", SECTIONS_FILE):
        path = entry(store, name)
        path.write_bytes(damage(path.read_bytes()))
    again = load_store(store)
    assert again.papers == truth.papers
    assert [s.to_dict() for s in again.sections] == [s.to_dict() for s in truth.sections]
    assert entries(store) == good  # rebuilt


def test_a_cached_store_is_served_without_importing_yaml(store: Path) -> None:
    import subprocess
    import sys

    load_store(store)
    code = (
        "import sys; from pathlib import Path; from lclm.store.load import load_store; "
        f"s = load_store(Path({str(store)!r})); print(len(s.papers), 'yaml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(len(load_store(store).papers)), "False"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- key: a\n  title: [unclosed\n", "unanswered-question.yaml:3:1: YAML syntax"),
        ("key: a\n", "unanswered-question.yaml:1: top level must be a list"),
        ("- just a string\n", "unanswered-question.yaml:1: a paper must be a mapping"),
        ("- key: a2024b\n  title: B\n", "unanswered-question.yaml:1: a2024b: year: required field is missing"),
        ("- key: a2024b\n  title: B\n  year: soon\n", "unanswered-question.yaml:3: a2024b: year: must be a whole number"),
        ("- &a {key: x}\n- *a\n", "unanswered-question.yaml:2:3: YAML aliases"),
        ("- !foo x\n", "unanswered-question.yaml:1:3: could not determine a constructor for the tag '!foo'"),
        ("- key: !foo a\n  title: B\n  year: 2024\n", "unanswered-question.yaml:1:8: could not determine"),
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


def test_a_category_listed_but_missing_loads_empty_and_is_named(store: Path) -> None:
    (store / "memory-management.yaml").unlink()
    loaded = load_store(store)
    assert loaded.missing == [store / "memory-management.yaml"] and not loaded.in_category("memory-management")
    result = run("--papers", str(store), "export", "markdown")
    assert result.exit_code == 0 and f"{len(loaded.papers)} papers in 12 categories." in result.stdout
    assert f"{store}/memory-management.yaml: listed in {SECTIONS_FILE} but missing" in result.stderr
    checked = run("--papers", str(store), "validate")
    assert checked.exit_code == 1 and "memory-management.yaml" in checked.stdout + checked.stderr


def test_a_category_file_not_listed_is_not_read(store: Path) -> None:
    count = len(load_store(store).papers)
    (store / "stray.yaml").write_text("- this is not: [a store file\n")
    assert len(load_store(store).papers) == count


def test_store_defaults_to_papers_in_the_current_directory(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(store.parent)
    assert run("export", "markdown").stdout.startswith(f"{len(load_store(store).papers)} papers in 12 categories.")


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


@pytest.mark.parametrize(
    "extra",
    ["  added: 2024-01-05\n", "  blob: !!binary aGk=\n", "  flags: !!set {a: null}\n", "  priority:\n    1: high\n"],
)
def test_extras_json_cannot_give_back_exactly_are_parsed_each_time(store: Path, extra: str) -> None:
    path = store / "unanswered-question.yaml"
    path.write_text(path.read_text() + "\n- key: z2024extra\n  title: Extra\n  year: 2024\n" + extra)
    truth = load_store(store, use_cache=False).in_category("unanswered-question")[-1].extra
    for _ in range(2):  # cold, then what a warm load would serve
        assert load_store(store).in_category("unanswered-question")[-1].extra == truth
    assert f"{path.name}.json" not in entries(store)
    result = run("--papers", str(store), "stats")
    assert result.exit_code == 0, result.stderr


def test_a_custom_tag_in_the_sections_file_is_one_line(store: Path) -> None:
    path = store / SECTIONS_FILE
    path.write_text(path.read_text().replace("- name: Survey", "- name: !foo Survey", 1))
    result = run("--papers", str(store), "stats")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"lclm: error: {path}:5:9: could not determine a constructor for the tag '!foo'\n"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("kv-cache-optimization.yaml", "file: kv-cache-optimization.yaml is listed twice (first on line {first})"),
        ("../outside.yaml", "Memory Management: file '../outside.yaml' must be a NAME.yaml in the store"),
        ("/tmp/outside.yaml", "Memory Management: file '/tmp/outside.yaml' must be a NAME.yaml in the store"),
        ("memory.yml", "Memory Management: file 'memory.yml' must be a NAME.yaml in the store"),
        ("_sections.yaml", "Memory Management: file '_sections.yaml' must be a NAME.yaml in the store"),
    ],
)
def test_a_sections_file_naming_a_file_it_may_not_is_one_line_with_the_place(store: Path, file: str, message: str) -> None:
    path = store / SECTIONS_FILE
    text = path.read_text()
    first = text[: text.index("file: kv-cache-optimization.yaml")].count("\n") + 1
    line = text[: text.index("file: memory-management.yaml")].count("\n") + 1
    path.write_text(text.replace("file: memory-management.yaml", f"file: {file}"))
    expected = f"{path}:{line}: " + message.format(first=first)
    with pytest.raises(StoreError) as raised:
        load_store(store)
    assert str(raised.value) == expected
    result = run("--papers", str(store), "stats")
    assert (result.exit_code, result.stderr) == (1, f"lclm: error: {expected}\n")
    checked = run("--papers", str(store), "validate")
    assert checked.exit_code == 1 and f"{expected} [sections]" in checked.stdout
