"""Shared test helpers: run the CLI in-process, and temporary stores."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lclm.cli.main import register

app = register()

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
# A frozen copy of the list: tests do not follow edits to the live papers/.
PAPERS = DATA / "store"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own cache directory and no inherited store choice."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("LCLM_PAPERS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """Run ``lclm ARGS`` in-process; the result has exit_code, stdout, stderr."""
    return CliRunner().invoke(app, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A temporary copy of the committed list in papers/."""
    dest = tmp_path / "papers"
    shutil.copytree(PAPERS, dest)
    return dest


SEED = DATA / "lists" / "thus-spake-readme.md"
ZH = DATA / "lists" / "openmoss_thus-spake-long-context-llm_README_zh.md"


@pytest.fixture(scope="session")
def _seed_import(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seed") / "papers"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root.parent / "cache"))
        assert run("--papers", str(root), "import", "markdown", str(SEED)).exit_code == 0
        assert run("--papers", str(root), "import", "markdown", "--lang", "zh", str(ZH)).exit_code == 0
    return root


@pytest.fixture
def seed_store(_seed_import: Path, tmp_path: Path) -> Path:
    """A temporary store made by importing the seed list as it is (641 papers: the two it lists twice are merged)."""
    dest = tmp_path / "seed"
    shutil.copytree(_seed_import, dest)
    return dest
