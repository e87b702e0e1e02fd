"""Store figures (issues 2 and 15): loading cold, right after one edit, and warm; import; render.

In-process, one store at a time:

- cold: no cache entry at all (parse every file, write its cache entry);
- edited: right after one title in the largest category file changed
  (only that file is parsed again);
- warm: nothing changed since the last load.

``BENCH_STORE_SIZES=641,10000`` leaves out the 100,000-paper store (its
cold load runs once and takes a while).
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from pathlib import Path

from common import (
    ENV,
    LCLM,
    PAPERS,
    ROOT,
    line,
    median_call_ms,
    median_ms,
    synthetic_store,
)

from lclm.actions.import_markdown import import_markdown
from lclm.formats.markdown import render_list
from lclm.store.cache import cache_file
from lclm.store.layout import SECTIONS_FILE, Store
from lclm.store.load import load_store

SEED = ROOT / "tests" / "data" / "lists" / "thus-spake-readme.md"
_edits = itertools.count()


def _forget(root: Path) -> None:
    shutil.rmtree(cache_file(root, "store", "x").parent, ignore_errors=True)


def _edit(root: Path) -> None:
    """Change one title in the largest category file, as a curator would."""
    path = max((p for p in root.glob("*.yaml") if p.name != SECTIONS_FILE), key=lambda p: p.stat().st_size)
    text = path.read_text(encoding="utf-8")
    at = text.index("  title: ") + len("  title: ")
    at += text[at] in "'\""  # inside the quotes of a quoted title
    path.write_text(f"{text[:at]}E{next(_edits)} {text[at:]}", encoding="utf-8")


def _load_figures(root: Path, label: str, runs: int) -> None:
    def cold() -> None:
        _forget(root)
        load_store(root)

    def edited() -> None:
        load_store(root)

    cold_ms = median_call_ms(cold, runs=runs)
    load_store(root)
    edit_times = []
    for _ in range(runs):
        _edit(root)
        edit_times.append(median_call_ms(edited, runs=1))
    warm_ms = median_call_ms(lambda: load_store(root), runs=max(runs, 5))
    edit_ms = sorted(edit_times)[len(edit_times) // 2]
    line(f"load {label}: cold (no cache: parse all, write entries)", cold_ms)
    line(f"load {label}: after editing one title in one file", edit_ms, note=f"{edit_ms / warm_ms:.1f}x warm")
    line(f"load {label}: warm (unchanged, per-file cache)", warm_ms, note=f"cold/warm {cold_ms / warm_ms:.1f}x (target >= 10x)")


def main() -> None:
    print("store (issues 2, 15): medians, in-process unless marked whole process")
    os.environ["XDG_CACHE_HOME"] = ENV["XDG_CACHE_HOME"]  # the bench's own caches, not the user's
    sizes = [int(s) for s in os.environ.get("BENCH_STORE_SIZES", "641,10000,100000").split(",")]
    small = Path(tempfile.mkdtemp()) / "papers"
    shutil.copytree(PAPERS, small)
    count = len(load_store(small).papers)
    if 641 in sizes:
        _load_figures(small, f"{count} papers", runs=5)
        store = load_store(small)
        line(f"render {count} papers as Markdown", median_call_ms(lambda: render_list(store)))
        text = SEED.read_text(encoding="utf-8")
        line("import the seed list (643 entries) into an empty store", median_call_ms(
            lambda: import_markdown(Store(Path(tempfile.mkdtemp()), [], []), SEED, text)
        ))
    for n, runs in ((10_000, 3), (100_000, 1)):
        if n in sizes:
            big = synthetic_store(n)
            _load_figures(big, f"{n:,} papers", runs=runs)
    line("whole process: python -c pass", median_ms([LCLM[0], "-c", "pass"]))
    line(f"whole process: lclm export markdown ({count})", median_ms([*LCLM, "--papers", str(small), "export", "markdown"]))
    if 10_000 in sizes:
        big = synthetic_store(10_000)
        line("whole process: lclm export markdown (10,000)", median_ms([*LCLM, "--papers", str(big), "export", "markdown"], runs=3))


if __name__ == "__main__":
    main()
