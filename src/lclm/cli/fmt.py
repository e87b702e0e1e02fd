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
    from lclm.actions.fmt import fmt as rewrite

    report = rewrite(store_root(), check=check)
    for path in report.changed:
        typer.echo(f"{'would reformat' if check else 'reformatted'} {path}")
    done = "would be reformatted" if check else "reformatted"
    typer.echo(f"{_files(len(report.changed))} {done}, {_files(report.files - len(report.changed))} unchanged")
    if check and report.changed:
        raise typer.Exit(1)


def _files(n: int) -> str:
    return f"{n} file{'' if n == 1 else 's'}"
