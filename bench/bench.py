"""`make bench`: run the bench modules in turn and print their figures.

``BENCH=dedupe make bench`` (or ``python bench/bench.py dedupe``) runs one.
To add a bench, write ``bench/bench_NAME.py`` with a ``main()`` that prints
its figures and add its NAME to ``BENCHES``.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# The benches `make bench` runs, in this order (one line each).
BENCHES = [
    "startup",  # start-up ratios against the interpreter (issue 15.4)
    "scale",  # cold / after one edit / warm at 641, 10,000 and 100,000 papers (issue 15)
    "store",
    "validate",
    "validate_memory",  # peak memory validating one file of 100,000 papers (issue 25.8)
    "search",
    "export",
    "dedupe",
    "import",  # entries read per corpus list, a 10,000-entry import (issue 10.9)
    "import_bibtex",  # 5,000 and 20,000 BibTeX entries imported (issue 25.8)
    "refresh",  # requests of a refresh of the list, warm-cache run (issue 14.7)
    "watch",  # lclm watch: category leave-one-out, ranking precision@50, a 2,000-candidate feed (issue 28)
    "html",  # export html, a 10,000-paper page in Chromium, screenshots to bench/out/ (issue 13.6)
]


def main() -> None:
    """Run the benches named on the command line, or all of them."""
    wanted = sys.argv[1:] or BENCHES
    total = time.perf_counter()
    failed = []
    for name in wanted:
        start = time.perf_counter()
        try:
            importlib.import_module(f"bench_{name}").main()
        except Exception:  # one broken bench must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
        print(f"  ({name}: {time.perf_counter() - start:.0f} s)\n", flush=True)
    print(f"bench: {time.perf_counter() - total:.0f} s in all" + (f"; failed: {', '.join(failed)}" if failed else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
