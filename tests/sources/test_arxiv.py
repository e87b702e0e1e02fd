"""lclm.sources.arxiv: id forms, the query URL, and both Atom formats read into papers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import DATA
from lclm.errors import FetchError, UsageError
from lclm.sources.arxiv import arxiv_id, parse_feed, query_url

ARXIV = DATA / "arxiv"


def feed(name: str):  # type: ignore[no-untyped-def]
    return parse_feed((ARXIV / name).read_bytes())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2502.17129", "2502.17129"),
        ("2502.17129v2", "2502.17129"),
        ("arXiv:2502.17129", "2502.17129"),
        ("  arxiv:2502.17129v3 ", "2502.17129"),
        ("https://arxiv.org/abs/2502.17129", "2502.17129"),
        ("https://arxiv.org/pdf/2502.17129v1", "2502.17129"),
        ("http://arxiv.org/pdf/2502.17129v1.pdf", "2502.17129"),
        ("10.48550/arXiv.2502.17129", "2502.17129"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("quant-ph/0201082v1", "quant-ph/0201082"),
        ("https://arxiv.org/abs/math/0211159v1", "math/0211159"),
        # pages that show one arXiv paper by its id (lists link them instead of arxiv.org)
        ("https://huggingface.co/papers/2510.04849", "2510.04849"),
        ("https://www.alphaxiv.org/abs/2401.01234v2", "2401.01234"),
        ("https://ar5iv.labs.arxiv.org/html/2303.18223", "2303.18223"),
    ],
)
def test_every_accepted_id_form_gives_the_versionless_id(text: str, expected: str) -> None:
    assert arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text", ["abc", "2502", "https://example.org/2502.17129x", "", "https://huggingface.co/datasets/2510.04849"]
)
def test_text_that_is_no_arxiv_id_is_refused_naming_it(text: str) -> None:
    with pytest.raises(UsageError, match=f"^{text}: not an arXiv id"):
        arxiv_id(text)


def test_one_query_asks_for_all_ids_and_as_many_results() -> None:
    url = query_url("http://h/api/query", ["2502.17129", "hep-th/9901001"])
    query = parse_qs(urlsplit(url).query)
    assert url.startswith("http://h/api/query?")
    assert query == {"id_list": ["2502.17129,hep-th/9901001"], "max_results": ["2"]}


def test_legacy_format_with_wrapped_title_doi_link_and_journal_ref() -> None:
    paper = feed("legacy_idlist_1111.2011v2_v2_doi_journalref.xml").papers["1111.2011"]
    assert paper.title == (
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    )
    assert paper.authors == ["James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic"]
    assert paper.year == 2011  # published, not updated (2012)
    assert paper.venue == "Phys. Rev. B 85, 115117 (2012)"
    assert paper.url == "https://arxiv.org/abs/1111.2011"
    assert paper.arxiv == "1111.2011"
    assert paper.doi == "10.1103/physrevb.85.115117"


def test_legacy_old_style_id_without_doi_is_a_preprint() -> None:
    paper = feed("legacy_idlist_math_0211159_oldstyle_id_comment.xml").papers["math/0211159"]
    assert (paper.venue, paper.url, paper.doi) == (
        "arXiv preprint arXiv:math/0211159",
        "https://arxiv.org/abs/math/0211159",
        "",
    )


def test_new_format_reads_arxiv_doi_and_every_entry_by_its_id() -> None:
    result = feed("new_search_testing_10entries.xml")
    assert len(result.papers) == 10
    fuzz = result.papers["2005.14124"]
    assert fuzz.doi == "10.1145/3395363.3397376"
    assert fuzz.year == 2020
    assert fuzz.venue.startswith("In Proc. ACM SIGSOFT International Symposium")
    assert result.papers["2503.05378"].venue == "arXiv preprint arXiv:2503.05378"


def test_new_format_non_ascii_authors_and_all_34_of_them() -> None:
    paper = feed("new_idlist_1707.08567_34authors_nonascii.xml").papers["1707.08567"]
    assert len(paper.authors) == 34
    assert "Dirk Wübben" in paper.authors


def test_a_title_that_is_just_a_number_is_kept() -> None:
    assert feed("new_idlist_2104.12255v1_numeric_title.xml").papers["2104.12255"].title == "0"


def test_missing_id_in_a_multi_id_answer_is_simply_absent() -> None:
    result = feed("new_idlist_0808.05394_1707.08567_multi_id_one_missing.xml")
    assert list(result.papers) == ["1707.08567"]
    assert result.errors == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("new_error_idlist_abc_http400.xml", "incorrect id format for abc"),
        ("legacy_error_idlist_INVALIDID_http400.xml", "incorrect id format for INVALIDID"),
    ],
)
def test_error_entries_are_reported_not_taken_for_papers(name: str, message: str) -> None:
    result = feed(name)
    assert (result.papers, result.errors) == ({}, [message])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<feed><entry>", "not well-formed XML"),
        (b"<html><body>busy</body></html>", "not an Atom feed"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><feed xmlns="http://www.w3.org/2005/Atom"/>', "DOCTYPE"),
    ],
)
def test_answers_that_are_not_atom_feeds_raise_fetch_errors(data: bytes, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        parse_feed(data)


# ---------------------------------------------------------------- fetch_batch

SEARCH_IDS = ["2202.12139", "2405.13786", "2005.14124", "2204.08348", "2302.03287",
              "1202.4527", "2503.05378", "1205.1866", "2502.07719", "1812.11470"]


@pytest.fixture
def arxiv_server(httpserver, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LCLM_ARXIV_URL", httpserver.url_for("/api/query"))
    monkeypatch.setenv("LCLM_ARXIV_DELAY", "0")
    return httpserver


def test_entries_are_read_with_abstract_doi_and_journal_ref() -> None:
    result = feed("legacy_idlist_1710.08557_doi_journalref_wrapped_title.xml")
    paper = result.papers["1710.08557"]
    assert paper.abstract.startswith("Biological and robotic grasp and manipulation are undeniably")
    assert paper.doi == "10.1186/s12984-017-0305-3"
    assert result.journal_refs == {"1710.08557": "Journal of NeuroEngineering and Rehabilitation, 2017"}


def test_fetch_batch_asks_100_ids_a_request_and_caches_each_entry(arxiv_server) -> None:  # type: ignore[no-untyped-def]
    from lclm.sources.arxiv import fetch_batch

    body = (ARXIV / "new_search_testing_10entries.xml").read_bytes()
    arxiv_server.expect_request("/api/query").respond_with_data(body, content_type="application/atom+xml")
    idents = SEARCH_IDS + [f"2401.{n:05d}" for n in range(140)]
    settled: list[int] = []
    batch = fetch_batch(idents, progress=settled.append)
    asked = [parse_qs(urlsplit(r.url).query) for r, _ in arxiv_server.log]
    assert [len(q["id_list"][0].split(",")) for q in asked] == [100, 50]
    assert [q["max_results"] for q in asked] == [["100"], ["50"]]
    assert (batch.requests, sorted(batch.papers), len(batch.missing), batch.failed) == (2, sorted(SEARCH_IDS), 140, {})
    assert sum(settled) == 150
    # A second run (another selection sharing ids) asks only for what it lacks.
    again = fetch_batch(SEARCH_IDS[:5] + ["2401.00000"])
    assert again.requests == 1 and sorted(again.papers) == sorted(SEARCH_IDS[:5])
    assert parse_qs(urlsplit(arxiv_server.log[-1][0].url).query)["id_list"] == ["2401.00000"]
    assert fetch_batch(SEARCH_IDS[:5], refresh=True).requests == 1


def test_fetch_batch_reports_a_failed_request_for_its_ids(arxiv_server) -> None:  # type: ignore[no-untyped-def]
    from lclm.sources.arxiv import fetch_batch

    body = (ARXIV / "new_error_idlist_abc_http400.xml").read_bytes()
    arxiv_server.expect_request("/api/query").respond_with_data(body, status=400)
    batch = fetch_batch(["1605.08386", "1707.08567"])
    assert batch.papers == {}
    assert batch.failed == dict.fromkeys(["1605.08386", "1707.08567"], "arXiv: incorrect id format for abc (HTTP 400)")


def test_comments_are_read_for_where_a_paper_appeared() -> None:
    assert feed("new_idlist_1605.08386_simple_two_categories.xml").comments == {"1605.08386": "20 pages, 3 figures"}
    legacy = feed("legacy_idlist_1111.2011v2_v2_doi_journalref.xml")
    assert legacy.journal_refs == {"1111.2011": "Phys. Rev. B 85, 115117 (2012)"}


@pytest.mark.parametrize(
    ("comment", "abstract", "withdrawn"),
    [
        ("This paper has been withdrawn by the author due to a crucial error in Lemma 2", "", True),
        ("", "This paper has been withdrawn.", True),
        ("Withdrawn by the authors", "", True),
        ("20 pages, 3 figures", "We study withdrawn funds in a market model.", False),
        ("Accepted at ICLR 2024", "", False),
    ],
)
def test_a_withdrawn_paper_is_told_by_its_comment_or_abstract(comment: str, abstract: str, withdrawn: bool) -> None:
    from lclm.sources.arxiv import is_withdrawn

    assert is_withdrawn(comment, abstract) is withdrawn
