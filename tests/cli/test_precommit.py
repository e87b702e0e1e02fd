"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit on commits to a throwaway list.

The hooks' repository is a committed copy of this working tree (nothing is
committed here), kept under ``.pytest_cache/`` at a path named by a hash of
the files it copies, with a fixed commit date: so its revision is the same
until those files change, and pre-commit, whose home is kept there too,
reuses the hook environment it built (installing lclm is most of what these
tests cost) exactly as it does for a user whose hooks did not change.  Any
change to the package builds a new one.
"""

from __future__ import annotations

import contextlib
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


def _run(cwd: Path, home: Path, *cmd: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env={**_env(home), **env}, capture_output=True, text=True, timeout=600)


# pre-commit's home and the hooks' repositories, kept between runs (see the module's docstring).
KEPT = ROOT / ".pytest_cache" / "lclm-pre-commit"
JUNK = ("__pycache__", "*.egg-info")
# A fixed author and commit date, so the same files give the same revision.
FIXED_DATE = {"GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}


@pytest.fixture(scope="session")
def home() -> Path:
    """pre-commit's cache, kept between runs so an unchanged hook environment is built once."""
    path = KEPT / "home"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _fingerprint() -> str:
    """A hash of every file the hooks' repository copies: its name and bytes."""
    import fnmatch
    import hashlib

    digest = hashlib.blake2b(digest_size=8)
    for name in HOOK_FILES:
        source = ROOT / name
        files = sorted(source.rglob("*")) if source.is_dir() else [source]
        for path in files:
            if path.is_file() and not any(fnmatch.fnmatch(part, p) for part in path.parts for p in JUNK):
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory, home: Path) -> tuple[Path, str]:
    """A git repository holding a copy of this project, and its commit."""
    repo = KEPT / f"hooks-{_fingerprint()}"
    if not (repo / ".git").is_dir():
        made = tmp_path_factory.mktemp("hooks") / "lclm"
        made.mkdir()
        for name in HOOK_FILES:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, made / name, ignore=shutil.ignore_patterns(*JUNK))
            else:
                shutil.copy(source, made / name)
        for cmd in (("git", "init", "-q"), ("git", "add", "-A"), ("git", "commit", "-qm", "lclm")):
            assert _run(made, home, *cmd, **FIXED_DATE).returncode == 0
        shutil.rmtree(repo, ignore_errors=True)  # a half-made copy of an earlier run
        with contextlib.suppress(OSError):  # another test process made it first: the same files
            made.rename(repo)
        for old in KEPT.glob("hooks-*"):  # earlier versions' copies, and the environments built for them
            if old != repo:
                shutil.rmtree(old, ignore_errors=True)
        _run(KEPT, home, sys.executable, "-m", "pre_commit", "gc")
    return repo, _run(repo, home, "git", "rev-parse", "HEAD").stdout.strip()


@pytest.fixture
def list_repo(tmp_path: Path, hooks_repo: tuple[Path, str], home: Path) -> Path:
    """A list repository with papers/, a rendered papers/README.md and both hooks installed."""
    return _list_repo(tmp_path / "list", hooks_repo, home)


@pytest.fixture(scope="module")
def _committed(tmp_path_factory: pytest.TempPathFactory, hooks_repo: tuple[Path, str], home: Path) -> Path:
    """A list repository whose list the hooks let through as its first commit; made once for the module."""
    repo = _list_repo(tmp_path_factory.mktemp("committed") / "list", hooks_repo, home)
    good = commit(repo, home, "the list")
    assert good.returncode == 0, good.stdout + good.stderr
    return repo


@pytest.fixture
def committed_repo(_committed: Path, tmp_path: Path) -> Path:
    """A copy of that repository (its files, history and installed hooks) for one test to change."""
    repo = tmp_path / "list"
    shutil.copytree(_committed, repo, symlinks=True)
    return repo


def _list_repo(repo: Path, hooks_repo: tuple[Path, str], home: Path) -> Path:
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


def test_a_stale_readme_is_stopped(committed_repo: Path, home: Path) -> None:
    list_repo = committed_repo
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
def test_the_hooks_stop_what_ci_stops(committed_repo: Path, home: Path, spoil: Any) -> None:
    """What `lclm validate --strict` fails in CI, the hooks refuse to commit."""
    list_repo = committed_repo
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
