"""Scale figures (issue 15): cold / after-one-edit / warm time and peak memory.

For the committed list (641 papers) and synthetic stores of 10,000 and
100,000 papers (12 category files, fields cloned from the real list), each
command runs as a whole process with its own empty cache directory:

- cold: no cache at all (the first run after installing);
- edited: right after one title in one category file was changed;
- warm: nothing changed since the last run: the run right after each edited one,
  so the two are measured in pairs (medians of 15 pairs at 641 papers).

Peak memory is the child's own maximum resident set (``os.wait4``; a cold
`validate` or `search` on a big store also forks workers, whose own peak
counts when larger).  Cold runs also print their CPU time (user + system,
workers included), which a busy machine changes less than wall time; the
load average is printed at the start and the end.
``BENCH_SIZES=641,10000 make bench`` limits the sizes.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from common import ENV, LCLM, PAPERS, WORK, synthetic_store

# The four commands whose scale issue 15 sets targets for (whole process, after one edit at 100k).
COMMANDS: dict[str, tuple[list[str], float]] = {
    "search rope": (["search", "rope"], 3.0),
    "validate": (["validate"], 3.0),
    "export bibtex": (["export", "bibtex"], 20.0),
    "dedupe": (["dedupe"], 20.0),
}
SIZES = [641, 10_000, 100_000]
TIMEOUT = 600  # a run that takes longer is reported, not waited for
Run = tuple[float, float, str, float]  # wall seconds, peak MB, note, CPU seconds
EDITS = itertools.count(1)  # each edit writes another title, so every edit is a change


def run_once(cmd: list[str], env: dict[str, str]) -> Run:
    """Wall seconds, peak RSS (MB) and a failure note ('' when fine) of one whole-process run.

    The child is reaped with ``os.wait4`` so its own peak memory is read, not
    the largest of every child so far.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child becomes the command, output discarded, stderr kept
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(err.fileno(), 2)
            try:
                os.execve(cmd[0], cmd, env)
            finally:
                os._exit(127)
        while True:
            done, _, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.perf_counter() - start > TIMEOUT:
                os.kill(pid, signal.SIGKILL)
                os.wait4(pid, 0)
                return time.perf_counter() - start, float("nan"), f"killed after {TIMEOUT} s", float("nan")
            time.sleep(0.002)
        took = time.perf_counter() - start
        err.seek(0)
        text = err.read()
        note = "traceback" if b"Traceback" in text else "error" if b"lclm: error" in text else ""
    return took, usage.ru_maxrss / 1024, note, usage.ru_utime + usage.ru_stime


def edit_one_title(root: Path, round_: int) -> None:
    """Change the first title of one category file (another word each round), as a curator would."""
    path = sorted(p for p in root.glob("*.yaml") if not p.name.startswith("_"))[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, text in enumerate(lines):
        head, found, value = text.partition("title: ")
        if found and not head.strip("- "):
            quote = value[:1] if value[:1] in "'\"" else ""
            value = value[len(quote):].removeprefix(f"Edited{round_ - 1} ")
            lines[i] = f"{head}title: {quote}Edited{round_} {value}"
            break
    path.write_text("\n".join(lines), encoding="utf-8")


def store_of(n: int) -> Path:
    """A private copy of the store with ``n`` papers (the committed list for 641)."""
    dest = WORK / f"scale-{n}"
    if not dest.exists():
        source = PAPERS if n == 641 else synthetic_store(n)
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns("*.md"))
    return dest


def _cell(took: float, rss: float, note: str, cpu: float = 0.0) -> str:
    return f"{took:7.2f} s {rss:5.0f} MB" + (f" ({note})" if note else "")


def measure(n: int, name: str, args: list[str], runs: int) -> tuple[Run, Run, Run]:
    """Cold, edited and warm runs of one command on the store of ``n`` papers (medians of ``runs``)."""
    root = store_of(n)
    env = ENV | {"XDG_CACHE_HOME": str(WORK / f"cache-{n}-{name.replace(' ', '-')}")}
    shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
    cmd = [*LCLM, "--papers", str(root), *args]
    cold = run_once(cmd, env)
    edited, warm = [], []
    for _ in range(runs):  # in pairs, so a slow spell of the machine weighs on both alike
        edit_one_title(root, next(EDITS))
        edited.append(run_once(cmd, env))
        warm.append(run_once(cmd, env))
    return cold, _median(edited), _median(warm)


def _median(runs: list[Run]) -> Run:
    return sorted(runs)[len(runs) // 2]


def main() -> None:
    """Print the scale table."""
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "").split(",") if s] or SIZES
    print("scale (issue 15): whole process, wall time and peak memory; cold = no cache, "
          "edited = right after one title changed in one file, warm = the run after it (medians of 15, 3, 1 pairs by size)")
    print(f"  {'papers':>7}  {'command':<14} {'cold':>20} {'edited':>20} {'warm':>20}")
    print(f"  (load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    for n in sizes:
        start = time.perf_counter()
        store_of(n)
        print(f"  ({n:,} papers: store made in {time.perf_counter() - start:.0f} s)")
        for name, (args, target) in COMMANDS.items():
            cold, edited, warm = measure(n, name, args, runs=15 if n < 10_000 else 3 if n < 100_000 else 1)
            note = ""
            if n == 100_000:
                note = f"  target after edit < {target:g} s, < 1024 MB; cold < 30 s" + ("; warm < 0.5 s" if name == "search rope" else "")
            elif n == 641:
                note = f"  edited/warm {edited[0] / warm[0]:.2f} (target <= 1.5)"
            if n >= 10_000:
                note = f"  cold CPU {cold[3]:.1f} s" + note
            print(f"  {n:>7,}  {name:<14} {_cell(*cold):>20} {_cell(*edited):>20} {_cell(*warm):>20}{note}")
    print(f"  (load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main()
