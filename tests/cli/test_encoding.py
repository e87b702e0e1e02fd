"""A stdout that cannot encode the list (#25.4): escaped JSON or one line, never a traceback; files stay UTF-8."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, make_store

LCLM = [sys.executable, "-m", "lclm"]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """Five papers whose names and titles are not all ASCII (Miłoś, Ré)."""
    return make_store(tmp_path / "papers", {"survey": SAMPLE})


def lclm(store: Path, *args: str, encoding: str = "ascii") -> subprocess.CompletedProcess[bytes]:
    """The real entry point in a child process whose stdout is ``encoding``."""
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([*LCLM, "--papers", str(store), *args], capture_output=True, env=env, check=False)


@pytest.mark.parametrize("command", [("export", "bibtex"), ("export", "markdown"), ("stats",)], ids=" ".join)
def test_text_a_narrow_stdout_cannot_show_is_one_line(store: Path, command: tuple[str, ...]) -> None:
    result = lclm(store, *command)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert err.count("\n") == 1 and err.startswith("lclm: error: stdout (ascii) cannot show ")
    assert "-o FILE" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [("export", "csl-json"), ("export", "json"), ("search", "--json", "lossless")], ids=" ".join)
def test_json_to_a_narrow_stdout_is_escaped_and_means_the_same(store: Path, command: tuple[str, ...]) -> None:
    narrow, wide = lclm(store, *command), lclm(store, *command, encoding="utf-8")
    assert narrow.returncode == 0 and narrow.stderr == b""
    assert narrow.stdout.isascii() and not wide.stdout.isascii()
    assert json.loads(narrow.stdout) == json.loads(wide.stdout)


def test_a_file_is_utf8_whatever_stdout_is(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    assert lclm(store, "export", "bibtex", "-o", str(out)).returncode == 0
    assert "Miłoś" in out.read_text(encoding="utf-8") or not out.read_bytes().isascii()
