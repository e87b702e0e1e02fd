"""`lclm dedupe --merge` as a user runs it: the original record stays, nothing known is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run
from lclm.store.load import load_store


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module does not test the cache."""
    return warm_store


YARN = "YaRN: Efficient Context Window Extension of Large Language Models"
ORIGINAL_AUTHORS = ["Bowen Peng", "Jeffrey Quesnelle", "Honglu Fan", "Enrico Shippole"]


def _add_copy(store: Path, *extra: str) -> None:
    """A later `add --force` copy of YaRN in another category: 2 authors, a note and a tag."""
    result = run(
        "--papers", str(store), "add", "--title", YARN, "--author", "Bowen Peng", "--author", "Jeffrey Quesnelle",
        "--year", "2023", "--url", "https://arxiv.org/abs/2309.00071", "--note", "extends RoPE", "--tag", "rope",
        "-c", "Long-Context Evaluation", "--force", *extra,
    )
    assert result.exit_code == 0, result.stderr


def test_merge_yes_keeps_the_original_record_and_what_the_copy_adds(store: Path) -> None:
    _add_copy(store)
    before = {p.key: p for p in load_store(store).papers}
    original, copy = before["peng2024yarn"], before["peng2023yarn"]
    position = [p.key for p in load_store(store).in_category("length-extrapolation")].index("peng2024yarn")
    result = run("--papers", str(store), "dedupe", "--merge", "--yes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"kept peng2024yarn ({store}/length-extrapolation.yaml:{original.line}); filled tags, note from peng2023yarn;"
        f" removed peng2023yarn ({store}/long-context-evaluation.yaml:{copy.line})",
        "  records disagree on year: kept 2024, peng2023yarn has 2023",
        "merged 1 group: removed 1 record, rewrote 2 files",
    ]
    after = load_store(store, use_cache=False)
    kept = next(p for p in after.papers if p.key == "peng2024yarn")
    assert "peng2023yarn" not in {p.key for p in after.papers}
    assert kept.category == "length-extrapolation"
    assert [p.key for p in after.in_category("length-extrapolation")].index("peng2024yarn") == position
    assert kept.authors == ORIGINAL_AUTHORS
    assert (kept.year, kept.venue) == (2024, "The Twelfth International Conference on Learning Representations")
    assert (kept.note, kept.tags, kept.ids) == ("extends RoPE", ["rope"], ["peng2023yarn"])


def test_the_prompt_offers_the_original(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lclm.cli.app.is_terminal", lambda stream=None: True)
    _add_copy(store)
    result = run("--papers", str(store), "dedupe", "--merge", input="\n")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    prompt = next(line for line in lines if "Keep which record?" in line)
    assert prompt.startswith("Keep which record? [1-2, s skip, q quit] [1]:")
    assert any(line.startswith("kept peng2024yarn (") for line in lines)
    kept = next(p for p in load_store(store, use_cache=False).papers if p.key == "peng2024yarn")
    assert (kept.category, kept.authors) == ("length-extrapolation", ORIGINAL_AUTHORS)


def test_merge_refreshes_the_readme_in_the_same_change(store: Path) -> None:
    _add_copy(store)
    readme = store / "README.md"
    assert readme.read_text().count("YaRN: Efficient Context Window") == 2
    assert run("--papers", str(store), "dedupe", "--merge", "--yes").exit_code == 0
    assert readme.read_text().count("YaRN: Efficient Context Window") == 1
    assert run("--papers", str(store), "validate").exit_code == 0
