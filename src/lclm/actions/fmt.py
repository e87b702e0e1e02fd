"""Rewrite a store's files in canonical form (``lclm fmt``), through the store transaction.

The plan is ``lclm.store.canonical.canonical_changes``; a file it would
damage (a comment, a field given twice) stops the whole rewrite before
anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class FmtReport:
    """The files rewritten (or, with ``check``, that would be) and how many files the store has."""

    changed: list[Path] = field(default_factory=list)
    files: int = 0
    check: bool = False


def fmt(root: Path, check: bool = False) -> FmtReport:
    """Rewrite every file of the store at ``root`` not in canonical form; with ``check``, write nothing."""
    from lclm.actions.write import transaction
    from lclm.store.canonical import canonical_changes
    from lclm.store.layout import SECTIONS_FILE

    with transaction(root, dry_run=check) as tx:
        changed = [path for path, _ in canonical_changes(tx.store)]
        slugs = {tx.root / c.file: c.slug for c in tx.store.categories()}
        for path in changed:
            if path.name == SECTIONS_FILE:
                tx.touch_sections()
            else:
                tx.touch(slugs[path])
    return FmtReport(changed, len(tx.store.categories()) + 1, check)
