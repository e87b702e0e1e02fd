"""The canonical form of a whole store: which files depart from it, and the text they would get.

`lclm fmt` writes this plan (``lclm.actions.fmt``); `lclm validate` warns
about the same departures (``lclm.checks.file``).  A rewrite is refused
when it would lose what a user wrote: a comment, a field given twice, or
a value that would not read back the same.  Reads the store's files; writes
nothing.
"""

from __future__ import annotations

from pathlib import Path

from lclm.errors import StoreError
from lclm.store.codec import (
    dump_papers,
    dump_sections,
    load_sections,
    parse_category,
    to_paper,
)
from lclm.store.files import decode
from lclm.store.layout import SECTIONS_FILE, Store
from lclm.store.yamlio import comment_lines


def canonical_changes(store: Store) -> list[tuple[Path, str]]:
    """Each file of ``store`` that is not in canonical form, with its canonical text.

    A category file the store lists but does not have is left missing (its
    loading filed a notice).  Raises ``StoreError`` rather than offer a
    rewrite that would lose what a user wrote: a comment, a field given
    twice, or any value that would not read back the same.
    """
    root = store.root
    targets = [(root / SECTIONS_FILE, dump_sections(store.sections))]
    targets += [(root / c.file, dump_papers(store.in_category(c.slug))) for c in store.categories()]
    targets = [(path, text) for path, text in targets if path not in store.missing]  # loading noted them
    changes = []
    for path, text in targets:
        data = path.read_bytes()
        if data != text.encode():
            _refuse_loss(store, path, decode(path, data), text)
            changes.append((path, text))
    return changes


def _refuse_loss(store: Store, path: Path, old: str, new: str) -> None:
    twice = duplicate_fields(path, old)
    if twice:
        line, key, name, _ = twice[0]
        raise StoreError(f"{path}:{line}: {key}: {name}: given twice; keep one by hand (lclm fmt would keep the last)")
    comments = comment_lines(old, keep=new)
    if comments:
        raise StoreError(f"{path}:{comments[0]}: a comment lclm fmt would drop; move it into a note field, then run lclm fmt")
    if path.name == SECTIONS_FILE:
        same = [s.to_dict() for s in load_sections(path, new)] == [s.to_dict() for s in store.sections]
    else:
        slug = path.stem
        again = [to_paper(path, slug, item).to_dict() for item in parse_category(path, new)]
        same = again == [p.to_dict() for p in store.in_category(slug)]
    if not same:  # a dumper quirk; writing would change data, so stop
        raise StoreError(f"{path}: the canonical text would not read back the same; left unchanged")


def duplicate_fields(path: Path, text: str) -> list[tuple[int, str, str, int]]:
    """``(line, key, field, first line)`` for each field given twice in one mapping."""
    from lclm.store.yamlio import compose

    try:
        root = compose(path, text)
    except StoreError:
        return []
    found = []
    for node in getattr(root, "value", None) or []:
        if not isinstance(getattr(node, "value", None), list):
            continue
        seen: dict[str, int] = {}
        pairs = [pair for pair in node.value if isinstance(pair, tuple)]
        names = {k.value: v.value for k, v in pairs if isinstance(v.value, str)}
        key = names.get("key", "")
        for key_node, _ in pairs:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node.value, str):
                continue
            if key_node.value in seen:
                found.append((line, key, key_node.value, seen[key_node.value]))
            seen.setdefault(key_node.value, line)
    return found
