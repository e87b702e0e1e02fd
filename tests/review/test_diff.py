"""`lclm diff`: the store at a git revision against the work tree, paper by paper, with checks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from adopt_helpers import commit_all, git
from conftest import SMALL, run
from conftest import YARN as CONFTEST_YARN


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the small store in papers/, committed on main; the cwd."""
    shutil.copytree(SMALL, tmp_path / "repo" / "papers")
    commit_all(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed(repo: Path) -> None:
    result = run("diff")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].endswith("0 added, 0 removed, 0 changed, 0 moved, 0 renamed (5 unchanged)")


def test_added_changed_and_the_duplicate(repo: Path) -> None:
    assert run("add", "--title", "A New Paper", "--author", "Ada Lovelace", "--year", "2025", "-c", "survey").exit_code == 0
    # A hand edit that makes a paper another one's duplicate: GPT-4's record gets LongRAG's arXiv id.
    edit(repo / "papers" / "survey.yaml", "arxiv: '2303.08774'", "arxiv: '2406.15319'")
    result = run("diff")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    base = git(repo, "rev-parse", "HEAD")[:10]
    assert lines[0] == f"papers: against the merge base with main ({base}): 1 added, 0 removed, 1 changed, 0 moved, 0 renamed (4 unchanged)"
    assert "+ lovelace2025new (Survey) papers/survey.yaml:42: A New Paper" in lines
    assert "~ openai2023gpt (Survey) papers/survey.yaml:33" in lines
    assert "    arxiv: '2303.08774' -> '2406.15319'" in lines
    assert any(line.startswith("! papers/survey.yaml:33: openai2023gpt: duplicate: shares an identifier with jiang2024longrag at papers/retrieval.yaml:1") for line in lines)
    assert any(": openai2023gpt: validate: arxiv: " in line for line in lines)
    # Nothing asked verify about GPT-4's new id yet: said, not passed over.
    assert "not checked: verify: the ids of 1 of 1 new or changed papers are not in verify's cache (`lclm verify --keys openai2023gpt` asks)" in lines


