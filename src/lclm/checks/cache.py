"""What `lclm validate` remembers between runs: per-file results and README verdicts.

Stored as one JSON file in ``lclm.store.cache.cache_dir()`` per store (a run
after an edit writes the unchanged files' entries back as the text it read),
each entry keyed by the content hash of what it was computed from, and the whole cache
by a stamp of all of lclm's installed files (``lclm.store.cache.code_stamp``)
and the year (the year-range rule moves with it).
It is only a shortcut: a missing, stale or unreadable cache is rebuilt
silently, and a cached entry is used only for bytes that hash the same.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lclm.checks.result import FileResult
from lclm.store.cache import (
    cache_file,
    code_stamp,
    digest,
    make_stamp,
    read_blob,
    write_blob,
)
from lclm.store.layout import SECTIONS_FILE

CACHE_VERSION = 4
# Below this size the cache's entries are kept as the text read, to be written back unchanged;
# a bigger cache would hold its text twice in memory, so its entries are written again instead.
KEEP_TEXTS_BELOW = 4 << 20
# From this many bytes of category files to check, they are checked in worker processes.
PARALLEL_BYTES = 2 << 20
__all__ = ["Cache", "digest"]


def _state(digests: dict[str, str]) -> str:
    """One hash of every file's hash: the state of the whole store."""
    return digest("".join(f"{name}={value};" for name, value in sorted(digests.items())).encode())


def _stamp() -> str:
    # The year-range rule moves with the year; any change to lclm's code may change a result.
    return make_stamp("validate", CACHE_VERSION, str(time.localtime().tm_year), code_stamp())


