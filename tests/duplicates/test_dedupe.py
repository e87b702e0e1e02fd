"""`lclm dedupe`: identities, retyped titles, vetoes, distinct marks, merging, bad input, the seed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import conftest
from conftest import DATA, run
from lclm.duplicates.dedupe import find_duplicates
from lclm.duplicates.profile import comparable_title, paper_identities
from lclm.store.load import load_store
from lclm.text import normalize_title

SEED = DATA / "lists" / "thus-spake-readme.md"
AUTHORS = ["Yiran Ding", "Li Lyna Zhang", "others"]


def make_store(root: Path, **categories: list[dict[str, Any]]) -> Path:
    """A store with one category per keyword argument."""
    return conftest.make_store(root, categories)


def paper(key: str, title: str, year: int = 2024, authors: list[str] | None = None, **fields: object) -> dict[str, Any]:
    return {"key": key, "title": title, "authors": AUTHORS if authors is None else authors, "year": year, **fields}


def groups(root: Path, *args: str) -> set[frozenset[str]]:
    """The groups `lclm dedupe --json` reports, as sets of keys."""
    result = run("--papers", str(root), "dedupe", "--json", *args)
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert result.exit_code == (1 if data["groups"] else 0)
    return {frozenset(r["key"] for r in g["records"]) for g in data["groups"]}


def pair_found(tmp_path: Path, a: dict[str, Any], b: dict[str, Any], *args: str) -> bool:
    root = make_store(tmp_path / "s", papers=[a, b])
    return groups(root, *args) == {frozenset({a["key"], b["key"]})}


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


# ---------------------------------------------------------------- the report


def test_report_lists_every_record_and_why(tmp_path: Path) -> None:
    root = make_store(
        tmp_path / "s",
        length=[paper("ding2024longrope", "LongRoPE: Extending LLM Context Window", arxiv="2402.13753",
                      venue="arXiv preprint arXiv:2402.13753")],
        surveys=[
            paper("other2023x", "Something else entirely", 2023),
            paper("ding2024longropea", "Longrope: extending llm context window beyond 2 million tokens",
                  url="https://arxiv.org/pdf/2402.13753v2"),
        ],
    )
    store = load_store(root)
    line = {p.key: p.line for p in store.papers}
    result = run("--papers", str(root), "dedupe")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "group 1: same arXiv id 2402.13753",
        f"  {root}/length.yaml:{line['ding2024longrope']}  ding2024longrope  'LongRoPE: Extending LLM Context Window'"
        "  length  2024  arXiv preprint arXiv:2402.13753  -",
        f"  {root}/surveys.yaml:{line['ding2024longropea']}  ding2024longropea"
        "  'Longrope: extending llm context window beyond 2 million tokens'  surveys  2024  -  https://arxiv.org/pdf/2402.13753v2",
        "1 group of duplicates (2 records); `lclm dedupe --merge` merges them",
    ]
    assert result.stderr == ""


def test_no_duplicates_exits_0(tmp_path: Path) -> None:
    root = make_store(tmp_path / "s", papers=[paper("a2024x", "Ring attention"), paper("b2024y", "Striped attention")])
    result = run("--papers", str(root), "dedupe")
    assert (result.exit_code, result.stdout) == (0, "no duplicates among 2 records\n")


def test_json_report(tmp_path: Path) -> None:
    root = make_store(tmp_path / "s", papers=[
        paper("a2024gated", "Gated Slot Attention for Efficient Linear-Time Sequence Modeling", venue="NeurIPS"),
        paper("a2024gateda", "Gated slot attention for efficient linear-time sequence modeling.",
              authors=["Li Lyna Zhang"], url="https://arxiv.org/abs/2409.07146"),
    ])
    result = run("--papers", str(root), "dedupe", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [r["key"] for r in data["groups"][0]["records"]] == ["a2024gated", "a2024gateda"]
    assert data["groups"][0]["records"][0]["file"] == f"{root}/papers.yaml"
    assert data["groups"][0]["links"] == [{
        "a": "a2024gated", "b": "a2024gateda", "kind": "title", "value": "", "score": 100.0,
        "author": "Li Lyna Zhang", "reason": "same title, shared author Li Lyna Zhang",
    }]
    assert (data["notes"], data["warnings"]) == ([], [])


def test_rich_table_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lclm.cli.app.is_terminal", lambda stream=None: True)
    root = make_store(tmp_path / "s", papers=[paper("a2024x", "Ring attention", doi="10.1/X"),
                                              paper("b2024x", "Ring attention!", doi="10.1/x")])
    result = run("--papers", str(root), "dedupe")
    assert result.exit_code == 1
    assert "Group 1: same DOI 10.1/x" in result.stdout
    assert "File:line" in result.stdout and "│ b2024x" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 group of duplicates (2 records); `lclm dedupe --merge` merges them"


# ---------------------------------------------------------------- the same paper, however written


@pytest.mark.parametrize(
    "first, second",
    [
        ({"arxiv": "2402.13753"}, {"url": "https://arxiv.org/pdf/2402.13753v3.pdf"}),
        ({"url": "https://arxiv.org/abs/2402.13753v1"}, {"url": "http://arxiv.org/html/2402.13753v2"}),
        ({"arxiv": "2402.13753v2"}, {"doi": "10.48550/arXiv.2402.13753"}),
        ({"arxiv": "2402.13753"}, {"url": "https://doi.org/10.48550/ARXIV.2402.13753"}),
        ({"doi": "10.18653/v1/2024.ACL-long.1"}, {"doi": "10.18653/v1/2024.acl-long.1"}),
        ({"doi": "10.18653/v1/x"}, {"url": "https://doi.org/10.18653/V1/X"}),
        ({"url": "https://doi.org/10.18653/v1/x"}, {"url": "HTTPS://doi.org/10.18653/v1/x#abstract"}),
        ({"url": "https://www.example.org/paper/"}, {"url": "http://example.org/paper#abstract"}),
    ],
    ids=["arxiv-pdf", "abs-html", "version-vs-doi", "doi-url", "doi-case", "doi-field-vs-url", "doi-url-forms", "url-forms"],
)
def test_identifiers_in_any_form(tmp_path: Path, first: dict[str, str], second: dict[str, str]) -> None:
    # Titles differ well past any fuzzy cut: only the identifier links them.
    a = paper("a2024x", "Extending context window beyond two million tokens") | first
    b = paper("b2024x", "A completely retitled journal version") | second
    assert pair_found(tmp_path, a, b)


@pytest.mark.parametrize(
    "title",
    [
        "{L}ong{W}anjuan: Towards Systematic Measurement for Long Text Quality",
        "LONGWANJUAN: towards systematic measurement for long text quality.",
        "Longwanjuan -- Towards systematic measurement, for long text quality?",
        "Longwanjuan: Towards systematic measurment for long text quality",  # typo
        "Longwanjuan: Towards measurement systematic for long text quality",  # swapped words
        "Longwanjuan: Towards systematic measurement for long quality",  # a word left out
        "Longwanjuan: Towards systematic and careful measurement for long text quality",  # two words more
    ],
)
def test_retyped_titles(tmp_path: Path, title: str) -> None:
    a = paper("lv2024longwanjuan", "LongWanjuan: Towards Systematic Measurement for Long Text Quality")
    assert pair_found(tmp_path, a, paper("lv2024longwanjuana", title, 2025))


@pytest.mark.parametrize(
    "first, second, reason",
    [
        ("LongWanjuan: Towards Systematic Measurement", "Longwanjuan -- towards systematic measurement.", "same title"),
        ("LongWanjuan: Towards Systematic Measurement for Long Text Quality",
         "LongWanjuan: Towards Systematic Measurement for Long Text Qualty", "title 99% similar"),
        ("LongWanjuan: Towards Systematic Measurement for Long Text Quality",
         "LongWanjuan: Towards a Systematic Measurement of Long Text Quality", "title 96% similar"),
        ("Ring attention with blockwise transformers", "Ring attention blockwise transformers",
         "same title but for one word (with)"),
        ("Qwen technical report", "Qwen tecnhical report", "same title but for a typo (95% similar)"),
        ("Ring attention with blockwise transformers", "Blockwise transformers: ring attention with",
         "same title, words in another order"),
    ],
)
def test_reasons(tmp_path: Path, first: str, second: str, reason: str) -> None:
    a = paper("lv2024x", first, authors=["Kai Lv"])
    root = make_store(tmp_path / "s", papers=[a, paper("lv2024xa", second, authors=["Kai Lv", "Xiaoran Liu"])])
    data = json.loads(run("--papers", str(root), "dedupe", "--json").stdout)
    assert [g["links"][0]["reason"] for g in data["groups"]] == [f"{reason}, shared author Kai Lv"]


def test_words_added_at_an_end_make_another_title(tmp_path: Path) -> None:
    # Two words more inside a title are a retyping slip; at either end, a subtitle or a name.
    a = paper("a2024x", "Efficient streaming language models with attention sinks")
    b = paper("b2024x", "Efficient streaming language models with attention sinks for long videos")
    c = paper("c2024x", "Streaming vision: efficient streaming language models with attention sinks")
    root = make_store(tmp_path / "s", papers=[a, b, c])
    assert groups(root) == set()


def test_short_title_one_typo_apart(tmp_path: Path) -> None:
    assert pair_found(tmp_path, paper("a2023q", "Qwen technical report"), paper("b2023q", "Qwen tecnhical report"))


def test_accents_and_latex_in_titles_and_names(tmp_path: Path) -> None:
    a = paper("a2024x", "Mod{\\`e}les de r{\\'e}f{\\'e}rence", authors=["Morgane Rivi{\\`e}re"])
    b = paper("b2024x", "Modèles de référence", authors=["Morgane Riviere", "Someone Else"])
    assert pair_found(tmp_path, a, b)


def test_fast_title_form_equals_normalize_title() -> None:
    titles = [line.split("](")[0].split("[")[-1] for line in SEED.read_text(encoding="utf-8").splitlines() if "**[" in line]
    titles += ["{L}ong{W}anjuan", "A_B  c", "Tab\tand\nnewline", "“Quotes” — dash", "Ünïcödé", "x\\'e"]
    assert len(titles) > 600
    assert [comparable_title(t) for t in titles] == [normalize_title(t) for t in titles]


# ---------------------------------------------------------------- different papers are not merged


@pytest.mark.parametrize(
    "first, second",
    [
        ("Qwen technical report", "Qwen2 Technical Report"),
        ("Qwen2 Technical Report", "Qwen2.5 Technical Report"),
        ("Qwen technical report", "Qwen2.5 Technical Report"),
        ("GPT-4 Technical Report", "Phi-4 Technical Report"),
        ("LongRoPE: Extending LLM Context Window Beyond 2 Million Tokens",
         "LongRoPE2: Extending LLM Context Window Beyond 2 Million Tokens"),
        ("O1 Replication Journey: A Strategic Progress Report -- Part 1",
         "O1 Replication Journey: A Strategic Progress Report -- Part 2"),
        ("Step-1V", "Step-2"),
    ],
)
def test_number_or_version_tokens_part_papers(tmp_path: Path, first: str, second: str) -> None:
    # Even at the lowest threshold, with the same authors and year.
    assert not pair_found(tmp_path, paper("a2024x", first), paper("b2024x", second), "--threshold", "50")


def test_same_title_different_arxiv_ids(tmp_path: Path) -> None:
    a = paper("wu2024longgenbench", "LongGenBench: Long-context Generation Benchmark", arxiv="2409.02076")
    b = paper("liu2024longgenbench", "LongGenBench: Long-context Generation Benchmark", arxiv="2410.04199")
    assert not pair_found(tmp_path, a, b)


def test_same_title_different_dois(tmp_path: Path) -> None:
    a = paper("a2024x", "A benchmark for long-context models", doi="10.1/aaa")
    b = paper("b2024x", "A benchmark for long-context models", doi="10.1/bbb")
    assert not pair_found(tmp_path, a, b)


@pytest.mark.parametrize("year, found", [(2025, True), (2023, True), (2026, False), (2019, False)])
def test_years_more_than_one_apart(tmp_path: Path, year: int, found: bool) -> None:
    a = paper("a2024x", "Retrieval meets long context large language models")
    assert pair_found(tmp_path, a, paper("b2024x", "Retrieval meets long context large language models", year)) is found


@pytest.mark.parametrize(
    "authors, found",
    [
        (["Peng Xu", "Wei Ping"], False),  # two real lists, no surname in common
        (["Y. Ding", "others"], True),  # one shared surname is enough
        (["Yiran DING"], True),  # case
        (["OpenAI"], True),  # an organisation is not a list to compare
        (["Gemini Team", "others"], True),
        ([], True),
    ],
)
def test_author_lists(tmp_path: Path, authors: list[str], found: bool) -> None:
    a = paper("a2024x", "Retrieval meets long context large language models")
    b = paper("b2024x", "Retrieval meets long context large language models", authors=authors)
    assert pair_found(tmp_path, a, b) is found


def test_shared_url_of_different_papers_is_a_note_not_a_group(tmp_path: Path) -> None:
    url = "https://proceedings.neurips.cc/paper/2023/hash/8511d06d-Abstract.html"
    root = make_store(tmp_path / "s", papers=[
        paper("tworkowski2024focused", "Focused transformer: Contrastive training for context scaling",
              authors=["Szymon Tworkowski", "Konrad Staniszewski"], url=url),
        paper("hu2024cd", "CD-Pos: Long Context Generalization in LLMs", authors=["Zhiyuan Hu", "Yuliang Liu"], url=url),
    ])
    result = run("--papers", str(root), "dedupe")
    assert (result.exit_code, result.stdout) == (0, "no duplicates among 2 records\n")
    line = {p.key: p.line for p in load_store(root).papers}
    assert result.stderr == (
        f"lclm: note: {root}/papers.yaml:{line['hu2024cd']}: hu2024cd and tworkowski2024focused "
        f"({root}/papers.yaml:{line['tworkowski2024focused']}): same URL "
        "proceedings.neurips.cc/paper/2023/hash/8511d06d-Abstract.html, but not grouped: no author in common; "
        "add `distinct: [tworkowski2024focused]` to hu2024cd to silence this\n"
    )


@pytest.mark.parametrize("on", ["a", "b"])
def test_distinct_mark_silences_a_pair(tmp_path: Path, on: str) -> None:
    a = paper("a2024x", "Ring attention with blockwise transformers", arxiv="2310.01889")
    b = paper("b2024x", "Ring attention with blockwise transformers", url="https://arxiv.org/abs/2310.01889")
    (a if on == "a" else b)["distinct"] = ["b2024x" if on == "a" else "a2024x"]
    assert not pair_found(tmp_path, a, b)


def test_distinct_mark_silences_a_shared_url_note(tmp_path: Path) -> None:
    url = "https://proceedings.neurips.cc/paper/2023/hash/8511d06d-Abstract.html"
    root = make_store(tmp_path / "s", papers=[
        paper("a2024x", "Focused transformer", authors=["Szymon Tworkowski"], url=url),
        paper("b2024x", "CD-Pos: Long Context Generalization", authors=["Zhiyuan Hu"], url=url, distinct=["a2024x"]),
    ])
    result = run("--papers", str(root), "dedupe")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "no duplicates among 2 records\n", "")


def test_a_site_home_page_is_no_identity(tmp_path: Path) -> None:
    root = make_store(tmp_path / "s", papers=[
        paper("openai2024chatgpt", "Introducing ChatGPT", authors=["OpenAI"], url="https://openai.com/"),
        paper("openai2024sora", "Introducing Sora", authors=["OpenAI"], url="https://www.openai.com/#sora"),
        paper("team2024step", "Step-1V", authors=["Step Team"], url="https://www.stepfun.com/#step1v"),
        paper("team2024stepa", "Step-2", authors=["Step Team"], url="https://www.stepfun.com/#step2"),
    ])
    result = run("--papers", str(root), "dedupe")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "no duplicates among 4 records\n", "")


def test_a_group_never_holds_a_vetoed_pair(tmp_path: Path) -> None:
    # c matches a and b by title, but a and b have different arXiv ids: c joins only the first.
    title = "Ring attention with blockwise transformers"
    root = make_store(tmp_path / "s", papers=[
        paper("a2024x", title, arxiv="2310.01889"), paper("b2024x", title, arxiv="2402.00001"), paper("c2024x", title),
    ])
    assert groups(root) == {frozenset({"a2024x", "c2024x"})}


def test_threshold(tmp_path: Path) -> None:
    a = paper("a2024x", "Efficient streaming language models with attention sinks")
    b = paper("b2024x", "Efficient streaming of language models using attention sinks")  # 91% similar
    assert not pair_found(tmp_path, a, b)
    assert pair_found(tmp_path, a, b, "--threshold", "90")
    exact = paper("c2024x", "Efficient streaming language models with attention sinks.")
    typo = paper("d2024x", "Efficient streaming language models with atention sinks")
    assert pair_found(tmp_path, a, exact, "--threshold", "100")
    assert not pair_found(tmp_path, a, typo, "--threshold", "100")  # 100: exact titles only
    result = run("--papers", str(tmp_path / "s"), "dedupe", "--threshold", "101")
    assert result.exit_code == 2
    assert "101" in result.stderr


# ---------------------------------------------------------------- the seed list


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seed") / "papers"
    result = run("--papers", str(root), "import", "markdown", str(SEED))
    assert result.exit_code == 0, result.stderr
    return root


def test_the_seed_import_leaves_no_duplicates_and_keeps_both_ids(seed_store: Path) -> None:
    # The import merged what the seed lists twice; dedupe finds nothing more, even far below the threshold.
    result = run("--papers", str(seed_store), "dedupe", "--json")
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    assert data["groups"] == []
    # Focused Transformer / CD-Pos (lines 211, 217) share a URL, as CD-Pos carries Focused
    # Transformer's NeurIPS URL by mistake: marked distinct at import, so no note.  Step-1V /
    # Step-2 (lines 147, 149) link stepfun.com/#step1v and #step2, a site's home page: no identity.
    assert data["notes"] == []
    # The near-misses stay apart even at a much lower threshold: Qwen / Qwen2 / Qwen2.5 (96%),
    # GPT-4 / Phi-4 (91%), the two LongGenBench papers (different arXiv id and authors, 60%).
    assert groups(seed_store, "--threshold", "85") == set()
    store = load_store(seed_store, use_cache=False)
    assert len(store.papers) == 641
    seen: dict[tuple[str, str], str] = {}
    for p in store.papers:
        for kind, value in paper_identities(p).items():
            if kind != "url":  # two records share a URL by mistake (see above)
                assert (kind, value) not in seen, (p.key, seen.get((kind, value)))
                seen[kind, value] = p.key
    # Gated Slot Attention (seed lines 358 and 376): the NeurIPS 2024 paper and its arXiv preprint,
    # one record that keeps the published venue and the arXiv id.
    gated = next(p for p in store.papers if p.key.startswith("zhang2024gated"))
    assert (gated.key, gated.arxiv, gated.venue) == (
        "zhang2024gated", "2409.07146", "The Thirty-eighth Annual Conference on Neural Information Processing Systems"
    )


# ---------------------------------------------------------------- merging


def merge_store(tmp_path: Path) -> Path:
    return make_store(tmp_path / "s", evaluation=[
        paper("ding2024longrope", "LongRoPE: Extending LLM Context Window Beyond 2 Million Tokens",
              arxiv="2402.13753", url="https://arxiv.org/abs/2402.13753",
              venue="arXiv preprint arXiv:2402.13753", tags=["rope"], note="read"),
        paper("zhao2024other", "Something else", 2024, ["Jun Zhao", "Yi Lu"], distinct=["ding2024longropea"]),
    ], architecture=[
        paper("ding2024longropea", "Longrope: extending LLM context window beyond 2 million tokens", 2024,
              venue="Forty-first International Conference on Machine Learning", doi="10.5555/3692070",
              tags=["extrapolation", "rope"], note="ICML version"),
    ])


def test_merge_yes_keeps_the_original_and_fills_it(tmp_path: Path) -> None:
    root = merge_store(tmp_path)
    before = {p.key: p.line for p in load_store(root).papers}
    result = run("--papers", str(root), "dedupe", "--merge", "--yes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"kept ding2024longrope ({root}/evaluation.yaml:{before['ding2024longrope']}); filled venue, doi, tags, note "
        f"from ding2024longropea; removed ding2024longropea ({root}/architecture.yaml:{before['ding2024longropea']})",
        "merged 1 group: removed 1 record, rewrote 2 files",
    ]
    store = load_store(root, use_cache=False)
    by_key = {p.key: p for p in store.papers}
    assert set(by_key) == {"ding2024longrope", "zhao2024other"}
    kept = by_key["ding2024longrope"]
    assert kept.to_dict() == {
        "key": "ding2024longrope",
        "title": "LongRoPE: Extending LLM Context Window Beyond 2 Million Tokens",
        "authors": AUTHORS,
        "year": 2024,
        "venue": "Forty-first International Conference on Machine Learning",
        "url": "https://arxiv.org/abs/2402.13753",
        "arxiv": "2402.13753",
        "doi": "10.5555/3692070",
        "tags": ["rope", "extrapolation"],
        "note": "read; ICML version",
        "ids": ["ding2024longropea"],  # drafts citing the removed key still resolve
    }
    # A mark that named the removed record now names the kept one.
    assert by_key["zhao2024other"].distinct == ["ding2024longrope"]
    assert store.in_category("architecture") == []


def test_report_alone_never_writes(tmp_path: Path) -> None:
    root = merge_store(tmp_path)
    before = snapshot(root)
    assert run("--papers", str(root), "dedupe").exit_code == 1
    assert snapshot(root) == before


def test_merge_with_nothing_to_merge(tmp_path: Path) -> None:
    root = make_store(tmp_path / "s", papers=[paper("a2024x", "Ring attention")])
    before = snapshot(root)
    result = run("--papers", str(root), "dedupe", "--merge", "--yes")
    assert (result.exit_code, result.stdout) == (0, "no duplicates among 1 record\n")
    assert snapshot(root) == before


def test_merge_without_a_terminal_needs_yes(tmp_path: Path) -> None:
    root = merge_store(tmp_path)
    before = snapshot(root)
    result = run("--papers", str(root), "dedupe", "--merge")
    assert result.exit_code == 2
    assert result.stderr == (
        "lclm: error: --merge asks which record to keep, which needs a terminal; add --yes to keep the original\n"
    )
    assert snapshot(root) == before


@pytest.mark.parametrize("args", [["--json", "--merge", "--yes"], ["--yes"]])
def test_option_clashes(tmp_path: Path, args: list[str]) -> None:
    root = merge_store(tmp_path)
    result = run("--papers", str(root), "dedupe", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("lclm: error: ")


def test_merge_asks_which_to_keep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lclm.cli.app.is_terminal", lambda stream=None: True)
    root = merge_store(tmp_path)
    result = run("--papers", str(root), "dedupe", "--merge", input="7\n2\n")
    assert result.exit_code == 0, result.stderr
    assert "Keep which record? [1-2, s skip, q quit] [1]: " in result.stdout
    assert "Please answer a number from 1 to 2, s or q." in result.stdout
    # The record chosen was the letter-suffixed copy: it takes back the original key, drafts cite that one.
    assert "kept ding2024longropea as ding2024longrope (" in result.stdout
    keys = [p.key for p in load_store(root, use_cache=False).papers]
    assert "ding2024longrope" in keys and "ding2024longropea" not in keys
    kept = next(p for p in load_store(root).papers if p.key == "ding2024longrope")
    assert kept.ids == ["ding2024longropea"]
    # The arXiv id comes with the URL taken from the other record.
    assert (kept.url, kept.category, kept.note) == ("https://arxiv.org/abs/2402.13753", "architecture", "ICML version; read")
    assert paper_identities(kept)["arxiv"] == "2402.13753"


@pytest.mark.parametrize("answer", ["s\n", "q\n"])
def test_merge_skipped_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    monkeypatch.setattr("lclm.cli.app.is_terminal", lambda stream=None: True)
    root = merge_store(tmp_path)
    before = snapshot(root)
    result = run("--papers", str(root), "dedupe", "--merge", input=answer)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "nothing merged"
    assert snapshot(root) == before


def test_merge_refuses_a_store_changed_meanwhile(tmp_path: Path) -> None:
    from lclm.actions.merge import merge
    from lclm.errors import StoreError

    root = merge_store(tmp_path)
    store = load_store(root)
    group = find_duplicates(store).groups[0]
    changed = root / "evaluation.yaml"
    changed.write_text(changed.read_text() + "\n- key: new2024x\n  title: New\n  year: 2024\n")
    before = snapshot(root)
    with pytest.raises(StoreError, match="changed while dedupe ran; nothing merged"):
        merge(store, [(group.members[0], group.members[1:])])
    assert snapshot(root) == before


# ---------------------------------------------------------------- bad input


def test_missing_title_is_a_clean_error(tmp_path: Path) -> None:
    root = make_store(tmp_path / "s", papers=[paper("a2024x", "Ring attention")])
    (root / "papers.yaml").write_text("- key: a2024x\n  year: 2024\n")
    before = snapshot(root)
    result = run("--papers", str(root), "dedupe")
    assert result.exit_code == 1
    assert result.stderr == f"lclm: error: {root}/papers.yaml:1: a2024x: title: required field is missing\n"
    assert snapshot(root) == before


def test_malformed_store_is_a_clean_error(tmp_path: Path) -> None:
    root = make_store(tmp_path / "s", papers=[paper("a2024x", "Ring attention")])
    (root / "papers.yaml").write_text("- key: a2024x\n  title: [unclosed\n")
    result = run("--papers", str(root), "dedupe", "--merge", "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"lclm: error: {root}/papers.yaml:")
    assert "Traceback" not in result.stderr


def test_records_without_authors_or_with_empty_titles(tmp_path: Path) -> None:
    root = make_store(tmp_path / "s", papers=[
        paper("a2024x", "?!", authors=[]), paper("b2024x", "…", authors=[]),
        paper("c2024x", "Ring attention with blockwise transformers", authors=[]),
        paper("d2024x", "Ring attention with blockwise transformers.", authors=[]),
    ])
    line = {p.key: p.line for p in load_store(root).papers}
    result = run("--papers", str(root), "dedupe")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "group 1: same title"
    assert result.stderr.splitlines() == [
        f"lclm: warning: {root}/papers.yaml:{line[k]}: {k}: title: nothing left once normalised; compared by identifiers only"
        for k in ("a2024x", "b2024x")
    ]


def test_enormous_titles(tmp_path: Path) -> None:
    huge = "attention " * 100_000  # 1 MB
    root = make_store(tmp_path / "s", papers=[
        paper("a2024x", huge), paper("b2024x", huge + "more"), paper("c2024x", "Ring attention"),
    ])
    result = run("--papers", str(root), "dedupe", "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [[r["key"] for r in g["records"]] for g in data["groups"]] == [["a2024x", "b2024x"]]
    assert data["warnings"][0].endswith("a2024x: title: 999999 characters; compared on its first 1000")


def test_a_threshold_that_is_not_a_number_is_a_usage_error(store: Path) -> None:
    result = run("--papers", str(store), "dedupe", "--threshold", "nan")
    assert (result.exit_code, result.stderr) == (2, "lclm: error: --threshold: give a number from 50 to 100\n")


def _since(old: list[Any], new: list[Any], changed: set[int], gone: list[str]) -> dict[tuple[int, int], Any]:
    """near_titles of ``new`` the incremental way: the earlier pairs of records the edit left alone, and the new ones."""
    from lclm.duplicates.dedupe import near_titles, near_titles_since

    found, moved = near_titles_since([p.title for p in new], new.__getitem__, changed, gone)
    at = {id(p): i for i, p in enumerate(new)}
    for (i, j), evidence in near_titles(old).items():
        a, b = at.get(id(old[i])), at.get(id(old[j]))
        if a is not None and b is not None and a not in moved and b not in moved:
            found[min(a, b), max(a, b)] = evidence
    return found


def test_near_titles_after_an_edit_equal_a_fresh_search() -> None:
    """Pairs kept from before plus pairs worked out around the edit are exactly what a fresh search finds.

    Edits that shift blocking words matter: a word's count changes which words
    are a title's rarest, and so which titles share a block.
    """
    from lclm.duplicates.dedupe import near_titles
    from lclm.duplicates.profile import Profile, profile

    store = load_store(conftest.PAPERS)
    papers = store.papers[:300]
    base = [profile(p) for p in papers]
    # Near copies: a typo, a word dropped, words swapped, so the store has pairs to keep and to lose.
    copies = []
    for p in papers[:40]:
        words = comparable_title(p.title).split()
        if len(words) >= 6:
            for title in (" ".join(words[:2] + words[3:]), " ".join(words[1:2] + words[:1] + words[2:]), comparable_title(p.title) + "s"):
                copies.append(profile(p, title))
    # Two long titles three typos apart share no block while other titles hold the first one's odd words:
    # those are then its rarest.  Removing those titles moves its blocking words, and the pair is found.
    common = " ".join(letter * n for n in (4, 5) for letter in "mnopqrstuvw")
    long_pair = [Profile(f"long{c}", 2024, f"aab{c} aac{c} aad{c} {common}", {}) for c in "xy"]
    holders = [Profile(f"holder{w}", 2024, f"{w} {w}a {w}b", {}) for w in ("aabx", "aacx", "aadx")]
    old = base + copies + long_pair + holders
    assert len(near_titles(old)) > 20 and (len(old) - 5, len(old) - 4) not in near_titles(old)
    rare = old[5].title.split()[0]
    edits = {
        "retitle one of a pair": lambda ps: [profile(papers[0], "edited " + ps[0].title), *ps[1:]],
        "remove one of a pair": lambda ps: ps[1:],
        "add copies of a word (shifts blocking words)": lambda ps: ps + [profile(papers[7], f"{rare} zz{n} qq{n} kk{n}") for n in range(4)],
        "remove a copy and edit another": lambda ps: ps[:-1][:len(base)] + [profile(papers[3], c.title + " x") for c in ps[len(base) : -1]],
        "repeat a record": lambda ps: ps + [ps[0]],
        "remove the titles holding a long title's odd words": lambda ps: [p for p in ps if p not in holders],
    }
    for name, edit in edits.items():
        new = edit(old)
        mine = {id(p) for p in new}
        changed = {i for i, p in enumerate(new) if id(p) not in {id(q) for q in old}}
        gone = [p.title for p in old if id(p) not in mine]
        if name == "repeat a record":  # a second copy of one record: both are changed, its title gone once
            changed |= {0, len(new) - 1}
            gone.append(old[0].title)
        assert _since(old, new, changed, gone) == near_titles(new), name
