"""One answer to "are these two records the same paper?" from add, the imports, dedupe, validate and merge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import conftest
from conftest import run
from lclm.duplicates.identity import (
    ALIKE,
    CONFLICT,
    DIFFERENT,
    KNOWN,
    NEW,
    REFUSED,
    REPEAT,
    SAME,
    Lookup,
    compare,
    sort_batch,
)
from lclm.duplicates.profile import paper_identities, profile
from lclm.model import Paper
from lclm.store.load import load_store


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module does not test the cache."""
    return warm_store


RETRIEVAL = "Retrieval meets long context large language models"
XU = ["Peng Xu", "Wei Ping", "Xianchao Wu"]


def make_store(root: Path, papers: list[dict[str, Any]]) -> Path:
    """A one-category store (``papers.yaml``) holding ``papers``."""
    return conftest.make_store(root, {"papers": papers})


def record(key: str, title: str, year: int = 2024, authors: list[str] | None = None, **fields: Any) -> dict[str, Any]:
    return {"key": key, "title": title, "authors": XU if authors is None else authors, "year": year, **fields}


def dedupe_says(root: Path) -> str:
    """``same`` (grouped), ``noted`` (a look-alike or a clash) or ``nothing``, as `lclm dedupe --json` reports."""
    data = json.loads(run("--papers", str(root), "dedupe", "--json").stdout)
    return "same" if data["groups"] else "noted" if data["notes"] else "nothing"


def validate_rules(root: Path) -> list[str]:
    result = run("--papers", str(root), "validate", "--json")
    return [p["rule"] for p in json.loads(result.stdout)["problems"]]


# ---------------------------------------------------------------- the same pair, the same answer everywhere

PAIRS = {
    # name: (first, second, verdict)
    "retitled-journal-version": (
        record("a2024x", "Extending context windows", arxiv="2402.13753"),
        record("b2024x", "A completely retitled journal version", url="https://arxiv.org/abs/2402.13753v2"),
        SAME,
    ),
    "wrong-arxiv-id": (
        record("a2024x", "Extending context windows", arxiv="2402.13753"),
        record("b2024x", "Attention sinks in streaming models", authors=["Guangxuan Xiao"], arxiv="2402.13753"),
        CONFLICT,
    ),
    "same-title-other-year-and-authors": (
        record("xu2023retrieval", RETRIEVAL, 2023),
        record("doe2026retrieval", RETRIEVAL, 2026, authors=["Jane Doe"]),
        ALIKE,
    ),
    "same-title-marked-distinct": (
        record("xu2023retrieval", RETRIEVAL, 2023),
        record("doe2026retrieval", RETRIEVAL, 2026, authors=["Jane Doe"], distinct=["xu2023retrieval"]),
        DIFFERENT,
    ),
    "site-home-page": (
        record("team2024step", "Step-1V", authors=["Step Team"], url="https://www.stepfun.com/#step1v"),
        record("team2024stepa", "Step-2", authors=["Step Team"], url="https://www.stepfun.com/#step2"),
        DIFFERENT,
    ),
    "code-repository": (
        record("a2024x", "Ring attention", url="https://github.com/haoliuhl/ringattention"),
        record("b2024x", "Blockwise parallel transformers", url="https://github.com/haoliuhl/ringattention"),
        DIFFERENT,
    ),
    "shared-paper-url-no-author-in-common": (
        record("a2023x", "Focused transformer", authors=["Szymon Tworkowski", "Konrad Staniszewski"],
               url="https://proceedings.neurips.cc/paper/2023/hash/8511d06d-Abstract.html"),
        record("b2023x", "CD-Pos", authors=["Zhiyuan Hu", "Yuliang Liu"],
               url="https://proceedings.neurips.cc/paper/2023/hash/8511d06d-Abstract.html"),
        ALIKE,
    ),
    "same-title": (
        record("xu2023retrieval", RETRIEVAL, 2023),
        record("xu2023retrievala", RETRIEVAL.title(), 2023, authors=["Peng Xu"]),
        SAME,
    ),
    "version-numbers": (
        record("a2024qwen", "Qwen2 Technical Report"),
        record("b2024qwen", "Qwen2.5 Technical Report"),
        DIFFERENT,
    ),
    "retyped-title": (
        record("lv2024longwanjuan", "LongWanjuan: Towards Systematic Measurement for Long Text Quality"),
        record("lv2024longwanjuana", "Longwanjuan: Towards systematic measurment for long text quality", 2025),
        SAME,
    ),
}
# Near titles are found by `lclm dedupe` (and refused by add), and warned about by validate: one answer.


def verdict_of(first: dict[str, Any], second: dict[str, Any]) -> str:
    a, b = Paper.from_dict(first), Paper.from_dict(second)
    return compare(profile(b), profile(a)).kind


