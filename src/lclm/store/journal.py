"""Writing several files as one: all of them or none, even if lclm is killed.

A write stages every new file as a complete, synced temporary file beside
its target, then records the ``(temporary, target)`` pairs in the store's
journal (``.lclm-journal``, itself renamed into place), then renames each
staged file over its target and removes the journal.  Killed before the
journal exists, the old files are untouched (the stray temporary files are
removed later); killed after, the journal is played to the end by the next
lclm that takes the store lock, so a store is always in the old or the new
state.  The caller holds the lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Collection
from pathlib import Path

from lclm.errors import LclmError, StoreError
from lclm.store import notices
from lclm.store.files import TEMP_SUFFIX, commit_staged, stage
from lclm.store.layout import JOURNAL_FILE

JOURNAL = JOURNAL_FILE
# A staged file: ".NAME.RANDOM.lclm-tmp" (``lclm.store.files._make_temp``).
_STAGED_RE = re.compile(r"^\.(.+)\.[0-9a-f]{12}" + re.escape(TEMP_SUFFIX) + "$")


def journal_path(root: Path) -> Path:
    """The journal of the store at ``root``."""
    return root / JOURNAL


def commit(root: Path, staged: list[tuple[Path, Path]], step: object = None) -> None:
    """Rename every staged file over its target, as one change.

    ``staged`` is ``(temporary, target)`` pairs from ``lclm.store.files.stage``,
    in the order the renames should happen.  ``step`` (test-only) is called
    after each step with its name.
    """
    mark = step if callable(step) else (lambda _name: None)
    path = journal_path(root)
    data = json.dumps([[str(tmp), str(target)] for tmp, target in staged], ensure_ascii=False)
    try:
        tmp = stage(path, data.encode(), in_place=False)
    except LclmError:
        tmp = None
    if tmp is None:
        raise StoreError("cannot write in the store's folder; nothing was changed", path=root)
    os.replace(tmp, path)
    _sync_dir(root)
    mark("journal")
    play(staged, mark)
    os.unlink(path)
    _sync_dir(root)
    mark("done")


def play(staged: list[tuple[Path, Path]], mark: object = None) -> None:
    """Rename each staged file that is still there over its target."""
    for tmp, target in staged:
        if tmp != target and tmp.exists():
            commit_staged(tmp, target)
        if callable(mark):
            mark(f"rename {target.name}")


def _replay(staged: list[tuple[Path, Path]]) -> tuple[int, set[str]]:
    """``play`` for recovery: every file that can be put in place is; the count, and the copies kept.

    A file that cannot (it should not happen: its staged copy sits beside
    it) is named in a notice rather than failing every command from now on,
    and its staged copy is kept for the user.
    """
    done, kept = 0, set[str]()
    for tmp, target in staged:
        if tmp == target or not tmp.exists():
            continue
        try:
            commit_staged(tmp, target)
            done += 1
        except (OSError, LclmError) as exc:
            kept.add(tmp.name)
            notices.note(f"{target}: could not finish an interrupted write ({exc}); the new text is in {tmp}")
    return done, kept


def recover(root: Path) -> int:
    """Finish an interrupted write and clear stray temporary files; the files completed.

    Call with the store lock held.  Returns how many files the journal
    still had to put in place (0 when there was nothing to finish), and
    files a notice saying so.
    """
    path = journal_path(root)
    done, kept = 0, set[str]()
    if path.exists():
        try:
            pairs = json.loads(path.read_bytes())
            staged = [(Path(a), Path(b)) for a, b in pairs]
        except (OSError, ValueError, TypeError):
            staged = []  # cannot happen (the journal is renamed into place): start clean
        done, kept = _replay(staged)
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StoreError(f"cannot finish an interrupted write ({exc.strerror}); run lclm as a user who can write the store", path=root) from None
        _sync_dir(root)
    clear_strays(root, kept)
    if done:
        notices.note(f"{root}: finished a write that was interrupted ({done} files put in place)")
    return done


def stray_files(root: Path) -> list[Path]:
    """Temporary files a write killed before its journal left: the store's own, and its READMEs'.

    A store write stages ``.NAME.RANDOM.lclm-tmp`` beside each file it
    writes (``lclm.store.files.stage``); only names of files a store write
    writes count (its YAML files, its journal, the READMEs next to it).
    """
    found = []
    for folder, own in ((root, _is_store_name), (root.parent, _is_readme_name)):
        with contextlib.suppress(OSError):
            for name in os.listdir(folder):
                match = _STAGED_RE.match(name)
                if match is not None and own(match.group(1)):
                    found.append(folder / name)
    return found


def clear_strays(root: Path, kept: Collection[str] = ()) -> int:
    """Remove the stray temporary files of killed writes (not those named in ``kept``); how many went.

    Call with the store lock held (shared is enough: a writer stages under
    the exclusive lock, so no staged file of a live write can be seen).
    """
    removed = 0
    for path in stray_files(root):
        if path.name in kept:
            continue
        try:
            os.unlink(path)
            removed += 1
        except OSError:
            continue  # validate names what is left
    if removed:
        notices.note(f"{root}: removed {removed} temporary file{'s' * (removed != 1)} an interrupted write left")
    return removed


def _is_store_name(name: str) -> bool:
    return name.endswith(".yaml") or name == JOURNAL or _is_readme_name(name)


def _is_readme_name(name: str) -> bool:
    return name.startswith("README") and name.endswith(".md")


def _sync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a crash of the machine, not only of lclm)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
