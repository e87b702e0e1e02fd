"""`lclm absorb`: hand edits of the generated README taken back into papers/, or refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from adopt_helpers import snapshot
from conftest import run

ROPE = (
    "* **[RoFormer: Enhanced Transformer with Rotary Position Embedding.](https://arxiv.org/abs/2104.09864)** "
    "Jianlin Su, Yu Lu, Shengfeng Pan. Neurocomputing, 2024"
)


@pytest.fixture
def readme(small: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """papers/README.md of the small store, rendered; the cwd is the store's parent."""
    monkeypatch.chdir(small.parent)
    path = small / "README.md"
    path.write_text("# A list\n\nWords of our own.\n\n<!-- lclm:start -->\n<!-- lclm:end -->\n\nMore words.\n", encoding="utf-8")
    assert run("export", "markdown", "--readme", str(path)).exit_code == 0
    return path


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def after(lines: list[str], start: str) -> int:
    """The index of the first line starting with ``start``, plus one."""
    return next(i for i, line in enumerate(lines) if line.startswith(start)) + 1


def test_a_line_added_under_a_section_goes_to_its_file_in_its_place(readme: Path, small: Path) -> None:
    lines = lines_of(readme)
    at = after(lines, "* **[Longrag")
    lines.insert(at, ROPE)
    write_lines(readme, lines)
    result = run("absorb")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"papers/README.md:{at + 1}: added su2024roformer to 'Retrieval': RoFormer: Enhanced Transformer with Rotary Position Embedding",
        "wrote papers/retrieval.yaml",
        "wrote papers/README.md",
        "absorbed 1 added, 0 changed, 0 moved, 0 removed; papers/README.md re-rendered from papers/",
    ]
    keys = [line for line in lines_of(small / "retrieval.yaml") if line.startswith("- key:")]
    assert keys == ["- key: jiang2024longrag", "- key: su2024roformer", "- key: wu2024longgenbench"]
    assert run("export", "markdown", "--readme", str(readme), "--check").exit_code == 0
    assert lines_of(readme)[-1] == "More words." and "Words of our own." in lines_of(readme)
    assert run("validate", "--strict").exit_code == 0


def test_an_edited_line_changes_only_what_it_shows(readme: Path, small: Path) -> None:
    lines = lines_of(readme)
    at = after(lines, "* **[GPT-4 Technical Report")
    assert lines[at - 1].endswith("arXiv preprint arXiv:2303.08774, 2023")
    lines[at - 1] = lines[at - 1].replace("arXiv preprint arXiv:2303.08774, 2023", "arXiv preprint arXiv:2303.08774, 2024")
    write_lines(readme, lines)
    before = (small / "survey.yaml").read_text(encoding="utf-8")
    result = run("absorb", "papers/README.md")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"papers/README.md:{at}: changed openai2023gpt: year"
    after_text = (small / "survey.yaml").read_text(encoding="utf-8")
    assert after_text == before.replace("  year: 2023\n  venue: arXiv preprint arXiv:2303.08774", "  year: 2024\n  venue: arXiv preprint arXiv:2303.08774")


def test_a_line_moved_and_one_removed(readme: Path, small: Path) -> None:
    lines = lines_of(readme)
    gpt = lines.pop(after(lines, "* **[GPT-4 Technical Report") - 1)
    lines.insert(after(lines, "* **[Longrag"), gpt)  # into Retrieval
    del lines[after(lines, "* **[LongGenBench") - 1]
    write_lines(readme, lines)
    result = run("absorb")
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert out[0].endswith(": moved openai2023gpt from 'Survey' to 'Retrieval'")
    assert out[1] == "removed wu2024longgenbench (Retrieval): its line is gone from papers/README.md"
    assert out[-1] == "absorbed 0 added, 0 changed, 1 moved, 1 removed; papers/README.md re-rendered from papers/"
    keys = [line for line in lines_of(small / "retrieval.yaml") if line.startswith("- key:")]
    assert keys == ["- key: jiang2024longrag", "- key: openai2023gpt"]
    assert run("validate", "--strict").exit_code == 0


