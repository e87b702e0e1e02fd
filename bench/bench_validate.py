"""Validate figures (issue 3): whole-process `lclm validate` next to Python's own floor.

Whole-process medians, all measured in this run.  "warm" means lclm's cache
holds every file's result (the usual case: validate runs on every commit and
most files did not change); "no cache" points the cache at an unwritable
place, so every file is parsed.  Bytecode writing is allowed for these runs
(a user's install has .pyc files), whatever PYTHONDONTWRITEBYTECODE says.
"""

from __future__ import annotations

import itertools
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from common import (
    ENV,
    LCLM,
    PAPERS,
    PYTHON,
    WORK,
    line,
    median_call_ms,
    median_ms,
    synthetic_store,
)

from lclm.checks.validate import cross_check, validate
from lclm.ids import arxiv_in
from lclm.store.load import load_store
from lclm.store.transaction import save_store

RUN_ENV = {k: v for k, v in ENV.items() if k != "PYTHONDONTWRITEBYTECODE"}
NO_CACHE = {**RUN_ENV, "XDG_CACHE_HOME": "/dev/null/no-cache"}


def _validate(root: Path, *args: str) -> list[str]:
    return [*LCLM, "--papers", str(root), "validate", *args]


def _valid_synthetic(n: int) -> Path:
    """``synthetic_store(n)`` with arXiv ids that exist in form (its ``2000.NNNNN`` have month 00).

    The clones keep their original's venue, which names the original's arXiv
    id; it is rewritten to name the clone's, so the store is clean and the
    figures time checking, not printing thousands of problems.
    """
    dest = WORK / f"valid-{n}"
    if dest.exists():
        return dest
    source = synthetic_store(n)
    store = load_store(source, use_cache=False)
    for paper in store.papers:
        if paper.arxiv.startswith("2000."):
            paper.arxiv = "1501." + paper.arxiv.split(".")[1]  # no paper of the list is from 2015-01
            paper.url = f"https://arxiv.org/abs/{paper.arxiv}"
            paper.venue = f"arXiv preprint arXiv:{paper.arxiv}" if arxiv_in(paper.venue) else paper.venue
    shutil.copytree(source, dest)
    store.root = dest
    save_store(store)
    return dest


def _one_file_edited(root: Path) -> float:
    """In-process validate of a copy of ``root`` in which one file changes between runs."""
    dest = WORK / f"{root.name}-edited"
    if not dest.exists():
        shutil.copytree(root, dest)
    path = dest / "long-context-evaluation.yaml"
    text = path.read_text(encoding="utf-8")
    versions = itertools.cycle([text, text.replace("title: ", "title: Edited ", 1)])
    validate(dest)

    def once() -> None:
        path.write_text(next(versions), encoding="utf-8")
        validate(dest)

    return median_call_ms(once)


def _interleaved(commands: dict[str, tuple[list[str], dict[str, str]]], rounds: int = 9) -> dict[str, tuple[float, float]]:
    """Median and minimum ms of each command, run in turns so load on the machine hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for cmd, env in commands.values():
        subprocess.run(cmd, env=env, capture_output=True)  # warm the OS cache and lclm's
    for _ in range(rounds):
        for name, (cmd, env) in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True)
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: (statistics.median(t), min(t)) for name, t in times.items()}


def main() -> None:
    print("validate (issue 3): whole-process medians (min in the note), commands run in turns")
    papers = len(load_store(PAPERS).papers)
    big = _valid_synthetic(10_000)
    one = str(PAPERS / "long-context-evaluation.yaml")
    figures = _interleaved({
        "python -c pass": ([PYTHON, "-c", "pass"], RUN_ENV),
        "python -c 'import yaml'": ([PYTHON, "-c", "import yaml"], RUN_ENV),
        "python -c 'import lclm.cli.main' (imports every command module)": ([PYTHON, "-c", "import lclm.cli.main"], RUN_ENV),
        "lclm --version (the floor of any lclm command)": ([*LCLM, "--version"], RUN_ENV),
        f"lclm validate, committed list ({papers} papers), warm": (_validate(PAPERS), RUN_ENV),
        "lclm validate papers/x.yaml (as pre-commit runs it), warm": (_validate(PAPERS, one), RUN_ENV),
        "lclm validate, synthetic 10,000 papers, warm": (_validate(big), RUN_ENV),
    })
    yaml_ms = figures["python -c 'import yaml'"][0]
    for name, (median, least) in figures.items():
        ratio = f"; {median / yaml_ms:.2f}x import yaml (target <= 3x)" if "committed list" in name else ""
        line(name, median, note=f"min {least:.1f}{ratio}")
    line(f"lclm validate, committed list ({papers} papers), no cache", median_ms(_validate(PAPERS), env=NO_CACHE))
    line("lclm validate, synthetic 10,000 papers, no cache (3 runs)", median_ms(_validate(big), env=NO_CACHE, runs=3))
    # Linear growth: the in-process check itself, per paper, at two sizes.
    for root in (_valid_synthetic(2_500), big):
        n = len(load_store(root).papers)
        validate(root)  # fill the cache
        ms = median_call_ms(lambda root=root: validate(root))
        line(f"in-process validate, {n:,} papers, warm", ms, note=f"{1000 * ms / n:.1f} us/paper")
    line(f"in-process validate, {papers} papers, one file edited since the last run", _one_file_edited(PAPERS))
    from lclm.checks.file import check_category

    entries = {}
    for path in sorted(big.glob("*.yaml")):
        if path.name != "_sections.yaml":
            entries[str(path)] = check_category(path, path.read_bytes()).papers
    line("cross-file collision check alone, 10,000 papers", median_call_ms(lambda: cross_check(entries)))


if __name__ == "__main__":
    main()
