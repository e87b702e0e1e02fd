"""`validate` of one category file of 100,000 papers (issue 25.8): peak memory, cold, edited and warm.

The store holds the synthetic 100,000 papers (``common.synthetic_store``) in
one category file.  Cold is the first run with no cache at all (every paper
parsed and checked); edited the run right after one title changed; warm the
run after that.  The README promises < 1 GB.
"""

from __future__ import annotations

from pathlib import Path

from bench_scale import edit_one_title, run_once
from common import ENV, LCLM, WORK, line, synthetic_store

from lclm.store.layout import Section, Store
from lclm.store.load import load_store
from lclm.store.transaction import save_store

PAPERS = 100_000


def _one_file() -> str:
    root = WORK / f"one-file-{PAPERS}"
    if not root.exists():
        store = load_store(synthetic_store(PAPERS), use_cache=False)
        for paper in store.papers:
            paper.category = "all"
        save_store(Store(root, [Section("All papers", "all.yaml")], store.papers))
    return str(root)


def main() -> None:
    """Print wall time and peak memory of a cold and a warm validate."""
    root = _one_file()
    env = {**ENV, "XDG_CACHE_HOME": str(WORK / "cache-validate-memory")}
    print(f"validate, one category file of {PAPERS:,} papers (issue 25.8)")
    for label in ("cold", "edited", "warm"):
        if label == "edited":
            edit_one_title(Path(root), 1)
        took, rss, note, _ = run_once([*LCLM, "--papers", root, "validate"], env)
        line(f"{label}: peak memory (max RSS)", rss, "MB", f"{took:.1f} s (target < 1024 MB) {note}".strip())
