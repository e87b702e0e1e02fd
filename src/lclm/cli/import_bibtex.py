"""`lclm import bibtex FILE --category NAME`: add the new entries of a .bib file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from lclm.cli.app import import_app, store_root, typer


@import_app.command("bibtex")
def import_bibtex(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The .bib file to read (UTF-8).", show_default=False)],
    category: Annotated[str, typer.Option("--category", "-c", help="Category to append to (name or slug, forgiving typos).")],
    partial: Annotated[
        bool, typer.Option("--partial", help="Import what could be read even if some entries could not (they are listed).")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Show what would be added; write nothing.")] = False,
    create: Annotated[
        bool, typer.Option("--create", help="Start the category, at the end of the list, unless one has exactly its name.")
    ] = False,
) -> None:
    """Append a .bib file's papers to a category, skipping those already in the list.

    Duplicates are found as `lclm add` finds them (same arXiv id, DOI, URL or
    title); LaTeX becomes Unicode; keys like liu2025thus are kept when free.
    An entry that cannot be read is named at its line; then nothing is
    written (exit 1) unless --partial is given.
    """
    from lclm.actions.import_bibtex import import_bibtex as run
    from lclm.errors import InputError

    report = run(store_root(), file, category, dry_run=dry_run, partial=partial, create=create)
    count = len(report.added)
    verb = "would add" if dry_run or (report.failed and not partial) else "added"
    where = f"the new category {report.name}" if report.new else report.name
    typer.echo(f"{verb} {count} paper{'s' * (count != 1)} to {where} ({report.category}.yaml)")
    for paper in report.added:
        typer.echo(f"  + {paper.key}  {paper.title}")
    if report.skipped:
        typer.echo(f"skipped {len(report.skipped)} entr{'ies' if len(report.skipped) != 1 else 'y'}:")
        for reason in report.skipped:
            typer.echo(f"  - {reason}")
    if report.failed:
        typer.echo(f"failed {len(report.failed)} entr{'ies' if len(report.failed) != 1 else 'y'} (could not be read):")
        for reason in report.failed:
            typer.echo(f"  ! {reason}")
    if report.failed and not partial:
        written = "nothing written" if not dry_run else "nothing would be written"
        raise InputError(
            f"{file}: {len(report.failed)} entr{'ies' if len(report.failed) != 1 else 'y'} could not be read; {written}"
            " (fix them, or give --partial to import the rest)"
        )
