"""Store figures: cold vs warm load, import of the seed, render (issue 2)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from common import LCLM, PAPERS, PYTHON, ROOT, line, median_call_ms, median_ms, synthetic_store

from lclm.formats.markdown import render_list
from lclm.actions.import_markdown import import_markdown
from lclm.store.core import Store, cache_path, load_store

SEED = ROOT / "tests" / "data" / "lists" / "thus-spake-readme.md"


def _load_figures(root: Path, label: str) -> None:
    cold = median_call_ms(lambda: load_store(root, use_cache=False))
    load_store(root)  # fill the cache
    assert cache_path(root).exists()
    warm = median_call_ms(lambda: load_store(root), runs=9)
    line(f"load {label}: cold (full YAML parse)", cold)
    line(f"load {label}: warm (unchanged store, JSON cache)", warm, note=f"ratio {cold / warm:.1f}x (target >= 10x)")
    store = load_store(root)
    line(f"render {label} as Markdown", median_call_ms(lambda: render_list(store)))


def main() -> None:
    print("store (issue 2): medians, in-process unless marked whole process")
    _load_figures(PAPERS, f"{len(load_store(PAPERS).papers)} papers")
    text = SEED.read_text(encoding="utf-8")
    line("import the seed list (643 entries) into an empty store", median_call_ms(
        lambda: import_markdown(Store(Path(tempfile.mkdtemp()), [], []), SEED, text)
    ))
    big = synthetic_store(10_000)
    _load_figures(big, "10,000 papers")
    line("whole process: python -c pass", median_ms([PYTHON, "-c", "pass"]))
    line("whole process: lclm export markdown (643)", median_ms([*LCLM, "--papers", str(PAPERS), "export", "markdown"]))
    line("whole process: lclm export markdown (10,000)", median_ms([*LCLM, "--papers", str(big), "export", "markdown"], runs=3))


if __name__ == "__main__":
    main()
