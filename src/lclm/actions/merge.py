"""Merge groups of duplicate records (``lclm dedupe --merge``) through the store transaction.

What a merge keeps is decided in ``lclm.duplicates.merge`` (pure); this
module writes it: the store is reloaded under the lock, the plans are
applied only if it still holds what they were made on, and the touched
category files and the READMEs are written as one change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lclm.errors import StoreError

if TYPE_CHECKING:
    from lclm.duplicates.merge import Merge
    from lclm.store.layout import Store


def merge(store: Store, plans: Sequence[tuple[int, Sequence[int]]]) -> tuple[list[Merge], set[str]]:
    """Apply ``plans`` (``(kept index, other indices)`` into ``store.papers``) to the store on disk.

    Returns the merges and the slugs of the rewritten categories.  If the
    store changed since ``store`` was loaded, nothing is written
    (``StoreError``).
    """
    from lclm.actions.write import transaction
    from lclm.duplicates.merge import apply_merges, snapshot

    with transaction(store.root) as tx:
        if snapshot(tx.store) != snapshot(store):
            raise StoreError(f"{store.root}: the store changed while dedupe ran; nothing merged, run it again")
        merges, touched = apply_merges(tx.store, plans)
        for slug in touched:
            tx.touch(slug)
    return merges, touched
