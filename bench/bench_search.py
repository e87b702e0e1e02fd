"""Quality and speed of `lclm search`.

First the relevance figures: top-1, top-3 and MRR@10 over the relevance set
(tests/search/relevance.yaml) on the frozen list, and whether every query
that should match no paper fully does; then issue #24's queries in a
researcher's own words (tests/search/own_words.yaml), per kind, tuned-on and
held-out apart.  Then speed, whole-process (start-up is what a
user feels): medians of `lclm search rope` at 641, 10,000 and 100,000 papers,
piped and on a terminal (a pty, so Rich draws the table), next to `python -c
pass` in the same run; after editing one title of one file of the 100,000
store; and the peak memory of a warm search at 100,000 papers.
``BENCH_SIZES=641,10000`` leaves out the 100,000-paper store (the edit and
memory figures are then taken on the largest store given).
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    ENV,
    LCLM,
    PAPERS,
    PYTHON,
    ROOT,
    WORK,
    line,
    median_ms,
    synthetic_store,
)

# A user's Python writes bytecode caches; without them every run recompiles lclm.
SEARCH_ENV = {k: v for k, v in ENV.items() if k != "PYTHONDONTWRITEBYTECODE"}
TTY_ENV = {**{k: v for k, v in SEARCH_ENV.items() if k != "NO_COLOR"}, "TERM": "xterm-256color"}
TARGET_PIPED, TARGET_TTY = 8, 12  # times `python -c pass`


def tty_ms(cmd: list[str], runs: int = 7, env: dict[str, str] | None = None) -> float:
    """Median wall time of a whole process whose output is a 120x40 terminal."""
    import fcntl
    import termios

    times = []
    for n in range(runs + 1):  # the first run is untimed
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env or TTY_ENV)
        os.close(slave)
        while True:  # drain the terminal, or the child blocks on a full pty
            ready, _, _ = select.select([master], [], [], 5)
            try:
                if not ready or not os.read(master, 65536):
                    break
            except OSError:  # EIO: the child closed its end
                break
        proc.wait()
        elapsed = (time.perf_counter() - start) * 1000
        os.close(master)
        if n:
            times.append(elapsed)
    return statistics.median(times)


def peak_mb(cmd: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of one run of ``cmd``, in MB (measured in a fresh parent)."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([PYTHON, "-c", probe, *cmd], env=env, capture_output=True, text=True, check=True)
    return int(out.stdout) / 1024


def relevance() -> None:
    """Print how well the ranking finds what the relevance set's queries mean."""
    import yaml

    from lclm.search.relevance import measure, report

    os.environ["XDG_CACHE_HOME"] = str(WORK / "cache")
    cases = yaml.safe_load((ROOT / "tests" / "search" / "relevance.yaml").read_text(encoding="utf-8"))
    figures = measure(ROOT / "tests" / "data" / "store", cases)
    print(f"lclm search relevance ({figures.queries} queries on the frozen list; target top-3 >= 95 %)")
    line("top-1", 100 * figures.top1, unit="%")
    line("top-3", 100 * figures.top3, unit="%", note=" ".join(f"{k} {100 * v:.0f}%" for k, v in figures.by_kind.items()))
    line("MRR@10", figures.mrr10, unit="")
    for query, found in figures.missed:
        print(f"    not in the top 3: {query!r} -> {', '.join(found) or 'nothing'}")
    nothing = len(cases["none"]) - len(figures.noisy)
    line("queries that should match no paper fully and do not", nothing, unit=f"of {len(cases['none'])}")
    for query, found in figures.noisy:
        print(f"    matched fully: {query!r} -> {', '.join(found)}")
    own = yaml.safe_load((ROOT / "tests" / "search" / "own_words.yaml").read_text(encoding="utf-8"))
    print("issue #24: queries in a researcher's own words (target top-3 >= 90 %, each kind >= 75 %, names 100 %)")
    for held, title in ((None, "all"), (False, "tuned on"), (True, "held out")):
        for text in report(measure(ROOT / "tests" / "data" / "store", own, held=held), title):
            print(f"  {text}")


def after_edit(root: Path) -> None:
    """Print a search right after editing one title of one file (one segment rebuilt)."""
    cmd = [*LCLM, "--papers", str(root), "search", "rope"]
    subprocess.run(cmd, env=SEARCH_ENV, capture_output=True)  # warm
    path = root / "length-extrapolation.yaml"
    original = path.read_text(encoding="utf-8")
    times = []
    for n in range(3):
        text = path.read_text(encoding="utf-8")
        # A word into the first title, inside its quotes if it has them: the file stays valid YAML.
        path.write_text(re.sub(r"^(  title: )(['\"]?)", rf"\1\2Edited{n} ", text, count=1, flags=re.M), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(cmd, env=SEARCH_ENV, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    path.write_text(original, encoding="utf-8")
    line("search rope after editing one title, largest store", statistics.median(times), note="(target 3 s at 100,000)")


def main() -> None:
    """Print the search figures."""
    relevance()
    print()
    print(f"lclm search (whole process, warm index; median ms; load average {os.getloadavg()[0]:.1f})")
    base = median_ms([PYTHON, "-c", "pass"], runs=11, env=SEARCH_ENV)
    line("python -c pass", base)
    floor = median_ms([*LCLM, "--version"], runs=9, env=SEARCH_ENV)
    line("lclm --version (CLI start-up floor)", floor, note=f"{floor / base:.1f}x pass")
    sizes = [int(n) for n in os.environ.get("BENCH_SIZES", "").split(",") if n] or [641, 10_000, 100_000]
    stores = [(n, PAPERS if n <= 641 else synthetic_store(n)) for n in sizes]
    for n, root in stores:
        cmd = [*LCLM, "--papers", str(root), "search", "rope"]
        runs = 5 if n >= 100_000 else 9
        piped = median_ms(cmd, runs=runs, env=SEARCH_ENV)
        tty = tty_ms(cmd, runs=runs)
        note = f"(target {TARGET_PIPED}x / {TARGET_TTY}x)" if n <= 641 else ""
        over = f"{piped / base:.1f}x pass, +{piped - floor:.0f} ms over the floor {note}"
        line(f"search rope, {n:,} papers, piped", piped, note=over.rstrip())
        line(f"search rope, {n:,} papers, terminal (Rich table)", tty, note=f"{tty / base:.1f}x pass")
    largest, root = stores[-1]
    queries = (
        ["language", "models"],
        ["strming", "llm", "attention", "sinks"],
        ["--author", "xipeng qiu"],
        ["evict", "kv", "cache", "tokens", "with", "low", "attention"],  # partial matches only
        ["flsh", "attention"],  # a typo tried joined too
        ["quantize", "the", "kv", "cache", "to", "2", "bits", "--explain"],
    )
    for query in queries:
        cmd = [*LCLM, "--papers", str(root), "search", *query]
        line(f"search {' '.join(query)}, {largest:,} papers, piped", median_ms(cmd, runs=5, env=SEARCH_ENV))
    cmd = [*LCLM, "--papers", str(root), "search", "rope"]
    line(f"peak memory, warm search, {largest:,} papers", peak_mb(cmd, SEARCH_ENV), unit="MB")
    after_edit(root)
    shutil.rmtree(WORK / "cache" / "lclm" / "search", ignore_errors=True)
    start = time.perf_counter()
    memory = peak_mb(cmd, SEARCH_ENV)
    elapsed = (time.perf_counter() - start) * 1000
    line(f"index rebuild, {largest:,} papers (store cache warm)", elapsed, note=f"peak {memory:.0f} MB")
    print(f"  (load average at the end: {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
