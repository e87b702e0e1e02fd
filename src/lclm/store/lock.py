"""The store lock: one writer at a time, and no reader in the middle of a write.

A ``flock`` on the store directory itself: exclusive for a writer, shared
for a reader while it reads the files.  The kernel releases
it when its holder exits however it dies, so a lock is never left stale; a
write the holder did not finish is completed by ``lclm.store.journal`` the
next time the lock is taken.  Waiting is bounded (``$LCLM_LOCK_TIMEOUT``
seconds, default 120) so a hung writer gives an error, not a hang.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from lclm.errors import StoreError

DEFAULT_TIMEOUT = 120.0


def lock_timeout() -> float:
    """Seconds to wait for another writer: ``$LCLM_LOCK_TIMEOUT``, by default 120."""
    raw = os.environ.get("LCLM_LOCK_TIMEOUT", "").strip()
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


# Stores this process holds the lock of: taking it again (a load inside a transaction) is free.
_held: set[str] = set()


@contextlib.contextmanager
def locked(root: Path, shared: bool = False) -> Iterator[None]:
    """Hold the store's lock: exclusive for a read-modify-write, ``shared`` to read.

    Re-entrant within a process: a flock on a second descriptor would wait
    for the first, forever.
    """
    import fcntl

    key = os.path.realpath(root)
    if key in _held:
        yield
        return
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise StoreError(f"cannot lock the paper store ({exc.strerror})", path=root) from None
    try:
        deadline = time.monotonic() + lock_timeout()
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreError("another lclm process is writing the store; try again when it has finished", path=root) from None
                time.sleep(0.05)
        _held.add(key)
        try:
            yield
        finally:
            _held.discard(key)
    finally:
        os.close(fd)


@contextlib.contextmanager
def reading(root: Path) -> Iterator[None]:
    """Hold the store's shared lock to read its files, having finished an interrupted write first.

    Every reader of the store's files reads inside this, so none sees a
    write half done or the files an interrupted write left; the temporary
    files of a write killed before its journal are removed here too, so
    every command, read-only ones included, clears them (one listing of
    the folder: cheap).
    """
    from lclm.store.files import TEMP_SUFFIX
    from lclm.store.layout import JOURNAL_FILE

    try:
        names = os.listdir(root)
    except OSError:
        names = []
    if JOURNAL_FILE in names:
        from lclm.store.journal import recover

        with locked(root):
            recover(root)
    with locked(root, shared=True):
        if JOURNAL_FILE not in names and (
            any(n.endswith(TEMP_SUFFIX) for n in names) or _readme_strays(root, TEMP_SUFFIX)
        ):
            from lclm.store.journal import clear_strays

            clear_strays(root)
        yield


def _readme_strays(root: Path, suffix: str) -> bool:
    """Whether the folder holding the store has a README's temporary file (cheap: one listing)."""
    try:
        return any(n.startswith(".README") and n.endswith(suffix) for n in os.listdir(root.parent or "."))
    except OSError:
        return False
