"""`lclm search` on the frozen list: ranking, names, filters, output formats, bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import run
from lclm.model import Paper
from lclm.search.rank import title_spans
from lclm.store.layout import Section, Store
from lclm.store.load import load_store
from lclm.store.transaction import save_store


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module does not test the cache."""
    return warm_store


STREAMING = "Efficient Streaming Language Models with Attention Sinks"


def search(store: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run ``lclm --papers STORE search ARGS``."""
    return run("--papers", str(store), "search", *args, env=env)


def keys(result: Any) -> list[str]:
    """The keys of a plain-text result, in order."""
    assert result.exit_code == 0, result.stderr
    return [line.split("\t")[0] for line in result.stdout.splitlines()]


def records(store: Path, *args: str) -> list[dict[str, Any]]:
    """The hits of ``--json`` output."""
    result = search(store, *args, "--json")
    assert result.exit_code == 0, result.stderr
    out: list[dict[str, Any]] = json.loads(result.stdout)
    return out


def papers(store: Path) -> list[Paper]:
    return load_store(store, use_cache=False).papers


# ---------------------------------------------------------------- names and ranking


def test_rope_finds_the_rope_paper_first_then_titles_never_words_inside_others(store: Path) -> None:
    in_title = [p for p in papers(store) if re.search("rope", " ".join([p.title, *p.aka]), re.IGNORECASE)]
    whole = {p.key for p in in_title if re.search(r"(?<![\w-])rope(?![\w-])", p.title, re.IGNORECASE)}
    whole.discard("su2024roformer")  # RoPE is its aka
    compound = {p.key for p in in_title} - whole
    named = {p.key for p in in_title if re.search(r"HiRoPE|VideoRoPE|Longrope|rope-based", p.title, re.IGNORECASE)}
    assert len(whole) >= 5 and len(named) >= 4 and named <= compound
    found = keys(search(store, "rope", "--limit", "0"))
    # RoFormer's title says "rotary position embedding"; its aka says RoPE.
    assert found[0] == "su2024roformer"
    rest = found[1:]
    assert set(rest[: len(whole)]) == whole
    assert set(rest[len(whole) :]) == compound - {"su2024roformer"}  # nothing with "rope" inside "European"


def test_a_paper_named_exactly_the_query_comes_before_names_containing_it(store: Path) -> None:
    # DeciMamba, ReMamba and others are newer; "Mamba: ..." is the one named mamba.
    assert keys(search(store, "mamba", "--limit", "3"))[0] == "gu2023mamba"
    assert keys(search(store, "zero", "--limit", "3"))[0] == "rajbhandari2020zero"  # ZeRO, not Zero++
    assert keys(search(store, "zero++", "--limit", "3"))[0] == "wang2023zero"


@pytest.mark.parametrize(
    ("query", "key"),
    [
        (["alibi"], "press2022train"),
        (["StreamingLLM"], "xiao2024efficient"),
        (["streaming", "llm"], "xiao2024efficient"),
        (["vllm"], "kwon2023efficient"),
        (["mqa"], "shazeer2019fast"),
        (["qwen2"], "yang2024qwen2"),  # "Qwen2 Technical Report", not Qwen2.5 or Qwen2-VL
        (["gpt4"], "openai2023gpt"),
    ],
)
def test_names_not_in_titles_and_name_variants(store: Path, query: list[str], key: str) -> None:
    assert keys(search(store, *query, "--limit", "3"))[0] == key


@pytest.mark.parametrize("query", [["flash", "attention"], ["FlashAttention"], ["flash-attention"]])
def test_hyphen_and_case_variants_are_the_same_word(store: Path, query: list[str]) -> None:
    assert keys(search(store, *query, "--limit", "1")) == ["dao2022flashattention"]


def test_abbreviations_stand_for_their_words_both_ways(store: Path) -> None:
    llm = set(keys(search(store, "llm", "serving", "--limit", "0")))
    spelled = set(keys(search(store, "large", "language", "model", "serving", "--limit", "0")))
    # kwon2023efficient says "large language model serving"; li2024llm says "Llm inference serving".
    assert {"kwon2023efficient", "li2024llm"} <= llm & spelled
    kv = keys(search(store, "key-value", "cache", "--limit", "0"))
    assert "wu2024scope" in kv  # "SCOPE: Optimizing Key-Value Cache Compression ..."
    assert "liu2024kivi" in kv  # "Kivi: ... 2bit quantization for kv cache"
    short = keys(search(store, "kv", "cache", "--limit", "0"))
    assert set(kv) <= set(short) and "zhang2024pqcache" in short  # and "kv cache" is also "kvcache"


def test_typo_query_finds_streaming_llm_first(store: Path) -> None:
    hits = records(store, "strming", "llm", "attention", "sinks", "--limit", "3")
    assert hits[0]["title"] == STREAMING
    assert set(hits[0]["matched"]["title"]) >= {"Streaming", "Attention", "Sinks"}


def test_typos_are_forgiven_by_length(store: Path) -> None:
    assert keys(search(store, "longrpoe", "--limit", "1")) == ["ding2024longrope"]  # one swap in 8 letters
    assert keys(search(store, "roformr", "--limit", "1")) == ["su2024roformer"]
    # A three-letter word gets no typo: "mqa" finds MQA, "mqb" nothing.
    assert keys(search(store, "mqa", "--limit", "1")) == ["shazeer2019fast"]
    assert search(store, "mqb").exit_code == 1


def test_all_words_beat_one_strong_word(store: Path) -> None:
    hits = records(store, "rope", "scaling", "--limit", "0")
    titles = [h["title"] for h in hits]
    # The NTK-aware and dynamically scaled RoPE posts are RoPE scaling methods; the scaling laws paper follows.
    assert "Scaling laws of rope-based extrapolation" in titles[:3]
    # Every hit has both words (NTK-aware scaling is an aka of the NTK-aware scaled RoPE post).
    for hit in hits:
        text = " ".join([hit["title"], *hit.get("aka", [])]).lower()
        assert "rope" in text and "scal" in text, hit["title"]


@pytest.mark.parametrize("query", [("Qiu", "Xipeng"), ("xipeng", "qiu"), ("XIPENG QIU",)])
def test_author_names_in_any_order_and_case(store: Path, query: tuple[str, ...]) -> None:
    expected = keys(search(store, "xipeng", "qiu", "--limit", "10"))
    assert keys(search(store, *query, "--limit", "10")) == expected
    assert all("Xipeng Qiu" in h["authors"] for h in records(store, *query, "--limit", "10"))


def test_first_author_and_one_persons_name_rank_first(store: Path) -> None:
    # Iz Beltagy wrote Longformer first and is a co-author of the (newer) Qasper paper.
    assert keys(search(store, "beltagy"))[:2] == ["beltagy2020longformer", "dasigi2021dataset"]
    found = keys(search(store, "song", "han", "--limit", "3"))
    assert all(any(a == "Song Han" for a in p.authors) for p in papers(store) if p.key in found)


def test_author_filter_keeps_exactly_that_authors_papers(store: Path) -> None:
    theirs = {p.key for p in papers(store) if "Xipeng Qiu" in p.authors}
    assert len(theirs) > 10
    assert set(keys(search(store, "--author", "qiu xipeng", "--limit", "0"))) == theirs
    # Two author: words may belong to two people; --author keeps them in one name.
    scoped = set(keys(search(store, "author:xipeng", "author:qiu", "--limit", "0")))
    assert scoped >= theirs
    qius = keys(search(store, "--author", "qiu", "--limit", "0"))
    assert len(qius) > len(theirs)
    assert not any(p.key in qius for p in papers(store) if not any("Qiu" in a.split() for a in p.authors))


def test_author_filter_combines_with_words(store: Path) -> None:
    hits = records(store, "rope", "--author", "xipeng qiu")
    assert hits[0]["title"] == "Scaling laws of rope-based extrapolation"
    assert all("Xipeng Qiu" in h["authors"] for h in hits)


def test_arxiv_id_with_or_without_version_or_as_url(store: Path) -> None:
    longrope = next(p for p in papers(store) if p.title.startswith("Longrope"))
    arxiv = longrope.arxiv
    for query in (arxiv, f"{arxiv}v2", f"https://arxiv.org/abs/{arxiv}v1", f"arXiv:{arxiv}", f"arxiv:{arxiv}"):
        assert keys(search(store, query)) == [longrope.key], query


def test_doi_and_url_find_their_paper(store: Path) -> None:
    with_doi = next(p for p in papers(store) if p.doi)
    for query in (with_doi.doi, with_doi.doi.upper(), f"https://doi.org/{with_doi.doi}", f"doi:{with_doi.doi}"):
        assert keys(search(store, query)) == [with_doi.key], query
    on_acm = next(p for p in papers(store) if p.url.startswith("https://dl.acm.org/") and not p.arxiv)
    assert keys(search(store, on_acm.url))[0] == on_acm.key


def test_exact_key_comes_before_text_matches(store: Path) -> None:
    found = keys(search(store, "rope", "zhang2024hirope"))
    assert found[0] == "zhang2024hirope"
    by_prefix = keys(search(store, "key:zhang2024", "--limit", "0"))
    assert sorted(by_prefix) == sorted(p.key for p in papers(store) if p.key.startswith("zhang2024"))


def test_venue_by_words_or_initials_never_inside_words(store: Path) -> None:
    iclr = records(store, "--venue", "iclr", "--limit", "0")
    assert len(iclr) >= 10
    assert all("learning representation" in h["venue"].lower() or "ICLR" in h["venue"] for h in iclr)
    by_words = records(store, "--venue", "learning representations", "--limit", "0")
    assert {h["key"] for h in by_words} < {h["key"] for h in iclr}
    # "rope" is inside "European" in some venues: that is no match.
    assert all("rope" in " ".join([h["title"], *h.get("aka", [])]).lower() for h in records(store, "rope", "--limit", "0"))


def test_year_range_since_and_year_word(store: Path) -> None:
    years = [h["year"] for h in records(store, "long", "--year", "2023..2024", "--limit", "0")]
    assert years and set(years) <= {2023, 2024} and {2023, 2024} <= set(years)
    assert all(h["year"] >= 2025 for h in records(store, "long", "--since", "2025", "--limit", "0"))
    hits = records(store, "rope", "year:2023", "--limit", "0")
    assert [h["key"] for h in hits] and all(h["year"] == 2023 for h in hits)


def test_category_by_name_slug_or_typo(store: Path) -> None:
    there = {p.key for p in papers(store) if p.category == "length-extrapolation"}
    expected = [k for k in keys(search(store, "rope", "--limit", "0")) if k in there]
    for name in ("Length Extrapolation", "length-extrapolation", "lenght extrapolation"):
        assert keys(search(store, "rope", "--category", name, "--limit", "0")) == expected
    assert keys(search(store, "rope", "category:length-extrapolation", "--limit", "0")) == expected


def test_filters_alone_list_newest_first(store: Path) -> None:
    years = [h["year"] for h in records(store, "--category", "length extrapolation", "--limit", "0")]
    assert len(years) == sum(p.category == "length-extrapolation" for p in papers(store))
    assert years == sorted(years, reverse=True)


def test_limit_and_total(store: Path) -> None:
    assert len(keys(search(store, "long", "--limit", "3"))) == 3
    table = search(store, "long", "--limit", "3", "--format", "table", env={"COLUMNS": "120"})
    assert re.search(r"^3 of \d+ matches", table.stdout, re.MULTILINE)


# ---------------------------------------------------------------- the query language


def test_or_finds_either_word(store: Path) -> None:
    either = set(keys(search(store, "rope OR yarn", "--limit", "0")))
    assert either == set(keys(search(store, "rope", "--limit", "0"))) | set(keys(search(store, "yarn", "--limit", "0")))
    assert "peng2024yarn" in either and "su2024roformer" in either
    # OR binds tighter than the spaces around it: both papers must also say "context".
    narrowed = set(keys(search(store, "rope OR yarn context", "--limit", "0")))
    assert "peng2024yarn" in narrowed and narrowed < either


def test_minus_leaves_out_a_word(store: Path) -> None:
    mamba = set(keys(search(store, "mamba", "--limit", "0")))
    without = set(keys(search(store, "mamba -video", "--limit", "0")))
    assert {"li2025videomamba", "chen2024video"} <= mamba - without
    assert without and all("video" not in p.title.lower() for p in papers(store) if p.key in without)
    assert keys(search(store, "--limit", "0", "mamba", "--", "-video")) == keys(search(store, "mamba -video", "--limit", "0"))
    no_gu = keys(search(store, "mamba -author:gu", "--limit", "0"))
    assert no_gu and "gu2023mamba" not in no_gu and "li2025videomamba" in no_gu
    assert search(store, "mamba -year:2024").exit_code == 2


def test_quoted_phrase_needs_the_words_together(store: Path) -> None:
    loose = set(keys(search(store, "attention sinks", "--limit", "0")))
    phrase = keys(search(store, '"attention sinks"', "--limit", "0"))
    assert set(phrase) <= loose and "xiao2024efficient" in phrase
    assert search(store, '"sinks attention"').exit_code == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo:bar", "lclm: error: unknown field 'foo' in 'foo:bar': fields are title, name"),
        ("auther:dao", "unknown field 'auther' in 'auther:dao': did you mean author:?"),
        ("titel:rope", "did you mean title:?"),
        ("title:", "lclm: error: title: needs a value, as in title:attention"),
        ("rope year:", "year: needs a value, as in year:2023..2024"),
        ("arxiv:notanid", "arxiv:notanid: not a valid arXiv id"),
    ],
)
def test_unknown_field_or_empty_value_is_a_one_line_usage_error(store: Path, query: str, message: str) -> None:
    result = search(store, query)
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_a_pasted_title_with_its_colon_is_words_not_a_field(store: Path) -> None:
    assert keys(search(store, "YaRN:", "Efficient", "Context", "Window", "--limit", "1")) == ["peng2024yarn"]


def test_field_words_must_match_in_that_field(store: Path) -> None:
    found = records(store, "title:rope", "--limit", "0")
    assert found and all("rope" in h["title"].lower() for h in found)
    assert "su2024roformer" not in {h["key"] for h in found}  # RoPE is its aka, not in its title
    assert [h["key"] for h in records(store, "name:rope")][0] == "su2024roformer"


# ---------------------------------------------------------------- output


def test_plain_output_is_one_tab_separated_line_per_hit(store: Path) -> None:
    result = search(store, "rope", "--limit", "3")
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and "\x1b" not in result.stdout
    key, year, title, first, category = lines[0].split("\t")
    paper = next(p for p in papers(store) if p.key == key)
    assert (year, title, first) == (str(paper.year), paper.title, paper.authors[0])
    assert category == "Length Extrapolation"


def test_table_fits_the_width_without_colour_codes(store: Path) -> None:
    for width in (60, 100, 160):
        result = search(store, "rope", "--format", "table", env={"COLUMNS": str(width), "NO_COLOR": "1"})
        assert result.exit_code == 0
        lines = result.stdout.splitlines()
        assert "Title" in lines[0] and "\x1b" not in result.stdout
        assert max(len(line.rstrip()) for line in lines) <= width
    wide = search(store, "rope", "--format", "table", env={"COLUMNS": "160"}).stdout.splitlines()[0]
    assert "Category" in wide and "First author" in wide


def test_json_has_rank_score_matched_fields_and_aka(store: Path) -> None:
    hits = records(store, "rope", "--limit", "12")
    assert [h["rank"] for h in hits] == list(range(1, 13))
    assert hits[0]["key"] == "su2024roformer" and hits[0]["aka"] == ["RoPE", "Rotary Position Embedding"]
    assert hits[0]["matched"]["name"] == ["RoPE"]
    assert hits[1]["matched"]["title"] == ["RoPE"]
    assert {"key", "title", "year", "category"} <= set(hits[0])


def test_keys_markdown_and_bibtex_formats(store: Path) -> None:
    order = keys(search(store, "rope", "--limit", "3"))
    assert search(store, "rope", "--limit", "3", "--format", "keys").stdout.split() == order
    markdown = search(store, "rope", "--limit", "3", "--format", "markdown").stdout.splitlines()
    assert len(markdown) == 3 and all(line.startswith("* **[") for line in markdown)
    bibtex = search(store, "rope", "--limit", "3", "--format", "bibtex").stdout
    assert re.findall(r"^@\w+\{([^,]+),", bibtex, re.MULTILINE) == order


def test_title_spans_mark_the_query_inside_compounds() -> None:
    def known(word: str) -> bool:
        return word == "long"

    title = "HiRoPE and Longrope: RoPE in Europe"
    words = {"HiRoPE", "Longrope", "RoPE"}
    assert [title[a:b] for a, b in title_spans(title, words, ["rope"], known)] == ["RoPE", "rope", "RoPE"]
    assert title_spans(title, {"HiRoPE"}, ["rope"], known) == [(2, 6)]


# ---------------------------------------------------------------- nothing found, bad input


def test_nothing_found_is_exit_1_with_a_message_and_json_prints_an_empty_list(store: Path) -> None:
    result = search(store, "qqqzzzxx")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "lclm: no paper matches 'qqqzzzxx'\n"
    as_json = search(store, "qqqzzzxx", "--json")
    assert (as_json.exit_code, as_json.stdout) == (1, "[]\n")
    assert search(store, "rope", "--year", "1990").exit_code == 1
    assert search(store, "2501.99999").exit_code == 1


def test_words_that_match_nothing_return_nothing(store: Path) -> None:
    result = search(store, "quantum", "error", "correction")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "lclm: no paper matches 'quantum error correction'\n")


@pytest.mark.parametrize("query", ["thus spake", "thus spake zarathustra"])
def test_words_no_paper_has_all_of_give_partial_matches_marked_and_exit_1(store: Path, query: str) -> None:
    # "spake" is one edit from "space" and "thus" from "this": no paper has both, so the
    # answer is the best partial matches, each saying how much it matched, and exit 1 as grep.
    result = search(store, *query.split(), "--json")
    assert result.exit_code == 1
    words = len(query.split())
    assert result.stderr.startswith(f"lclm: no paper matches every word of {query!r}; ")
    assert result.stderr.endswith(f"match some of the {words} words (best shown)\n")
    hits = json.loads(result.stdout)
    assert hits and all(0 < h["words_matched"] < h["words"] == words for h in hits)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "nothing to search for"),
        (("",), "nothing to search for"),
        (("x" * 10_000,), "query is too long"),
        (("rope", "--year", "2025..2020"), "invalid year range '2025..2020'"),
        (("rope", "--year", "last"), "invalid year 'last'"),
        (("rope", "year:20x4"), "invalid year '20x4'"),
        (("rope", "--format", "html"), "unknown format 'html'"),
        (("rope", "--category", "cooking"), "known categories: survey-technical-report"),
    ],
)
def test_bad_input_is_a_usage_error(store: Path, args: tuple[str, ...], message: str) -> None:
    result = search(store, *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_control_characters_are_ignored(store: Path) -> None:
    assert keys(search(store, "\x00rope\x07", "--limit", "3")) == keys(search(store, "rope", "--limit", "3"))


def test_many_words_are_a_usage_error_not_a_hang(store: Path) -> None:
    result = search(store, *[f"w{n}" for n in range(40)])
    assert result.exit_code == 2 and "at most 32" in result.stderr


def test_malformed_store_file_is_one_line_error(store: Path) -> None:
    (store / "length-extrapolation.yaml").write_text("- key: a\n  title: [unclosed\n")
    result = search(store, "rope")
    assert result.exit_code == 1
    assert re.fullmatch(r"lclm: error: \S+length-extrapolation\.yaml:\d+:\d+: YAML syntax: .*\n", result.stderr)


# ---------------------------------------------------------------- a small store of our own


def make_store(root: Path, titles: list[str], authors: list[list[str]] | None = None, **fields: list[Any]) -> Path:
    """A one-category store with these titles, oldest first (``fields``: one value per paper)."""
    root.mkdir()
    (root / "_sections.yaml").write_text("sections:\n- name: Things\n  file: things.yaml\n")
    people = authors or [["Ann Author"]] * len(titles)
    items = [
        Paper(key=f"p{n}2020x", title=t, year=2000 + n, authors=a, category="things")
        for n, (t, a) in enumerate(zip(titles, people))
    ]
    for name, values in fields.items():
        for paper, value in zip(items, values):
            setattr(paper, name, value)
    save_store(Store(root, [Section("Things", "things.yaml")], items))
    return root


def test_compound_names_rank_after_words_and_buried_matches_are_none(tmp_path: Path) -> None:
    root = make_store(
        tmp_path / "papers",
        [
            "Property testing in Europe",  # p0: rope buried in ordinary words
            "LongRoPE extends the window",  # p1: camel-case compound
            "Longrope for long inputs",  # p2: lower-case compound, "long" is a word here
            "RoPE-based scaling",  # p3: a word of a hyphenated one: "based on RoPE"
            "Why RoPE works",  # p4: the word itself
            "NTKRoPE and EUROPE",  # p5: compound after capitals; EUROPE is not one
            "Entropy of ropes",  # p6: plural
        ],
    )
    found = keys(search(root, "rope"))
    assert found[:3] == ["p42020x", "p32020x", "p62020x"]
    assert set(found[3:]) == {"p12020x", "p22020x", "p52020x"}


def test_code_repository_and_abstract_are_searched(tmp_path: Path) -> None:
    root = make_store(
        tmp_path / "papers",
        ["Efficient streaming models", "A study of caches", "Unrelated work on grammars"],
        code=["https://github.com/mit-han-lab/streaming-llm", "", ""],
        abstract=[
            "",
            "We propose Attention with Linear Biases (ALiBi), and keep the key-value (KV) cache small.",
            "Venues in Europe.",
        ],
    )
    assert keys(search(root, "streaming-llm")) == ["p02020x"]
    assert keys(search(root, "code:llm")) == ["p02020x"]
    # An acronym the abstract defines is a name of that paper; abstract words count whole only.
    hits = records(root, "alibi")
    assert [h["key"] for h in hits] == ["p12020x"] and hits[0]["matched"] == {"defined": ["ALiBi"], "abstract": ["ALiBi"]}
    assert keys(search(root, "linear", "biases")) == ["p12020x"]
    assert search(root, "rope").exit_code == 1  # not inside "Europe"


def test_a_url_other_than_arxiv_and_the_code_url_find_their_paper(tmp_path: Path) -> None:
    root = make_store(
        tmp_path / "papers",
        ["On OpenReview", "On arXiv only", "Unrelated"],
        url=["https://openreview.net/forum?id=LCTmppB165", "https://arxiv.org/abs/2401.00002", ""],
        arxiv=["2401.00001", "2401.00002", ""],
        code=["https://github.com/mit-han-lab/streaming-llm", "", "https://github.com/other/thing"],
    )
    # A paper with an arXiv id is still found by its own (non-arXiv) URL.
    assert keys(search(root, "--", "https://openreview.net/forum?id=LCTmppB165")) == ["p02020x"]
    assert keys(search(root, "url:https://openreview.net/forum?id=LCTmppB165")) == ["p02020x"]
    assert keys(search(root, "2401.00001")) == ["p02020x"]
    assert keys(search(root, "https://arxiv.org/abs/2401.00002")) == ["p12020x"]
    # The code URL is an identifier too, and its owner is a code word as well as its name.
    assert keys(search(root, "https://github.com/mit-han-lab/streaming-llm")) == ["p02020x"]
    assert keys(search(root, "url:https://www.github.com/mit-han-lab/streaming-llm/")) == ["p02020x"]
    assert keys(search(root, "code:mit-han-lab")) == ["p02020x"]
    assert keys(search(root, "code:streaming-llm")) == ["p02020x"]


def test_accented_author_matches_without_accents(tmp_path: Path) -> None:
    root = make_store(tmp_path / "papers", ["One", "Two"], [["José Rivière", "Ann Author"], ["Ann Author"]])
    for query in (["jose", "riviere"], ["Rivière", "José"], ["RIVIERE"]):
        assert keys(search(root, *query)) == ["p02020x"], query
    assert keys(search(root, "--author", "riviere jose")) == ["p02020x"]
    assert keys(search(root, "--author", "j riviere")) == ["p02020x"]


# ---------------------------------------------------------------- issue 24: ranked retrieval in a researcher's words


def test_an_exact_word_outranks_its_stem_which_outranks_a_synonym_then_a_typo(tmp_path: Path) -> None:
    root = make_store(
        tmp_path / "papers",
        [
            "Caching reviewed",  # p0: a synonym of survey
            "Caching survey",  # p1: the word
            "Caching surveyed",  # p2: another form of it
        ],
    )
    assert keys(search(root, "survey", "caching")) == ["p12020x", "p22020x", "p02020x"]
    # A typo is forgiven only for a word that matches nothing, and never in its first letter.
    assert keys(search(root, "surbey")) == ["p12020x"]
    assert search(root, "curvey").exit_code == 1


def test_word_forms_come_from_a_stemmer_and_reach_into_compounds(tmp_path: Path) -> None:
    root = make_store(
        tmp_path / "papers",
        ["A tuning-free asymmetric 2bit quantization", "XL3M: segment-wise inference", "Memory management with PagedAttention"],
    )
    assert keys(search(root, "quantize", "2", "bits")) == ["p02020x"]
    assert keys(search(root, "2bit")) == ["p02020x"]
    assert keys(search(root, "segments")) == ["p12020x"]
    assert keys(search(root, "paging", "memory")) == ["p22020x"]


def test_letters_and_digits_written_apart_find_them_together(tmp_path: Path) -> None:
    root = make_store(tmp_path / "papers", ["Training with 2 bit weights", "FlashAttention 2 for all"])
    assert keys(search(root, "2bit")) == ["p02020x"]
    assert keys(search(root, "flashattention2")) == ["p12020x"]


def test_c_plus_plus_is_not_every_author_whose_name_starts_with_c(store: Path) -> None:
    result = search(store, "c++")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "lclm: no paper matches 'c++'\n")
    assert keys(search(store, "zero++", "--limit", "1")) == ["wang2023zero"]


def test_nope_positional_encoding_finds_the_nope_papers_not_rope_ones(store: Path) -> None:
    nope = {"kazemnejad2024impact", "wang2024length", "haviv2022transformer"}
    top = keys(search(store, "NoPE", "positional", "encoding", "--limit", "3"))
    assert set(top) <= nope | {"chi2023latent"}, top  # NoPE papers ("without positional embeddings" too)
    assert not {"su2024roformer", "golovneva2024contextual"} & set(top)


def test_a_rare_author_weighs_more_than_a_common_word(store: Path) -> None:
    # No paper has all three; Kitaev wrote one paper of the list, attention is in a hundred titles.
    result = search(store, "kitaev", "lsh", "attention", "--limit", "3")
    assert result.exit_code == 1
    assert "kitaev2019reformer" in [line.split("\t")[0] for line in result.stdout.splitlines()]


def test_partial_matches_say_how_much_they_matched_in_the_table_and_json(store: Path) -> None:
    query = ("quantize", "the", "kv", "cache", "to", "2", "bits")
    table = search(store, *query, "--limit", "2", "--format", "table", env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert table.exit_code == 0, table.stderr  # KIVI has every word: "2bit quantization for kv cache"
    assert "Matched" not in table.stdout.splitlines()[0]
    hits = records(store, *query, "--limit", "1")
    assert (hits[0]["key"], hits[0]["words_matched"], hits[0]["words"]) == ("liu2024kivi", 5, 5)
    partial = search(store, "exact", "attention", "without", "materializing", "--format", "table", env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert partial.exit_code == 1
    header, first = partial.stdout.splitlines()[:2]
    assert header.split()[:5] == ["#", "Key", "Year", "Title", "Matched"]
    assert "dao2022flashattention" in first and "2 of 4 words" in first


def test_explain_says_which_word_matched_which_field_and_how(tmp_path: Path) -> None:
    root = make_store(tmp_path / "papers", ["A survey of quantization", "Other things"], [["Ann Author"], ["Bo Kitaev"]])
    result = search(root, "review", "quantize", "kitaev", "--explain")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    # Two papers, one has the word: idf = ln(1 + 1.5 / 1.5) = 0.69; a stem counts 0.85, a synonym 0.8.
    assert lines[2:] == [
        "1. p02020x: score 0.762 = 1.14 x 2 of 3 words",
        "   review: survey = title 'survey' (synonym); +0.555 (idf 0.69)",
        "   quantize: quantize = title 'quantization' (stem); +0.589 (idf 0.69)",
        "   kitaev: no match",
        "2. p12020x: score 0.203 = 0.61 x 1 of 3 words",
        "   review: no match",
        "   quantize: no match",
        "   kitaev: kitaev = first 'Kitaev' (exact); +0.61 (idf 0.69)",
    ]
    hits = records(root, "quantize", "--explain")
    assert hits[0]["explain"] == [
        {"word": "quantize", "idf": 0.69, "matched": [{"query": "quantize", "field": "title", "word": "quantization", "how": "stem"}], "score": 0.589}
    ]


def test_limit_is_l_and_year_has_no_short_option(store: Path) -> None:
    assert len(keys(search(store, "rope", "-l", "2"))) == 2
    for option in ("-n", "-y"):
        result = search(store, "rope", option, "2")
        assert result.exit_code == 2 and f"no such option: {option}" in result.stderr


def test_an_abstract_counts_below_a_title(tmp_path: Path) -> None:
    root = make_store(
        tmp_path / "papers",
        ["Something else entirely", "Token eviction for long inputs"],
        abstract=["We evict tokens from the KV cache by attention scores.", ""],
    )
    assert keys(search(root, "eviction")) == ["p12020x", "p02020x"]
    hits = records(root, "eviction", "tokens", "--explain")
    assert [h["key"] for h in hits] == ["p12020x", "p02020x"]
    assert hits[1]["explain"][0]["matched"] == [{"query": "eviction", "field": "abstract", "word": "evict", "how": "stem"}]
