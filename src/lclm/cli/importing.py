"""`lclm import markdown`: bring in an awesome-list README."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from lclm.cli.app import import_app, store_root, warn

if TYPE_CHECKING:
    from lclm.actions.import_markdown import ImportReport


@import_app.command("markdown")
def import_markdown(
    file: Annotated[Path, typer.Argument(help="The Markdown list (an awesome-list README).")],
    category: Annotated[
        Optional[str], typer.Option("--category", "-c", help="Put every paper in this category instead of following the headings.")
    ] = None,
    lang: Annotated[
        Optional[str],
        typer.Option("--lang", help="FILE is a translation (e.g. zh): take its headings as this language's section names; import no papers."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Report what would happen; write nothing.")] = False,
) -> None:
    """Import the papers of a Markdown list: headings become sections, list items papers.

    Reads `* **[Title.](url)** Authors. Venue, year` and
    `N. [**Title.**](url) _Authors._ Venue Year.` entries, cleans what it can
    and says what it changed.  Papers already in the store are skipped.
    """
    from lclm.formats.markdown import refresh_readmes
    from lclm.actions.import_markdown import import_markdown as run_import
    from lclm.actions.import_markdown import import_translation
    from lclm.store.core import load_or_new, load_store, locked, read_text, save_store

    text = read_text(file)
    root = store_root()
    if lang:
        store = load_store(root)
        pairs = import_translation(store, file, text, lang)
        if not dry_run:
            save_store(store)
            refresh_readmes(store)
        for english, translated in pairs:
            typer.echo(f"{english} -> {translated}")
        typer.echo(f"{len(pairs)} section names in {lang!r} {'found' if dry_run else 'saved'}.")
        return
    # A new store has nothing to lock yet; it is created only once the import succeeded.
    with locked(root) if root.is_dir() else contextlib.nullcontext():
        store = load_or_new(root)
        report = run_import(store, file, text, category)
        if not dry_run:
            save_store(store)
            refresh_readmes(store)
    _summary(file, report, dry_run)


def _summary(file: Path, report: ImportReport, dry_run: bool) -> None:
    for line, key, note in report.cleaned:
        typer.echo(f"{file}:{line}: {key}: cleaned: {note}")
    for line, title, match in report.skipped:
        where = f"{match.paper.category}.yaml:{match.paper.line}" if match.paper.line else match.paper.category
        typer.echo(f"{file}:{line}: skipped {title!r}: already in the store as {match.paper.key} ({where}, {match.describe()})")
    for line, key, match in report.repeated:
        typer.echo(f"{file}:{line}: {key}: listed twice in this file: same paper as {match.paper.key} ({match.describe()}); run `lclm dedupe`")
    for line, text in report.unreadable:
        warn(f"{file}:{line}: could not read this entry: {text[:100]}")
    verb = "would add" if dry_run else "added"
    for slug, count in report.added.items():
        typer.echo(f"  {slug}: {count}")
    typer.echo(
        f"{verb} {sum(report.added.values())} papers in {len(report.added)} categories"
        f" ({len(report.new_categories)} new); {len(report.cleaned)} cleanings,"
        f" {len(report.skipped)} already present, {len(report.repeated)} repeated in the file,"
        f" {len(report.unreadable)} unreadable lines"
    )
