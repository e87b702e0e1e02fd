"""`make bench`: run every bench_*.py in turn and print its figures."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ORDER = ["store", "validate", "search", "export", "dedupe"]


def main() -> None:
    names = [p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py")]
    wanted = sys.argv[1:] or sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else 99, n))
    for name in wanted:
        start = time.perf_counter()
        importlib.import_module(f"bench_{name}").main()
        print(f"  ({name}: {time.perf_counter() - start:.0f} s)\n")


if __name__ == "__main__":
    main()
