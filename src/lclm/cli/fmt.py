"""`lclm fmt`: rewrite the store's files in canonical form."""

from __future__ import annotations

from typing import Annotated

from lclm.cli.app import app, store_root, typer


@app.command()
def fmt(
    check: Annotated[bool, typer.Option("--check", help="Write nothing; list the files that would change and exit 1 if any.")] = False,
) -> None:
    """Rewrite every file of the store in canonical form, changing no data.

    The form is the one every lclm command writes, so later edits give
    minimal diffs.  A file with a comment or a field given twice is refused,
    since rewriting it would lose what was written.
    """
    from lclm.checks.file import canonical_changes
    from lclm.store.layout import SECTIONS_FILE
    from lclm.store.transaction import transaction

    with transaction(store_root(), dry_run=check) as tx:
        changes = [path for path, _ in canonical_changes(tx.store)]
        slugs = {tx.root / c.file: c.slug for c in tx.store.categories()}
        for path in changes:
            if path.name == SECTIONS_FILE:
                tx.touch_sections()
            else:
                tx.touch(slugs[path])
    for path in changes:
        typer.echo(f"{'would reformat' if check else 'reformatted'} {path}")
    total = len(tx.store.categories()) + 1
    done = "would be reformatted" if check else "reformatted"
    typer.echo(f"{_files(len(changes))} {done}, {_files(total - len(changes))} unchanged")
    if check and changes:
        raise typer.Exit(1)


def _files(n: int) -> str:
    return f"{n} file{'' if n == 1 else 's'}"
