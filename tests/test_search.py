"""`lclm search`: ranking on the committed list, filters, output formats, bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import run
from lclm.model import Paper
from lclm.search.rank import title_spans
from lclm.store.core import Section, Store, load_store, save_store

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


# ---------------------------------------------------------------- ranking on the committed list


def test_rope_puts_every_rope_title_first_whole_words_before_compounds(store: Path) -> None:
    in_title = [p for p in papers(store) if re.search("rope", p.title, re.IGNORECASE)]
    whole = {p.key for p in in_title if re.search(r"(?<![\w-])rope(?![\w-])", p.title, re.IGNORECASE)}
    compound = {p.key for p in in_title} - whole
    named = {p.key for p in in_title if re.search(r"HiRoPE|VideoRoPE|Longrope|rope-based", p.title, re.IGNORECASE)}
    assert len(whole) >= 5 and len(named) >= 4 and named <= compound
    found = keys(search(store, "rope", "--limit", "0"))
    assert set(found[: len(whole)]) == whole
    assert set(found[len(whole) : len(in_title)]) == compound
    # What follows only has "rope" buried in other words (European, in venues).
    assert len(found) > len(in_title)
    rest = {p.key: p for p in papers(store)}
    assert all("rope" not in rest[k].title.lower() for k in found[len(in_title) :])


def test_typo_query_finds_streaming_llm_first(store: Path) -> None:
    hits = records(store, "strming", "llm", "attention", "sinks", "--limit", "3")
    assert hits[0]["title"] == STREAMING
    assert set(hits[0]["matched"]["title"]) >= {"Streaming", "Attention", "Sinks"}


def test_all_words_beat_one_strong_word(store: Path) -> None:
    hits = records(store, "rope", "scaling", "--limit", "3")
    assert hits[0]["title"] == "Scaling laws of rope-based extrapolation"
    # "Base of RoPE Bounds Context Length" has RoPE as a whole word but no "scaling".
    assert all("scaling" in h["title"].lower() for h in hits[:2])


@pytest.mark.parametrize("query", [("Qiu", "Xipeng"), ("xipeng", "qiu"), ("XIPENG QIU",)])
def test_author_names_in_any_order_and_case(store: Path, query: tuple[str, ...]) -> None:
    expected = keys(search(store, "xipeng", "qiu", "--limit", "10"))
    assert keys(search(store, *query, "--limit", "10")) == expected
    assert all("Xipeng Qiu" in h["authors"] for h in records(store, *query, "--limit", "10"))


def test_author_filter_keeps_exactly_that_authors_papers(store: Path) -> None:
    theirs = {p.key for p in papers(store) if "Xipeng Qiu" in p.authors}
    assert len(theirs) > 10
    assert set(keys(search(store, "--author", "qiu xipeng", "--limit", "0"))) == theirs
    # Two author: words may belong to two people; --author keeps them in one name.
    scoped = set(keys(search(store, "author:xipeng", "author:qiu", "--limit", "0")))
    assert scoped > theirs
    # "Qiu" alone is more people than Xipeng Qiu, but a name word is never a prefix.
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
    for query in (arxiv, f"{arxiv}v2", f"https://arxiv.org/abs/{arxiv}v1", f"arXiv:{arxiv}"):
        assert keys(search(store, query)) == [longrope.key], query


def test_doi_and_url_find_their_paper(store: Path) -> None:
    with_doi = next(p for p in papers(store) if p.doi)
    for query in (with_doi.doi, with_doi.doi.upper(), f"https://doi.org/{with_doi.doi}"):
        assert keys(search(store, query)) == [with_doi.key], query
    on_acm = next(p for p in papers(store) if p.url.startswith("https://dl.acm.org/") and not p.arxiv)
    assert keys(search(store, on_acm.url))[0] == on_acm.key


def test_exact_key_comes_before_text_matches(store: Path) -> None:
    found = keys(search(store, "rope", "zhang2024hirope"))
    assert found[0] == "zhang2024hirope"
    by_prefix = keys(search(store, "key:zhang2024", "--limit", "0"))
    assert sorted(by_prefix) == sorted(p.key for p in papers(store) if p.key.startswith("zhang2024"))


def test_venue_by_words_or_initials(store: Path) -> None:
    iclr = records(store, "--venue", "iclr", "--limit", "0")
    assert len(iclr) >= 10
    # By initials (International Conference on Learning Representations) or by name.
    assert all("learning representation" in h["venue"].lower() or "ICLR" in h["venue"] for h in iclr)
    by_words = records(store, "--venue", "learning representations", "--limit", "0")
    assert {h["key"] for h in by_words} < {h["key"] for h in iclr}


def test_year_range_since_and_year_word(store: Path) -> None:
    years = [h["year"] for h in records(store, "long", "--year", "2023..2024", "--limit", "0")]
    assert years and set(years) <= {2023, 2024} and {2023, 2024} <= set(years)
    assert all(h["year"] >= 2025 for h in records(store, "long", "--since", "2025", "--limit", "0"))
    hits = records(store, "rope", "year:2023", "--limit", "0")
    assert [h["key"] for h in hits] and all(h["year"] == 2023 for h in hits)
    assert "rope" in hits[0]["title"].lower()


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


def test_json_has_rank_score_and_matched_fields(store: Path) -> None:
    hits = records(store, "rope", "--limit", "12")
    assert [h["rank"] for h in hits] == list(range(1, 13))
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits[0]["matched"]["title"] == ["RoPE"]
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
    words = {"HiRoPE", "Longrope", "RoPE", "Europe"}
    assert [title[a:b] for a, b in title_spans(title, words, ["rope"], known)] == ["RoPE", "rope", "RoPE", "rope"]
    assert title_spans(title, {"HiRoPE"}, ["rope"], known) == [(2, 6)]


# ---------------------------------------------------------------- a small store of our own


def make_store(root: Path, titles: list[str], authors: list[list[str]] | None = None) -> Path:
    """A one-category store with these titles, oldest first."""
    root.mkdir()
    (root / "_sections.yaml").write_text("sections:\n- name: Things\n  file: things.yaml\n")
    people = authors or [["Ann Author"]] * len(titles)
    items = [
        Paper(key=f"p{n}2020x", title=t, year=2000 + n, authors=a, category="things")
        for n, (t, a) in enumerate(zip(titles, people))
    ]
    save_store(Store(root, [Section("Things", "things.yaml")], items))
    return root


def test_compound_names_rank_between_words_and_buried_matches(tmp_path: Path) -> None:
    root = make_store(
        tmp_path / "papers",
        [
            "Property testing in Europe",  # p0: rope buried in ordinary words
            "LongRoPE extends the window",  # p1: camel-case compound
            "Longrope for long inputs",  # p2: lower-case compound, "long" is a word here
            "RoPE-based scaling",  # p3: hyphenated compound
            "Why RoPE works",  # p4: the word itself
            "NTKRoPE and EUROPE",  # p5: compound after capitals; EUROPE is not one
            "Entropy of ropes",  # p6: plural
        ],
    )
    found = keys(search(root, "rope"))
    assert found[:2] == ["p42020x", "p62020x"]
    assert set(found[2:6]) == {"p12020x", "p22020x", "p32020x", "p52020x"}
    assert found[6:] == ["p02020x"]


def test_accented_author_matches_without_accents(tmp_path: Path) -> None:
    root = make_store(tmp_path / "papers", ["One", "Two"], [["José Rivière", "Ann Author"], ["Ann Author"]])
    for query in (["jose", "riviere"], ["Rivière", "José"], ["RIVIERE"]):
        assert keys(search(root, *query)) == ["p02020x"], query
    assert keys(search(root, "--author", "riviere jose")) == ["p02020x"]
    assert keys(search(root, "--author", "j riviere")) == ["p02020x"]


def test_index_follows_edits_and_survives_a_damaged_cache(tmp_path: Path) -> None:
    root = make_store(tmp_path / "papers", ["Alpha method", "Beta method"])
    assert search(root, "gamma").exit_code == 1
    things = root / "things.yaml"
    things.write_text(things.read_text().replace("Beta method", "Gamma method"))
    assert keys(search(root, "gamma")) == ["p12020x"]
    for cache in (tmp_path / "cache" / "lclm").glob("search-*"):
        cache.write_bytes(cache.read_bytes()[:-40])
    assert keys(search(root, "gamma")) == ["p12020x"]
    for cache in (tmp_path / "cache" / "lclm").glob("search-*"):
        cache.write_text('{"version": 1, "digest": "x"}\nrubbish')
    assert keys(search(root, "alpha")) == ["p02020x"]


# ---------------------------------------------------------------- bad input


def test_nothing_found_is_exit_1_with_a_message(store: Path) -> None:
    result = search(store, "qqqzzzxx")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "lclm: no paper matches 'qqqzzzxx'\n"
    assert search(store, "rope", "--year", "1990").exit_code == 1
    assert search(store, "2501.99999").exit_code == 1


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
