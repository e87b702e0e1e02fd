"""Import figures (issues 10 and 22): entries read from each list, the figures on the real lists
against their hand-written truths, and 1,000- and 10,000-entry imports.

The 10,000-entry list is made from the real lists' own items (all six
shapes: seed bullets, numbered items, plain titles with labelled links,
table rows), each copy given a distinct title word and arXiv id so no two
are the same paper, under as many headings as the originals.  It is timed
as a whole ``lclm import markdown`` process into an empty store (parse,
keys, duplicate check, write): issue 22's targets are 1,000 entries under
2 s and 10,000 under 10 s.  The real-list figures come from
``tests/sources/markdown_truth.py`` (the scorer the tests assert with).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

from common import ENV, LCLM, ROOT, WORK, line

from lclm.sources.markdown import parse_markdown

sys.path.insert(0, str(ROOT / "tests" / "sources"))
from markdown_truth import Figures, lists, score  # noqa: E402 - the scorer lives with the tests

LISTS = ROOT / "tests" / "data" / "lists"
ENTRIES = 10_000
_ARXIV_RE = re.compile(r"\d{4}\.\d{4,5}")


def _shapes() -> list[tuple[str, str]]:
    """(table header or "", source lines of one entry) for every entry read from the lists."""
    out: list[tuple[str, str]] = []
    for path in sorted(LISTS.glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for entry in parse_markdown("\n".join(lines)).entries():
            text = lines[entry.line - 1]
            header = "| Title & Authors | Introduction | Links |\n|:--|:--:|:--:|\n" if text.startswith("|") else ""
            if len(parse_markdown(f"## S\n{header}{text}\n").entries()) == 1:  # its first line alone is the entry
                out.append((header, text))
    return out


def big_list(n: int = ENTRIES) -> str:
    """A Markdown list of ``n`` distinct entries in the real lists' shapes, 100 per heading."""
    shapes = _shapes()
    parts: list[str] = []
    for i in range(n):
        header, text = shapes[i % len(shapes)]
        if i % 100 == 0:
            parts.append(f"\n## Section {i // 100}\n")
        if header and (i % 100 == 0 or not shapes[(i - 1) % len(shapes)][1].startswith("|")):
            parts.append("\n" + header.rstrip("\n"))
        elif not header and parts and parts[-1].startswith("|"):
            parts.append("")
        ident = f"{15 + i % 10:02d}{1 + i % 12:02d}.{i:05d}"  # a valid arXiv id (yymm.number), distinct per entry
        varied = _ARXIV_RE.sub(ident, text)
        varied = re.sub(r"(\[\**)([A-Z])", rf"\g<1>Variant{i} \g<2>", varied, count=1)
        if varied == text or "Variant" not in varied:
            varied = re.sub(r"^(\s*(?:[-*+]|\d+\.)\s+)", rf"\g<1>Variant{i} ", varied, count=1)
        parts.append(varied)
    return "\n".join(parts) + "\n"


def main() -> None:
    print("import markdown (issue 10): entries read per list")
    for path in sorted(LISTS.glob("*.md")):
        parsed = parse_markdown(path.read_text(encoding="utf-8"))
        read, seen = len(parsed.entries()), len(parsed.entries()) + len(parsed.problems)
        line(f"{path.stem[:40]}: read of {seen}", read, "entries", f"({len(parsed.problems)} reported)")
    real_lists()
    for n, target_ms in ((1_000, 2_000), (ENTRIES, 10_000)):
        timed_import(n, target_ms)


def real_lists() -> None:
    """Issue 22's figures per real list and over all (targets: read 95%, titles 97%, authors and years 95%)."""
    print("import markdown (issue 22): real lists against hand-written truths")
    total = Figures()
    for path in lists():
        figures = score(path)
        total.add(figures)
        print("  " + figures.row(path.stem))
    print("  " + total.row("all lists"))


def timed_import(n: int, target_ms: int) -> None:
    """Parse, then import (a whole process, into an empty store) a list of ``n`` distinct entries."""
    source = WORK / f"import-{n}.md"
    source.write_text(big_list(n), encoding="utf-8")
    start = time.perf_counter()
    parsed = parse_markdown(source.read_text(encoding="utf-8"))
    parse_ms = (time.perf_counter() - start) * 1000
    line(f"parse a {n:,}-entry list (in process)", parse_ms, "ms", f"({len(parsed.entries())} read)")
    target = WORK / f"import-store-{n}"
    start = time.perf_counter()
    done = subprocess.run([*LCLM, "--papers", str(target), "import", "markdown", "--partial", str(source)], env=ENV, capture_output=True, text=True)
    took = time.perf_counter() - start
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()
    line(f"lclm import markdown, {n:,} entries, empty store", took * 1000, "ms", f"(target < {target_ms} ms; {summary[:60]})")
    checked = subprocess.run([*LCLM, "--papers", str(target), "validate"], env=ENV, capture_output=True, text=True)
    verdict = (checked.stdout.strip().splitlines() or [checked.stderr.strip()])[-1]
    print(f"  the store it wrote, validated: exit {checked.returncode}, {verdict}")


if __name__ == "__main__":
    main()
