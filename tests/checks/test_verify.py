"""`lclm verify`, driven through the CLI against a local HTTP server serving recorded answers.

arXiv's and Crossref's answers are the recorded ones in ``tests/data/{arxiv,crossref}``; the
withdrawn entry is derived in code from a recorded one (its comment replaced).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from conftest import DATA, run
from lclm.checks.verify import first_author_among, same_title

ARXIV = DATA / "arxiv"
CROSSREF = DATA / "crossref"
OPENALEX = DATA / "openalex"
AEW_FEED = "new_idlist_1707.08567_34authors_nonascii.xml"
AEW_TITLE = "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"
SECTIONS = """\
sections:
- name: Length Extrapolation
  file: length-extrapolation.yaml
"""
# Google Scholar's casing, a cut author list: the same paper as arXiv's 1707.08567.
AEW = """\
- key: immink2017proceedings
  title: 'Proceedings of workshop aew10: concepts in information theory and communications'
  authors:
  - Kees A. Schouhamer Immink
  - others
  year: 2017
  venue: arXiv preprint arXiv:1707.08567
  arxiv: '1707.08567'
"""
# Another paper given AEW's arXiv id (a wrong link copied from elsewhere), marked distinct and pinned.
WRONG = """\
- key: lovelace2017notes
  title: Notes on the Analytical Engine
  authors:
  - Ada Lovelace
  year: 2017
  venue: arXiv preprint arXiv:1707.08567
  url: https://arxiv.org/abs/1707.08567
  arxiv: '1707.08567'
  distinct:
  - immink2017proceedings
  pinned:
  - venue
