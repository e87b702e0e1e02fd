"""The one progress display (`lclm.cli.app.Bars`), as refresh and import markdown use it."""

from __future__ import annotations

import pytest

from lclm.cli import app


def test_off_the_terminal_nothing_is_drawn(capsys: pytest.CaptureFixture[str]) -> None:
    with app.Bars() as bars:  # stderr is captured: not a terminal
        bars("arXiv", 3, 10)
    assert bars.bars is None and bars.tasks == {}
    assert capsys.readouterr().err == ""


def test_on_a_terminal_each_label_gets_a_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "is_terminal", lambda stream=None: True)
    with app.Bars() as bars:
        bars("DBLP", 0, 0)  # a source with nothing to ask: no bar
        bars("arXiv", 0, 4)
        bars("arXiv", 3, 4)
        bars("import", 2)  # total unknown (import markdown's arXiv requests)
        progress = bars.bars
        assert progress is not None
        done = {progress.tasks[t].description: (progress.tasks[t].completed, progress.tasks[t].total) for t in bars.tasks.values()}
    assert done == {"arXiv": (3, 4), "import": (2, None)}
    assert not app.Bars(enabled=False).enabled
