"""Speed of `lclm search`: whole-process start-up is what a user feels.

Prints medians of `lclm search rope` at 643, 10,000 and 100,000 papers, piped
and on a terminal (a pty, so Rich draws the table), next to `python -c pass`
in the same run, and the peak memory of a warm search at 100,000 papers.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ENV, LCLM, PAPERS, PYTHON, WORK, line, median_ms, synthetic_store  # noqa: E402

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


def main() -> None:
    """Print the search figures."""
    print(f"lclm search (whole process, warm index; median ms; load average {os.getloadavg()[0]:.1f})")
    base = median_ms([PYTHON, "-c", "pass"], runs=11, env=SEARCH_ENV)
    line("python -c pass", base)
    floor = median_ms([*LCLM, "--version"], runs=9, env=SEARCH_ENV)
    line("lclm --version (CLI start-up floor)", floor, note=f"{floor / base:.1f}x pass")
    stores = [(643, PAPERS), (10_000, synthetic_store(10_000)), (100_000, synthetic_store(100_000))]
    for n, root in stores:
        cmd = [*LCLM, "--papers", str(root), "search", "rope"]
        runs = 5 if n >= 100_000 else 9
        piped = median_ms(cmd, runs=runs, env=SEARCH_ENV)
        tty = tty_ms(cmd, runs=runs)
        note = f"(target {TARGET_PIPED}x / {TARGET_TTY}x)" if n == 643 else ""
        over = f"{piped / base:.1f}x pass, +{piped - floor:.0f} ms over the floor {note}"
        line(f"search rope, {n:,} papers, piped", piped, note=over.rstrip())
        line(f"search rope, {n:,} papers, terminal (Rich table)", tty, note=f"{tty / base:.1f}x pass")
    root = stores[-1][1]
    for query in (["language", "models"], ["strming", "llm", "attention", "sinks"], ["--author", "xipeng qiu"]):
        cmd = [*LCLM, "--papers", str(root), "search", *query]
        line(f"search {' '.join(query)}, 100,000 papers, piped", median_ms(cmd, runs=5, env=SEARCH_ENV))
    cmd = [*LCLM, "--papers", str(root), "search", "rope"]
    line("peak memory, warm search, 100,000 papers", peak_mb(cmd, SEARCH_ENV), unit="MB")
    for index in (WORK / "cache" / "lclm").glob("search-*"):
        index.unlink()
    start = time.perf_counter()
    memory = peak_mb(cmd, SEARCH_ENV)
    elapsed = (time.perf_counter() - start) * 1000
    line("index rebuild, 100,000 papers (store cache warm)", elapsed, note=f"peak {memory:.0f} MB")
    print(f"  (load average at the end: {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
