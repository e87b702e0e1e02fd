"""What `lclm validate` remembers between runs: per-file results and README verdicts.

Stored as one JSON file in ``lclm.store.core.cache_dir()`` per store, each entry
keyed by the content hash of what it was computed from, and the whole cache
by a stamp of lclm's code and the year (the year-range rule moves with it).
It is only a shortcut: a missing, stale or unreadable cache is rebuilt
silently, and a cached entry is used only for bytes that hash the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lclm import __version__
from lclm.store.core import SECTIONS_FILE, cache_path, write_atomic
from lclm.checks.validate import FileResult

CACHE_VERSION = 1
# Modules whose code decides the results; editing one invalidates the cache.
_RESULT_MODULES = (
    "validate.py", "validate_file.py", "validate_checks.py", "store.py",
    "ids.py", "text.py", "keys.py", "model.py", "markdown.py",
)


def digest(data: bytes) -> str:
    """The content hash entries are keyed by."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _stamp() -> str:
    here = Path(__file__).parent
    mtimes = []
    for name in _RESULT_MODULES:
        with contextlib.suppress(OSError):
            mtimes.append(str((here / name).stat().st_mtime_ns))
    return f"{CACHE_VERSION}:{__version__}:{time.localtime().tm_year}:{','.join(mtimes)}"


class Cache:
    """The cache of one store; ``save`` writes it back if anything was computed."""

    def __init__(self, root: Path) -> None:
        base = cache_path(root)
        self.path = base.with_name(f"validate-{base.name}")
        stamp = _stamp()
        self.old: dict[str, Any] = {}
        self.new: dict[str, Any] = {"stamp": stamp, "files": {}, "readme": {}}
        self.changed = False
        self.digests: dict[str, str] = {}  # file name -> content hash, as read this run
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(self.path.read_bytes())
            if isinstance(data, dict) and data.get("stamp") == stamp:
                self.old = data

    def _get(self, part: str, name: str, key: str) -> Any:
        entry = (self.old.get(part) or {}).get(name)
        return entry[1] if isinstance(entry, list) and len(entry) == 2 and entry[0] == key else None

    def result(self, path: Path, blob: bytes) -> FileResult:
        """One file's result, from the cache when its bytes are unchanged."""
        key = self.digests[path.name] = digest(blob)
        result = None
        cached = self._get("files", path.name, key)
        if cached is not None:
            with contextlib.suppress(TypeError, ValueError, KeyError):
                result = FileResult.from_json(cached)
        if result is None:
            from lclm.checks.file import check_category, check_sections

            check = check_sections if path.name == SECTIONS_FILE else check_category
            result = check(path, blob)
            self.changed = True
        self.new["files"][path.name] = [key, result.to_json()]
        return result

    def readme(self, path: Path, key: str, compute: Callable[[], int]) -> int:
        """A README's verdict (0, or the first stale line), from the cache when ``key`` matches."""
        cached = self._get("readme", str(path), key)
        verdict = cached if isinstance(cached, int) else compute()
        self.changed = self.changed or verdict != cached
        self.new["readme"][str(path)] = [key, verdict]
        return int(verdict)

    def save(self) -> None:
        """Write the cache when it changed; failing to only costs speed next time."""
        if self.changed or (self.old.get("files") or {}).keys() != self.new["files"].keys():
            with contextlib.suppress(OSError):
                self.path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(self.path, json.dumps(self.new, ensure_ascii=False, separators=(",", ":")))
