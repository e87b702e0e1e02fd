"""Spreading the independent pieces of a big job over the machine's cores (forked workers).

For the first run of `validate` and `search` on a big store, when each
category file is checked or indexed on its own: on two cores that run takes
a little over half the time.  Linux only: forked workers inherit the loaded
modules and the data, and are sent only a piece's number.  Elsewhere, with
one core, or with ``LCLM_JOBS=1``, callers do the pieces themselves, in the
same order, with the same results.  Pure plumbing: no lclm module imported.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

# The job of the current pool, read by the forked workers (a closure cannot be sent to them).
_work: Callable[[int], Any] | None = None


def jobs() -> int:
    """How many worker processes a job may use: ``LCLM_JOBS`` if set, else the cores this process may run on."""
    raw = os.environ.get("LCLM_JOBS", "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run_forked(count: int, work: Callable[[int], Any]) -> list[Any] | None:
    """``[work(0), ..., work(count - 1)]`` computed by forked workers, or None when that cannot be done here.

    None (the caller does the work itself) with one piece, one core, or no
    ``fork``.  Pieces are handed out one at a time in order, so a caller
    giving the biggest first keeps the workers evenly busy.  An exception in
    a piece is raised here, as if the caller had run it.
    """
    global _work
    workers = min(count, jobs())
    if workers < 2 or not sys.platform.startswith("linux"):
        return None
    import multiprocessing

    _work = work
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_run, range(count), chunksize=1)
    finally:
        _work = None


def _run(number: int) -> Any:
    assert _work is not None  # set by run_forked before the workers were forked
    return _work(number)
