"""The one cache scheme: where cache files live, how they are stamped and checked.

Every cache (the parsed store, the search index, validation results, HTTP
answers) is a file under ``$XDG_CACHE_HOME/lclm`` (by default
``~/.cache/lclm``) named by ``cache_file``: one folder per kind, then one per
store.  Each file starts with a one-line header holding the length and CRC
of the body and a stamp (lclm's version, the cache kind and its format
version, plus anything else the entry depends on); a file whose header,
length or CRC does not match (damaged, cut short, from another version or
another tool) reads as absent and is rebuilt by its user.  A cache is only a
shortcut: failing to write one costs speed, never an error.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any, BinaryIO

from lclm import __version__
from lclm.errors import LclmError


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/lclm``, by default ``~/.cache/lclm``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lclm"


def blake2b(data: bytes = b"", digest_size: int = 16) -> Any:
    """A BLAKE2b hash, from the built-in module: ``hashlib`` would load OpenSSL (10 ms at start-up)."""
    return _blake2b()(data, digest_size=digest_size)


def _blake2b() -> Any:
    global _make_blake2b
    if _make_blake2b is None:
        try:
            from _blake2 import blake2b as make
        except ImportError:  # an interpreter built without it
            from hashlib import blake2b as make
        _make_blake2b = make
    return _make_blake2b


_make_blake2b: Any = None


def digest(data: bytes) -> str:
    """The content hash cache entries are keyed by."""
    return str(blake2b(data).hexdigest())


def store_id(root: Path) -> str:
    """A short name for a store: a hash of its absolute path (links resolved)."""
    key = (os.getcwd(), str(root))
    found = _store_ids.get(key)
    if found is None:
        found = _store_ids[key] = blake2b(str(root.resolve()).encode(), 8).hexdigest()
    return found


_store_ids: dict[tuple[str, str], str] = {}  # resolving a path costs a system call per part


def cache_file(root: Path | None, kind: str, name: str) -> Path:
    """The cache file ``name`` of one ``kind`` for the store at ``root`` (None: not per store)."""
    base = cache_dir() / kind
    return (base / store_id(root) if root is not None else base) / name


def make_stamp(kind: str, version: int, *parts: str) -> str:
    """The stamp of a cache kind: lclm's version, the kind and its format version, and ``parts``."""
    return "|".join((f"lclm {__version__}", kind, str(version), *parts))


def code_stamp() -> str:
    """A stamp part that changes when any of lclm's installed files changes.

    For caches of what lclm's code derives from the data (validation
    results, BibTeX entries, search terms): the size and time of every file
    of the package (modules, tables, templates), so an edited or upgraded
    lclm is never served results it did not make, whichever module made
    them.  About a hundred ``stat`` calls, made once per process (a
    fraction of a millisecond).
    """
    global _code_stamp
    if _code_stamp is None:
        _code_stamp = tree_stamp(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return _code_stamp


def tree_stamp(folder: str) -> str:
    """A hash of the name, size and time of every file under ``folder`` (``__pycache__`` left out)."""
    parts: list[str] = []
    for where, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        relative = os.path.relpath(where, folder)
        for name in sorted(files):
            with contextlib.suppress(OSError):
                info = os.stat(os.path.join(where, name))
                parts.append(f"{relative}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return str(blake2b("\n".join(parts).encode(), 8).hexdigest())


_code_stamp: str | None = None


# The header line: magic word, body length, body CRC-32, stamp.
_MAGIC = b"lclm-cache"


def _header(stamp: str, body: bytes) -> bytes:
    import zlib

    return b"%s %d %d %s\n" % (_MAGIC, len(body), zlib.crc32(body), stamp.replace("\n", " ").encode())


def _parse_header(line: bytes, stamp: str) -> tuple[int, int] | None:
    """``(length, crc)`` from a header line written with ``stamp``, else None."""
    parts = line.rstrip(b"\n").split(b" ", 3)
    if len(parts) != 4 or parts[0] != _MAGIC or parts[3] != stamp.replace("\n", " ").encode():
        return None
    try:
        return int(parts[1]), int(parts[2])
    except ValueError:
        return None


def open_blob(path: Path, stamp: str) -> tuple[BinaryIO, int] | None:
    """An open handle on a cache file written with ``stamp`` and where its body starts, or None.

    For a large body read piecemeal (the search index's records): the stamp
    and the length are checked, the CRC is not, since that would read it all.
    """
    try:
        handle = open(path, "rb")  # noqa: SIM115 - returned open to the caller
    except OSError:
        return None
    try:
        line = handle.readline()
        head = _parse_header(line, stamp)
        if head is not None and head[0] == os.fstat(handle.fileno()).st_size - len(line):
            return handle, len(line)
    except OSError:
        pass
    handle.close()
    return None


def read_blob(path: Path, stamp: str) -> bytes | None:
    """The body of a cache file written with ``stamp``, or None if absent, foreign or damaged."""
    import zlib

    try:
        with open(path, "rb") as handle:
            head = _parse_header(handle.readline(), stamp)
            body = handle.read() if head is not None else b""
    except OSError:
        return None
    return body if head is not None and head == (len(body), zlib.crc32(body)) else None


def write_blob(path: Path, stamp: str, body: bytes) -> None:
    """Store ``body`` under ``stamp`` atomically; a cache that cannot be written is skipped."""
    from lclm.store.files import commit_staged, stage

    with contextlib.suppress(OSError, LclmError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = stage(path, _header(stamp, body) + body, 0o644, in_place=False, sync=False)
        if tmp is not None:
            try:
                commit_staged(tmp, path)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)  # only still there if the rename failed


def read_json(path: Path, stamp: str) -> Any | None:
    """The data of a JSON cache file written with ``stamp``, or None (see ``read_blob``)."""
    body = read_blob(path, stamp)
    if body is None:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def write_json(path: Path, stamp: str, data: Any, exact: bool = False) -> None:
    """Store ``data`` as JSON under ``stamp`` (see ``write_blob``).

    Data JSON cannot hold (a date, bytes, a set) is not cached.  With
    ``exact``, neither is data that would read back otherwise (a mapping
    with number keys reads back with text keys).
    """
    try:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if exact and json.loads(body) != data:
            return
    except (TypeError, ValueError, RecursionError):
        return
    write_blob(path, stamp, body.encode())


def drop(path: Path) -> None:
    """Remove a cache file (it was found wrong after all)."""
    with contextlib.suppress(OSError):
        os.unlink(path)
