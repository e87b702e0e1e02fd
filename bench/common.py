"""Shared bench helpers: whole-process timing and synthetic stores.

Figures are printed, never asserted; `make bench` runs bench/bench.py.
"""

from __future__ import annotations

import atexit
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PYTHON = sys.executable
LCLM = [PYTHON, "-m", "lclm"]
PAPERS = ROOT / "papers"
# The bench's own scratch directory (stores of up to 100,000 papers), removed when it ends.
WORK = Path(tempfile.mkdtemp(prefix="lclm-benchwork-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
# Bytecode may be written (the sandbox sets PYTHONDONTWRITEBYTECODE, which would
# recompile every module on every timed run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "XDG_CACHE_HOME": str(WORK / "cache"),
    "NO_COLOR": "1",
}


def median_ms(cmd: list[str], runs: int = 7, env: dict[str, str] | None = None, warm: bool = True) -> float:
    """Median wall time of a whole process, in ms (one untimed run first when warm)."""
    if warm:
        subprocess.run(cmd, env=env or ENV, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env or ENV, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def median_call_ms(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    """Median time of an in-process call, in ms."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def line(name: str, value: float, unit: str = "ms", note: str = "") -> None:
    """Print one figure."""
    print(f"  {name:<58} {value:>10.1f} {unit}  {note}".rstrip())


def synthetic_store(n: int, seed: int = 1) -> Path:
    """A store of ``n`` distinct papers made from the committed list (cached per n).

    Titles get extra words and numbers so no two papers are the same paper;
    arXiv ids and keys are unique.  Categories and sections are the real ones.
    """
    from lclm.store.layout import SECTIONS_FILE, Store
    from lclm.store.load import load_store
    from lclm.store.transaction import save_store

    dest = WORK / f"store-{n}"
    if dest.exists():
        return dest
    base = load_store(PAPERS, use_cache=False)
    rng = random.Random(seed)
    words = sorted({w for p in base.papers for w in p.title.split() if w.isalpha() and len(w) > 3})
    cats = [c.slug for c in base.categories()]
    papers = []
    for i in range(n):
        src = base.papers[i % len(base.papers)]
        clone = type(src).from_dict(src.to_dict(), category=cats[i % len(cats)])
        if i >= len(base.papers):
            extra = " ".join(rng.sample(words, 3))
            clone.title = f"{src.title} {extra} {i}"
            clone.key = f"{src.key}x{i}"
            # Real-looking new-style ids: a valid month, five digits, unique per i.
            clone.arxiv = f"15{1 + i // 90000 % 12:02d}.{i % 90000 + 10000:05d}"
            clone.url = f"https://arxiv.org/abs/{clone.arxiv}"
            if clone.venue.startswith("arXiv preprint"):
                clone.venue = f"arXiv preprint arXiv:{clone.arxiv}"
            clone.doi = ""
            clone.distinct = []
            clone.aka = []  # another paper's other name: two papers may not share one
        papers.append(clone)
    dest.mkdir(parents=True)
    shutil.copy(PAPERS / SECTIONS_FILE, dest / SECTIONS_FILE)
    save_store(Store(dest, base.sections, papers))
    return dest
