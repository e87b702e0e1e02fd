"""lclm.sources.s2: Semantic Scholar's batch answers read, and the batch asked of a local server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from conftest import DATA
from lclm.errors import FetchError
from lclm.sources import s2

S2 = DATA / "s2"
BATCH = "/graph/v1/paper/batch"


@pytest.fixture(autouse=True)
def _service(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LCLM_S2_URL", httpserver.url_for("/graph/v1"))
    monkeypatch.setenv("LCLM_S2_DELAY", "0")
    monkeypatch.setenv("LCLM_ARXIV_DELAY", "0")  # the least wait before a retry
    monkeypatch.delenv("LCLM_S2_API_KEY", raising=False)


def body(name: str) -> bytes:
    return (S2 / name).read_bytes()


def test_a_batch_answer_is_read_in_request_order_with_null_for_unknown_ids() -> None:
    first, second, third, fourth = s2.parse_batch(body("batch_4ids_first_null_full_fields.json"))
    assert first is None
    assert second is not None and second.title == "How Much Should We Trust Differences-in-Differences Estimates?"
    assert second.doi == "10.2139/ssrn.288970" and second.dblp == "" and not second.dblp_published
    assert [r is not None for r in (third, fourth)] == [True, True]


def test_a_merged_journal_record_names_dblp_and_its_venue() -> None:
    record = s2.parse_paper(json.loads(body("paper_DOI_10.1038_s42256-024-00832-8_journal_version_of_arxiv_2304.05376.json")))
    assert (record.arxiv, record.doi) == ("2304.05376", "10.1038/s42256-024-00832-8")
    assert record.venue == "Nat. Mac. Intell." and "Nature Machine Intelligence" in record.venue_names
    assert record.dblp_published and record.dblp_year == 2024  # the key's "24", not S2's arXiv-dated year
    assert record.year == 2023
    assert record.authors[0] == "Andrés M Bran"


def test_a_corr_dblp_key_is_no_published_record() -> None:
    data = json.loads(body("search_match_attention_is_all_you_need_neurips_corr_dblp_no_doi.json"))["data"][0]
    record = s2.parse_paper(data)
    assert record.dblp == "journals/corr/VaswaniSPUJGKP17"
    assert not record.dblp_published and record.dblp_year is None
    assert record.venue == "Neural Information Processing Systems"


def test_an_error_object_is_not_a_batch() -> None:
    with pytest.raises(FetchError, match=r"not a list of papers \(Forbidden\)"):
        s2.parse_batch(body("batch_403_forbidden_invalid_api_key.json"))
    with pytest.raises(FetchError, match="not JSON"):
        s2.parse_batch(b"<html>")


def test_fetch_posts_one_batch_with_the_key_and_caches_each_id(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LCLM_S2_API_KEY", "secret-key")
    httpserver.expect_request(BATCH, method="POST").respond_with_data(
        body("batch_longrope_icml2024_null_CONSTRUCTED.json"), content_type="application/json")
    answers = s2.fetch(["ARXIV:2402.13753", "ARXIV:0000.00000"])
    assert answers.requests == 1 and answers.missing == ["ARXIV:0000.00000"]
    record = answers.found["ARXIV:2402.13753"]
    assert record.dblp == "conf/icml/DingZZXSX0Y24" and record.venue_type == "conference"
    request = httpserver.log[0][0]
    assert request.headers["x-api-key"] == "secret-key"
    assert json.loads(request.data) == {"ids": ["ARXIV:2402.13753", "ARXIV:0000.00000"]}
    assert "fields=title,authors,year,venue,publicationVenue" in request.url
    # Cached per id: asking again for the known one makes no request.
    again = s2.fetch(["ARXIV:2402.13753"])
    assert again.requests == 0 and "ARXIV:2402.13753" in again.found
    assert len(httpserver.log) == 1


def test_a_429_is_waited_out_as_retry_after_says(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(BATCH, method="POST").respond_with_data(
        body("error_429_too_many_requests_CONSTRUCTED.json"), status=429, headers={"Retry-After": "0"})
    httpserver.expect_request(BATCH, method="POST").respond_with_data(
        body("batch_longrope_icml2024_null_CONSTRUCTED.json"), content_type="application/json")
    answers = s2.fetch(["ARXIV:2402.13753", "ARXIV:0000.00000"])
    assert "ARXIV:2402.13753" in answers.found and len(httpserver.log) == 2


def test_a_long_retry_after_is_an_error_not_a_hang(httpserver: HTTPServer) -> None:
    httpserver.expect_request(BATCH, method="POST").respond_with_data(
        body("error_429_too_many_requests_CONSTRUCTED.json"), status=429, headers={"Retry-After": "3600"})
    answers = s2.fetch(["ARXIV:2402.13753"])
    assert answers.failed["ARXIV:2402.13753"].startswith("Semantic Scholar: HTTP 429")
    assert "asks to wait 3600 s" in answers.stopped
    assert len(httpserver.log) == 1


def test_a_forbidden_key_is_one_reason_for_every_id(httpserver: HTTPServer) -> None:
    httpserver.expect_request(BATCH, method="POST").respond_with_data(body("batch_403_forbidden_invalid_api_key.json"), status=403)
    answers = s2.fetch(["ARXIV:2402.13753", "DOI:10.1/x"])
    assert set(answers.failed.values()) == {"Semantic Scholar: HTTP 403 FORBIDDEN (Forbidden)"}


def test_paper_id_prefers_the_arxiv_id(tmp_path: Path) -> None:
    assert s2.paper_id("2402.13753", "10.1/x") == "ARXIV:2402.13753"
    assert s2.paper_id("", "10.1/x") == "DOI:10.1/x"
    assert s2.paper_id("", "") == ""
