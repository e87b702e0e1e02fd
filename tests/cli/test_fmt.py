"""`lclm fmt`: canonical rewrite of the store, changing no data and losing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SMALL, run
from lclm.store.load import load_store

MESSY = """\
- title: "Longrag: Enhancing retrieval-augmented generation with long-context llms"
  key: jiang2024longrag
  authors: [Ziyan Jiang, Xueguang Ma, Wenhu Chen]
  year: 2024
  arxiv: "2406.15319"
  url: https://arxiv.org/abs/2406.15319
  venue: arXiv preprint arXiv:2406.15319
  tags: []
  added_by: someone


-   key: wu2024longgenbench
    title: >-
      LongGenBench: Benchmarking Long-Form Generation in Long Context LLMs
    authors:
        - Yuhao Wu
        - Ming Shan Hee
        - Zhiqing Hu
        - Roy Ka-Wei Lee
    year: 2024
    venue: 'arXiv preprint arXiv:2409.02076'
    url: 'https://arxiv.org/abs/2409.02076'
    arxiv: '2409.02076'
"""


def fmt(store: Path, *args: str):  # type: ignore[no-untyped-def]
    return run("--papers", str(store), "fmt", *args)


def snapshot(store: Path) -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in store.iterdir()}


def test_a_canonical_store_is_left_alone(store: Path) -> None:
    before = snapshot(store)
    files = len(list(store.glob("*.yaml")))
    for args in ((), ("--check",)):
        result = fmt(store, *args)
        assert (result.exit_code, result.stdout, result.stderr) == (0, f"0 files {'would be reformatted' if args else 'reformatted'}, {files} files unchanged\n", "")
    assert snapshot(store) == before


def test_check_lists_what_would_change_and_writes_nothing(small: Path) -> None:
    path = small / "retrieval.yaml"
    path.write_text(MESSY, encoding="utf-8")
    before = snapshot(small)
    result = fmt(small, "--check")
    assert (result.exit_code, result.stdout) == (1, f"would reformat {path}\n1 file would be reformatted, 2 files unchanged\n")
    assert snapshot(small) == before


def test_fmt_rewrites_canonically_and_keeps_every_value(small: Path) -> None:
    path = small / "retrieval.yaml"
    path.write_text(MESSY, encoding="utf-8")
    before = [p.to_dict() for p in load_store(small, use_cache=False).papers]
    result = fmt(small)
    assert (result.exit_code, result.stdout) == (0, f"reformatted {path}\n1 file reformatted, 2 files unchanged\n")
    assert [p.to_dict() for p in load_store(small, use_cache=False).papers] == before
    text = path.read_text(encoding="utf-8")
    assert text == (SMALL / "retrieval.yaml").read_text(encoding="utf-8").replace(
        "  arxiv: '2406.15319'\n", "  arxiv: '2406.15319'\n  added_by: someone\n"
    )
    # Now canonical: validate has nothing to say about form, and fmt nothing to do.
    validate = run("--papers", str(small), "validate", "--strict")
    assert validate.stdout.splitlines() == [
        f"{path}:11: jiang2024longrag: added_by: unknown field [unknown-field]",
        "3 files, 5 papers checked: 1 error, 0 warnings",
    ]
    assert fmt(small).stdout == "0 files reformatted, 3 files unchanged\n"


def test_sections_file_is_formatted_too(small: Path) -> None:
    sections = small / "_sections.yaml"
    canonical = sections.read_text(encoding="utf-8")
    sections.write_text(
        canonical.replace("  file: survey.yaml\n  translations:\n    zh: 综述\n", "  translations: {zh: 综述}\n  file: survey.yaml\n"),
        encoding="utf-8",
    )
    assert fmt(small).stdout == f"reformatted {sections}\n1 file reformatted, 2 files unchanged\n"
    assert sections.read_text(encoding="utf-8") == canonical


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("  year: 2024\n", "  # checked by hand\n  year: 2024\n", 1),
         "{p}:7: a comment lclm fmt would drop; move it into a note field, then run lclm fmt"),
        (lambda t: t.replace("  year: 2024\n", "  year: 2024  # the published year\n", 1),
         "{p}:7: a comment lclm fmt would drop; move it into a note field, then run lclm fmt"),
        (lambda t: t.replace("  year: 2024\n", "  year: 2023\n  year: 2024\n", 1),
         "{p}:8: jiang2024longrag: year: given twice; keep one by hand (lclm fmt would keep the last)"),
    ],
    ids=["comment line", "end-of-line comment", "field twice"],
)
def test_fmt_refuses_to_lose_what_was_written(small: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    path = small / "retrieval.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")).replace("\n\n", "\n"), encoding="utf-8")
    before = snapshot(small)
    result = fmt(small)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"lclm: error: {message.format(p=path)}\n")
    assert snapshot(small) == before


def test_a_hash_inside_a_value_is_not_a_comment(small: Path) -> None:
    path = small / "retrieval.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: 'Longrag:", "title: 'C# and Longrag:").replace("\n\n", "\n"), encoding="utf-8")
    assert fmt(small).exit_code == 0
    assert "title: 'C# and Longrag:" in path.read_text(encoding="utf-8")


def test_a_broken_store_is_not_touched(small: Path, tmp_path: Path) -> None:
    path = small / "retrieval.yaml"
    path.write_text("- key: a2024b\n  title: [unclosed\n", encoding="utf-8")
    (small / "survey.yaml").write_text((small / "survey.yaml").read_text(encoding="utf-8").replace("\n\n", "\n"), encoding="utf-8")
    before = snapshot(small)
    result = fmt(small)
    assert (result.exit_code, result.stderr) == (1, f"lclm: error: {path}:3:1: YAML syntax: did not find expected ',' or ']'\n")
    assert snapshot(small) == before
    missing = fmt(tmp_path / "none")
    assert (missing.exit_code, missing.stderr) == (1, f"lclm: error: {tmp_path / 'none'}: paper store does not exist (use --papers DIR or set LCLM_PAPERS)\n")


def test_a_listed_but_missing_category_file_is_left_missing_with_the_note(small: Path) -> None:
    (small / "retrieval.yaml").unlink()
    path = small / "survey.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\n\n", "\n"), encoding="utf-8")
    note = f"lclm: note: {small / 'retrieval.yaml'}: listed in _sections.yaml but missing; its category is empty"
    checked = fmt(small, "--check")
    assert checked.exit_code == 1 and checked.stdout.startswith(f"would reformat {path}\n")
    assert checked.stderr.startswith(note)
    result = fmt(small)
    assert result.exit_code == 0 and result.stdout.startswith(f"reformatted {path}\n")
    assert result.stderr.startswith(note)
    assert not (small / "retrieval.yaml").exists()