def test_edits_that_cannot_be_absorbed_change_nothing(readme: Path, small: Path) -> None:
    lines = lines_of(readme)
    at = after(lines, "* **[Longrag")
    lines[at:at] = [
        ROPE.replace("Jianlin Su", "Jianlin Su").replace("RoFormer", "LongRAG copy").replace("2104.09864", "2406.15319"),
        "A paragraph someone wrote inside the list.",
        "* **A title and nothing else.**",
    ]
    lines.append("")
    lines.insert(after(lines, "### Survey") - 1, "### Not A Section\n\n" + ROPE + "\n")
    write_lines(readme, lines)
    before = snapshot(small)
    result = run("absorb")
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    assert err == [
        "papers/README.md:12: cannot absorb: heading 'Not A Section' is not a section of the list (add it to _sections.yaml first)",
        "papers/README.md:28: cannot absorb: is the same paper as jiang2024longrag, listed at line 27 (same arXiv id 2406.15319)",
        "papers/README.md:29: cannot absorb: not a list entry lclm can read (it would be lost): A paragraph someone wrote inside the list.",
        "papers/README.md:30: cannot absorb: not read: no year (none in the text, a date column, the arXiv id or the link): **A title and nothing else.**",
        "lclm: error: papers/README.md: 4 edits cannot be absorbed (listed above); nothing written",
    ]
    assert snapshot(small) == before


def test_stale_counts_only_are_re_rendered(readme: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    readme.write_text(text.replace("5 papers in 2 categories.", "4 papers in 2 categories."), encoding="utf-8")
    result = run("absorb")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["wrote papers/README.md", "papers/README.md: no edit of the papers to absorb; re-rendered"]
    assert readme.read_text(encoding="utf-8") == text


def test_a_readme_without_markers(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(small.parent)
    (small.parent / "README.md").write_text("# A list\n\n* **[X.](https://x.org)** A B. 2024\n", encoding="utf-8")
    result = run("absorb", "README.md")
    assert result.exit_code == 1
    assert result.stderr == "lclm: error: README.md: no '<!-- lclm:start -->' ... '<!-- lclm:end -->' marker lines: not a README lclm generates\n"
    result = run("absorb")
    assert result.exit_code == 2
    assert result.stderr.startswith("lclm: error: no README with the lclm markers in papers or ")


def test_an_entry_above_the_first_heading_has_no_section(readme: Path, small: Path) -> None:
    lines = lines_of(readme)
    at = after(lines, "### Survey") - 1
    lines[at:at] = [ROPE, ""]
    write_lines(readme, lines)
    before = snapshot(small)
    result = run("absorb")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"papers/README.md:{at + 1}: cannot absorb: an entry above the list's first heading: put it under its section"
    assert snapshot(small) == before


def test_a_line_added_twice_and_an_edit_into_a_duplicate_are_refused(readme: Path, small: Path) -> None:
    lines = lines_of(readme)
    at = after(lines, "* **[Longrag")
    lines[at:at] = [ROPE, ROPE.replace("Neurocomputing, 2024", "Neurocomputing, 2023")]
    gpt = after(lines, "* **[GPT-4 Technical Report") - 1
    lines[gpt] = lines[gpt].replace("https://arxiv.org/abs/2303.08774", "https://arxiv.org/abs/2311.12351").replace(
        "arXiv preprint arXiv:2303.08774", "arXiv preprint arXiv:2311.12351")
    write_lines(readme, lines)
    before = snapshot(small)
    result = run("absorb")
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    assert err[0].startswith(f"papers/README.md:{gpt + 1}: cannot absorb: after the edit openai2023gpt shares an identifier with huang2023advancing, listed at line ")
    assert err[1].startswith(f"papers/README.md:{at + 2}: cannot absorb: is the same paper as su2024roformer, listed at line {at + 1} (")
    assert len(err) == 3 and snapshot(small) == before
