"""lclm.sources.dblp and lclm.venues: DBLP search answers in both shapes, published-version matching, venue style."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import DATA
from lclm.errors import FetchError, StoreError
from lclm.model import Paper
from lclm.sources.dblp import author_name, parse_search, published_version, search_url
from lclm.store.venue_file import load_table
from lclm.venues import default_table, is_preprint

DBLP = DATA / "dblp"
YARN = Paper(
    key="peng2023yarn",
    title="Yarn: Efficient context window extension of large language models",
    year=2023,
    authors=["Bowen Peng", "Jeffrey Quesnelle", "others"],
    venue="arXiv preprint arXiv:2309.00071",
    arxiv="2309.00071",
)


def records(name: str):  # type: ignore[no-untyped-def]
    return parse_search((DBLP / name).read_bytes())


def test_current_shape_authors_as_pid_objects() -> None:
    published, corr = records("search_publ_yarn_2hits_CONSTRUCTED.json")
    assert published.title == "YaRN: Efficient Context Window Extension of Large Language Models"
    assert published.authors == ("Bowen Peng", "Jeffrey Quesnelle", "Honglu Fan", "Enrico Shippole")
    assert (published.venue, published.year, published.url) == ("ICLR", 2024, "https://openreview.net/forum?id=wHBfxhZu1u")
    assert not published.is_corr
    assert corr.is_corr and corr.doi == "10.48550/arxiv.2309.00071"


def test_older_shape_authors_as_strings_and_a_single_author_alone() -> None:
    found = records("search_publ_test-star_30hits_strings-authors.json")
    assert len(found) == 30
    assert found[0].authors[:2] == ("Tsuyoshi Shinogi", "Hiroyuki Yamada")
    single = [r for r in found if len(r.authors) == 1]
    assert single and all(a and not a.startswith("[") for r in single for a in r.authors)
    assert found[3].volume == "24" and found[3].venue == "Softw. Test., Verif. Reliab."


def test_a_single_author_object_and_homonym_numbers() -> None:
    data = json.loads((DBLP / "search_publ_yarn_2hits_CONSTRUCTED.json").read_bytes())
    data["result"]["hits"]["hit"][0]["info"]["authors"]["author"] = {"@pid": "1/2", "text": "Fan Yang 0012"}
    data["result"]["hits"]["hit"] = data["result"]["hits"]["hit"][0]  # one hit as an object, too
    (record,) = parse_search(json.dumps(data).encode())
    assert record.authors == ("Fan Yang",)
    assert author_name("Wei Li 0001") == "Wei Li" and author_name("Agent 007") == "Agent 007"


def test_no_hits_has_no_hit_key() -> None:
    assert records("search_publ_nohits_CONSTRUCTED.json") == []


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"<html>busy</html>", "not JSON"), (b'{"result": {}}', "no search result"), (b"[]", "no search result")],
)
def test_malformed_answers_raise_fetch_errors(data: bytes, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        parse_search(data)


def test_search_url_asks_for_the_title_words_as_json() -> None:
    query = parse_qs(urlsplit(search_url("https://dblp.org/search/publ/api", YARN.title)).query)
    assert query == {"q": ["yarn efficient context window extension of large language models"], "format": ["json"], "h": ["10"]}


def test_the_published_record_matches_and_the_corr_record_never_does() -> None:
    published, corr = records("search_publ_yarn_2hits_CONSTRUCTED.json")
    assert published_version(YARN, [corr, published]) is published
    assert published_version(YARN, [corr]) is None


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"year": 2020}, "year more than two apart"),
        ({"title": "Yarn: efficient context window extension of small language models"}, "another title"),
        ({"authors": ["Ada Lovelace", "others"]}, "no author in common"),
    ],
)
def test_a_hit_that_is_another_paper_does_not_match(change: dict[str, object], why: str) -> None:
    published, _ = records("search_publ_yarn_2hits_CONSTRUCTED.json")
    paper = Paper(**{**{f: getattr(YARN, f) for f in ("key", "title", "year", "authors", "venue")}, **change})  # type: ignore[arg-type]
    assert published_version(paper, [published]) is None, why


# ---------------------------------------------------------------- venues


@pytest.mark.parametrize(
    ("venue", "preprint"),
    [
        ("arXiv preprint arXiv:2309.00071", True),
        ("CoRR", True),
        ("bioRxiv", True),
        ("Submitted to The Thirteenth International Conference on Learning Representations", True),
        ("URL https://arxiv.org/abs/2406.16852", True),
        ("The Twelfth International Conference on Learning Representations", False),
        ("Transactions of the Association for Computational Linguistics, 11, 157--173", False),
        ("Meta AI.", False),
        ("", False),
    ],
)
def test_is_preprint(venue: str, preprint: bool) -> None:
    assert is_preprint(venue) is preprint


def test_default_table_writes_the_long_style_and_ignores_dblp_qualifiers() -> None:
    table = default_table()
    assert table.write("ICLR", 2024) == "International Conference on Learning Representations"
    assert table.write("ACL (1)", 2024) == "Proceedings of the Annual Meeting of the Association for Computational Linguistics"
    assert table.write("EMNLP", 2024) == "Proceedings of the 2024 Conference on Empirical Methods in Natural Language Processing"
    assert table.write("ICLR (Workshop)", 2024) is None  # a workshop is not the conference
    assert table.write("Some Venue", 2024) is None


def test_a_store_chooses_the_short_style_and_adds_venues(tmp_path: Path) -> None:
    (tmp_path / "_venues.yaml").write_text(
        "style: short\nvenues:\n  ICLR: {short: 'ICLR {year}', long: x}\n  Some Workshop: 'Some Workshop {year}'\n"
    )
    table = load_table(tmp_path)
    assert table.write("ICLR", 2024) == "ICLR 2024"
    assert table.write("NeurIPS", 2023) == "NeurIPS 2023"
    assert table.write("some workshop", 2025) == "Some Workshop 2025"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("style: tiny\n", "_venues.yaml:1: style: must be one of long, short"),
        ("venues:\n  ICLR: [1, 2]\n", "_venues.yaml:2: venues: ICLR: must be a text"),
        ("colour: red\n", "_venues.yaml:1: colour: unknown key"),
    ],
)
def test_a_malformed_venue_table_names_file_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "_venues.yaml").write_text(text)
    with pytest.raises(StoreError, match=message):
        load_table(tmp_path)
