"""`lclm refresh`, driven through the CLI against a local HTTP server serving recorded answers.

arXiv and Crossref answers are the recorded ones in ``tests/data/{arxiv,crossref}``;
DBLP's are in ``tests/data/dblp`` (one recorded, two constructed in DBLP's
documented current shape: see ``SOURCES`` there).  Stores are built per test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from conftest import DATA, YARN, run
from lclm.actions.refresh_rules import Found, full_authors, propose, recase
from lclm.model import Paper
from lclm.sources.dblp import parse_search
from lclm.store.load import load_store
from lclm.venues import default_table

ARXIV = DATA / "arxiv"
DBLP = DATA / "dblp"
YARN_DBLP = DBLP / "search_publ_yarn_2hits_CONSTRUCTED.json"
NO_HITS = DBLP / "search_publ_nohits_CONSTRUCTED.json"

SECTIONS = """\
sections:
- name: Length Extrapolation
  file: length-extrapolation.yaml
"""
AEW = """\
- key: immink2017proceedings
  title: 'Proceedings of workshop aew10: concepts in information theory and communications'
  authors:
  - Kees A. Schouhamer Immink
  - Stan Baggen
  - others
  year: 2017
  venue: arXiv preprint arXiv:1707.08567
  url: https://arxiv.org/abs/1707.08567
  arxiv: '1707.08567'
"""
YARN_Q = "yarn efficient context window extension of large language models"
AEW_Q = "proceedings of workshop aew10 concepts in information theory and communications"


S2_BATCH = "/graph/v1/paper/batch"
EMPTY_FEED = "new_empty_idlist_0000.0000_zero_results.xml"


@pytest.fixture
def s2_records() -> dict[str, Any]:
    """What the local Semantic Scholar knows, by id (``ARXIV:...``); every other id is null."""
    return {}


def serve_s2(server: HTTPServer, records: dict[str, Any]) -> None:
    """Semantic Scholar's batch endpoint: a list in request order, null for an unknown id."""
    from werkzeug import Request, Response

    def answer(request: Request) -> Response:
        ids = json.loads(request.data)["ids"]
        return Response(json.dumps([records.get(i) for i in ids]), content_type="application/json")

    server.expect_request(S2_BATCH, method="POST").respond_with_handler(answer)


@pytest.fixture(autouse=True)
def _services(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, s2_records: dict[str, Any]) -> None:
    serve_s2(httpserver, s2_records)
    monkeypatch.setenv("LCLM_S2_URL", httpserver.url_for("/graph/v1"))
    monkeypatch.setenv("LCLM_S2_DELAY", "0")
    monkeypatch.setenv("LCLM_ARXIV_URL", httpserver.url_for("/api/query"))
    monkeypatch.setenv("LCLM_CROSSREF_URL", httpserver.url_for("/works"))
    monkeypatch.setenv("LCLM_DBLP_URL", httpserver.url_for("/search/publ/api"))
    monkeypatch.setenv("LCLM_ARXIV_DELAY", "0")
    monkeypatch.setenv("LCLM_DBLP_DELAY", "0")
    monkeypatch.delenv("LCLM_TIMEOUT", raising=False)


def make_store(tmp_path: Path, *records: str, venues: str | None = None) -> Path:
    root = tmp_path / "papers"
    root.mkdir()
    (root / "_sections.yaml").write_text(SECTIONS)
    (root / "length-extrapolation.yaml").write_text("\n".join(records))
    if venues is not None:
        (root / "_venues.yaml").write_text(venues)
    return root


def serve_dblp(server: HTTPServer, q: str, body: bytes, status: int = 200, **headers: str) -> None:
    query = {"q": q, "format": "json", "h": "10"}
    server.expect_request("/search/publ/api", query_string=query).respond_with_data(
        body, status=status, content_type="application/json", headers=headers
    )


YARN_AUTHORS = ("Bowen Peng", "Jeffrey Quesnelle", "Honglu Fan", "Enrico Shippole")


def arxiv_feed(ident: str, title: str, authors: tuple[str, ...], published: str, comment: str = "20 pages, 3 figures") -> bytes:
    """A one-entry feed for a list paper, derived from the recorded 1605.08386 answer (id, title, authors,
    date and comment replaced; tests/data/arxiv holds no recorded answer for these ids)."""
    text = (ARXIV / "new_idlist_1605.08386_simple_two_categories.xml").read_text()
    text = text.replace("1605.08386", ident).replace("Heat-bath random walks with Markov bases", title)
    text = text.replace("2016-05-26", published).replace("20 pages, 3 figures", comment)
    people = "".join(f"<author>\n      <name>{a}</name>\n    </author>" for a in authors)
    start, end = text.index("<author>"), text.rindex("</author>") + len("</author>")
    return (text[:start] + people + text[end:]).encode()


