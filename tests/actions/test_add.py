"""`lclm add`, driven through the CLI against a local HTTP server serving recorded answers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from conftest import DATA, ROOT, run
from lclm.store.load import load_store


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module does not test the cache."""
    return warm_store


ARXIV = DATA / "arxiv"
CROSSREF = DATA / "crossref"
SECTIONS = """\
sections:
- name: Length Extrapolation
  file: length-extrapolation.yaml
- name: KV Cache Optimization
  file: kv-cache.yaml
"""
EXISTING = """\
# Kept by hand; lclm add must not touch this comment.
- key: shaw2018self
  title: Self-attention with relative position representations
  authors:
  - Peter Shaw
  year: 2018
  venue: arXiv preprint arXiv:1803.02155
  url: https://arxiv.org/abs/1803.02155
  arxiv: '1803.02155'
"""
MURRAY = """\
- key: murray2011quantum
  title: Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit
  authors:
  - James M. Murray
  - Adrian Del Maestro
  - Zlatko Tesanovic
  year: 2011
  venue: Phys. Rev. B 85, 115117 (2012)
  url: https://arxiv.org/abs/1111.2011
  arxiv: '1111.2011'
  doi: 10.1103/physrevb.85.115117
  abstract: Theoretical description of anisotropic systems, such as layered superconductors and coupled spin chains, is often a challenge due to the different natures of interactions along different directions. As a model of such a system, we present an analytical study of d-dimensional "nodes" arranged as the vertices of a Bethe lattice, where each node has nonzero spatial dimension and is described by an O(N) quantum rotor model, and there is hopping between neighboring nodes. In the limit of large connectivity on the Bethe lattice, the hopping can be treated by constructing a self-consistent effective action for a single node. This procedure is akin to dynamical mean field theory, but generalized so that spatial as well as quantum fluctuations are taken into account on each node. The quantum phase transition is studied using this effective action for both infinite and finite N. The importance of the Perron-Frobenius uniform mode on the Bethe lattice is discussed, and its elimination via an "infinite range hopping" term shifts the transition, leading to nontrivial critical behavior. We calculate critical exponents and find that the internode hopping reduces the upper and lower critical dimensions each by one, indicating that--at least for the purposes of quantum criticality--the large number of internode couplings is similar to adding a single extra dimension to the theory describing a single node.
"""
STANLEY = """\
- key: stanley2016heat
  title: Heat-bath random walks with Markov bases
  authors:
  - Caprice Stanley
  - Tobias Windisch
  year: 2016
  venue: arXiv preprint arXiv:1605.08386
  url: https://arxiv.org/abs/1605.08386
  arxiv: '1605.08386'
  abstract: Graphs on lattice points are studied whose edges come from a finite set of allowed moves of arbitrary length. We show that the diameter of these graphs on fibers of a fixed integer matrix can be bounded from above by a constant. We then study the mixing behaviour of heat-bath random walks on these graphs. We also state explicit conditions on the set of moves so that the heat-bath random walk, a generalization of the Glauber dynamics, is an expander in fixed dimension.
"""


