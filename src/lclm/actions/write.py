"""The write step every action takes: the store transaction, with the READMEs re-rendered in the same change.

The store (``lclm.store.transaction``) knows nothing of Markdown: this
module hands it the step that re-renders every README with the lclm
markers next to the store (``lclm.formats.markdown.readme_updates``), so
the published list never lags the data.  Every writing action opens its
transaction here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lclm.store.layout import Store
    from lclm.store.transaction import Transaction


def readmes(store: Store) -> list[tuple[Path, str]]:
    """Each README with the lclm markers whose list is out of date, with its new text."""
    from lclm.formats.markdown import readme_updates

    return readme_updates(store)


@contextlib.contextmanager
def transaction(root: Path, create: bool = False, dry_run: bool = False) -> Iterator[Transaction]:
    """``lclm.store.transaction.transaction`` with the READMEs re-rendered as part of the change."""
    from lclm.store.transaction import transaction as store_transaction

    with store_transaction(root, create=create, dry_run=dry_run, derived=readmes) as tx:
        yield tx
