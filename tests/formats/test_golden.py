"""Every exporter's whole output on the frozen fixture store, against golden files.

A change to an exporter shows up here as a diff of real output; when the
change is wanted, ``LCLM_UPDATE_GOLDEN=1`` rewrites the files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import golden, run


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("store.bib", ("export", "bibtex")),
        ("store-ascii.bib", ("export", "bibtex", "--ascii")),
        ("store.json", ("export", "json")),
        ("store.csl.json", ("export", "csl-json")),
        ("store.md", ("export", "markdown")),
        ("store_zh.md", ("export", "markdown", "--lang", "zh")),
    ],
)
def test_export_matches_its_golden_file(store: Path, name: str, args: tuple[str, ...]) -> None:
    result = run("--papers", str(store), *args)
    assert result.exit_code == 0, result.stderr
    golden(name, result.stdout)
