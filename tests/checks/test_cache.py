"""validate's cache after an edit: the unchanged files' entries written back as read, the whole as a fresh run writes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run
from lclm.checks import cache as validate_cache


def _cache(tmp_path: Path) -> bytes:
    found = list((tmp_path / "cache" / "lclm" / "validate").rglob("results.json"))
    assert len(found) == 1
    return found[0].read_bytes()


@pytest.mark.parametrize("kept", [True, False], ids=["entries-kept-as-read", "entries-written-again"])
def test_the_cache_after_an_edit_is_the_one_a_fresh_run_writes(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: bool
) -> None:
    if not kept:  # as for a big store's cache
        monkeypatch.setattr(validate_cache, "KEEP_TEXTS_BELOW", 0)
    first = run("--papers", str(store), "validate")
    path = store / "length-extrapolation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: Edited ", 1).replace("year: 2023", "year: 1800", 1), encoding="utf-8")
    edited = run("--papers", str(store), "validate")
    after_edit = _cache(tmp_path)
    assert edited.exit_code == 1 and "1800 is not between" in edited.stdout and first.exit_code == 0
    shutil.rmtree(tmp_path / "cache")
    fresh = run("--papers", str(store), "validate")
    assert (fresh.exit_code, fresh.stdout) == (edited.exit_code, edited.stdout)
    assert _cache(tmp_path) == after_edit
    # And the run after reads it back: nothing is checked again, the same findings.
    assert run("--papers", str(store), "validate").stdout == edited.stdout
    assert _cache(tmp_path) == after_edit