@pytest.mark.parametrize("name", PAIRS)
def test_every_command_gives_a_pair_the_same_answer(tmp_path: Path, name: str) -> None:
    first, second, verdict = PAIRS[name]
    assert verdict_of(first, second) == verdict
    root = make_store(tmp_path / "s", [first, second])
    # dedupe: the same paper is a group; a look-alike or a clash is a note; different papers are nothing.
    assert dedupe_says(root) == {SAME: "same", ALIKE: "noted", CONFLICT: "noted", DIFFERENT: "nothing"}[verdict]
    # validate: the same paper is a duplicate, a look-alike must be marked, a clash is an id to check.
    expected = {
        SAME: {"same-id", "same-title", "near-duplicate"}, ALIKE: {"look-alike"}, CONFLICT: {"id-conflict"}, DIFFERENT: set()
    }
    rules = set(validate_rules(root))
    assert rules <= expected[verdict] and bool(rules) == (verdict != DIFFERENT)
    # add / the imports: the store's first record is what the second is checked against.
    match = Lookup([Paper.from_dict(first)]).find(Paper.from_dict(second))
    assert (match.kind if match else DIFFERENT) == verdict


def test_the_issue_example_add_dedupe_and_validate_agree(store: Path) -> None:
    # The list has "Retrieval meets long context large language models" (Xu et al., 2023).
    args = ("--papers", str(store), "add", "--title", RETRIEVAL, "--year", "2026", "--author", "Jane Doe", "-c", "memory")
    refused = run(*args)
    assert refused.exit_code == 1
    assert "looks like xu2023retrieval at" in refused.stderr
    assert "same title, but years 2026 and 2023 are more than 1 apart" in refused.stderr
    assert "if it is another paper, --force adds it marked distinct" in refused.stderr
    forced = run(*args, "--force")
    assert forced.exit_code == 0, forced.stderr
    added = next(p for p in load_store(store).papers if p.year == 2026 and p.title == RETRIEVAL)
    assert added.distinct == ["xu2023retrieval"]
    assert run("--papers", str(store), "dedupe").stdout == "no duplicates among 642 records\n"
    assert run("--papers", str(store), "validate", "--strict").exit_code == 0


def test_a_site_home_page_names_no_paper(store: Path) -> None:
    # Step-1V's URL is https://www.stepfun.com/#step1v; another model's page on the same site is another paper.
    result = run("--papers", str(store), "add", "--title", "Step-3", "--year", "2025", "--author", "Step Team",
                 "--url", "https://www.stepfun.com/#step3", "-c", "survey")
    assert result.exit_code == 0, result.stderr
    assert run("--papers", str(store), "validate", "--strict").exit_code == 0
    assert run("--papers", str(store), "dedupe").exit_code == 0


@pytest.mark.parametrize(
    "url, identity",
    [
        ("https://www.stepfun.com/#step3", False),
        ("https://openai.com/", False),
        ("https://github.com/haoliuhl/ringattention", False),
        ("https://github.com/haoliuhl", False),
        ("https://huggingface.co/Qwen/Qwen2-7B", False),
        ("https://huggingface.co/papers/2402.13753", True),
        ("https://github.com/org/repo/blob/main/paper.pdf", True),
        ("https://openai.com/index/gpt-4-research/", True),
        ("https://proceedings.neurips.cc/paper/2023/hash/8511d06d-Abstract.html", True),
    ],
)
def test_which_urls_name_one_paper(url: str, identity: bool) -> None:
    assert ("url" in paper_identities(Paper("a2024x", "T", 2024, url=url))) is identity


def test_merge_yes_never_merges_records_that_only_share_an_id(tmp_path: Path) -> None:
    first, second, _ = PAIRS["wrong-arxiv-id"]
    root = make_store(tmp_path / "s", [first, second])
    before = (root / "papers.yaml").read_bytes()
    result = run("--papers", str(root), "dedupe", "--merge", "--yes")
    assert result.exit_code == 0
    assert result.stdout == "no duplicates among 2 records\n"
    assert "same arXiv id 2402.13753, but the titles and authors differ: check the id" in result.stderr
    assert (root / "papers.yaml").read_bytes() == before


# ---------------------------------------------------------------- a batch of incoming papers


