"""The data exporters by name: each a pure function from papers to text.

Looked up by name so the export commands share one path (select, export,
write) and importing one exporter does not import the others.

BibTeX entries are also kept in the cache, per category file (rendering
them is most of what ``lclm export bibtex`` does): an entry is rendered
again only when its category's papers changed, or lclm's BibTeX rules did.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lclm.model import Paper
    from lclm.store.layout import Store

# Format name -> "module:function"; the function takes the papers (and the
# format's own options) and returns the text.
EXPORTERS: dict[str, str] = {
    "bibtex": "lclm.formats.bibtex:to_bibtex",
    "json": "lclm.formats.csl:to_json",
    "csl-json": "lclm.formats.csl:to_csl_json",
}
ENTRY_CACHE_FORMAT = 1


def exporter(name: str) -> Callable[..., str]:
    """The exporter of format ``name`` (one of ``EXPORTERS``)."""
    module, _, function = EXPORTERS[name].partition(":")
    found: Callable[..., str] = getattr(importlib.import_module(module), function)
    return found


def export(name: str, papers: list[Paper], store: Store | None = None, **options: Any) -> str:
    """``papers`` as format ``name``; given the ``store`` they come from, BibTeX comes from the cache."""
    if name == "bibtex" and store is not None:
        return cached_bibtex(store, papers, ascii=bool(options.get("ascii")))
    return exporter(name)(papers, **options)


def cached_bibtex(store: Store, papers: list[Paper], ascii: bool = False) -> str:
    """``to_bibtex(papers, ascii)``, each category's entries rendered once and cached."""
    entries: dict[int, str] = {}
    for slug in dict.fromkeys(p.category for p in papers):
        whole = store.in_category(slug)
        entries.update(zip(map(id, whole), _category_entries(store.root, slug, whole, ascii), strict=True))
    return "\n".join(entries[id(p)] for p in papers)


def _category_entries(root: Path, slug: str, papers: list[Paper], ascii: bool) -> list[str]:
    from lclm.store.cache import cache_file, digest, read_json, write_json
    from lclm.store.load import ROW_FIELDS

    # Keyed by what the entries are made of: the papers' stored fields, in order.
    key = digest(json.dumps(list(map(attrgetter(*ROW_FIELDS), papers)), ensure_ascii=False).encode())
    path = cache_file(root, "bibtex", f"{slug}{'.ascii' if ascii else ''}.json")
    stamp = _stamp()
    data = read_json(path, stamp)
    if isinstance(data, dict) and data.get("key") == key and len(data.get("entries", ())) == len(papers):
        cached: list[str] = data["entries"]
        return cached
    from lclm.formats.bibtex import to_bibtex

    rendered = [to_bibtex([p], ascii=ascii) for p in papers]
    write_json(path, stamp, {"key": key, "entries": rendered})
    return rendered


def _stamp() -> str:
    """The entry cache's stamp: its format and the BibTeX module's own size and time."""
    from lclm.store.cache import make_stamp

    source = Path(__file__).with_name("bibtex.py")
    info = os.stat(source)
    return make_stamp("bibtex", ENTRY_CACHE_FORMAT, f"{info.st_size}:{info.st_mtime_ns}")
