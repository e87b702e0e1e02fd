"""The store's venue file, ``_venues.yaml``: read and handed to ``lclm.venues``.

Reading is the store's business (safe loading, line numbers for errors); what
the file means is the venue table's (``lclm.venues.table_from``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lclm.store.layout import VENUES_FILE

if TYPE_CHECKING:
    from lclm.venues import VenueTable


def load_table(root: Path) -> VenueTable:
    """The store's venue table: the default one, with ``root/_venues.yaml`` laid over it.

    A malformed file raises ``StoreError`` naming the file, line and field.
    """
    from lclm.store.files import read_text
    from lclm.store.yamlio import compose, construct
    from lclm.venues import default_table, table_from

    path = root / VENUES_FILE
    if not path.is_file():
        return default_table()
    node = compose(path, read_text(path))
    return table_from(path, construct(node) if node is not None else {}, node)