def test_sort_batch_merges_repeats_and_refuses_look_alikes() -> None:
    known = [Paper.from_dict(record("xu2023retrieval", RETRIEVAL, 2023))]
    incoming = [
        Paper.from_dict(record("", "Ring attention with blockwise transformers", arxiv="2310.01889")),
        Paper.from_dict(record("", "Ring Attention with Blockwise Transformers.", venue="ICLR 2024")),
        Paper.from_dict(record("", RETRIEVAL, 2023)),
        Paper.from_dict(record("", RETRIEVAL, 2020, authors=["Jane Doe"])),
        Paper.from_dict(record("", "Striped attention", arxiv="2311.09431")),
        Paper.from_dict(record("", "Something else entirely", authors=["Jane Doe"], arxiv="2311.09431")),
    ]
    arrivals = sort_batch(incoming, known)
    assert [a.status for a in arrivals] == [NEW, REPEAT, KNOWN, REFUSED, NEW, REFUSED]
    assert arrivals[0].repeats == [incoming[1]]
    assert arrivals[3].match is not None and arrivals[3].match.kind == ALIKE
    assert arrivals[5].match is not None and arrivals[5].match.kind == CONFLICT


BIB = """@article{roe2024lattice,
  title = {Lattice Caches for Streaming Sequence Models},
  author = {Roe, Jane and Zaharia, Matei},
  year = {2024},
  eprint = {2501.09999},
  archivePrefix = {arXiv}
}

@inproceedings{roe2024latticeagain,
  title = {Lattice caches for streaming sequence models},
  author = {Jane Roe and Matei Zaharia},
  booktitle = {The Twelfth International Conference on Learning Representations},
  year = {2024},
  doi = {10.5555/ring}
}
"""


def test_a_paper_twice_in_one_bib_file_is_written_once_with_both_halves(store: Path, tmp_path: Path) -> None:
    bib = tmp_path / "twice.bib"
    bib.write_text(BIB, encoding="utf-8")
    result = run("--papers", str(store), "import", "bibtex", str(bib), "-c", "architecture")
    assert result.exit_code == 0, result.stderr
    assert "roe2024latticeagain: the same paper as roe2024lattice earlier in this file" in result.stdout
    found = [p for p in load_store(store).papers if p.key.startswith("roe2024lattice")]
    assert [(p.key, p.arxiv, p.doi, p.venue) for p in found] == [
        ("roe2024lattice", "2501.09999", "10.5555/ring", "The Twelfth International Conference on Learning Representations")
    ]
    assert run("--papers", str(store), "validate", "--strict").exit_code == 0


# ---------------------------------------------------------------- merging keeps citing drafts working


def test_merge_keeps_the_original_key_and_old_keys_still_cite(tmp_path: Path) -> None:
    root = make_store(tmp_path / "s", [
        record("xu2023retrieval", RETRIEVAL, 2023),
        record("xu2023retrievala", RETRIEVAL, 2023, venue="ICLR 2024", doi="10.5555/retr", note="published"),
    ])
    merged = run("--papers", str(root), "dedupe", "--merge", "--yes")
    assert merged.exit_code == 0, merged.stderr
    assert merged.stdout.startswith("kept xu2023retrieval (")  # the original, not the later copy
    (kept,) = load_store(root).papers
    assert (kept.key, kept.ids, kept.venue) == ("xu2023retrieval", ["xu2023retrievala"], "ICLR 2024")
    assert run("--papers", str(root), "validate", "--strict").exit_code == 0
    cited = run("--papers", str(root), "export", "bibtex", "--keys", "xu2023retrievala")
    assert cited.exit_code == 0, cited.stderr
    assert cited.stdout.startswith("@inproceedings{xu2023retrieval,")
    assert "  ids = {xu2023retrievala}\n" in cited.stdout
    assert cited.stderr == "lclm: note: --keys: xu2023retrievala is now xu2023retrieval (merged)\n"


def test_a_former_key_must_not_be_a_live_key(tmp_path: Path) -> None:
    root = make_store(tmp_path / "s", [
        record("xu2023retrieval", RETRIEVAL, 2023, ids=["ring2024x"]),
        record("ring2024x", "Ring attention", authors=["Hao Liu"]),
    ])
    text = (root / "papers.yaml").read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("  ids:")) + 1
    result = run("--papers", str(root), "validate")
    assert result.exit_code == 1
    assert f"{root}/papers.yaml:{line}: xu2023retrieval: ids: former key ring2024x is the key of a live paper" in result.stdout


def test_a_draft_citing_a_merged_key_still_exports_the_paper(tmp_path: Path) -> None:
    root = make_store(tmp_path / "s", [
        record("xu2023retrieval", RETRIEVAL, 2023, ids=["xu2023retrievala"]),
        record("liu2024ring", "Ring attention", authors=["Hao Liu"]),
    ])
    aux = tmp_path / "draft.aux"
    aux.write_text("\\relax\n\\citation{xu2023retrievala}\n", encoding="utf-8")
    result = run("--papers", str(root), "export", "bibtex", "--aux", str(aux))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("@misc{xu2023retrieval,") and "liu2024ring" not in result.stdout
    assert result.stderr == f"lclm: note: {aux}:2: xu2023retrievala is now xu2023retrieval (merged)\n"
