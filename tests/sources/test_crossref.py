"""lclm.sources.crossref: recorded /works answers read into papers, venues as the list writes them."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from conftest import DATA
from lclm.errors import FetchError
from lclm.sources.crossref import parse_work, strip_markup, work_url

CROSSREF = DATA / "crossref"


def work(name: str, year: int | None = None):  # type: ignore[no-untyped-def]
    return parse_work((CROSSREF / name).read_bytes(), "10.0/x", year)


def test_journal_article_venue_is_journal_volume_issue_pages() -> None:
    paper = work("works_10.1002_jor.1100150407_12authors_abstract.json")
    assert paper.title == (
        "Growth hormone secretagogue increases muscle strength during remobilization "
        "after canine hindlimb immobilization"
    )
    assert paper.venue == "Journal of Orthopaedic Research, 15(4), 519--527"
    assert paper.year == 1997
    assert paper.authors[:2] == ["Richard L. Lieber", "Thomas M. Jacks"]
    assert len(paper.authors) == 12
    assert (paper.doi, paper.url) == ("10.1002/jor.1100150407", "https://doi.org/10.1002/jor.1100150407")
    assert paper.arxiv == ""


@pytest.mark.parametrize(
    ("name", "venue"),
    [
        ("works_10.1103_physreva.106.022212_article_number.json", "Physical Review A, 106(2), 022212"),
        ("works_10.1038_srep16696_abstract_no_pages.json", "Scientific Reports, 5(1), 16696"),
        ("works_10.3892_ijo_00000353_minimal.json", "International Journal of Oncology"),
        ("works_10.1371_journal.pone.0020476.json", "PLoS ONE, 6(6), e20476"),
        (
            "works_10.1007_978-3-0348-8720-5_13_book_chapter_isbn.json",
            "Hyperbolic Problems: Theory, Numerics, Applications, 113--118",
        ),
        (
            "works_10.1145_3184558.3186235_proceedings_nonascii.json",
            "Companion of the The Web Conference 2018 on The Web Conference 2018 - WWW '18",
        ),
    ],
)
def test_venue_by_work_type(name: str, venue: str) -> None:
    assert work(name).venue == venue


def test_authors_are_given_then_family_and_a_lone_family_name_stays() -> None:
    assert work("works_10.1145_3184558.3186235_proceedings_nonascii.json").authors[0] == "Lorenz Bühmann"
    assert work("works_10.3892_ijo_00000353_minimal.json").authors == ["Stravopodis"]


def test_null_issued_date_without_any_other_date_is_a_clear_error() -> None:
    with pytest.raises(FetchError, match="no publication date .*give the year with --year"):
        work("works_10.1109_icdcsw.2003.1203662_proceedings_null_issued.json")


def test_null_issued_date_takes_the_year_the_user_gives() -> None:
    paper = work("works_10.1109_icdcsw.2003.1203662_proceedings_null_issued.json", year=2003)
    assert paper.year == 2003
    assert paper.venue == (
        "23rd International Conference on Distributed Computing Systems Workshops, 2003. Proceedings., 877--882"
    )


def test_null_issued_date_falls_back_to_the_print_date() -> None:
    body = json.loads((CROSSREF / "works_10.1109_icdcsw.2003.1203662_proceedings_null_issued.json").read_bytes())
    body["message"]["published-print"] = {"date-parts": [[2003, 5]]}
    assert parse_work(json.dumps(body).encode(), "10.0/x").year == 2003


def test_jats_and_html_markup_is_stripped_from_titles() -> None:
    body = {"message": {"title": ["<jats:italic>E.&#160;coli</jats:italic> and <i>B</i>&amp;C\n  growth"],
                        "subtitle": ["a <sub>2</sub> study"], "issued": {"date-parts": [[2020]]}}}
    assert parse_work(json.dumps(body).encode(), "10.0/x").title == "E. coli and B&C growth: a 2 study"
    assert strip_markup("x < y and <b>z</b>") == "x < y and z"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Resource not found.", "not JSON"),
        (b'{"status": "ok"}', "no work record"),
        (b'{"message": {"title": [], "issued": {"date-parts": [[2020]]}}}', "no title"),
    ],
)
def test_answers_that_are_not_works_raise_fetch_errors(data: bytes, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        parse_work(data, "10.0/x")


def test_work_url_keeps_the_doi_slash_and_quotes_the_rest() -> None:
    assert work_url("http://h/works/", "10.1002/(SICI)1097 x") == "http://h/works/10.1002/%28SICI%291097%20x"


@pytest.mark.parametrize(
    ("name", "start"),
    [
        # JATS with its own "Abstract" heading, which is no part of the text.
        ("works_10.1002_jor.1100150407_12authors_abstract.json", "Twenty\u2010two beagles were divided"),
        ("works_10.32396_usurj.v1i1.55_jats_abstract.json", "In the international community, human dependence"),
        ("works_10.1103_physrevb.89.140501_papis.json", ""),
    ],
)
def test_abstract_is_plain_text(name: str, start: str) -> None:
    abstract = work(name).abstract
    assert abstract.startswith(start) and "<jats" not in abstract and "</" not in abstract
    assert bool(abstract) == bool(start)


def test_fetch_asks_the_polite_pool_and_treats_404_as_no_record(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from lclm.sources import crossref

    monkeypatch.setenv("LCLM_CROSSREF_URL", httpserver.url_for("/works"))
    monkeypatch.setenv("LCLM_MAILTO", "curator@example.org")
    httpserver.expect_request("/works/10.1371/journal.pone.0033693", query_string={"mailto": "curator@example.org"}).respond_with_data(
        (CROSSREF / "works_10.1371_journal.pone.0033693.json").read_bytes(), content_type="application/json")
    httpserver.expect_request("/works/10.1371/notarealdoi").respond_with_data(
        (CROSSREF / "works_404_10.1371_notarealdoi.txt").read_bytes(), status=404, content_type="text/plain")
    answers = crossref.fetch(["10.1371/journal.pone.0033693", "10.1371/notarealdoi"])
    assert list(answers.found) == ["10.1371/journal.pone.0033693"] and answers.missing == ["10.1371/notarealdoi"]
    assert answers.requests == 2 and not answers.failed
    # Cached under the DOI's address, not the contact's: another address asks nothing again.
    monkeypatch.setenv("LCLM_MAILTO", "someone@example.org")
    assert crossref.fetch(["10.1371/journal.pone.0033693"]).requests == 0