YARN_FEED = arxiv_feed("2309.00071", "YaRN: Efficient Context Window Extension of Large Language Models", YARN_AUTHORS, "2023-08-31")


def serve_feed(server: HTTPServer, ids: str, body: bytes) -> None:
    query = {"id_list": ids, "max_results": str(len(ids.split(",")))}
    server.expect_request("/api/query", query_string=query).respond_with_data(body, content_type="application/atom+xml")


def serve_arxiv(server: HTTPServer, ids: str, name: str) -> None:
    query = {"id_list": ids, "max_results": str(len(ids.split(",")))}
    server.expect_request("/api/query", query_string=query).respond_with_data(
        (ARXIV / name).read_bytes(), content_type="application/atom+xml"
    )


def refresh(root: Path, *args: str) -> Any:
    return run("--papers", str(root), "refresh", *args)


def paper(root: Path, key: str) -> Paper:
    return next(p for p in load_store(root).papers if p.key == key)


def asked(server: HTTPServer, path: str) -> int:
    return sum(1 for request, _ in server.log if request.path == path)


# ---------------------------------------------------------------- DBLP: published versions


def test_a_preprint_is_upgraded_to_its_conference_version(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, YARN)
    serve_dblp(httpserver, YARN_Q, YARN_DBLP.read_bytes())
    # The recorded answer for an id arXiv does not know: the title comes from DBLP instead.
    serve_arxiv(httpserver, "2309.00071", "new_empty_idlist_0000.0000_zero_results.xml")
    result = refresh(root, "--fields", "venue,year,url,title", "--yes")
    yarn = paper(root, "peng2023yarn")
    assert yarn.venue == "International Conference on Learning Representations"
    assert yarn.year == 2024
    assert yarn.url == "https://openreview.net/forum?id=wHBfxhZu1u"
    assert yarn.title == "YaRN: Efficient Context Window Extension of Large Language Models"
    assert (yarn.key, yarn.arxiv) == ("peng2023yarn", "2309.00071")  # key and arXiv id stay
    assert "updated peng2023yarn at" in result.stdout
    assert "1 upgraded to a published venue, 1 retitled" in result.stderr
    assert "lclm: arXiv: arXiv has no paper with this id: 1 unchecked (peng2023yarn)" in result.stderr
    assert result.exit_code == 1


def test_the_venue_is_written_in_the_style_the_store_chooses(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, YARN, venues="style: short\n")
    serve_feed(httpserver, "2309.00071", YARN_FEED)
    serve_dblp(httpserver, YARN_Q, YARN_DBLP.read_bytes())
    result = refresh(root, "--fields", "venue", "--yes")
    assert result.exit_code == 0, result.stderr
    assert paper(root, "peng2023yarn").venue == "ICLR 2024"
    # The store's venue table is no category: the store still validates, also when pre-commit names the table.
    assert run("--papers", str(root), "validate").exit_code == 0
    assert run("--papers", str(root), "validate", str(root / "_venues.yaml")).exit_code == 0


