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
def test_after_a_hand_edit_the_export_is_a_fresh_one(warm_store: Path, tmp_path: Path, edit: str) -> None:
    store = warm_store  # its cache as a first export leaves it, made once per session
    bibtex(store)
    path = store / "unanswered-question.yaml"
    path.write_text(HAND_EDITS[edit][0](path.read_text()))
    assert bibtex(store) == bibtex(store, env={"XDG_CACHE_HOME": str(tmp_path / "fresh")})


def test_a_new_format_is_one_row_of_the_table(small: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """ARCHITECTURE.md's recipe: an exporter function and a row give `lclm export NAME` with the shared options."""
    import importlib

    from lclm.cli import app, export_data, main
    from lclm.formats import exporters

    row = exporters.Format("lclm.formats.csl:to_json", "Write the records as JSON again.")
    monkeypatch.setitem(exporters.EXPORTERS, "json-again", row)
    monkeypatch.setattr(app.export_app, "commands", dict(app.export_app.commands))
    importlib.reload(export_data)
    try:
        assert main.run(["--papers", str(small), "export", "json-again", "-c", "survey", "--keys", "zhao2023length"]) == 0
        again = capsys.readouterr().out
        assert main.run(["--papers", str(small), "export", "json", "-c", "survey", "--keys", "zhao2023length"]) == 0
        assert again == capsys.readouterr().out and '"key": "zhao2023length"' in again
    finally:
        monkeypatch.undo()
        importlib.reload(export_data)
