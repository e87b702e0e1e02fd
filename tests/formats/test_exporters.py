"""The export path's BibTeX entry cache: kept per paper, so an edit renders only what it changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import HAND_EDITS, run


def bibtex(store: Path, env: dict[str, str] | None = None) -> str:
    result = run("--papers", str(store), "export", "bibtex", env=env)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def test_an_edit_renders_only_the_edited_papers_entry(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lclm.formats import bibtex as module

    bibtex(store)
    path = store / "unanswered-question.yaml"
    path.write_text(HAND_EDITS["retitle the second paper"][0](path.read_text()))
    rendered = []
    to_bibtex = module.to_bibtex
    monkeypatch.setattr(module, "to_bibtex", lambda papers, **kw: rendered.extend(p.key for p in papers) or to_bibtex(papers, **kw))
    assert "title = {Edited " in bibtex(store)
    assert len(rendered) == 1


@pytest.mark.parametrize("edit", [name for name, (_, canonical) in HAND_EDITS.items() if canonical])
def test_after_a_hand_edit_the_export_is_a_fresh_one(store: Path, tmp_path: Path, edit: str) -> None:
    bibtex(store)
    path = store / "unanswered-question.yaml"
    path.write_text(HAND_EDITS[edit][0](path.read_text()))
    assert bibtex(store) == bibtex(store, env={"XDG_CACHE_HOME": str(tmp_path / "fresh")})