def test_a_corr_only_hit_is_not_a_published_version(tmp_path: Path, httpserver: HTTPServer) -> None:
    data = json.loads(YARN_DBLP.read_bytes())
    data["result"]["hits"]["hit"] = data["result"]["hits"]["hit"][1:]  # only the CoRR record
    root = make_store(tmp_path, YARN)
    serve_feed(httpserver, "2309.00071", YARN_FEED)
    serve_dblp(httpserver, YARN_Q, json.dumps(data).encode())
    before = (root / "length-extrapolation.yaml").read_bytes()
    result = refresh(root, "--fields", "venue,year,url", "--yes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "0 to change" in result.stderr
    assert (root / "length-extrapolation.yaml").read_bytes() == before


def test_no_hit_proposes_nothing(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, YARN)
    serve_feed(httpserver, "2309.00071", YARN_FEED)
    serve_dblp(httpserver, YARN_Q, NO_HITS.read_bytes())
    result = refresh(root, "--fields", "venue")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "checked 1 papers: 0 to change" in result.stderr


def test_dblp_429_is_waited_out_then_answered(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, YARN)
    httpserver.expect_oneshot_request("/search/publ/api").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    serve_feed(httpserver, "2309.00071", YARN_FEED)
    serve_dblp(httpserver, YARN_Q, YARN_DBLP.read_bytes())
    result = refresh(root, "--fields", "venue", "--yes")
    assert result.exit_code == 0, result.stderr
    assert paper(root, "peng2023yarn").venue == "International Conference on Learning Representations"
    assert asked(httpserver, "/search/publ/api") == 2


def test_a_malformed_answer_leaves_that_paper_unchecked_and_the_rest_done(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, YARN, AEW)
    serve_feed(httpserver, "2309.00071,1707.08567", YARN_FEED)
    serve_dblp(httpserver, YARN_Q, YARN_DBLP.read_bytes())
    serve_dblp(httpserver, AEW_Q, b"<html>DBLP is being maintained</html>")
    result = refresh(root, "--fields", "venue", "--yes")
    assert result.exit_code == 1
    assert "lclm: DBLP: DBLP answer is not JSON: 1 unchecked (immink2017proceedings)" in result.stderr
    assert paper(root, "peng2023yarn").venue == "International Conference on Learning Representations"
    # A bad answer is not cached: the next run asks again.
    refresh(root, "--fields", "venue")
    assert asked(httpserver, "/search/publ/api") == 3


def test_an_interrupted_run_resumes_without_asking_again(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, YARN, AEW)
    serve_arxiv(httpserver, "2309.00071,1707.08567", "new_idlist_0808.05394_1707.08567_multi_id_one_missing.xml")
    serve_dblp(httpserver, YARN_Q, YARN_DBLP.read_bytes())
    # DBLP goes down after the first paper: reported once, for the paper left unchecked.
    serve_dblp(httpserver, AEW_Q, b"down", status=503, **{"Retry-After": "0"})
    first = refresh(root)
    assert first.exit_code == 1
    assert "lclm: DBLP: HTTP 503 SERVICE UNAVAILABLE: 1 unchecked (immink2017proceedings)" in first.stderr
    assert "lclm: arXiv: arXiv has no paper with this id: 1 unchecked (peng2023yarn)" in first.stderr
    arxiv_calls, dblp_calls = asked(httpserver, "/api/query"), asked(httpserver, "/search/publ/api")
    assert (arxiv_calls, asked(httpserver, S2_BATCH), dblp_calls) == (1, 1, 3)  # one batch each; YaRN, then AEW and its retry

    httpserver.clear()
    serve_arxiv(httpserver, "2309.00071", "new_empty_idlist_0000.0000_zero_results.xml")
    serve_dblp(httpserver, AEW_Q, NO_HITS.read_bytes())
    second = refresh(root, "--json")
    # Only what the first run lacked is asked: the paper arXiv had is cached, as are YaRN's DBLP answer
    # and Semantic Scholar's nulls (for a week, like its records).
    paths = [request.path for request, _ in httpserver.log]
    assert paths == ["/api/query", "/search/publ/api"]
    assert dict(httpserver.log[0][0].args)["id_list"] == "2309.00071"
    data = json.loads(second.stdout)
    keys = [p["key"] for p in data["proposals"]]
    assert keys == ["peng2023yarn", "immink2017proceedings"]
    assert data["written"] == []


# ---------------------------------------------------------------- arXiv: titles and authors


def test_title_recased_and_others_replaced_by_the_full_list(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, AEW)
    serve_arxiv(httpserver, "1707.08567", "new_idlist_1707.08567_34authors_nonascii.xml")
    serve_dblp(httpserver, AEW_Q, NO_HITS.read_bytes())
    result = refresh(root)
    assert result.exit_code == 1  # proposals left unwritten: piped without --yes
    assert result.stdout.splitlines()[0] == (
        "immink2017proceedings: title: Proceedings of workshop aew10: concepts in information theory and "
        "communications → Proceedings of Workshop AEW10: Concepts in Information Theory and Communications (arXiv)"
    )
    assert "nothing written: run with --yes" in result.stderr
    assert paper(root, "immink2017proceedings").authors[-1] == "others"

    result = refresh(root, "--yes")
    assert result.exit_code == 0, result.stderr
    aew = paper(root, "immink2017proceedings")
    assert aew.title == "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"
    assert len(aew.authors) == 34 and "Dirk Wübben" in aew.authors and "others" not in aew.authors
    assert "1 retitled, 1 given full authors" in result.stderr


def test_a_pinned_field_is_never_proposed(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, AEW + "  pinned:\n  - title\n")
    serve_arxiv(httpserver, "1707.08567", "new_idlist_1707.08567_34authors_nonascii.xml")
    serve_dblp(httpserver, AEW_Q, NO_HITS.read_bytes())
    result = refresh(root, "--json")
    changes = json.loads(result.stdout)["proposals"][0]["changes"]
    assert [c["field"] for c in changes] == ["authors"]


def test_abstract_only_when_asked_for(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, AEW)
    serve_arxiv(httpserver, "1707.08567", "new_idlist_1707.08567_34authors_nonascii.xml")
    result = refresh(root, "--fields", "abstract", "--yes")
    assert result.exit_code == 0, result.stderr
    assert paper(root, "immink2017proceedings").abstract.startswith("The 10th Asia-Europe workshop")
    assert asked(httpserver, "/search/publ/api") == 0  # DBLP cannot give an abstract
    # The abstract lives in the record, so search finds the paper by a word only its abstract has.
    found = run("--papers", str(root), "search", "boppard", "--format", "keys")
    assert (found.exit_code, found.stdout) == (0, "immink2017proceedings\n")


def test_arxiv_down_is_reported_once_and_dblp_still_asked(tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("LCLM_ARXIV_URL", f"http://127.0.0.1:{port}/api/query")
    root = make_store(tmp_path, YARN, AEW)
    serve_dblp(httpserver, YARN_Q, YARN_DBLP.read_bytes())
    serve_dblp(httpserver, AEW_Q, NO_HITS.read_bytes())
    result = refresh(root, "--yes")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("lclm: arXiv:")]
    assert lines == [f"lclm: arXiv: connection refused by 127.0.0.1:{port}: 2 unchecked (peng2023yarn, immink2017proceedings)"]
    assert paper(root, "peng2023yarn").venue == "International Conference on Learning Representations"


def test_unknown_field_and_unknown_key_are_usage_errors(tmp_path: Path) -> None:
    root = make_store(tmp_path, YARN)
    result = refresh(root, "--fields", "venue,colour")
    assert result.exit_code == 2
    assert "--fields: unknown field 'colour'" in result.stderr
    result = refresh(root, "--keys", "peng2023yarm")
    assert result.exit_code == 2
    assert "no paper with key 'peng2023yarm' (did you mean peng2023yarn?)" in result.stderr


# ---------------------------------------------------------------- the rules, pure


def test_deliberate_inner_capitals_are_kept_and_scholar_lower_case_is_recased() -> None:
    assert recase("LongRoPE: Extending LLM context window", "LongRope: Extending LLM Context Window") == (
        "LongRoPE: Extending LLM Context Window"
    )
    assert recase("Rwkv: Reinventing rnns for the transformer era", "RWKV: Reinventing RNNs for the Transformer Era") == (
        "RWKV: Reinventing RNNs for the Transformer Era"
    )
    assert recase("RWKV: Reinventing RNNs", "RWKV: Reinventing RNNs") == "RWKV: Reinventing RNNs"
    assert recase("Attention is all you need", "Attention is not all you need") is None


def test_full_authors_only_for_a_cut_list_that_agrees() -> None:
    theirs = ["Bowen Peng", "Jeffrey Quesnelle", "Honglu Fan", "Enrico Shippole"]
    assert full_authors(["Bowen Peng", "others"], theirs) == theirs
    assert full_authors(["Bowen Peng", "Jeffrey Quesnelle"], theirs) is None  # not cut: the curator's list
    assert full_authors(["Ada Lovelace", "others"], theirs) is None  # another paper's authors


def test_a_pinned_venue_stays_a_preprint() -> None:
    yarn = Paper(key="k", title="YaRN: Efficient Context Window Extension of Large Language Models", year=2023,
                 authors=["Bowen Peng"], venue="arXiv preprint arXiv:2309.00071", pinned=["venue"])
    found = Found(dblp=parse_search(YARN_DBLP.read_bytes())[0])
    changes = propose(yarn, found, default_table(), frozenset({"venue", "year"}))
    assert [(c.field, c.new) for c in changes] == [("year", 2024)]


def test_on_the_real_list_the_readme_is_rerendered_and_the_store_validates(store: Path, httpserver: HTTPServer) -> None:
    # The frozen list's YaRN, set back to how Google Scholar exported its preprint.
    path = store / "length-extrapolation.yaml"
    text = path.read_text()
    published = (
        "  year: 2024\n  venue: The Twelfth International Conference on Learning Representations\n"
        "  url: https://arxiv.org/abs/2309.00071\n  arxiv: '2309.00071'\n"
    )
    assert published in text
    path.write_text(text.replace(published, published.replace("2024", "2023").replace(
        "The Twelfth International Conference on Learning Representations", "arXiv preprint arXiv:2309.00071")))
    serve_dblp(httpserver, YARN_Q, YARN_DBLP.read_bytes())
    serve_feed(httpserver, "2309.00071", YARN_FEED)
    result = refresh(store, "--keys", "peng2024yarn", "--fields", "venue,year", "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"updated {store / 'README.md'}" in result.stdout
    readme = (store / "README.md").read_text()
    assert "Enrico Shippole. International Conference on Learning Representations, 2024" in readme
    assert run("--papers", str(store), "validate").exit_code == 0
    # Only the YaRN record changed in its file.
    assert path.read_text() == text.replace(
        "The Twelfth International Conference on Learning Representations\n  url: https://arxiv.org/abs/2309.00071",
        "International Conference on Learning Representations\n  url: https://arxiv.org/abs/2309.00071")


MURRAY = """\
- key: murray2011quantum
  title: Quantum criticality for extended nodes on a bethe lattice in the large connectivity limit
  authors:
  - James M. Murray
  - Adrian Del Maestro
  - Zlatko Tesanovic
  year: 2011
  venue: arXiv preprint arXiv:1111.2011
  url: https://arxiv.org/abs/1111.2011
  arxiv: '1111.2011'
"""
MURRAY_Q = "quantum criticality for extended nodes on a bethe lattice in the large connectivity limit"


def test_arxiv_doi_is_proposed_and_an_unreadable_journal_ref_is_left_to_the_curator(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    root = make_store(tmp_path, MURRAY)
    serve_arxiv(httpserver, "1111.2011", "legacy_idlist_1111.2011v2_v2_doi_journalref.xml")
    serve_dblp(httpserver, MURRAY_Q, NO_HITS.read_bytes())
    result = refresh(root, "--json")
    data = json.loads(result.stdout)
    changes = {c["field"]: (c["new"], c["source"]) for c in data["proposals"][0]["changes"]}
    assert changes == {
        "title": ("Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit", "arXiv"),
        "doi": ("10.1103/physrevb.85.115117", "arXiv"),
    }
    assert data["journal_refs"] == {"murray2011quantum": "Phys. Rev. B 85, 115117 (2012)"}
    result = refresh(root, "--yes")
    assert "lclm: note: murray2011quantum: arXiv says it appeared in 'Phys. Rev. B 85, 115117 (2012)'" in result.stderr
    murray = paper(root, "murray2011quantum")
    assert (murray.venue, murray.doi) == ("arXiv preprint arXiv:1111.2011", "10.1103/physrevb.85.115117")


@pytest.mark.parametrize(
    ("reference", "read"),
    [
        ("ICLR 2024", ("ICLR", 2024)),
        ("Accepted at NeurIPS 2023", ("NeurIPS", 2023)),
        ("EMNLP 2023 (main conference)", ("EMNLP", 2023)),
        ("Findings of ACL 2024", None),
        ("EMNLP 2023 Findings", None),
        ("ICLR 2024 Workshop on Mathematical and Empirical Understanding of Foundation Models", None),
        ("Phys. Rev. B 85, 115117 (2012)", None),
    ],
)
def test_a_journal_ref_is_read_only_when_it_names_a_venue_of_the_table(reference: str, read: object) -> None:
    assert default_table().read_reference(reference) == read


def test_a_readable_journal_ref_upgrades_a_preprint_dblp_does_not_know() -> None:
    preprint = Paper(key="k", title="T", year=2023, venue="arXiv preprint arXiv:2309.00071", url="https://arxiv.org/abs/2309.00071")
    changes = propose(preprint, Found(journal_ref="Accepted at ICLR 2024"), default_table(), frozenset({"venue", "year", "url"}))
    assert [(c.field, c.new, c.source) for c in changes] == [
        ("venue", "International Conference on Learning Representations", "arXiv journal_ref"),
        ("year", 2024, "arXiv journal_ref"),
    ]


# ---------------------------------------------------------------- on a terminal


def _on_terminal(root: Path, answers: list[bytes]) -> tuple[int, str]:
    """``lclm refresh`` in a pseudo-terminal, answering each prompt in turn."""
    import os
    import pty
    import select
    import subprocess
    import sys

    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "160"}
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lclm", "--papers", str(root), "refresh"], stdin=slave, stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 20)
        try:
            chunk = os.read(master, 65536) if ready else b""
        except OSError:  # EIO: the child closed its end
            chunk = b""
        if not chunk:
            break
        out += chunk
        if answers and (b"[a]ll" in chunk or b"[y]es" in chunk):
            os.write(master, answers.pop(0))
    os.close(master)
    return proc.wait(), out.decode(errors="replace")


def test_on_a_terminal_the_user_accepts_paper_by_paper(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, YARN, AEW)
    serve_arxiv(httpserver, "2309.00071,1707.08567", "new_idlist_0808.05394_1707.08567_multi_id_one_missing.xml")
    serve_dblp(httpserver, YARN_Q, YARN_DBLP.read_bytes())
    serve_dblp(httpserver, AEW_Q, NO_HITS.read_bytes())
    before = paper(root, "immink2017proceedings")
    code, out = _on_terminal(root, [b"p\n", b"y\n", b"n\n"])
    assert "Apply the changes to 2 papers? [a]ll, [n]one, [p]aper by paper" in out
    assert "updated peng2023yarn at" in out and "updated immink2017proceedings" not in out
    assert paper(root, "peng2023yarn").venue == "International Conference on Learning Representations"
    assert paper(root, "immink2017proceedings").to_dict() == before.to_dict()
    assert code == 1  # arXiv has no record of YaRN's id in this answer: one paper unchecked


def test_on_a_terminal_none_writes_nothing(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, YARN)
    serve_dblp(httpserver, YARN_Q, YARN_DBLP.read_bytes())
    serve_arxiv(httpserver, "2309.00071", "new_empty_idlist_0000.0000_zero_results.xml")
    before = (root / "length-extrapolation.yaml").read_bytes()
    _, out = _on_terminal(root, [b"n\n"])
    assert "International Conference on Learning" in out  # the table was shown
    assert (root / "length-extrapolation.yaml").read_bytes() == before


def test_dblp_is_asked_at_most_once_per_interval(tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import itertools
    import time

    from werkzeug import Request, Response

    monkeypatch.setenv("LCLM_DBLP_DELAY", "0.3")
    arrivals: list[float] = []

    def answer(_request: Request) -> Response:
        arrivals.append(time.monotonic())
        return Response(NO_HITS.read_bytes(), content_type="application/json")

    httpserver.expect_request("/search/publ/api").respond_with_handler(answer)
    root = make_store(tmp_path, YARN, AEW, MURRAY.replace("murray2011quantum", "murray2011again"))
    result = refresh(root, "--fields", "venue")
    assert "DBLP" not in result.stderr  # (arXiv is not served here: those papers are unchecked by arXiv alone)
    assert len(arrivals) == 3
    assert min(b - a for a, b in itertools.pairwise(arrivals)) >= 0.29


# ---------------------------------------------------------------- Semantic Scholar, evidence and the decision rule

S2_DATA = DATA / "s2"
BOT = DATA / "botwall" / "dblp_anubis_challenge_search_publ_api_CONSTRUCTED.html"
# The frozen list's LongRoPE as Google Scholar exported its preprint.
LONGROPE = """\
- key: ding2024longrope
  title: 'Longrope: Extending llm context window beyond 2 million tokens'
  authors:
  - Yiran Ding
  - Li Lyna Zhang
  - others
  year: 2024
  venue: arXiv preprint arXiv:2402.13753
  url: https://arxiv.org/abs/2402.13753
  arxiv: '2402.13753'
"""
LONGROPE_TITLE = "LongRoPE: Extending LLM Context Window Beyond 2 Million Tokens"
LONGROPE_AUTHORS = ("Yiran Ding", "Li Lyna Zhang", "Chengruidong Zhang", "Yuanyuan Xu", "Ning Shang", "Jiahang Xu", "Fan Yang", "Mao Yang")


def longrope_s2(**changes: Any) -> dict[str, Any]:
    """The constructed S2 record placing LongRoPE at ICML 2024 (see tests/data/s2/SOURCES.md), maybe edited."""
    record = json.loads((S2_DATA / "batch_longrope_icml2024_null_CONSTRUCTED.json").read_bytes())[0]
    return record | changes


def longrope_feed(comment: str = "20 pages, 3 figures") -> bytes:
    return arxiv_feed("2402.13753", LONGROPE_TITLE, LONGROPE_AUTHORS, "2024-02-21", comment)


def serve_bot_check(server: HTTPServer, status: int = 500) -> None:
    server.expect_request("/search/publ/api").respond_with_data(BOT.read_bytes(), status=status, content_type="text/html; charset=utf-8")


@pytest.mark.parametrize("status", [200, 500])
def test_with_dblp_behind_a_bot_check_semantic_scholar_upgrades_a_preprint_to_icml(
    store: Path, httpserver: HTTPServer, s2_records: dict[str, Any], status: int
) -> None:
    root = store  # the frozen list, where LongRoPE is still a preprint with Google Scholar's casing
    before = paper(root, "ding2024longrope")
    assert (before.title, before.venue) == ("Longrope: Extending llm context window beyond 2 million tokens",
                                            "arXiv preprint arXiv:2402.13753")
    s2_records["ARXIV:2402.13753"] = longrope_s2()
    # Giraffe, a preprint S2 does not know (null): left for DBLP, which answers with its bot check.
    serve_feed(httpserver, "2308.10882,2402.13753", longrope_feed())
    serve_bot_check(httpserver, status)
    result = refresh(root, "--keys", "ding2024longrope,pal2023giraffe", "--yes")
    longrope = paper(root, "ding2024longrope")
    assert (longrope.venue, longrope.year) == ("International Conference on Machine Learning", 2024)
    assert (longrope.key, longrope.arxiv, longrope.url) == ("ding2024longrope", "2402.13753", "https://arxiv.org/abs/2402.13753")
    assert longrope.title == LONGROPE_TITLE and len(longrope.authors) == 8
    assert [line for line in result.stderr.splitlines() if "bot" in line] == [
        "lclm: DBLP: answered with a bot-check page, not data: skipped (1 not asked: pal2023giraffe)"
    ]
    assert asked(httpserver, "/search/publ/api") == 1
    assert "updated ding2024longrope at" in result.stdout
    assert "1 upgraded to a published venue" in result.stderr
    assert run("--papers", str(root), "validate", "--strict").exit_code == 0
    # (The derived arXiv answer holds LongRoPE only, so arXiv leaves Giraffe unchecked too.)
    assert "lclm: arXiv: arXiv has no paper with this id: 1 unchecked (pal2023giraffe)" in result.stderr
    assert result.exit_code == 1  # DBLP could not be asked: said, and the exit code says so too


def test_json_carries_the_evidence_behind_each_change(tmp_path: Path, httpserver: HTTPServer, s2_records: dict[str, Any]) -> None:
    root = make_store(tmp_path, LONGROPE)
    s2_records["ARXIV:2402.13753"] = longrope_s2()
    serve_feed(httpserver, "2402.13753", longrope_feed(comment="Accepted at ICML 2024"))
    data = json.loads(refresh(root, "--fields", "venue,year", "--json").stdout)
    (proposal,) = data["proposals"]
    assert proposal["changes"] == [
        {"field": "venue", "old": "arXiv preprint arXiv:2402.13753", "new": "International Conference on Machine Learning",
         "source": "Semantic Scholar (DBLP conf/icml/DingZZXSX0Y24) + arXiv comment", "sure": True},
    ]
    assert proposal["evidence"] == [
        {"source": "Semantic Scholar (DBLP conf/icml/DingZZXSX0Y24)", "venue": "International Conference on Machine Learning",
         "year": 2024, "of_record": True},
        {"source": "arXiv comment", "venue": "International Conference on Machine Learning", "year": 2024, "of_record": False},
    ]
    assert asked(httpserver, "/search/publ/api") == 0  # settled by the batched sources: DBLP not needed


def test_one_source_that_is_no_source_of_record_waits_for_the_curator(
    tmp_path: Path, httpserver: HTTPServer, s2_records: dict[str, Any]
) -> None:
    root = make_store(tmp_path, LONGROPE)
    # S2's venue without a DBLP record of it (the CoRR key): one source, not of record.
    s2_records["ARXIV:2402.13753"] = longrope_s2(externalIds={"DBLP": "journals/corr/abs-2402-13753", "ArXiv": "2402.13753"})
    serve_feed(httpserver, "2402.13753", longrope_feed())
    serve_dblp(httpserver, "longrope extending llm context window beyond 2 million tokens", NO_HITS.read_bytes())
    before = (root / "length-extrapolation.yaml").read_bytes()
    result = refresh(root, "--fields", "venue", "--yes")
    assert (root / "length-extrapolation.yaml").read_bytes() == before
    assert "1 change from one source only not applied: confirm on a terminal" in result.stderr
    assert result.exit_code == 1
    shown = refresh(root, "--fields", "venue").stdout
    assert shown == ("ding2024longrope: venue: arXiv preprint arXiv:2402.13753 → International Conference on Machine Learning "
                     "(Semantic Scholar; one source, not applied by --yes)\n")


def test_semantic_scholar_and_an_arxiv_comment_agreeing_are_enough(
    tmp_path: Path, httpserver: HTTPServer, s2_records: dict[str, Any]
) -> None:
    root = make_store(tmp_path, LONGROPE)
    s2_records["ARXIV:2402.13753"] = longrope_s2(externalIds={"ArXiv": "2402.13753"})
    serve_feed(httpserver, "2402.13753", longrope_feed(comment="21 pages; Accepted at ICML 2024"))
    result = refresh(root, "--fields", "venue,year", "--yes")
    assert result.exit_code == 0, result.stderr
    assert paper(root, "ding2024longrope").venue == "International Conference on Machine Learning"
    assert asked(httpserver, "/search/publ/api") == 0


def test_sources_that_disagree_are_shown_and_left(tmp_path: Path, httpserver: HTTPServer, s2_records: dict[str, Any]) -> None:
    root = make_store(tmp_path, LONGROPE)
    s2_records["ARXIV:2402.13753"] = longrope_s2()
    serve_feed(httpserver, "2402.13753", longrope_feed(comment="Accepted at NeurIPS 2024"))
    before = (root / "length-extrapolation.yaml").read_bytes()
    result = refresh(root, "--fields", "venue,year", "--yes")
    assert (root / "length-extrapolation.yaml").read_bytes() == before
    assert ("lclm: ding2024longrope: venue: sources disagree (International Conference on Machine Learning 2024 "
            "(Semantic Scholar (DBLP conf/icml/DingZZXSX0Y24)); Advances in Neural Information Processing Systems 2024 "
            "(arXiv comment)); left to you") in result.stderr
    data = json.loads(refresh(root, "--fields", "venue,year", "--json").stdout)
    assert [c["key"] for c in data["conflicts"]] == ["ding2024longrope"] and data["proposals"] == []


def test_the_whole_list_is_two_batched_requests_and_resumes_from_the_cache(
    store: Path, httpserver: HTTPServer, s2_records: dict[str, Any]
) -> None:
    from werkzeug import Request, Response

    def empty(_request: Request) -> Response:
        return Response((ARXIV / EMPTY_FEED).read_bytes(), content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(empty)
    serve_bot_check(httpserver)
    result = refresh(store, "--fields", "venue", "--json")
    data = json.loads(result.stdout)
    with_ids = sum(1 for p in load_store(store).papers if p.arxiv or p.doi)
    arxiv_ids = len({p.arxiv for p in load_store(store).papers if p.arxiv})
    assert asked(httpserver, "/api/query") == -(-arxiv_ids // 100)
    assert asked(httpserver, S2_BATCH) == -(-with_ids // 500)
    assert asked(httpserver, "/api/query") + asked(httpserver, S2_BATCH) <= 10
    assert asked(httpserver, "/search/publ/api") == 1  # the bot check stops DBLP at once
    assert [u["skipped"] for u in data["unchecked"] if u["source"] == "DBLP"] == [True]


CHEMCROW = """\
- key: bran2023augmenting
  title: Augmenting large language models with chemistry tools
  authors:
  - Andres M Bran
  - others
  year: 2023
  venue: arXiv preprint arXiv:2304.05376
  url: https://arxiv.org/abs/2304.05376
  arxiv: '2304.05376'
"""
VASWANI = """\
- key: vaswani2017attention
  title: Attention is all you need
  authors:
  - Ashish Vaswani
  - others
  year: 2017
  venue: arXiv preprint arXiv:1706.03762
  url: https://arxiv.org/abs/1706.03762
  arxiv: '1706.03762'
"""


def test_recorded_semantic_scholar_records_a_journal_of_record_and_a_venue_alone(
    tmp_path: Path, httpserver: HTTPServer, s2_records: dict[str, Any]
) -> None:
    # Recorded S2 answers (tests/data/s2): the Nature Machine Intelligence version of 2304.05376, named
    # by DBLP journals/natmi/...24; and "Attention is All you Need" at NeurIPS with only a CoRR DBLP key.
    s2_records["ARXIV:2304.05376"] = json.loads(
        (S2_DATA / "paper_DOI_10.1038_s42256-024-00832-8_journal_version_of_arxiv_2304.05376.json").read_bytes())
    s2_records["ARXIV:1706.03762"] = json.loads(
        (S2_DATA / "search_match_attention_is_all_you_need_neurips_corr_dblp_no_doi.json").read_bytes())["data"][0]
    root = make_store(tmp_path, CHEMCROW, VASWANI)
    serve_feed(httpserver, "2304.05376,1706.03762", (ARXIV / EMPTY_FEED).read_bytes())
    serve_dblp(httpserver, "attention is all you need", NO_HITS.read_bytes())
    data = json.loads(refresh(root, "--fields", "venue,year,doi", "--json").stdout)
    changes = {p["key"]: [(c["field"], c["new"], c["sure"]) for c in p["changes"]] for p in data["proposals"]}
    assert changes == {
        "bran2023augmenting": [("venue", "Nature Machine Intelligence", True), ("year", 2024, True),
                               ("doi", "10.1038/s42256-024-00832-8", True)],
        "vaswani2017attention": [("venue", "Advances in Neural Information Processing Systems", False)],
    }
    refresh(root, "--fields", "venue,year,doi", "--yes")
    assert paper(root, "bran2023augmenting").venue == "Nature Machine Intelligence"
    assert paper(root, "bran2023augmenting").arxiv == "2304.05376"
    assert paper(root, "vaswani2017attention").venue == "arXiv preprint arXiv:1706.03762"
