"""lclm.sources.registry and .service: the source table and the one cache-or-ask loop, against a local server."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from conftest import DATA
from lclm.sources import arxiv, dblp
from lclm.sources.registry import SOURCES

BOT = (DATA / "botwall" / "dblp_anubis_challenge_search_publ_api_CONSTRUCTED.html").read_bytes()
YARN_DBLP = (DATA / "dblp" / "search_publ_yarn_2hits_CONSTRUCTED.json").read_bytes()
ARXIV = DATA / "arxiv"


@pytest.fixture(autouse=True)
def _services(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LCLM_DBLP_URL", httpserver.url_for("/search/publ/api"))
    monkeypatch.setenv("LCLM_ARXIV_URL", httpserver.url_for("/api/query"))
    monkeypatch.setenv("LCLM_DBLP_DELAY", "0")
    monkeypatch.setenv("LCLM_ARXIV_DELAY", "0")


def test_every_source_has_one_row_with_its_endpoint_variable() -> None:
    assert list(SOURCES) == ["arXiv", "Semantic Scholar", "DBLP", "Crossref", "OpenAlex", "Semantic Scholar recommendations"]
    assert {s.url_env for s in SOURCES.values()} == {
        "LCLM_ARXIV_URL", "LCLM_S2_URL", "LCLM_DBLP_URL", "LCLM_CROSSREF_URL", "LCLM_OPENALEX_URL",
        "LCLM_S2_RECOMMENDATIONS_URL"}
    assert (SOURCES["arXiv"].batch, SOURCES["Semantic Scholar"].batch) == (100, 500)
    assert "venue" in SOURCES["Semantic Scholar"].fields and "abstract" not in SOURCES["DBLP"].fields


def test_pacing_comes_from_the_table_and_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LCLM_ARXIV_DELAY")
    assert SOURCES["arXiv"].gap() == 3.0
    monkeypatch.setenv("LCLM_S2_DELAY", "0.5")
    assert SOURCES["Semantic Scholar"].gap() == 0.5


@pytest.mark.parametrize("status", [200, 500])
def test_a_bot_check_page_stops_the_source_after_one_request(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_request("/search/publ/api").respond_with_data(BOT, status=status, content_type="text/html; charset=utf-8")
    answers = dblp.fetch(["First title", "Second title", "Third title"])
    assert answers.requests == 1  # no retry storm: the first page settles it
    assert answers.bot_check and answers.stopped == "DBLP: answered with a bot-check page, not data"
    assert set(answers.failed) == {"First title", "Second title", "Third title"}
    assert len(httpserver.log) == 1


def test_plain_html_that_is_no_bot_check_fails_only_its_own_title(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/search/publ/api", query_string={"q": "first title", "format": "json", "h": "10"}).respond_with_data(
        b"<html>DBLP is being maintained</html>")
    httpserver.expect_request("/search/publ/api").respond_with_data(YARN_DBLP, content_type="application/json")
    answers = dblp.fetch(["First title", "Second title"])
    assert answers.failed == {"First title": "DBLP answer is not JSON"} and not answers.stopped
    assert len(answers.found["Second title"]) == 2


def test_answers_are_cached_per_id_and_refresh_or_offline_change_that(httpserver: HTTPServer) -> None:
    recorded = (ARXIV / "new_idlist_0808.05394_1707.08567_multi_id_one_missing.xml").read_bytes()
    httpserver.expect_request("/api/query").respond_with_data(recorded, content_type="application/atom+xml")
    first = arxiv.fetch_batch(["0808.05394", "1707.08567"])
    assert (first.requests, first.missing, list(first.papers)) == (1, ["0808.05394"], ["1707.08567"])
    offline = arxiv.fetch_batch(["0808.05394", "1707.08567"], offline=True)
    assert offline.requests == 0 and list(offline.papers) == ["1707.08567"]
    assert offline.failed == {"0808.05394": "not in the cache (asked nothing: --offline)"}
    again = arxiv.fetch_batch(["1707.08567"])
    assert again.requests == 0
    fresh = arxiv.fetch_batch(["1707.08567"], refresh=True)
    assert fresh.requests == 1 and len(httpserver.log) == 2
