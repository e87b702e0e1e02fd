"""`lclm init`: start a list (papers/, hooks, CI workflow, CONTRIBUTING.md) in a directory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from lclm.cli.app import app, echo, typer


@app.command()
def init(
    directory: Annotated[
        Path | None, typer.Argument(metavar="[DIR]", help="Where to start the list (default: here).", show_default=False)
    ] = None,
    source: Annotated[
        Path | None, typer.Option("--from", metavar="FILE", help="Import the papers of this Markdown list, e.g. README.md (as import markdown does).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The list's title (default: the README's first heading).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the generated files (papers already in papers/ are kept).")] = False,
    partial: Annotated[bool, typer.Option("--partial", help="Import what could be read even if some entries could not.")] = False,
) -> None:
    """Start a list: papers/ (from --from README.md, or empty), papers/README.md, pre-commit hooks, a CI workflow, CONTRIBUTING.md.

    Nothing is written if any of these files exists already (unless --force)
    or if the README cannot be imported.  Afterwards `lclm validate --strict`
    passes in DIR.
    """
    from lclm.actions.import_markdown import IncompleteImport
    from lclm.actions.init import init as start

    directory = directory or Path(".")
    try:
        report = start(directory, source=source, title=title, force=force, partial=partial)
    except IncompleteImport as exc:
        from lclm.cli.importing import show_problems

        assert source is not None
        show_problems(source, exc.report, verbose=False)
        raise
    if report.imported is not None and source is not None:
        from lclm.cli.importing import show_summary

        show_summary(source, report.imported, dry_run=False, verbose=False)
    for path in report.made:
        echo(f"made {directory / path}")
    categories = f"{report.categories} categor{'y' if report.categories == 1 else 'ies'}"
    echo(f"{report.title!r}: {report.papers} paper{'' if report.papers == 1 else 's'} in {categories}.")
    where = "" if directory.resolve() == Path.cwd() else f"cd {directory} && "
    echo(f"next: {where}lclm validate --strict && git add -A && git commit -m 'Keep the list with lclm'")
