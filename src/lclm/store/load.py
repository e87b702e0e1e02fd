"""Loading a store: parse each file once, then serve it from its cache entry.

The parsed form of each file (``_sections.yaml`` and every category file)
is cached on its own, keyed by a hash of that file's bytes, so after an edit
only the edited file is parsed again; an unchanged store imports no YAML at
all.  Parsing runs with the cyclic garbage collector paused (most of a big
cold load is otherwise spent in it).  Writers keep these entries up to date
through ``cache_category``/``cache_sections`` (see ``lclm.store.transaction``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from lclm.errors import StoreError
from lclm.model import Paper
from lclm.store import notices
from lclm.store.cache import cache_file, digest, make_stamp, read_json, write_json
from lclm.store.layout import (
    SECTIONS_FILE,
    Section,
    Store,
    category_files,
)
from lclm.store.lock import reading

CACHE_FORMAT = 5
# A cached paper is a row of these fields: the dataclass's order up to ``category``,
# which (with ``line``) follows them, so a row rebuilds positionally, the cheapest way.
ROW_FIELDS = [f.name for f in fields(Paper) if f.name not in ("category", "line")]
_STAMP = make_stamp("store", CACHE_FORMAT, ",".join(ROW_FIELDS))
# A paper from a cached row: its fields in ``ROW_FIELDS`` order, then its category and line.
_ROW_PAPER: Callable[..., Paper] = Paper
# From this many papers on, a load freezes what it built (see ``paused_gc``).
FREEZE_AT = 10_000


def load_store(root: Path, use_cache: bool = True) -> Store:
    """The store at ``root``, each unchanged file from its cache entry.

    The files are read under the store's shared lock, so never in the
    middle of a write, and a write that was interrupted is finished first
    (``lclm.store.journal``).  A category file ``_sections.yaml`` lists but
    that does not exist loads as an empty category, named in
    ``Store.missing`` and in a notice; a YAML file that ``_sections.yaml``
    does not list is not read.
    """
    category_files(root)  # a missing or empty store is one clear error
    store = Store(root, [], [])
    with paused_gc(lambda: len(store.papers) >= FREEZE_AT):
        with reading(root):
            blobs = _read_files(store, use_cache)
        for category, blob in blobs:
            path = root / category.file
            if blob is None:
                store.missing.append(path)
                notices.note(
                    f"{path}: listed in {SECTIONS_FILE} but missing; its category is empty"
                    " (restore the file, or remove it from the sections file)"
                )
                continue
            store.papers += category_papers(root, category, blob, use_cache)
    return store


def load_or_new(root: Path) -> Store:
    """The store at ``root``, or a new empty one when it has no YAML files yet."""
    if not root.exists() or (root.is_dir() and not any(root.glob("*.yaml"))):
        return Store(root, [], [])
    return load_store(root)


def _read_files(store: Store, use_cache: bool) -> list[tuple[Section, bytes | None]]:
    """Set the store's sections; the bytes of each category file (None: missing)."""
    root = store.root
    store.sections = _sections(root, _read(root / SECTIONS_FILE, missing_ok=False) or b"", use_cache)
    return [(c, _read(root / c.file, missing_ok=True)) for c in store.categories()]


def read_store_files(root: Path, files: list[Path]) -> dict[Path, bytes]:
    """The bytes of files of the store at ``root``, read as ``load_store`` reads them.

    That is under the shared lock, once an interrupted write is finished
    (``lclm.store.lock.reading``), so never a write's half.
    """
    from lclm.store.files import read_blobs

    with reading(root):
        return read_blobs(files)


@contextlib.contextmanager
def paused_gc(freeze: Callable[[], bool] = lambda: False) -> Iterator[None]:
    """Run bulk work without the cyclic collector's passes; restore it after.

    When ``freeze()`` says so at the end, what exists is also frozen, so
    later collections do not walk it again: for a big store, whose objects
    live until the command ends anyway.
    """
    import gc

    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze():
            gc.freeze()
    finally:
        if was_on:
            gc.enable()


def _read(path: Path, *, missing_ok: bool) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return None
        if path.name == SECTIONS_FILE:
            raise StoreError("missing (it lists the categories and their order)", path=path) from None
        raise StoreError("no such file", path=path) from None
    except IsADirectoryError:
        raise StoreError("is a directory, not a file", path=path) from None
    except OSError as exc:
        raise StoreError(f"cannot read ({exc.strerror})", path=path) from None


# ---------------------------------------------------------------- per-file entries


def _entry(root: Path, name: str) -> Path:
    return cache_file(root, "store", name.replace("/", "%2F") + ".json")