def test_moved_renamed_and_removed(repo: Path) -> None:
    survey, retrieval = repo / "papers" / "survey.yaml", repo / "papers" / "retrieval.yaml"
    text = survey.read_text(encoding="utf-8")
    block = text[text.index("- key: openai2023gpt"):]
    survey.write_text(text[: text.index("- key: openai2023gpt")].rstrip("\n") + "\n", encoding="utf-8")
    retrieval.write_text(retrieval.read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")  # moved
    edit(survey, "key: zhao2023length", "key: zhao2023lengthx")  # renamed
    edit(retrieval, "- key: wu2024longgenbench", "- key: wu2024longgenbench")
    text = retrieval.read_text(encoding="utf-8")
    start = text.index("- key: wu2024longgenbench")
    retrieval.write_text(text[:start] + text[text.index("- key: openai2023gpt"):], encoding="utf-8")  # removed
    data = json.loads(run("diff", "--json").stdout)
    assert data["counts"] == {"added": 0, "removed": 1, "changed": 0, "moved": 1, "renamed": 1, "unchanged": 2}
    assert [r["key"] for r in data["removed"]] == ["wu2024longgenbench"]
    changes = {c["key"]: c for c in data["changed"]}
    assert changes["openai2023gpt"]["old_category"] == "Survey" and changes["openai2023gpt"]["category"] == "Retrieval"
    assert changes["zhao2023lengthx"]["old_key"] == "zhao2023length" and changes["zhao2023lengthx"]["fields"] == []


def test_markdown_for_a_pull_request(repo: Path) -> None:
    edit(repo / "papers" / "survey.yaml", "year: 2023\n  venue: arXiv preprint arXiv:2303.08774", "year: 2023\n  venue: arXiv preprint arXiv:2303.08774\n  note: the report")
    result = run("diff", "--markdown", "HEAD")
    assert result.exit_code == 0, result.output
    head = git(repo, "rev-parse", "HEAD")[:10]
    assert result.stdout.startswith(f"### lclm diff\n\nAgainst HEAD ({head}): **0 added, 0 removed, 1 changed, 0 moved, 0 renamed (4 unchanged)**.\n")
    assert "| `openai2023gpt` | `note`: (none) → 'the report' |" in result.stdout


def test_against_an_older_revision_and_a_new_store(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    run("add", "--title", "Second Commit Paper", "--author", "Alan Turing", "--year", "2024", "-c", "retrieval")
    commit_all(repo, "one more")
    data = json.loads(run("diff", "--json", first).stdout)
    assert data["counts"]["added"] == 1 and data["added"][0]["key"] == "turing2024second"
    git(repo, "checkout", "-q", "--orphan", "empty")
    git(repo, "rm", "-rq", "--cached", ".")
    git(repo, "commit", "-q", "--allow-empty", "-m", "nothing")  # a revision without papers/: every paper is new
    assert json.loads(run("diff", "--json", "HEAD").stdout)["counts"]["added"] == 6


def test_not_a_git_repository(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(small.parent)
    result = run("diff")
    assert result.exit_code == 2
    assert result.stderr == "lclm: error: papers: not in a git repository (lclm diff compares the store with a git revision)\n"


def test_unknown_revision(repo: Path) -> None:
    result = run("diff", "no-such-branch")
    assert result.exit_code == 2
    assert result.stderr == "lclm: error: unknown revision 'no-such-branch' (a branch, tag or commit of this repository)\n"
    assert git(repo, "status", "--porcelain") == ""


def test_shallow_clone_without_the_revision(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    run("add", "--title", "Second Commit Paper", "--author", "Alan Turing", "--year", "2024", "-c", "retrieval")
    commit_all(repo, "one more")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", "shallow")
    monkeypatch.chdir(tmp_path / "shallow")
    result = run("diff", first)
    assert result.exit_code == 2
    assert result.stderr == (
        f"lclm: error: revision '{first}' is not in this shallow clone; fetch it "
        "(git fetch --unshallow, or actions/checkout with fetch-depth: 0)\n"
    )


def test_a_repository_without_commits(tmp_path: Path, small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    result = run("diff")
    assert result.exit_code == 2
    assert "no commit yet" in result.stderr and result.stderr.count("\n") == 1


YARN = "\n" + CONFTEST_YARN  # appended to a file: a blank line first


def test_a_preprint_with_a_published_version_in_refreshs_cache(repo: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import DATA

    survey = repo / "papers" / "survey.yaml"
    survey.write_text(survey.read_text(encoding="utf-8") + YARN, encoding="utf-8")
    lines = run("diff").stdout.splitlines()
    assert "not checked: published: 1 of 1 preprints not checked for a published version (not in refresh's cache; `lclm refresh` asks DBLP)" in lines
    # refresh asks DBLP (a local server with the recorded answer) and caches the answer; diff only reads it.
    monkeypatch.setenv("LCLM_DBLP_URL", httpserver.url_for("/search/publ/api"))
    monkeypatch.setenv("LCLM_ARXIV_URL", httpserver.url_for("/api/query"))
    monkeypatch.setenv("LCLM_DBLP_DELAY", "0")
    monkeypatch.setenv("LCLM_ARXIV_DELAY", "0")
    httpserver.expect_request("/search/publ/api").respond_with_data(
        (DATA / "dblp" / "search_publ_yarn_2hits_CONSTRUCTED.json").read_bytes(), content_type="application/json"
    )
    httpserver.expect_request("/api/query").respond_with_data(
        (DATA / "arxiv" / "new_empty_idlist_0000.0000_zero_results.xml").read_bytes(), content_type="application/atom+xml"
    )
    run("refresh", "--keys", "peng2023yarn", "--fields", "venue", "--json")
    asked = len(httpserver.log)
    lines = run("diff").stdout.splitlines()
    assert len(httpserver.log) == asked  # diff asked no service
    assert (
        "! papers/survey.yaml:42: peng2023yarn: published: DBLP lists a published version: ICLR 2024 (refresh's cache); "
        "`lclm refresh --keys peng2023yarn` proposes it"
    ) in lines
    assert not any(line.startswith("not checked: published") for line in lines)


def test_an_id_verify_flagged_is_named_from_its_cache(repo: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import DATA

    # A hand edit gives GPT-4's record the arXiv id of another paper (a coding paper by Immink et al.).
    edit(repo / "papers" / "survey.yaml", "arxiv: '2303.08774'", "arxiv: '1707.08567'")
    monkeypatch.setenv("LCLM_ARXIV_URL", httpserver.url_for("/api/query"))
    monkeypatch.setenv("LCLM_ARXIV_DELAY", "0")
    httpserver.expect_request("/api/query", query_string={"id_list": "1707.08567", "max_results": "1"}).respond_with_data(
        (DATA / "arxiv" / "new_idlist_1707.08567_34authors_nonascii.xml").read_bytes(), content_type="application/atom+xml"
    )
    checked = run("verify", "--keys", "openai2023gpt")
    assert checked.exit_code == 1, checked.output  # verify asks arXiv, and its answer is cached
    asked = len(httpserver.log)
    lines = run("diff").stdout.splitlines()
    assert len(httpserver.log) == asked  # diff asked no service
    flagged = [line for line in lines if ": openai2023gpt: verify: arxiv: 1707.08567 is another paper on arXiv: " in line]
    assert len(flagged) == 1 and flagged[0].endswith("[wrong-id]")
    assert not any(line.startswith("not checked: verify") for line in lines)


def test_on_a_branch_the_default_is_the_merge_base_with_main(repo: Path) -> None:
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "-b", "feature")
    run("add", "--title", "Committed On The Branch", "--author", "Alan Turing", "--year", "2024", "-c", "retrieval")
    commit_all(repo, "on the branch")
    git(repo, "checkout", "-q", "main")
    run("add", "--title", "Meanwhile On Main", "--author", "Grace Hopper", "--year", "2023", "-c", "survey")
    commit_all(repo, "on main")
    git(repo, "checkout", "-q", "feature")
    run("add", "--title", "Not Committed Yet", "--author", "Ada Lovelace", "--year", "2025", "-c", "survey")
    data = json.loads(run("diff", "--json").stdout)
    assert data["base"] == f"the merge base with main ({base[:10]})"
    assert [p["key"] for p in data["added"]] == ["lovelace2025not", "turing2024committed"]


def test_the_installed_command_gives_the_same_on_its_fast_path(repo: Path) -> None:
    import subprocess
    import sys

    run("add", "--title", "A New Paper", "--author", "Ada Lovelace", "--year", "2025", "-c", "survey")
    first, second = (
        subprocess.run([sys.executable, "-m", "lclm", "diff", "--markdown", "HEAD"], cwd=repo, capture_output=True, text=True)
        for _ in range(2)  # the second run is matched against the parameters the first one kept
    )
    assert (first.returncode, first.stderr) == (0, "") and first.stdout == second.stdout == run("diff", "--markdown", "HEAD").stdout
    bad = subprocess.run([sys.executable, "-m", "lclm", "diff", "nope"], cwd=repo, capture_output=True, text=True)
    assert (bad.returncode, bad.stderr) == (2, "lclm: error: unknown revision 'nope' (a branch, tag or commit of this repository)\n")
