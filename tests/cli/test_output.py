"""`-o FILE` never overwrites a file the store owns (issue #25.2): one line, exit 1, the file untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run

# Every command line that writes a file the user names.
WRITERS = [
    ("export", "bibtex", "-o"),
    ("export", "json", "-o"),
    ("export", "csl-json", "-o"),
    ("export", "markdown", "-o"),
    ("export", "html", "-o"),
    ("stats", "--svg"),
]


@pytest.fixture
def store(small: Path) -> Path:
    """The small store, with its README and Chinese README holding the generated list."""
    for name in ("README.md", "README_zh.md"):
        (small / name).write_text("# Papers\n\n<!-- lclm:start -->\n<!-- lclm:end -->\n", encoding="utf-8")
        assert run("--papers", str(small), "export", "markdown", "--readme", str(small / name)).exit_code == 0
    return small


@pytest.mark.parametrize("command", WRITERS, ids=" ".join)
@pytest.mark.parametrize("name", ["survey.yaml", "_sections.yaml", "_search.yaml", "README.md", "README_zh.md"])
def test_an_output_naming_a_store_file_is_refused(store: Path, command: tuple[str, ...], name: str) -> None:
    target = store / name
    before = target.read_bytes() if target.exists() else None
    result = run("--papers", str(store), *command, str(target))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"lclm: error: {target}: ")
    assert (target.read_bytes() if target.exists() else None) == before
    assert run("--papers", str(store), "validate").exit_code == 0


def test_the_readme_is_written_only_through_readme(store: Path) -> None:
    result = run("--papers", str(store), "export", "markdown", "-o", str(store / "README.md"))
    assert result.stderr == (
        f"lclm: error: {store / 'README.md'}: the store's generated README; "
        f"update it with `lclm export markdown --readme {store / 'README.md'}`\n"
    )


def test_a_store_file_reached_another_way_is_refused(store: Path, tmp_path: Path) -> None:
    (tmp_path / "link.yaml").symlink_to(store / "retrieval.yaml")
    before = (store / "retrieval.yaml").read_bytes()
    result = run("--papers", str(store), "export", "json", "-o", str(tmp_path / "link.yaml"))
    assert result.exit_code == 1 and "a file of the store" in result.stderr
    relative = run("--papers", str(store), "export", "bibtex", "-o", str(store / ".." / "papers" / "_sections.yaml"))
    assert relative.exit_code == 1
    assert (store / "retrieval.yaml").read_bytes() == before


def test_files_beside_the_store_are_written(store: Path, tmp_path: Path) -> None:
    assert run("--papers", str(store), "export", "bibtex", "-o", str(tmp_path / "refs.bib")).exit_code == 0
    assert run("--papers", str(store), "export", "html", "-o", str(store / "site")).exit_code == 0
    assert (store / "site" / "index.html").exists()