"""


@pytest.fixture(autouse=True)
def _services(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LCLM_ARXIV_URL", httpserver.url_for("/api/query"))
    monkeypatch.setenv("LCLM_CROSSREF_URL", httpserver.url_for("/works"))
    monkeypatch.setenv("LCLM_OPENALEX_URL", httpserver.url_for("/openalex"))
    monkeypatch.setenv("LCLM_OPENALEX_DELAY", "0")
    monkeypatch.delenv("LCLM_OPENALEX_API_KEY", raising=False)
    monkeypatch.setenv("LCLM_ARXIV_DELAY", "0")
    monkeypatch.delenv("LCLM_MAILTO", raising=False)


def make_store(tmp_path: Path, *records: str) -> Path:
    root = tmp_path / "papers"
    root.mkdir()
    (root / "_sections.yaml").write_text(SECTIONS)
    (root / "length-extrapolation.yaml").write_text("\n".join(records))
    return root


def serve_arxiv(server: HTTPServer, ids: str, body: bytes) -> None:
    query = {"id_list": ids, "max_results": str(len(ids.split(",")))}
    server.expect_request("/api/query", query_string=query).respond_with_data(body, content_type="application/atom+xml")


def verify(root: Path, *args: str) -> Any:
    return run("--papers", str(root), "verify", *args)


def test_an_id_of_another_paper_is_flagged_with_file_line_and_the_real_title(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, AEW, WRONG)
    serve_arxiv(httpserver, "1707.08567", (ARXIV / AEW_FEED).read_bytes())
    result = verify(root)
    assert result.exit_code == 1
    path = root / "length-extrapolation.yaml"
    line = path.read_text().splitlines().index("  arxiv: '1707.08567'", 10) + 1  # the second record's arxiv line
    assert result.stdout == (
        f"{path}:{line}: lovelace2017notes: arxiv: 1707.08567 is another paper on arXiv: '{AEW_TITLE}' "
        "by Kees A. Schouhamer Immink et al. [wrong-id]\n"
    )
    assert "verified 2 of 2 ids (2 papers): 1 error, 0 warnings" in result.stderr
    assert len(httpserver.log) == 1  # one batch for both records (one id, asked once)


def test_an_organisation_as_author_does_not_turn_another_paper_into_a_renaming(tmp_path: Path, httpserver: HTTPServer) -> None:
    # No person to compare: the titles alone decide, and these share nothing.
    gpt4 = WRONG.replace("lovelace2017notes", "openai2017gpt").replace("Notes on the Analytical Engine", "GPT-4 Technical Report")
    root = make_store(tmp_path, gpt4.replace("  - Ada Lovelace", "  - OpenAI"))
    serve_arxiv(httpserver, "1707.08567", (ARXIV / AEW_FEED).read_bytes())
    result = verify(root)
    assert result.exit_code == 1
    assert result.stdout.rstrip().endswith(f"openai2017gpt: arxiv: 1707.08567 is another paper on arXiv: '{AEW_TITLE}' by Kees A. Schouhamer Immink et al. [wrong-id]")


def test_an_id_arxiv_does_not_know_and_a_withdrawn_paper_are_errors(tmp_path: Path, httpserver: HTTPServer) -> None:
    recorded = (ARXIV / "new_idlist_1605.08386_simple_two_categories.xml").read_text()
    withdrawn = recorded.replace("20 pages, 3 figures", "This paper has been withdrawn by the author due to an error in Lemma 2")
    stanley = AEW.replace("immink2017proceedings", "stanley2016heat").replace(
        "'Proceedings of workshop aew10: concepts in information theory and communications'", "Heat-bath random walks with Markov bases"
    ).replace("Kees A. Schouhamer Immink", "Caprice Stanley").replace("1707.08567", "1605.08386")
    missing = AEW.replace("immink2017proceedings", "nobody2008x").replace("1707.08567", "0808.05394")
    root = make_store(tmp_path, stanley, missing)
    serve_arxiv(httpserver, "1605.08386,0808.05394", withdrawn.encode())
    result = verify(root, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(f["key"], f["kind"], f["message"]) for f in data["findings"]] == [
        ("stanley2016heat", "withdrawn",
         "1605.08386 was withdrawn on arXiv (This paper has been withdrawn by the author due to an error in Lemma 2)"),
        ("nobody2008x", "no-such-id", "arXiv has no paper with id 0808.05394"),
    ]
    assert (data["errors"], data["warnings"], data["ids"]) == (2, 0, 2)


def test_the_same_paper_in_other_casing_and_a_renamed_one_pass_or_warn(tmp_path: Path, httpserver: HTTPServer) -> None:
    renamed = AEW.replace("immink2017proceedings", "immink2017renamed").replace(
        "'Proceedings of workshop aew10: concepts in information theory and communications'", "AEW10 Workshop Book of Abstracts")
    root = make_store(tmp_path, AEW, renamed)
    serve_arxiv(httpserver, "1707.08567", (ARXIV / AEW_FEED).read_bytes())
    result = verify(root)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines() == [
        f"{root / 'length-extrapolation.yaml'}:17: immink2017renamed: arxiv: arXiv has another title for 1707.08567: "
        f"'{AEW_TITLE}' by Kees A. Schouhamer Immink et al. (renamed?) [retitled, warning]"
    ]


def test_offline_answers_from_the_cache_and_asks_nothing(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, AEW, WRONG)
    offline = verify(root, "--offline")
    assert offline.exit_code == 0  # nothing known yet: counted, not failed
    assert "lclm: arXiv: not in the cache (asked nothing: --offline): 2 unresolved (immink2017proceedings, lovelace2017notes)" in offline.stderr
    assert "verified 0 of 2 ids from the cache" in offline.stderr
    serve_arxiv(httpserver, "1707.08567", (ARXIV / AEW_FEED).read_bytes())
    assert verify(root).exit_code == 1
    httpserver.clear()
    cached = verify(root, "--offline", "--keys", "lovelace2017notes")
    assert cached.exit_code == 1 and "[wrong-id]" in cached.stdout
    assert len(httpserver.log) == 0


def test_a_doi_is_resolved_on_crossref(tmp_path: Path, httpserver: HTTPServer) -> None:
    right = """\
- key: sadasivan2012methylphenidate
  title: Methylphenidate exposure induces dopamine neuron loss and activation of microglia in the basal ganglia of mice
  authors:
  - Shankar Sadasivan
  year: 2012
  venue: PLoS ONE
  doi: 10.1371/journal.pone.0033693
