"""A cold check of many bytes runs the category files in forked workers: the same findings as one process."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import forked_runs, run
from lclm.checks import cache as validate_cache

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")


def test_files_checked_side_by_side_give_one_processs_findings(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Findings in three files, so a mix-up between the workers' results would show.
    for name, old, new in (
        ("length-extrapolation.yaml", "year: 2023", "year: 1800"),
        ("kv-cache-optimization.yaml", "title: ", "title: '  Spaced  '\n  aka:\n  - "),
        ("survey-technical-report.yaml", "- key: ", "- key: Bad Key\n  title: T\n  year: 2020\n\n- key: "),
    ):
        path = store / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("LCLM_JOBS", "1")
    alone = run("--papers", str(store), "validate", "--json")
    shutil.rmtree(tmp_path / "cache")
    spread = forked_runs(monkeypatch, validate_cache)
    together = run("--papers", str(store), "validate", "--json")
    assert spread and spread[0] is not None and len(spread[0]) == 12  # every category file, in workers
    assert (together.exit_code, together.stdout) == (alone.exit_code, alone.stdout)
    assert alone.exit_code == 1 and alone.stdout.count('"rule"') >= 3
    # The results the workers made are the cache the next run reads.
    assert run("--papers", str(store), "validate", "--json").stdout == alone.stdout
