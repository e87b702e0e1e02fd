"""`lclm fmt`: rewrite the store's files in canonical form."""

from __future__ import annotations

from typing import Annotated

import typer

from lclm.cli.app import app, store_root


@app.command()
def fmt(
    check: Annotated[bool, typer.Option("--check", help="Write nothing; list the files that would change and exit 1 if any.")] = False,
) -> None:
    """Rewrite every file of the store in canonical form, changing no data.

    The form is the one every lclm command writes, so later edits give
    minimal diffs.  A file with a comment or a field given twice is refused,
    since rewriting it would lose what was written.
    """
    from lclm.store.core import category_files, load_store, locked, write_atomic
    from lclm.checks.file import canonical_changes

    root = store_root()
    category_files(root)  # a missing or empty store is one clear error, before locking
    with locked(root):
        store = load_store(root, use_cache=False)
        changes = canonical_changes(store)
        for path, text in changes:
            if not check:
                write_atomic(path, text)
            typer.echo(f"{'would reformat' if check else 'reformatted'} {path}")
    total = len(store.categories()) + 1
    done = "would be reformatted" if check else "reformatted"
    typer.echo(f"{_files(len(changes))} {done}, {_files(total - len(changes))} unchanged")
    if check and changes:
        raise typer.Exit(1)


def _files(n: int) -> str:
    return f"{n} file{'' if n == 1 else 's'}"