"""
    wrong = right.replace("sadasivan2012methylphenidate", "lovelace2012engine").replace(
        "Methylphenidate exposure induces dopamine neuron loss and activation of microglia in the basal ganglia of mice",
        "The Analytical Engine").replace("Shankar Sadasivan", "Ada Lovelace")
    unknown = right.replace("sadasivan2012methylphenidate", "nobody2012x").replace("10.1371/journal.pone.0033693", "10.1371/notarealdoi")
    # A DOI Crossref does not know, that OpenAlex does (recorded OpenAlex answers, tests/data/openalex).
    pnas = right.replace("sadasivan2012methylphenidate", "makris2014developing").replace(
        "Methylphenidate exposure induces dopamine neuron loss and activation of microglia in the basal ganglia of mice",
        "Developing functional musculoskeletal tissues through hypoxia and lysyl oxidase-induced collagen cross-linking").replace(
        "Shankar Sadasivan", "Eleftherios Makris").replace("10.1371/journal.pone.0033693", "10.1073/pnas.1414271111")
    root = make_store(tmp_path, right, wrong, unknown, pnas)
    httpserver.expect_request("/works/10.1371/journal.pone.0033693").respond_with_data(
        (CROSSREF / "works_10.1371_journal.pone.0033693.json").read_bytes(), content_type="application/json")
    for doi in ("10.1371/notarealdoi", "10.1073/pnas.1414271111"):
        httpserver.expect_request(f"/works/{doi}").respond_with_data(
            (CROSSREF / "works_404_10.1371_notarealdoi.txt").read_bytes(), status=404, content_type="text/plain")
    httpserver.expect_request("/openalex/works/https://doi.org/10.1073/pnas.1414271111").respond_with_data(
        (OPENALEX / "works_doi_10.1073_pnas.1414271111_full_record.json").read_bytes(), content_type="application/json")
    httpserver.expect_request("/openalex/works/https://doi.org/10.1371/notarealdoi").respond_with_data(
        (OPENALEX / "works_doi_404_not_found_html.html").read_bytes(), status=404, content_type="text/html; charset=utf-8")
    result = verify(root)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(": lovelace2012engine: doi: 10.1371/journal.pone.0033693 is another paper on Crossref: "
                             "'Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia in the "
                             "Basal Ganglia of Mice' by Shankar Sadasivan et al. [wrong-id]")
    assert lines[1].endswith(": nobody2012x: doi: neither Crossref nor OpenAlex has a record of 10.1371/notarealdoi "
                             "[doi-unknown, warning]")
    assert "verified 4 of 4 ids (4 papers): 1 error, 1 warning" in result.stderr  # makris2014developing: OpenAlex agrees


def test_a_service_down_leaves_ids_unresolved_and_exits_1(tmp_path: Path, httpserver: HTTPServer) -> None:
    root = make_store(tmp_path, AEW)
    httpserver.expect_request("/api/query").respond_with_data("oops", status=500)
    result = verify(root)
    assert result.exit_code == 1 and result.stdout == ""
    assert "lclm: arXiv: HTTP 500 INTERNAL SERVER ERROR: 1 unresolved (immink2017proceedings)" in result.stderr


@pytest.mark.parametrize(
    ("ours", "theirs", "same"),
    [
        ("Yarn: Efficient context window extension of large language models",
         "YaRN: Efficient Context Window Extension of Large Language Models", True),
        ("{L}ong{W}anjuan: Towards Systematic Measurement", "LongWanjuan: Towards Systematic Measurement of Long Text Quality", True),
        ("Mamba", "Mamba: Linear-Time Sequence Modeling with Selective State Spaces", True),
        ("Extending context window of large language models via positional interpolation",
         "Extending Context Window of Large Language Models via Position Interpolation", True),
        ("Notes on the Analytical Engine", AEW_TITLE, False),
        ("LongRoPE: Extending LLM Context Window", "LongRoPE2: Near-Lossless LLM Context Window Scaling", False),
    ],
)
def test_titles_compare_as_the_identity_rules_fold_them(ours: str, theirs: str, same: bool) -> None:
    assert same_title(ours, theirs) is same


def test_first_author_is_looked_for_among_all_the_authors() -> None:
    assert first_author_among(["Jeffrey Quesnelle", "others"], ["Bowen Peng", "Jeffrey Quesnelle"])
    assert not first_author_among(["Ada Lovelace"], ["Bowen Peng", "Jeffrey Quesnelle"])
    assert first_author_among(["OpenAI"], ["Bowen Peng"])  # no person to compare: no verdict from authors
    # A shared surname is not a shared person (the seed list's AcademicEval carries Ada-LEval's arXiv id).
    assert not first_author_among(["Haozhen Zhang", "Tao Feng"], ["Chonghua Wang", "Haodong Duan", "Songyang Zhang"])
    assert first_author_among(["Li Lyna Zhang"], ["Yiran Ding", "L. Zhang"])
    assert first_author_among(["Zhang Haozhen"], ["Haozhen Zhang"])
