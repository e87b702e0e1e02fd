"""On a real (pseudo-)terminal: add asks with the suggestion as default; watch triages without being told."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from lclm.store.load import load_store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
TITLE = "Scaling Rotary Position Embedding Interpolation to Million-Token Context Windows"


def _lclm(tmp_path: Path, *args: str, answers: bytes, stdout_tty: bool = False) -> tuple[int, str, str]:
    import pty

    parent, child = pty.openpty()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lclm", *args],
        stdin=child, stdout=child if stdout_tty else subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
    )
    os.close(child)
    os.write(parent, answers)
    seen = b""
    if stdout_tty:
        while True:  # until the process closes the terminal
            try:
                chunk = os.read(parent, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    out, err = proc.communicate(timeout=60)
    os.close(parent)
    return proc.returncode, (out or seen).decode(errors="replace"), err.decode()


def test_add_on_a_terminal_offers_the_suggestion_as_default(store: Path, tmp_path: Path) -> None:
    code, out, err = _lclm(tmp_path, "--papers", str(store), "add", "--title", TITLE, "--author", "Ada Lovelace", "--year", "2026", answers=b"\n")
    assert code == 0, err
    assert "  2. Length Extrapolation  (suggested)\n" in err
    assert "Category number [2]:" in err
    assert [p.title for p in load_store(store).in_category("length-extrapolation")][-1] == TITLE
    assert f"to {store / 'length-extrapolation.yaml'}:" in out


def test_watch_on_a_terminal_triages_one_candidate_at_a_time(store: Path, tmp_path: Path) -> None:
    feed = tmp_path / "new.bib"
    feed.write_text(f"@misc{{x,\n  title = {{{TITLE}}},\n  author = {{Doe, Jane}},\n  year = {{2026}},\n}}\n", encoding="utf-8")
    code, out, err = _lclm(tmp_path, "--papers", str(store), "watch", "--from", str(feed), answers=b"r\n", stdout_tty=True)
    assert code == 0, err
    assert "[1/1] " in err and TITLE in err and "suggested: Length Extrapolation" in err
    assert "accepted 0, rejected 1, skipped 0" in err
    assert TITLE in (store / "_watch.yaml").read_text(encoding="utf-8")