class Cache:
    """The cache of one store; ``save`` writes it back if anything was computed."""

    def __init__(self, root: Path) -> None:
        self.path = cache_file(root, "validate", "results.json")
        self.stamp = _stamp()
        self.new: dict[str, Any] = {"files": {}, "readme": {}, "near": []}
        self.changed = False
        self.digests: dict[str, str] = {}  # file name -> content hash, as read this run
        self.before: dict[str, tuple[str, FileResult]] = {}  # a changed file -> its hash and result last run
        self.texts: dict[str, str] = {}  # a file's entry as read: written back as it is while the file is unchanged
        self.old: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        """The cache's data (``files``, ``readme``, ``near``), each file's entry text kept; {} when absent or foreign."""
        body = read_blob(self.path, self.stamp)
        if not body:
            return {}
        if len(body) < KEEP_TEXTS_BELOW:
            text = body.decode("utf-8", "replace")
            with contextlib.suppress(ValueError, IndexError, TypeError):
                files, at = _files(text, self.texts)
                rest = json.loads("{" + text[at + 1 :]) if text[at] == "," else {}
                if isinstance(rest, dict):
                    return {"files": files, **rest}
            self.texts.clear()
        with contextlib.suppress(ValueError):
            data = json.loads(body)  # big, or written otherwise: read whole, written back whole
            return data if isinstance(data, dict) else {}
        return {}

    def _get(self, part: str, name: str, key: str) -> Any:
        section = self.old.get(part)
        entry = section.get(name) if isinstance(section, dict) else None
        return entry[1] if isinstance(entry, list) and len(entry) == 2 and entry[0] == key else None

    def results(self, root: Path, blobs: dict[str, bytes]) -> dict[str, FileResult]:
        """Every file's result (``result``); when many bytes are to be checked, the files are checked
        side by side in worker processes (``lclm.workers``), with the same results."""
        looked = {name: self._lookup(name, blob) for name, blob in blobs.items()}
        todo = sorted(
            (name for name, (_, result, _) in looked.items() if result is None and name != SECTIONS_FILE),
            key=lambda name: -len(blobs[name]),  # the biggest first, so the workers finish together
        )
        checked: dict[str, FileResult] = {}
        if len(todo) > 1 and sum(len(blobs[name]) for name in todo) >= PARALLEL_BYTES:
            from lclm.checks.file import check_category
            from lclm.workers import run_forked

            found = run_forked(len(todo), lambda i: check_category(root / todo[i], blobs[todo[i]], looked[todo[i]][2]))
            checked = dict(zip(todo, found or [], strict=False))
        return {name: self._keep(root / name, blob, *looked[name], checked.get(name)) for name, blob in blobs.items()}

    def result(self, path: Path, blob: bytes) -> FileResult:
        """One file's result, from the cache when its bytes are unchanged.

        When they changed, the result for the file's previous bytes is passed
        on, so a category file's unchanged papers are not checked again.
        """
        return self._keep(path, blob, *self._lookup(path.name, blob))

    def _lookup(self, name: str, blob: bytes) -> tuple[str, FileResult | None, FileResult | None]:
        """The hash of a file's bytes, its cached result for them (or None), and its result for its bytes before."""
        key = self.digests[name] = digest(blob)
        before, result = None, None
        section = self.old.get("files")
        entry = section.get(name) if isinstance(section, dict) else None
        if isinstance(entry, list) and len(entry) == 2:
            with contextlib.suppress(TypeError, ValueError, KeyError):
                before = FileResult.from_json(entry[1])
            result = before if entry[0] == key else None
            if result is None and before is not None:
                self.before[name] = (entry[0], before)
        return key, result, before

    def _keep(
        self, path: Path, blob: bytes, key: str, result: FileResult | None, before: FileResult | None,
        checked: FileResult | None = None,
    ) -> FileResult:
        """The file's result (cached, ``checked`` already, or checked now), remembered for the next run."""
        if result is None:
            from lclm.checks.file import check_category, check_sections

            if checked is not None:
                result = checked
            elif path.name == SECTIONS_FILE:
                result = check_sections(path, blob)
            else:
                result = check_category(path, blob, before)
            self.changed = True
            self.new["files"][path.name] = [key, result.to_json()]
        else:
            self.new["files"][path.name] = _SAME  # the entry's text as read stays
        return result

    def near(self, compute: Callable[[list[Any] | None], tuple[list[list[Any]], list[list[Any]]]]) -> list[list[Any]]:
        """The store-wide near-duplicate rows, from the cache when no file changed since they were found.

        Else ``compute(pairs)`` gives the rows and the pairs, told the pairs
        found for the files as they were before (``before``), or None.
        """
        entry = self.old.get("near")
        if not (isinstance(entry, list) and len(entry) == 3):
            entry = ["", None, None]
        key = _state(self.digests)
        if entry[0] == key and isinstance(entry[1], list):
            rows, pairs = entry[1], entry[2]
        else:
            files = self.old.get("files")
            then = {name: e[0] for name, e in files.items() if isinstance(e, list) and e} if isinstance(files, dict) else {}
            # The pairs of the store as the files were, with every changed file's result then at hand.
            known = (
                entry[0] == _state(then) and then.keys() == self.digests.keys() and isinstance(entry[2], list)
                and all(name in self.before for name, key in self.digests.items() if then[name] != key)
            )
            rows, pairs = compute(entry[2] if known else None)
            self.changed = True
        self.new["near"] = [key, rows, pairs]
        return rows

    def readme(self, path: Path, key: str, compute: Callable[[], int]) -> int:
        """A README's verdict (0, or the first stale line), from the cache when ``key`` matches."""
        cached = self._get("readme", str(path), key)
        verdict = cached if isinstance(cached, int) else compute()
        self.changed = self.changed or verdict != cached
        self.new["readme"][str(path)] = [key, verdict]
        return int(verdict)

    def save(self) -> None:
        """Write the cache when it changed; failing to only costs speed next time."""
        if not (self.changed or (self.old.get("files") or {}).keys() != self.new["files"].keys()):
            return
        # The bytes json.dumps would give for self.new, joined from the entries' texts (one copy of a big cache).
        parts = [b'{"files":{']
        try:
            for n, (name, entry) in enumerate(self.new["files"].items()):
                parts.append(f'{"," if n else ""}{_json(name)}:'.encode())
                parts.append((self._text(name) if entry is _SAME else _json(entry)).encode())
            parts.append(f'}},"readme":{_json(self.new["readme"])},"near":{_json(self.new["near"])}}}'.encode())
        except (TypeError, ValueError, RecursionError):
            return  # data JSON cannot hold: not cached
        body = b"".join(parts)
        del parts  # a big store's cache is held once, not twice, while it is written
        write_blob(self.path, self.stamp, body)

    def _text(self, name: str) -> str:
        """An unchanged file's entry as JSON text: as read when kept, else written again."""
        text = self.texts.get(name)
        return text if text is not None else _json(self.old["files"][name])


_SAME: Any = object()  # an unchanged file's entry: its text as read is written back
_DECODE = json.JSONDecoder().raw_decode


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _files(text: str, texts: dict[str, str]) -> tuple[dict[str, Any], int]:
    """The ``files`` part of the cache's text, each entry's text put in ``texts``, and where the part ends.

    Raises ``ValueError`` (or ``IndexError``) for a text not written by ``Cache.save``.
    """
    head = '{"files":{'
    if not text.startswith(head):
        raise ValueError("not a cache written by save")
    files: dict[str, Any] = {}
    at = len(head)
    while text[at] != "}":
        name, at = _DECODE(text, at)
        if not isinstance(name, str) or text[at] != ":":
            raise ValueError("not a file's entry")
        files[name], end = _DECODE(text, at + 1)
        texts[name] = text[at + 1 : end]
        at = end + (text[end] == ",")
    return files, at + 1
