"""`lclm watch` against a local server: arXiv's listing by category and date, S2 recommendations."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from pytest_httpserver import HTTPServer

from conftest import DATA, run


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module does not test the cache."""
    return warm_store


WATCH = DATA / "watch"
FEED = (WATCH / "new_search_testing_10entries.xml").read_bytes()


@pytest.fixture(autouse=True)
def _services(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LCLM_ARXIV_URL", httpserver.url_for("/api/query"))
    monkeypatch.setenv("LCLM_S2_RECOMMENDATIONS_URL", httpserver.url_for("/s2/recommendations/v1"))
    monkeypatch.setenv("LCLM_ARXIV_DELAY", "0")


def _query(request_uri: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request_uri).query)


def test_arxiv_listing_by_category_and_date_and_the_run_is_remembered(store: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/query").respond_with_data(FEED, content_type="application/atom+xml")
    result = run("--papers", str(store), "watch", "--categories", "cs.SE", "cs.LG", "--since", "2026-11-30", "--json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 10
    query = _query(httpserver.log[0][0].url)
    assert query["search_query"][0].startswith("(cat:cs.SE OR cat:cs.LG) AND submittedDate:[202611300000 TO ")
    assert query["sortBy"] == ["submittedDate"] and query["start"] == ["0"]
    assert query["max_results"] == ["200"] and len(httpserver.log) == 1  # 10 of 200 asked: the last page
    state = yaml.safe_load((store / "_watch.yaml").read_text(encoding="utf-8"))
    assert state["categories"] == ["cs.SE", "cs.LG"] and state["last_run"]
    # the next run watches the stored categories, since the last run
    httpserver.clear_log()
    run("--papers", str(store), "watch", "--json")
    query = _query(httpserver.log[0][0].url)
    assert query["search_query"][0].startswith(f"(cat:cs.SE OR cat:cs.LG) AND submittedDate:[{state['last_run'].replace('-', '')}0000")


def test_arxiv_listing_pages_until_a_short_page(store: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from werkzeug import Request, Response

    from lclm.sources import arxiv_recent

    monkeypatch.setattr(arxiv_recent, "PAGE", 10)  # the recorded feed is a full page of 10

    def page(request: Request) -> Response:
        first = request.args["start"] == "0"
        return Response(FEED if first else b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(page)
    result = run("--papers", str(store), "watch", "--categories", "cs.SE", "--json")
    assert result.exit_code == 0, result.stderr
    assert [_query(r.url)["start"] for r, _ in httpserver.log] == [["0"], ["10"]]
    assert len(json.loads(result.stdout)) == 10


def test_ids_file_is_fetched_from_arxiv_in_one_request(store: Path, httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/api/query").respond_with_data(FEED, content_type="application/atom+xml")
    ids = tmp_path / "ids.txt"
    ids.write_text("# this week's\n2202.12139\nhttps://arxiv.org/abs/2005.14124v2\n10.48550/arXiv.2202.12139\n", encoding="utf-8")
    result = run("--papers", str(store), "watch", "--from", str(ids), "--json")
    assert result.exit_code == 0, result.stderr
    assert sorted(c["arxiv"] for c in json.loads(result.stdout)) == ["2005.14124", "2202.12139"]
    assert len(httpserver.log) == 1 and _query(httpserver.log[0][0].url)["id_list"] == ["2202.12139,2005.14124"]


def test_arxiv_error_is_one_line_and_exit_1(store: Path, httpserver: HTTPServer) -> None:
    body = (DATA / "arxiv" / "new_error_idlist_abc_http400.xml").read_bytes()
    httpserver.expect_request("/api/query").respond_with_data(body, status=400)
    result = run("--papers", str(store), "watch", "--categories", "cs.CL", "--json")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "lclm: arXiv: incorrect id format for abc (HTTP 400)"
    assert result.stdout == "[]\n"
    assert not (store / "_watch.yaml").exists()  # a failed run is not the last run


def test_bad_category_is_a_usage_error(store: Path) -> None:
    result = run("--papers", str(store), "watch", "--categories", "cs CL!")
    assert result.exit_code == 2
    assert result.stderr.startswith("lclm: error: --categories: not an arXiv category such as cs.CL: 'CL!'")


def test_s2_recommendations_posted_with_list_positives_and_rejected_negatives(store: Path, httpserver: HTTPServer) -> None:
    (store / "_watch.yaml").write_text("rejected:\n- title: Some Paper\n  arxiv: '2501.00001'\n", encoding="utf-8")
    httpserver.expect_request("/api/query").respond_with_data(b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>')
    body = (WATCH / "recommendations_forpaper_DOI_10.2139_ssrn.2250500_recent.json").read_bytes()
    httpserver.expect_request("/s2/recommendations/v1/papers", method="POST").respond_with_data(body, content_type="application/json")
    result = run("--papers", str(store), "watch", "--categories", "cs.CL", "--s2", "--json")
    assert result.exit_code == 0, result.stderr
    # 100 recommended, 5 of them a second record of a title already recommended (different S2 ids, no year)
    assert len(json.loads(result.stdout)) == 95
    assert result.stderr.endswith("100 candidates, 95 shown; left out: 5 repeated\n")
    posted = next(r for r, _ in httpserver.log if r.method == "POST")
    sent = json.loads(posted.data)
    assert "ARXIV:2309.17453" in sent["positivePaperIds"] and sent["negativePaperIds"] == ["ARXIV:2501.00001"]
    assert "title" in _query(posted.url)["fields"][0]


def test_s2_error_names_the_service_and_its_message(store: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/query").respond_with_data(b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>')
    body = (WATCH / "recommendations_post_400_no_positive_examples.json").read_bytes()
    httpserver.expect_request("/s2/recommendations/v1/papers", method="POST").respond_with_data(body, status=400)
    result = run("--papers", str(store), "watch", "--s2", "--json")
    assert result.exit_code == 1
    assert "lclm: Semantic Scholar recommendations: HTTP 400 BAD REQUEST: No positive paper examples given\n" in result.stderr