def _sections(root: Path, blob: bytes, use_cache: bool) -> list[Section]:
    key = digest(blob)
    path = _entry(root, SECTIONS_FILE)
    if use_cache:
        data: Any = read_json(path, _STAMP)
        with contextlib.suppress(TypeError, KeyError, ValueError, AttributeError):
            if data["digest"] == key:
                return [Section.from_dict(s) for s in data["sections"]]
    from lclm.store.codec import load_sections
    from lclm.store.files import decode

    file = root / SECTIONS_FILE
    sections = load_sections(file, decode(file, blob))
    if use_cache:
        cache_sections(root, blob, sections, key)
    return sections


def category_papers(root: Path, category: Section, blob: bytes, use_cache: bool = True) -> list[Paper]:
    """The papers of one category file whose bytes are ``blob``, from its cache entry when it matches.

    When the file changed, each paper whose block is unchanged still comes
    from the entry, so an edit reads only the edited papers' YAML.
    """
    key = digest(blob)
    path = _entry(root, category.file)
    slug = category.slug
    data: Any = read_json(path, _STAMP) if use_cache else None
    known: dict[str, list[Any]] = {}
    with contextlib.suppress(TypeError, KeyError, ValueError, AttributeError):
        rows = data["rows"]
        if data["digest"] == key:
            return [_ROW_PAPER(*row, slug, line) for row, line in zip(rows, data["lines"], strict=True)]
        known = {block: row for block, row in zip(data["blocks"], rows, strict=True) if len(row) == len(ROW_FIELDS)}
    from lclm.store.files import decode

    file = root / category.file
    text = decode(file, blob)
    blocks = _hashed_blocks(text) if use_cache else None
    papers = _read_papers(file, slug, text, blocks if known else None, known)
    if use_cache:
        _write_entry(root, category.file, key, papers, blocks)
    return papers


Block = tuple[int, str, str]  # a paper's block of a category file: first line, text, hash


def _hashed_blocks(text: str) -> list[Block] | None:
    """Each paper's block of a category file's text, with its line and hash (None: see ``split_records``)."""
    from lclm.store.codec import split_records

    blocks = split_records(text)
    return None if blocks is None else [(line, block, digest(block.encode())) for line, block in blocks]


def _read_papers(
    file: Path, slug: str, text: str, blocks: list[Block] | None, known: dict[str, list[Any]]
) -> list[Paper]:
    """The papers of a category file's text; a block whose hash ``known`` holds is not read again."""
    from lclm.store.codec import parse_record, read_papers, to_paper

    papers = []
    for line, block, block_hash in blocks or ():
        row = known.pop(block_hash, None)  # a block given twice is read again: no shared lists
        if row is not None:
            papers.append(_ROW_PAPER(*row, slug, line))
            continue
        try:
            record = parse_record(file, line, block)
            if record is None:
                break  # read whole, for the reading (or the error) the file itself gives
            papers.append(to_paper(file, slug, record))
        except StoreError:
            break
    else:
        if blocks:
            return papers
    return read_papers(file, slug, text)


def cache_sections(root: Path, blob: bytes, sections: list[Section], key: str = "") -> None:
    """Remember the parsed ``_sections.yaml`` whose bytes are ``blob``."""
    data = {"digest": key or digest(blob), "sections": [s.to_dict() for s in sections]}
    write_json(_entry(root, SECTIONS_FILE), _STAMP, data, exact=True)


def cache_category(root: Path, file: str, blob: bytes, papers: list[Paper], key: str = "") -> None:
    """Remember the papers of category file ``file`` whose bytes are ``blob``."""
    _write_entry(root, file, key or digest(blob), papers, _hashed_blocks(blob.decode("utf-8", "replace")))


def _write_entry(root: Path, file: str, key: str, papers: list[Paper], blocks: list[Block] | None) -> None:
    """Write a category file's entry: its hash, its papers as rows, and its blocks' hashes when each holds one paper.

    A file whose papers JSON would not give back exactly (an unknown field
    holding a date, or a mapping with number keys) is not cached: it is
    parsed each time instead.  Only unknown fields can do that: the known
    ones hold text, numbers and lists of text.
    """
    rows: list[list[Any]] = [[getattr(p, name) for name in ROW_FIELDS] for p in papers]
    lines = [p.line for p in papers]
    data: dict[str, Any] = {"digest": key, "rows": rows, "lines": lines}
    if blocks is not None and [line for line, _, _ in blocks] == lines:
        data["blocks"] = [block_hash for _, _, block_hash in blocks]
    write_json(_entry(root, file), _STAMP, data, exact=any(p.extra for p in papers))
