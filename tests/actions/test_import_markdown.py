"""Importing Markdown lists: the seed, the numbered format, merging, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA, PAPERS, SEED, ZH, make_store, run
from lclm.formats.markdown import render_entry
from lclm.sources.markdown import parse_markdown
from lclm.store.load import load_store

NUMBERED = DATA / "lists" / "xnhyacinth_awesome-llm-long-context-modeling_README.md"


def test_seed_import_takes_every_entry_in_order(seed_store: Path) -> None:
    store = load_store(seed_store)
    counts = {c.name: len(store.in_category(c.slug)) for c in store.categories()}
    assert counts == {
        "Survey & Technical Report": 48, "Length Extrapolation": 58, "KV Cache Optimization": 65,
        # Architecture Innovation and Long-Context Evaluation each list one paper twice: merged.
        "Memory Management": 37, "Architecture Innovation": 67, "Training Infrastructure": 76,
        "Inference Infrastructure": 47, "Long-Context Pre-Training": 11, "Long-Context Post-Training": 29,
        "Long-Context MLLM": 99, "Long-Context Evaluation": 81, "Unanswered Question": 23,
    }
    first = store.papers[0]
    assert (first.key, first.title, first.year, first.arxiv) == (
        "huang2023advancing",
        "Advancing transformer architecture in long-context large language models: A comprehensive survey",
        2023,
        "2311.12351",
    )
    assert first.authors[-1] == "others"
    assert first.venue == "arXiv preprint arXiv:2311.12351"


def test_seed_import_summary_reports_cleanings_and_repeats(tmp_path: Path) -> None:
    result = run("--papers", str(tmp_path / "s"), "import", "markdown", str(SEED))
    out = result.stdout.splitlines()
    assert out[-1] == (
        "read 643 of 653 entries, 10 set aside (listed above); added 641 papers in 12 categories (12 new); 73 cleanings, 0 already present, "
        "2 repeats merged, 1 look-alikes marked distinct, 0 refused"
    )
    assert result.stderr == ""  # every entry of the seed is read
    # a cleaning seen more than three times is one line, with its count and first line numbers
    assert f"{SEED}:99: cleaned 33 entries: turned LaTeX escapes into Unicode (lines 99, 101, 113, 123, 167, 211, 216, 247, ... (25 more))" in out
    assert f"{SEED}:421: cleaned 8 entries: removed zero-width characters (lines 421, 435, 442, 445, 466, 572, 578, 846)" in out
    assert f"{SEED}:471: cleaned 6 entries: removed stray \\$\\\\\\$ markup (lines 471, 483, 488, 514, 526, 558)" in out
    assert f"{SEED}:622: li2024longa: cleaned: took the missing year 2024 from the venue" in out
    assert f"{SEED}:828: listed twice in this file: merged into hosseini2024benchmark (same arXiv id 2411.09834)" in out
    # Gated Slot Attention: its NeurIPS entry (line 358) and its arXiv entry (line 376), one record with both
    assert any(line.startswith(f"{SEED}:376: listed twice in this file: merged into zhang2024gated") for line in out)
    # a citation export's "Qwen, :, An Yang": the ":" is no author
    assert f"{SEED}:423: qwen2024qwen2: cleaned: dropped ':' from the authors (no letters)" in out
    # CD-Pos carries Focused Transformer's URL by mistake: both kept, marked as different papers
    assert any(line.startswith(f"{SEED}:217: hu2024cd: looks like tworkowski2024focused (same URL") for line in out)
    # every one of the nine news items is accounted for (the one that is only a GitHub link too)
    assert f"{SEED}:37: set aside 9 entries under 'News': not a paper list" in out
    # and its navigation line (<a href=…>📝 Paper</a> | <a href=…>📄 List</a> | …), read as links since HTML links are
    assert f"{SEED}:6: set aside 1 entries under 'Thus Spake Long-Context Large Language Model': a line of links between separators (the page's navigation), not a paper" in out
    assert out[-2] == "all 653 entries of the source: 641 written, 2 merged, 10 set aside"
    verbose = run("--papers", str(tmp_path / "v"), "import", "markdown", "--verbose", str(SEED)).stdout
    assert f"{SEED}:421: gholami2024ai: cleaned: removed zero-width characters" in verbose.splitlines()


def test_seed_defects_are_cleaned_in_the_records(seed_store: Path) -> None:
    by_key = {p.key: p for p in load_store(seed_store).papers}
    assert "Morgane Rivière" in by_key["team2024gemma"].authors
    assert "Íñigo Goiri" in by_key["patel2024splitwise"].authors
    assert by_key["ren2021zero"].title == "Zero-offload: Democratizing billion-scale model training"
    assert by_key["zhong2024distserve"].title.startswith("DistServe: Disaggregating")
    assert by_key["gholami2024ai"].title == "AI and memory wall"
    assert by_key["an2024why"].title == "Why Does the Effective Context Length of LLMs Fall Short?"
    assert by_key["safaya2024neurocache"].url == ""  # the one entry without a link
    index = next(p for p in by_key.values() if p.title == "Index1.9B Technical Report")
    assert (index.key, index.authors, index.year) == ("anon2024index1", [], 2024)


def test_rendered_lines_equal_the_seed_lines_that_needed_no_cleaning(seed_store: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    entries = parse_markdown("\n".join(lines)).entries()
    papers = {(p.title, p.url): p for p in load_store(seed_store).papers}
    regular = [(e, papers[e.title, e.url]) for e in entries if not e.cleaned and (e.title, e.url) in papers]
    # Entries with a cleaning differ; Gated Slot Attention's arXiv entry (line 376) was merged
    # into its NeurIPS entry (line 358), so it has no record of its own.
    assert len(regular) == 643 - sum(1 for e in entries if e.cleaned) - 1
    assert [render_entry(p) for _, p in regular] == [lines[e.line - 1] for e, _ in regular]


def test_import_of_the_render_gives_back_the_same_store(seed_store: Path, tmp_path: Path) -> None:
    rendered = tmp_path / "list.md"
    rendered.write_text(run("--papers", str(seed_store), "export", "markdown").stdout, encoding="utf-8")
    assert run("--papers", str(tmp_path / "again"), "import", "markdown", str(rendered)).exit_code == 0
    original, again = load_store(seed_store), load_store(tmp_path / "again")
    untranslated = [{**s.to_dict()} for s in again.sections]
    for section in original.sections:
        for _, s in section.walk():
            s.translations.clear()
    assert untranslated == [s.to_dict() for s in original.sections]
    assert [p.to_dict() for p in again.papers] == [p.to_dict() for p in original.papers]


def test_the_committed_list_survives_a_render_and_import(tmp_path: Path) -> None:
    rendered = tmp_path / "list.md"
    rendered.write_text(run("--papers", str(PAPERS), "export", "markdown").stdout, encoding="utf-8")
    assert run("--papers", str(tmp_path / "again"), "import", "markdown", str(rendered)).exit_code == 0
    shown = ("title", "authors", "year", "venue", "url")  # what a Markdown line carries
    original, again = load_store(PAPERS, use_cache=False), load_store(tmp_path / "again")
    assert [[getattr(p, f) for f in shown] for p in again.papers] == [[getattr(p, f) for f in shown] for p in original.papers]


def test_importing_into_a_store_skips_papers_it_has(store: Path, tmp_path: Path) -> None:
    extra = tmp_path / "more.md"
    extra.write_text(
        "### Length Extrapolation\n"
        "* **[Self-attention with relative position representations.](https://arxiv.org/abs/1803.02155v2)** P Shaw. ICLR, 2018\n"
        "* **[A brand new paper.](https://example.org/new)** Ada Lovelace. Journal of Things, 2025\n",
        encoding="utf-8",
    )
    result = run("--papers", str(store), "import", "markdown", str(extra))
    assert result.exit_code == 0
    assert f"{extra}:2: skipped 'Self-attention with relative position representations': already in the store as shaw2018self (length-extrapolation.yaml:1, same arXiv id 1803.02155)" in result.stdout
    papers = load_store(store).in_category("length-extrapolation")
    assert (papers[-1].key, papers[-1].title) == ("lovelace2025brand", "A brand new paper")
    assert len(load_store(store).papers) == len(load_store(PAPERS, use_cache=False).papers) + 1


def test_category_option_puts_everything_in_one_category(store: Path, tmp_path: Path) -> None:
    extra = tmp_path / "more.md"
    extra.write_text("## Anything\n* **[Fresh idea.](https://example.org/f)** Ada Lovelace. 2025\n", encoding="utf-8")
    result = run("--papers", str(store), "import", "markdown", str(extra), "--category", "kv cache")
    assert result.exit_code == 0, result.stderr
    assert load_store(store).in_category("kv-cache-optimization")[-1].title == "Fresh idea"


def test_numbered_awesome_list_is_read_and_its_bad_lines_named(tmp_path: Path) -> None:
    result = run("--papers", str(tmp_path / "x"), "import", "markdown", str(NUMBERED))
    assert result.exit_code == 0
    store = load_store(tmp_path / "x")
    assert len(store.papers) == 1475 - 2  # two papers are listed twice: merged
    assert "merged into shah2024flashattention (same title, shared author Jay Shah)" in result.stdout
    assert store.sections[0].name == "1. Survey Papers"
    assert store.sections[0].sections[0].name == "1.1 General Long-Context Surveys"
    first = store.papers[0]
    assert (first.title, first.year, first.venue) == ("A Survey on Long Text Modeling with Transformers", 2023, "Arxiv")
    assert first.authors == ["Zican Dong", "Tianyi Tang", "Lunyi Li", "Wayne Xin Zhao"]
    # the news section ("- Paper: [...]" items under dated groups) is not part of the list
    names = [s.name for top in store.sections for _, s in top.walk()]
    assert not any("News" in n or "Week Papers" in n for n in names)
    assert len(store.sections) == 20
    assert result.stderr == ""
    by_title = {p.title: p for p in store.papers}
    # line 2429: no year in the text ("TPAMI."): the link's /2026/ gives it
    assert by_title["MovieChat+: Question-aware Sparse Memory for Long Video Question Answering"].year == 2026
    # line 2929: no author list, "Anthropic 2024." is venue and year
    jailbreak = next(p for p in store.papers if p.url.endswith("Many_Shot_Jailbreaking__2024_04_02_0936.pdf"))
    # ... and line 3374 lists it again with _Anthropic._ as its author: merged, the author kept
    assert (jailbreak.authors, jailbreak.venue, jailbreak.year) == (["Anthropic"], "Anthropic", 2024)
    # line 3250: the opening "_" of the authors is missing
    swing = by_title["SwingArena: Competitive Programming Arena for Long-context GitHub Issue Solving"]
    assert (swing.authors[0], swing.authors[-1], swing.venue, swing.year) == ("Wendong Xu", "Ngai Wong", "Arxiv", 2025)
    assert "set aside 50 entries under '📢 News': not a paper list" in result.stdout


def test_translation_import_names_sections_and_rejects_a_different_tree(seed_store: Path, tmp_path: Path) -> None:
    store = seed_store
    result = run("--papers", str(store), "import", "markdown", "--lang", "fr", str(ZH))
    assert result.exit_code == 0
    assert load_store(store).category("kv-cache-optimization").translations == {"zh": "高效缓存", "fr": "高效缓存"}
    short = tmp_path / "short.md"
    short.write_text("### 综述\n* **[X.](https://e.org/x)** A. 2024\n", encoding="utf-8")
    bad = run("--papers", str(store), "import", "markdown", "--lang", "zh", str(short))
    assert bad.exit_code == 1
    assert "1 headings where the store has 5" in bad.stderr


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.md", "{p}: no such file"),
        (lambda d: d, "{p}: is a directory, not a file"),
    ],
)
def test_bad_input_files_write_nothing(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    result = run("--papers", str(tmp_path / "new"), "import", "markdown", str(path))
    assert (result.exit_code, result.stderr) == (1, f"lclm: error: {message.format(p=path)}\n")
    assert not (tmp_path / "new").exists()


def test_markdown_without_entries_and_non_utf8_files_fail_cleanly(tmp_path: Path) -> None:
    prose = tmp_path / "prose.md"
    prose.write_text("# My notes\n\nNothing to see.\n- a plain bullet\n", encoding="utf-8")
    result = run("--papers", str(tmp_path / "new"), "import", "markdown", str(prose))
    assert (result.exit_code, result.stderr) == (
        1,
        f"lclm: error: {prose}: no paper entries found: saw 1 heading, 1 list item, 1 paragraph;"
        " no item has a web link or bold text to read as a paper\n",
    )
    menu = tmp_path / "menu.md"
    menu.write_text("# Links\n\n- [Awesome X](https://github.com/a/x)\n- [Awesome Y](https://github.com/a/y)\n", encoding="utf-8")
    result = run("--papers", str(tmp_path / "new"), "import", "markdown", str(menu))
    assert (result.exit_code, result.stderr) == (
        1,
        f"lclm: error: {menu}: no paper entries found: saw 1 heading, 2 list items; set aside 2 a link to a code"
        " repository or another list, not a paper (lines 3, 4); no other item has a web link or bold text to read as a paper\n",
    )
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"### X\n* **[Caf\xe9.](https://e.org)** A. 2024\n")
    result = run("--papers", str(tmp_path / "new"), "import", "markdown", str(latin))
    assert result.stderr == f"lclm: error: {latin}:2: not UTF-8 (byte 0xe9 at offset 14)\n"
    assert not (tmp_path / "new").exists()


def test_dry_run_writes_nothing(store: Path) -> None:
    before = {p.name: p.read_bytes() for p in store.iterdir()}
    result = run("--papers", str(store), "import", "markdown", "--dry-run", str(NUMBERED))
    assert result.exit_code == 0
    assert "would add" in result.stdout.splitlines()[-1]
    assert {p.name: p.read_bytes() for p in store.iterdir()} == before
    shutil.rmtree(store)


CLASH = (
    "## Papers\n"
    "- **[Attention Is All You Need.](https://arxiv.org/abs/1706.03762)** Ashish Vaswani, Noam Shazeer. NeurIPS, 2017\n"
    "- **[A Different Paper Entirely.](https://arxiv.org/abs/1706.03762)** Ada Lovelace. arXiv, 2017\n"
    "- **[Attention Is All You Need.](https://arxiv.org/abs/1706.03762)** Ashish Vaswani, Noam Shazeer. arXiv, 2017\n"
    "- **[No Year Anywhere.](https://example.org/paper.html)** Ada Lovelace.\n"
    "## News\n- [2025.01.10] We released v2 of our survey [[arXiv](https://arxiv.org/abs/2501.00001)]\n"
)


def test_two_titles_sharing_an_id_are_not_merged_and_the_account_adds_up(tmp_path: Path) -> None:
    md = tmp_path / "list.md"
    md.write_text(CLASH, encoding="utf-8")
    report = tmp_path / "account.json"
    result = run("--papers", str(tmp_path / "s"), "import", "markdown", "--report", str(report), str(md))
    assert result.exit_code == 1
    assert (
        f"{md}:3: not written: 'A Different Paper Entirely': shares an identifier with vaswani2017attention (line 2)"
        in result.stderr
    )
    assert not (tmp_path / "s").exists()  # something set aside: nothing written
    import json

    account = json.loads(report.read_text(encoding="utf-8"))
    states = [(e["line"], e["state"]) for e in account["entries"]]
    assert states == [(2, "written"), (3, "set aside"), (4, "merged"), (5, "set aside"), (7, "set aside")]
    assert account["counts"] == {"written": 1, "merged": 1, "set aside": 3, "entries": 5}
    assert account["written"] is False
    assert account["entries"][2]["detail"].startswith("into vaswani2017attention (line 2)")
    assert account["entries"][4]["detail"] == "not a paper list (under 'News')"
    assert f"{md}: the account of all 5 entries (1 written, 1 merged, 3 set aside) is in {report}" in result.stderr


def test_a_partial_import_writes_what_it_can_and_a_markdown_account(tmp_path: Path) -> None:
    md = tmp_path / "list.md"
    md.write_text(CLASH, encoding="utf-8")
    report = tmp_path / "account.md"
    result = run("--papers", str(tmp_path / "s"), "import", "markdown", "--partial", "--report", str(report), str(md))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-2] == "all 5 entries of the source: 1 written, 1 merged, 3 set aside"
    assert [p.key for p in load_store(tmp_path / "s").papers] == ["vaswani2017attention"]
    text = report.read_text(encoding="utf-8")
    assert "5 entries: 1 written, 1 merged, 3 set aside." in text
    assert "| 5 | **[No Year Anywhere.](https://example.org/paper.html)** Ada Lovelace. | no year" in text
    assert "## Written (1)" in text and "| 2 | Attention Is All You Need | as vaswani2017attention in papers |" in text


def test_create_starts_the_category_it_names(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s", {"papers": []})
    md = tmp_path / "list.md"
    md.write_text("## Any\n- [A Paper With a Title](https://arxiv.org/abs/2401.01234) Ann Lee. ICLR 2024\n", encoding="utf-8")
    refused = run("--papers", str(store), "import", "markdown", str(md), "-c", "Graph Learning")
    assert refused.exit_code == 2 and "--create starts a new category named 'Graph Learning'" in refused.output
    alone = run("--papers", str(store), "import", "markdown", str(md), "--create")
    assert alone.exit_code == 2 and "--create needs --category" in alone.output
    made = run("--papers", str(store), "import", "markdown", str(md), "-c", "Graph Learning", "--create")
    assert made.exit_code == 0, made.output
    loaded = load_store(store)
    assert [(c.name, c.slug) for c in loaded.categories()] == [("Papers", "papers"), ("Graph Learning", "graph-learning")]
    assert [p.category for p in loaded.papers] == ["graph-learning"]
    again = run("--papers", str(store), "import", "markdown", str(md), "-c", "graph learning", "--create")
    assert again.exit_code == 0 and len(load_store(store).categories()) == 2  # the same name is the same category
