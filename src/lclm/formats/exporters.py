"""The data exporters by name: each a pure function from papers to text.

Looked up by name so the export commands share one path (select, export,
write) and importing one exporter does not import the others.

BibTeX entries are also kept in the cache, per category file (rendering
them is most of what ``lclm export bibtex`` does): an entry is rendered
again only when its paper changed, or lclm's BibTeX rules did.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lclm.model import Paper
    from lclm.store.layout import Store



@dataclass(frozen=True, slots=True)
class Format:
    """A data export format: its exporter, the help of its command, and the options it takes beyond the shared ones."""

    function: str  # "module:function": takes the papers (and ``options``) and returns the text
    help: str
    options: tuple[str, ...] = ()


# Format name -> its row.  ``lclm export NAME`` is registered from this table
# (``lclm.cli.export_data``), so a new format is one exporter function and one row.
EXPORTERS: dict[str, Format] = {
    "bibtex": Format(
        "lclm.formats.bibtex:to_bibtex", "Write the list, or the papers a draft cites, as a .bib file, in store order.", ("ascii",)
    ),
    "json": Format("lclm.formats.csl:to_json", "Write the records as a JSON list: the stored fields plus each paper's category."),
    "csl-json": Format(
        "lclm.formats.csl:to_csl_json", "Write CSL-JSON for Zotero, pandoc (--bibliography refs.json) and other CSL processors."
    ),
}
ENTRY_CACHE_FORMAT = 2


def exporter(name: str) -> Callable[..., str]:
    """The exporter of format ``name`` (one of ``EXPORTERS``)."""
    module, _, function = EXPORTERS[name].function.partition(":")
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
    """The BibTeX entry of each paper of a category: cached ones kept, the others rendered.

    Each entry is keyed by what it is made of (the paper's stored fields),
    so after an edit only the edited papers are rendered again.
    """
    from lclm.store.cache import cache_file, digest, read_json, write_json
    from lclm.store.load import ROW_FIELDS

    fields = attrgetter(*ROW_FIELDS)
    whole = digest(json.dumps(list(map(fields, papers)), ensure_ascii=False).encode())
    path = cache_file(root, "bibtex", f"{slug}{'.ascii' if ascii else ''}.json")
    stamp = _stamp()
    data = read_json(path, stamp)
    known: dict[str, str] = {}
    if isinstance(data, dict) and isinstance(data.get("keys"), list) and isinstance(data.get("entries"), list):
        if data.get("key") == whole and len(data["entries"]) == len(papers):
            cached: list[str] = data["entries"]
            return cached
        known = dict(zip(data["keys"], data["entries"], strict=False))
    keys = [digest(json.dumps(fields(p), ensure_ascii=False).encode()) for p in papers]
    entries = [known.get(key) or _render(paper, ascii) for key, paper in zip(keys, papers, strict=True)]
    write_json(path, stamp, {"key": whole, "keys": keys, "entries": entries})
    return entries


def _render(paper: Paper, ascii: bool) -> str:
    from lclm.formats.bibtex import to_bibtex

    return to_bibtex([paper], ascii=ascii)


def _stamp() -> str:
    """The entry cache's stamp: its format and the size and time of every module an entry is made by."""
    from lclm.store.cache import code_stamp, make_stamp

    return make_stamp("bibtex", ENTRY_CACHE_FORMAT, code_stamp())
