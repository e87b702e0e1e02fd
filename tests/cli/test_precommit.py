"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit on commits to a throwaway list.

The hooks' repository is a committed copy of this working tree made in a
temporary directory (nothing is committed here).  pre-commit builds the hook
environment once per test session, in a temporary PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, SMALL, run
from lclm.formats.markdown import END, START

HOOK_FILES = ("src", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    }


def _run(cwd: Path, home: Path, *cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=_env(home), capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's cache, shared by the session so the hook env is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory, home: Path) -> tuple[Path, str]:
    """A git repository holding a copy of this project, and its commit."""
    repo = tmp_path_factory.mktemp("hooks") / "lclm"
    repo.mkdir()
    junk = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in HOOK_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=junk)
        else:
            shutil.copy(source, repo / name)
    for cmd in (("git", "init", "-q"), ("git", "add", "-A"), ("git", "commit", "-qm", "lclm")):
        assert _run(repo, home, *cmd).returncode == 0
    return repo, _run(repo, home, "git", "rev-parse", "HEAD").stdout.strip()


@pytest.fixture
def list_repo(tmp_path: Path, hooks_repo: tuple[Path, str], home: Path) -> Path:
    """A list repository with papers/, a rendered papers/README.md and both hooks installed."""
    repo = tmp_path / "list"
    shutil.copytree(SMALL, repo / "papers")
    (repo / "papers" / "README.md").write_text(f"# Papers\n\n{START}\n{END}\n", encoding="utf-8")
    render(repo)
    path, rev = hooks_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {path}\n  rev: {rev}\n  hooks:\n  - id: lclm-validate\n  - id: lclm-readme\n",
        encoding="utf-8",
    )
    for cmd in (("git", "init", "-q"), (sys.executable, "-m", "pre_commit", "install")):
        result = _run(repo, home, *cmd)
        assert result.returncode == 0, result.stderr
    return repo


def render(repo: Path) -> None:
    papers = repo / "papers"
    assert run("--papers", str(papers), "export", "markdown", "--readme", str(papers / "README.md")).exit_code == 0


def commit(repo: Path, home: Path, message: str) -> subprocess.CompletedProcess[str]:
    assert _run(repo, home, "git", "add", "-A").returncode == 0
    return _run(repo, home, "git", "commit", "-m", message)


def commits(repo: Path, home: Path) -> int:
    result = _run(repo, home, "git", "rev-list", "--count", "--all")
    return int(result.stdout.strip() or 0)


def hook_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return (result.stdout + result.stderr).splitlines()


def test_a_good_commit_passes_and_a_bad_arxiv_id_is_stopped(list_repo: Path, home: Path) -> None:
    good = commit(list_repo, home, "the list")
    assert good.returncode == 0, good.stdout + good.stderr
    assert [line.rsplit(".", 1)[-1] for line in hook_lines(good) if line.startswith("lclm ")] == ["Passed", "Passed"]

    path = list_repo / "papers" / "retrieval.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n- key: smith2025bad\n  title: Bad id\n  year: 2025\n  arxiv: '2502.1712'\n", encoding="utf-8")
    line = text.count("\n") + 5
    render(list_repo)  # the README is current, so only the validator objects
    bad = commit(list_repo, home, "a paper with a truncated arXiv id")
    assert bad.returncode == 1
    out = hook_lines(bad)
    assert f"papers/retrieval.yaml:{line}: smith2025bad: arxiv: '2502.1712' is not an arXiv id: ids of 25/02 have 5 digits after the dot [arxiv-format]" in out
    assert "3 files, 6 papers checked: 1 error, 0 warnings" in out  # the whole list, as CI checks it
    assert commits(list_repo, home) == 1


def test_a_stale_readme_is_stopped(list_repo: Path, home: Path) -> None:
    assert commit(list_repo, home, "the list").returncode == 0
    path = list_repo / "papers" / "survey.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("GPT-4 Technical Report", "GPT-4 technical report"), encoding="utf-8")
    stale = commit(list_repo, home, "a title without rendering the README")
    assert stale.returncode == 1
    assert "papers/README.md: out of date; run `lclm export markdown --readme papers/README.md`" in hook_lines(stale)
    assert commits(list_repo, home) == 1
    render(list_repo)
    assert commit(list_repo, home, "with the README").returncode == 0


def _spoil_tab(papers: Path) -> str:
    path = papers / "survey.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("GPT-4 Technical Report", "GPT-4\tTechnical Report"), encoding="utf-8")
    return "papers/survey.yaml:"


def _spoil_crlf(papers: Path) -> str:
    path = papers / "survey.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    return "papers/survey.yaml:1: not in canonical form from line 1"


def _spoil_bom(papers: Path) -> str:
    path = papers / "survey.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return "papers/survey.yaml:"


def _delete_a_listed_file(papers: Path) -> str:
    (papers / "retrieval.yaml").unlink()
    return "papers/_sections.yaml:14: file: retrieval.yaml is listed but does not exist [missing-file]"


@pytest.mark.parametrize("spoil", [_spoil_tab, _spoil_crlf, _spoil_bom, _delete_a_listed_file], ids=lambda f: f.__name__)
def test_the_hooks_stop_what_ci_stops(list_repo: Path, home: Path, spoil: Any) -> None:
    """What `lclm validate --strict` fails in CI, the hooks refuse to commit."""
    assert commit(list_repo, home, "the list").returncode == 0
    papers = list_repo / "papers"
    expected = spoil(papers)
    ci = subprocess.run(
        [sys.executable, "-m", "lclm", "--papers", "papers", "validate", "--strict"],
        cwd=list_repo, capture_output=True, text=True, env=_env(home),
    )
    assert ci.returncode == 1
    refused = commit(list_repo, home, "a list CI would fail")
    assert refused.returncode == 1, refused.stdout
    assert any(line.startswith(expected) for line in hook_lines(refused)), hook_lines(refused)
    assert any(line.startswith("lclm validate --strict") and line.endswith("Failed") for line in hook_lines(refused))
    assert commits(list_repo, home) == 1