@pytest.fixture(autouse=True)
def _services(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LCLM_ARXIV_URL", httpserver.url_for("/api/query"))
    monkeypatch.setenv("LCLM_CROSSREF_URL", httpserver.url_for("/works"))
    monkeypatch.setenv("LCLM_ARXIV_DELAY", "0")
    monkeypatch.delenv("LCLM_TIMEOUT", raising=False)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """Two categories: one paper after a comment, and an empty one."""
    root = tmp_path / "small"
    root.mkdir()
    (root / "_sections.yaml").write_text(SECTIONS)
    (root / "length-extrapolation.yaml").write_text(EXISTING)
    (root / "kv-cache.yaml").write_text("")
    return root


def files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


def serve_arxiv(server: HTTPServer, ids: str, name: str, status: int = 200) -> None:
    query = {"id_list": ids, "max_results": str(len(ids.split(",")))}
    body = (ARXIV / name).read_bytes()
    server.expect_request("/api/query", query_string=query).respond_with_data(
        body, status=status, content_type="application/atom+xml"
    )


def serve_doi(server: HTTPServer, doi: str, name: str, status: int = 200) -> None:
    body = (CROSSREF / name).read_bytes()
    kind = "application/json" if name.endswith(".json") else "text/plain"
    server.expect_request(f"/works/{doi}").respond_with_data(body, status=status, content_type=kind)


def add(root: Path, *args: str) -> Any:
    return run("--papers", str(root), "add", *args)


# ---------------------------------------------------------------- arXiv


@pytest.mark.parametrize(
    "form",
    [
        "1605.08386",
        "1605.08386v1",
        "arXiv:1605.08386",
        "https://arxiv.org/abs/1605.08386",
        "https://arxiv.org/pdf/1605.08386v1",
    ],
)
def test_every_new_style_id_form_adds_the_same_record(small: Path, httpserver: HTTPServer, form: str) -> None:
    serve_arxiv(httpserver, "1605.08386", "new_idlist_1605.08386_simple_two_categories.xml")
    result = add(small, "--arxiv", form, "-c", "kv cache")
    assert result.exit_code == 0, result.stderr
    assert (small / "kv-cache.yaml").read_text() == STANLEY
    assert f"added stanley2016heat to {small}/kv-cache.yaml:1 (KV Cache Optimization)" in result.stdout
    assert "stanley2016heat" in result.stdout.split("added")[0]  # the record's panel comes first


@pytest.mark.parametrize(
    ("form", "asked", "name", "expected_url"),
    [
        ("quant-ph/0201082v1", "quant-ph/0201082", "new_idlist_quant-ph_0201082v1_oldstyle_versioned.xml",
         "https://arxiv.org/abs/quant-ph/0201082"),
        ("https://arxiv.org/abs/math/0211159", "math/0211159", "legacy_idlist_math_0211159_oldstyle_id_comment.xml",
         "https://arxiv.org/abs/math/0211159"),
    ],
)
def test_old_style_ids_in_both_formats(
    small: Path, httpserver: HTTPServer, form: str, asked: str, name: str, expected_url: str
) -> None:
    serve_arxiv(httpserver, asked, name)
    result = add(small, "--arxiv", form, "-c", "kv-cache")
    assert result.exit_code == 0, result.stderr
    text = (small / "kv-cache.yaml").read_text()
    assert f"  venue: arXiv preprint arXiv:{asked}\n  url: {expected_url}\n  arxiv: {asked}\n" in text


def test_legacy_format_record_is_appended_after_the_existing_text_unchanged(
    small: Path, httpserver: HTTPServer
) -> None:
    serve_arxiv(httpserver, "1111.2011", "legacy_idlist_1111.2011v2_v2_doi_journalref.xml")
    result = add(small, "--arxiv", "1111.2011v2", "-c", "Length Extrapolation")
    assert result.exit_code == 0, result.stderr
    assert (small / "length-extrapolation.yaml").read_text() == EXISTING + "\n" + MURRAY
    assert f"added murray2011quantum to {small}/length-extrapolation.yaml:11 (Length Extrapolation)\n" in result.stdout
    assert [p.key for p in load_store(small).papers] == ["shaw2018self", "murray2011quantum"]


def test_batch_is_one_request_matched_by_entry_id_whatever_the_order(small: Path, httpserver: HTTPServer) -> None:
    # The answer holds ten entries in its own order; only the two asked for are taken.
    serve_arxiv(httpserver, "2202.12139,2005.14124", "new_search_testing_10entries.xml")
    result = add(small, "--arxiv", "2202.12139", "arXiv:2005.14124v2", "-c", "kv-cache")
    assert result.exit_code == 0, result.stderr
    assert len(httpserver.log) == 1
    papers = load_store(small).in_category("kv-cache")
    assert [(p.arxiv, p.doi) for p in papers] == [
        ("2202.12139", "10.1109/icstw55395.2022.00035"),
        ("2005.14124", "10.1145/3395363.3397376"),
    ]
    assert result.stderr == "added 2, skipped 0, failed 0\n"


def test_each_id_of_a_batch_is_cached_on_its_own(small: Path, httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "2202.12139,2005.14124", "new_search_testing_10entries.xml")
    assert add(small, "--arxiv", "2202.12139", "2005.14124", "-c", "kv-cache", "--dry-run").exit_code == 0
    result = add(small, "--arxiv", "2005.14124", "-c", "kv-cache")  # another selection, already known
    assert result.exit_code == 0, result.stderr
    assert len(httpserver.log) == 1
    assert [p.arxiv for p in load_store(small).in_category("kv-cache")] == ["2005.14124"]


def test_same_paper_twice_in_one_call_is_fetched_and_added_once(small: Path, httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "1605.08386", "new_idlist_1605.08386_simple_two_categories.xml")
    result = add(small, "--arxiv", "1605.08386", "https://arxiv.org/pdf/1605.08386v1",
                 "--doi", "10.48550/arXiv.1605.08386", "-c", "kv-cache")
    assert result.exit_code == 0, result.stderr
    assert (small / "kv-cache.yaml").read_text() == STANLEY


def test_batch_with_a_missing_id_adds_the_others_and_exits_1(small: Path, httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "0808.05394,1707.08567", "new_idlist_0808.05394_1707.08567_multi_id_one_missing.xml")
    result = add(small, "--arxiv", "0808.05394", "1707.08567", "-c", "kv-cache")
    assert result.exit_code == 1
    assert result.stderr == (
        "lclm: error: 0808.05394: arXiv has no paper with this id\n"
        "added 1, skipped 0, failed 1\n"
    )
    [paper] = load_store(small).in_category("kv-cache")
    assert (paper.arxiv, len(paper.authors), paper.authors[-2]) == ("1707.08567", 34, "Dirk Wübben")


def test_an_id_that_is_no_arxiv_id_fails_without_asking_arxiv(small: Path, httpserver: HTTPServer) -> None:
    before = files(small)
    result = add(small, "--arxiv", "abc", "-c", "kv-cache")
    assert (result.exit_code, result.stderr) == (1, "lclm: error: abc: not an arXiv id\n")
    assert httpserver.log == []
    assert files(small) == before


# ---------------------------------------------------------------- failures lose nothing


@pytest.mark.parametrize(
    ("ident", "name", "status", "message"),
    [
        ("0000.0000", "new_empty_idlist_0000.0000_zero_results.xml", 200, "arXiv has no paper with this id"),
        ("1605.08386", "new_error_idlist_abc_http400.xml", 400, "arXiv: incorrect id format for abc (HTTP 400)"),
        ("1605.08386", "legacy_error_idlist_INVALIDID_http400.xml", 400,
         "arXiv: incorrect id format for INVALIDID (HTTP 400)"),
    ],
)
def test_arxiv_refusals_give_one_line_and_change_nothing(
    small: Path, httpserver: HTTPServer, ident: str, name: str, status: int, message: str
) -> None:
    serve_arxiv(httpserver, ident, name, status)
    before = files(small)
    result = add(small, "--arxiv", ident, "-c", "kv-cache")
    assert (result.exit_code, result.stderr, result.stdout) == (1, f"lclm: error: {ident}: {message}\n", "")
    assert files(small) == before


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"<feed><entry><id>http://arxiv.org/abs/1605", 200, "arXiv answer is not well-formed XML"),
        (b"oops", 500, "arXiv: HTTP 500 INTERNAL SERVER ERROR"),
        (b"down", 502, "arXiv: HTTP 502 BAD GATEWAY"),
        (b"slow down", 403, "arXiv: HTTP 403 FORBIDDEN"),
    ],
)
def test_bad_answers_give_one_line_naming_id_and_cause(
    small: Path, httpserver: HTTPServer, body: bytes, status: int, message: str
) -> None:
    httpserver.expect_request("/api/query").respond_with_data(body, status=status)
    before = files(small)
    result = add(small, "--arxiv", "1605.08386", "-c", "kv-cache")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"lclm: error: 1605.08386: {message}")
    assert result.stderr.count("\n") == 1
    assert files(small) == before


def test_timeout_names_the_limit(small: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    done = threading.Event()

    def slow(request: Request) -> Response:
        time.sleep(0.6)  # well past the 0.2 s limit; the test waits for it below
        done.set()
        return Response("late", status=200)

    httpserver.expect_request("/api/query").respond_with_handler(slow)
    monkeypatch.setenv("LCLM_TIMEOUT", "0.2")
    before = files(small)
    result = add(small, "--arxiv", "1605.08386", "-c", "kv-cache")
    assert result.exit_code == 1
    assert result.stderr == f"lclm: error: 1605.08386: arXiv: timed out after 0.2 s ({httpserver.host}:{httpserver.port})\n"
    assert files(small) == before
    done.wait(5)  # let the server finish before the next test uses it


def test_connection_refused(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("LCLM_ARXIV_URL", f"http://127.0.0.1:{port}/api/query")
    before = files(small)
    result = add(small, "--arxiv", "1605.08386", "-c", "kv-cache")
    assert (result.exit_code, result.stderr) == (
        1, f"lclm: error: 1605.08386: arXiv: connection refused by 127.0.0.1:{port}\n"
    )
    assert files(small) == before


def test_429_is_retried_once_after_the_wait_asked_for(small: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/api/query").respond_with_data(
        "busy", status=429, headers={"Retry-After": "0"}
    )
    body = (ARXIV / "new_idlist_1605.08386_simple_two_categories.xml").read_bytes()
    httpserver.expect_ordered_request("/api/query").respond_with_data(body)
    result = add(small, "--arxiv", "1605.08386", "-c", "kv-cache")
    assert result.exit_code == 0, result.stderr
    assert len(httpserver.log) == 2
    assert (small / "kv-cache.yaml").read_text() == STANLEY


def test_429_twice_is_a_failure(small: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/query").respond_with_data("busy", status=429)
    result = add(small, "--arxiv", "1605.08386", "-c", "kv-cache")
    assert (result.exit_code, result.stderr) == (1, "lclm: error: 1605.08386: arXiv: HTTP 429 TOO MANY REQUESTS\n")
    assert len(httpserver.log) == 2


def test_a_429_asking_for_a_long_wait_fails_at_once(small: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/query").respond_with_data("busy", status=429, headers={"Retry-After": "3600"})
    result = add(small, "--arxiv", "1605.08386", "-c", "kv-cache")
    assert result.exit_code == 1
    assert result.stderr == (
        "lclm: error: 1605.08386: arXiv: HTTP 429 TOO MANY REQUESTS and asks to wait 3600 s; try again later\n"
    )
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("url", ["notaurl", "ftp://example.org/api", "http://[::1"])
def test_bad_service_url_is_a_usage_error(small: Path, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("LCLM_ARXIV_URL", url)
    result = add(small, "--arxiv", "1605.08386", "-c", "kv-cache")
    assert (result.exit_code, result.stderr) == (2, f"lclm: error: LCLM_ARXIV_URL: not an http(s) URL: {url!r}\n")


def test_bad_timeout_setting_is_a_usage_error(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LCLM_TIMEOUT", "soon")
    result = add(small, "--arxiv", "1605.08386", "-c", "kv-cache")
    assert (result.exit_code, result.stderr) == (2, "lclm: error: LCLM_TIMEOUT: must be a number of seconds, not 'soon'\n")


# ---------------------------------------------------------------- cache


def test_repeat_and_dry_run_use_the_cache_and_refresh_bypasses_it(small: Path, httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "1605.08386", "new_idlist_1605.08386_simple_two_categories.xml")
    dry = add(small, "--arxiv", "1605.08386", "-c", "kv-cache", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert (small / "kv-cache.yaml").read_text() == ""
    assert f"would add stanley2016heat to {small}/kv-cache.yaml:1" in dry.stdout
    assert dry.stderr == "dry run: nothing written\n"
    assert add(small, "--arxiv", "1605.08386", "-c", "kv-cache").exit_code == 0
    assert len(httpserver.log) == 1
    assert (small / "kv-cache.yaml").read_text() == STANLEY
    add(small, "--arxiv", "1605.08386", "-c", "kv-cache", "--refresh", "--dry-run")
    assert len(httpserver.log) == 2


def test_errors_are_not_cached(small: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/api/query").respond_with_data("oops", status=500)
    serve_arxiv(httpserver, "0000.0000", "new_empty_idlist_0000.0000_zero_results.xml")
    httpserver.expect_ordered_request("/api/query").respond_with_data(
        (ARXIV / "new_idlist_1605.08386_simple_two_categories.xml").read_bytes()
    )
    assert add(small, "--arxiv", "1605.08386", "-c", "kv-cache").exit_code == 1
    assert add(small, "--arxiv", "1605.08386", "-c", "kv-cache").exit_code == 0
    assert add(small, "--arxiv", "0000.0000", "-c", "kv-cache").exit_code == 1
    assert add(small, "--arxiv", "0000.0000", "-c", "kv-cache").exit_code == 1
    assert len(httpserver.log) == 4


# ---------------------------------------------------------------- Crossref


def test_doi_journal_article(small: Path, httpserver: HTTPServer) -> None:
    serve_doi(httpserver, "10.1002/jor.1100150407", "works_10.1002_jor.1100150407_12authors_abstract.json")
    result = add(small, "--doi", "https://doi.org/10.1002/JOR.1100150407", "-c", "kv-cache", "--tag", "muscle")
    assert result.exit_code == 0, result.stderr
    text = (small / "kv-cache.yaml").read_text()
    assert text.startswith(
        "- key: lieber1997growth\n"
        "  title: Growth hormone secretagogue increases muscle strength during remobilization"
        " after canine hindlimb immobilization\n"
        "  authors:\n  - Richard L. Lieber\n"
    )
    record, _, abstract = text.partition("  abstract: ")  # Crossref's abstract is kept, last
    assert record.endswith(
        "  year: 1997\n"
        "  venue: Journal of Orthopaedic Research, 15(4), 519--527\n"
        "  url: https://doi.org/10.1002/jor.1100150407\n"
        "  doi: 10.1002/jor.1100150407\n"
        "  tags:\n  - muscle\n"
    )
    assert abstract.startswith("Twenty\u2010two beagles were divided into two equal groups,")


def test_doi_conference_paper_without_a_date_needs_a_year(small: Path, httpserver: HTTPServer) -> None:
    doi = "10.1109/icdcsw.2003.1203662"
    serve_doi(httpserver, doi, "works_10.1109_icdcsw.2003.1203662_proceedings_null_issued.json")
    before = files(small)
    result = add(small, "--doi", doi, "-c", "kv-cache")
    assert result.exit_code == 1
    assert result.stderr == (
        f"lclm: error: {doi}: Crossref record has no publication date (issued, published... are empty); "
        "give the year with --year\n"
    )
    assert files(small) == before
    result = add(small, "--doi", doi, "--year", "2003", "-c", "kv-cache")
    assert result.exit_code == 0, result.stderr
    [paper] = load_store(small).in_category("kv-cache")
    assert (paper.key, paper.year, paper.venue) == (
        "arya2003accurate", 2003,
        "23rd International Conference on Distributed Computing Systems Workshops, 2003. Proceedings., 877--882",
    )


def test_doi_not_in_crossref(small: Path, httpserver: HTTPServer) -> None:
    serve_doi(httpserver, "10.1371/notarealdoi", "works_404_10.1371_notarealdoi.txt", status=404)
    before = files(small)
    result = add(small, "--doi", "10.1371/notarealdoi", "-c", "kv-cache")
    assert (result.exit_code, result.stderr) == (
        1, "lclm: error: 10.1371/notarealdoi: Crossref has no record of this DOI (HTTP 404)\n"
    )
    assert files(small) == before


def test_arxiv_doi_goes_to_arxiv(small: Path, httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "1605.08386", "new_idlist_1605.08386_simple_two_categories.xml")
    result = add(small, "--doi", "10.48550/arXiv.1605.08386", "-c", "kv-cache")
    assert result.exit_code == 0, result.stderr
    assert (small / "kv-cache.yaml").read_text() == STANLEY


def test_bare_ids_are_told_apart_and_a_batch_reports_each(small: Path, httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "1605.08386", "new_idlist_1605.08386_simple_two_categories.xml")
    serve_doi(httpserver, "10.1038/srep16696", "works_10.1038_srep16696_abstract_no_pages.json")
    serve_doi(httpserver, "10.1371/notarealdoi", "works_404_10.1371_notarealdoi.txt", status=404)
    result = add(small, "1605.08386", "10.1038/srep16696", "10.1371/notarealdoi", "-c", "kv-cache", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(a["source"], a["line"], a["record"]["key"]) for a in data["added"]] == [
        ("1605.08386", 1, "stanley2016heat"), ("10.1038/srep16696", 12, "tosatto2015single"),
    ]
    assert data["failed"] == [
        {"source": "10.1371/notarealdoi", "reason": "Crossref has no record of this DOI (HTTP 404)"}
    ]
    assert data["added"][1]["record"]["venue"] == "Scientific Reports, 5(1), 16696"


# ---------------------------------------------------------------- by hand


def test_hand_entry_is_cleaned(small: Path) -> None:
    result = add(
        small, "--title", "  Long\u200bRoPE:  extending   context.  ", "--author", "Yiran  Ding",
        "--author", "Gabriel Rivi{\\`e}re", "--year", "2024", "--venue", "ICML",
        "--url", "https://arxiv.org/pdf/2402.13753v1", "--note", "good", "-c", "kv-cache",
    )
    assert result.exit_code == 0, result.stderr
    assert (small / "kv-cache.yaml").read_text() == (
        "- key: ding2024longrope\n"
        "  title: 'LongRoPE: extending context'\n"
        "  authors:\n  - Yiran Ding\n  - Gabriel Rivière\n"
        "  year: 2024\n  venue: ICML\n"
        "  url: https://arxiv.org/pdf/2402.13753v1\n"
        "  arxiv: '2402.13753'\n"
        "  note: good\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        # The messages `lclm validate` gives for the same values (lclm.rules).
        (["--year", "3024"], 1, "--year: 3024 is not between 1900 and"),
        (["--year", "1850"], 1, "--year: 1850 is not between 1900 and"),
        (["--year", "2024", "--url", "ftp://x.org/p"], 1, "--url: 'ftp://x.org/p' is not an http(s) URL"),
        (["--year", "2024", "--doi", "doi:11.5/x"], 1, "--doi: '11.5/x' is not a bare DOI"),
        ([], 2, "--year is required with --title"),
    ],
)
def test_hand_entry_checks(small: Path, args: list[str], code: int, message: str) -> None:
    before = files(small)
    result = add(small, "--title", "A paper", *args, "-c", "kv-cache")
    assert result.exit_code == code
    assert result.stderr.startswith(f"lclm: error: {message}")
    assert files(small) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "nothing to add"),
        (["--arxiv", "1605.08386", "--title", "T", "--year", "2020"], "--title adds one paper typed by hand"),
        (["--arxiv", "1605.08386", "--author", "A B"], "--author goes with --title"),
        (["--arxiv", "1605.08386", "--year", "2020"], "--year goes with --title, or with --doi"),
    ],
)
def test_mixed_or_missing_sources_are_usage_errors(small: Path, args: list[str], message: str) -> None:
    result = add(small, *args, "-c", "kv-cache")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"lclm: error: {message}")


# ---------------------------------------------------------------- BibTeX


def test_bibtex_from_stdin_adds_entries_and_names_the_skipped(small: Path) -> None:
    text = (
        "@article{a, title={T}}\n"
        "@misc{Good2020, title={A {G}ood one.}, author={Rivi{\\`e}re, Gabriel and Doe, J.},\n"
        "  year=2020, eprint={2001.00001}, archivePrefix={arXiv}}\n"
    )
    result = run("--papers", str(small), "add", "--bibtex", "-", "-c", "kv-cache", input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "lclm: <stdin>:1: a: skipped: no year\nadded 1, skipped 1, failed 0\n"
    assert (small / "kv-cache.yaml").read_text() == (
        "- key: riviere2020good\n  title: A Good one\n  authors:\n  - Gabriel Rivière\n  - J. Doe\n"
        "  year: 2020\n  venue: arXiv preprint arXiv:2001.00001\n  url: https://arxiv.org/abs/2001.00001\n  arxiv: '2001.00001'\n"
    )


def test_bibtex_entry_for_a_paper_added_from_arxiv_is_refused(small: Path, httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "1710.08557", "legacy_idlist_1710.08557_doi_journalref_wrapped_title.xml")
    assert add(small, "--arxiv", "1710.08557", "-c", "kv-cache").exit_code == 0
    before = files(small)
    bib = CROSSREF / "crossref_doi_bibtex_Valero_Cuevas_2017.bib"
    result = add(small, "--bibtex", str(bib), "-c", "length")
    assert result.exit_code == 1
    assert result.stderr == (
        f"lclm: {bib}:1: already in the list as valerocuevas2017neuromechanical at {small}/kv-cache.yaml:1 "
        "in 'KV Cache Optimization' (same DOI 10.1186/s12984-017-0305-3); --force adds it anyway\n"
    )
    assert files(small) == before


def test_bibtex_file_that_cannot_be_read(small: Path) -> None:
    result = add(small, "--bibtex", str(small / "nope.bib"), "-c", "kv-cache")
    assert (result.exit_code, result.stderr) == (1, f"lclm: error: {small}/nope.bib: no such file\n")


# ---------------------------------------------------------------- category


def test_unknown_category_lists_the_known_ones(small: Path) -> None:
    result = add(small, "--title", "T", "--year", "2020", "-c", "graphs")
    assert result.exit_code == 2
    assert result.stderr == (
        "lclm: error: unknown category 'graphs'; known categories: "
        "length-extrapolation (Length Extrapolation); kv-cache (KV Cache Optimization)\n"
    )


def test_no_category_and_no_terminal_is_an_error(small: Path, httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "1605.08386", "new_idlist_1605.08386_simple_two_categories.xml")
    result = add(small, "--arxiv", "1605.08386")  # fetched (and cached) to suggest a category: none is near
    assert result.exit_code == 2
    assert result.stderr == "lclm: error: which category? give --category or --yes (one of: length-extrapolation, kv-cache)\n"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_on_a_terminal_the_user_picks_the_category_by_number(small: Path, tmp_path: Path) -> None:
    import pty

    parent, child = pty.openpty()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lclm", "--papers", str(small), "add", "--title", "Typed", "--year", "2020"],
        stdin=child, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
    )
    os.close(child)
    os.write(parent, b"7\n2\n")  # out of range first: asked again
    out, err = proc.communicate(timeout=30)
    os.close(parent)
    assert proc.returncode == 0, err
    # The list and the prompt go to stderr, so stdout stays clean for --json.
    assert err.decode().startswith("  1. Length Extrapolation\n  2. KV Cache Optimization\nCategory number:")
    assert "Pick a number from 1 to 2.\n" in err.decode()
    assert f"added anon2020typed to {small}/kv-cache.yaml:1 (KV Cache Optimization)\n" in out.decode()
    assert [p.title for p in load_store(small).in_category("kv-cache")] == ["Typed"]


# ---------------------------------------------------------------- duplicates


def test_duplicate_is_refused_naming_the_existing_record(small: Path, httpserver: HTTPServer) -> None:
    before = files(small)
    result = add(small, "--title", "Another look", "--year", "2018",
                 "--url", "https://arxiv.org/abs/1803.02155v2", "-c", "kv-cache")
    assert result.exit_code == 1
    assert result.stderr == (
        f"lclm: --title 'Another look': shares an identifier with shaw2018self at {small}/length-extrapolation.yaml:2 "
        "in 'Length Extrapolation' (same arXiv id 1803.02155, but the titles and authors differ: check the id); "
        "--force adds it anyway\n"
    )
    assert files(small) == before
    forced = add(small, "--title", "Another look", "--year", "2018",
                 "--url", "https://arxiv.org/abs/1803.02155v2", "-c", "kv-cache", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert [p.key for p in load_store(small).in_category("kv-cache")] == ["anon2018another"]


def test_duplicate_by_title_in_a_batch_is_skipped_and_the_rest_added(small: Path, httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "2202.12139,2005.14124", "new_search_testing_10entries.xml")
    assert add(small, "--title", "Active fuzzing for testing and securing cyber-physical systems.",
               "--year", "2020", "-c", "kv-cache").exit_code == 0
    result = add(small, "--arxiv", "2202.12139", "2005.14124", "-c", "kv-cache")
    assert result.exit_code == 0
    assert result.stderr == (
        f"lclm: 2005.14124: already in the list as anon2020active at {small}/kv-cache.yaml:1 "
        "in 'KV Cache Optimization' (same title); --force adds it anyway\n"
        "added 1, skipped 1, failed 0\n"
    )


# ---------------------------------------------------------------- the real list


def test_adding_to_the_real_list_appends_exactly_the_record(store: Path, httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "1111.2011", "legacy_idlist_1111.2011v2_v2_doi_journalref.xml")
    before = files(store)
    result = add(store, "--arxiv", "https://arxiv.org/abs/1111.2011v2", "-c", "KV Cache Optimization")
    assert result.exit_code == 0, result.stderr
    after = files(store)
    name = "kv-cache-optimization.yaml"
    assert after[name] == before[name] + b"\n" + MURRAY.encode()
    untouched = lambda files: {k: v for k, v in files.items() if k != name and k.endswith(".yaml")}  # noqa: E731
    assert untouched(after) == untouched(before)
    line = before[name].count(b"\n") + 2
    assert f"added murray2011quantum to {store}/{name}:{line} (KV Cache Optimization)\n" in result.stdout
    # the READMEs rendered from the store follow the data
    assert f"updated {store}/README.md\nupdated {store}/README_zh.md\n" in result.stdout
    assert b"Quantum" in after["README.md"] and after["README.md"] != before["README.md"]
    assert run("--papers", str(store), "validate").exit_code == 0
    reloaded = load_store(store, use_cache=False)
    assert reloaded.papers[-1].key != "murray2011quantum"  # not last of the store: end of its category
    [paper] = [p for p in reloaded.papers if p.key == "murray2011quantum"]
    assert (paper.category, paper.line) == ("kv-cache-optimization", line)


def test_a_paper_already_in_the_real_list_is_refused(store: Path) -> None:
    result = add(store, "--title", "QJL", "--year", "2024", "--url", "https://arxiv.org/abs/2406.03482",
                 "-c", "kv-cache-optimization")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"lclm: --title 'QJL': already in the list as zandieh2024qjl at {store}/kv-cache-optimization.yaml:"
    )


def validate_or_skip(root: Path) -> Any:
    if run("validate", "--help").exit_code != 0:
        pytest.skip("lclm validate is not wired into the CLI yet")
    return run("--papers", str(root), "validate")


def test_a_store_written_by_add_passes_validate(small: Path, httpserver: HTTPServer) -> None:
    serve_arxiv(httpserver, "2202.12139,2005.14124", "new_search_testing_10entries.xml")
    serve_doi(httpserver, "10.1002/jor.1100150407", "works_10.1002_jor.1100150407_12authors_abstract.json")
    assert add(small, "--arxiv", "2202.12139", "2005.14124", "-c", "kv-cache").exit_code == 0
    assert add(small, "--doi", "10.1002/jor.1100150407", "-c", "length").exit_code == 0
    assert add(small, "--title", "Typed", "--year", "2020", "--author", "A Person", "-c", "kv-cache").exit_code == 0
    result = validate_or_skip(small)
    assert result.exit_code == 0, result.stdout + result.stderr


def test_adding_to_the_real_list_adds_no_validate_problem(store: Path, httpserver: HTTPServer) -> None:
    before = validate_or_skip(store)
    serve_arxiv(httpserver, "2202.12139,2005.14124", "new_search_testing_10entries.xml")
    assert add(store, "--arxiv", "2202.12139", "2005.14124", "-c", "kv-cache-optimization").exit_code == 0
    after = run("--papers", str(store), "validate")
    assert after.exit_code == before.exit_code
    problems = [line for line in after.stdout.splitlines() if ": " in line and "papers checked" not in line]
    assert problems == [line for line in before.stdout.splitlines() if ": " in line and "papers checked" not in line]


# ---------------------------------------------------------------- concurrency


def test_two_adds_at_once_to_one_category_both_land(store: Path, tmp_path: Path) -> None:
    """Both processes fetch, then are let go together, so their writes overlap."""
    answers = {
        "1605.08386": (ARXIV / "new_idlist_1605.08386_simple_two_categories.xml").read_bytes(),
        "1111.2011": (ARXIV / "legacy_idlist_1111.2011v2_v2_doi_journalref.xml").read_bytes(),
    }
    both_asked = threading.Barrier(2, timeout=20)

    def answer(request: Request) -> Response:
        both_asked.wait()
        return Response(answers[request.args["id_list"]], content_type="application/atom+xml")

    server = HTTPServer(threaded=True)
    server.expect_request("/api/query").respond_with_handler(answer)
    server.start()
    try:
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"),
               "LCLM_ARXIV_URL": server.url_for("/api/query")}
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "lclm", "--papers", str(store), "add", "--arxiv", ident, "-c", "kv-cache"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
            )
            for ident in answers
        ]
        results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    finally:
        server.stop()
    assert [code for code, _ in results] == [0, 0], results
    keys = [p.key for p in load_store(store, use_cache=False).in_category("kv-cache-optimization")]
    assert sorted(keys[-2:]) == ["murray2011quantum", "stanley2016heat"]
    assert len(keys) == 67
