"""`lclm import markdown`: bring in an awesome-list README."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from lclm.cli.app import Bars, import_app, store_root, typer, warn

if TYPE_CHECKING:
    from lclm.actions.import_markdown import ImportReport


@import_app.command("markdown")
def import_markdown(
    file: Annotated[Path, typer.Argument(help="The Markdown list (an awesome-list README).")],
    category: Annotated[
        str | None, typer.Option("--category", "-c", help="Put every paper in this category instead of following the headings.")
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="FILE is a translation (e.g. zh): take its headings as this language's section names; import no papers."),
    ] = None,
    partial: Annotated[
        bool, typer.Option("--partial", help="Import what could be read even if some entries could not (they are listed).")
    ] = False,
    fetch: Annotated[
        bool, typer.Option("--fetch", help="Fill missing or truncated authors, missing years and title capitals from arXiv.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every cleaning and unread entry, not groups.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Report what would happen; write nothing.")] = False,
    create: Annotated[
        bool, typer.Option("--create", help="With --category: start that category, at the end of the list, unless one has exactly its name.")
    ] = False,
    report_file: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE", help="Write the whole account (every entry: written, merged or set aside, and why) to FILE: JSON if it ends in .json, else Markdown."),
    ] = None,
) -> None:
    """Import the papers of a Markdown list: headings become sections, list items and table rows papers.

    Reads the shapes awesome lists use (`* **[Title.](url)** Authors. Venue, year`,
    `N. [**Title.**](url) _Authors._ Venue Year.`, `Title <br> Venue [[Paper]](url) [[Code]](url)`,
    tables with a title cell, ...), cleans what it can and says what it changed.
    Papers already in the store are skipped.  If an entry cannot be read,
    nothing is written (exit 1) unless --partial is given.
    """
    from lclm.actions.import_markdown import (
        IncompleteImport,
        run_import,
        run_translation,
    )
    from lclm.store.files import read_text

    if create and category is None:
        from lclm.errors import UsageError

        raise UsageError("--create needs --category NAME (the category to start)")
    text = read_text(file)
    root = store_root()
    if lang:
        pairs = run_translation(root, file, text, lang, dry_run=dry_run)
        for english, translated in pairs:
            typer.echo(f"{english} -> {translated}")
        typer.echo(f"{len(pairs)} section names in {lang!r} {'found' if dry_run else 'saved'}.")
        return
    try:
        with Bars(enabled=fetch) as bars:
            progress = (lambda n: bars("arXiv", n)) if fetch else None
            report = run_import(
                root, file, text, category, partial, fetch=fetch, dry_run=dry_run, progress=progress, create=create
            )
    except IncompleteImport as exc:
        show_problems(file, exc.report, verbose)
        _account(file, exc.report, report_file)
        raise
    show_summary(file, report, dry_run, verbose)
    _account(file, report, report_file)


def _account(file: Path, report: ImportReport, target: Path | None) -> None:
    """Write the whole account to ``target`` (``--report``), JSON or Markdown by its name."""
    if target is None:
        return
    from lclm.actions.import_markdown import account_json, account_markdown
    from lclm.store.files import write_text

    write_text(target, account_json(report, file) if target.suffix.lower() == ".json" else account_markdown(report, file))
    counts = report.counts()
    warn(f"{file}: the account of all {len(report.outcomes)} entries ({counts['written']} written, {counts['merged']} merged, "
         f"{counts['set aside']} set aside) is in {target}")


GROUP_AFTER = 3  # a note or a reason seen more often than this is shown as one line


def _grouped(items: list[tuple[int, str, str]], verbose: bool) -> tuple[list[tuple[int, str, str]], dict[str, list[int]]]:
    """``(line, label, what)`` items: those to show one by one, and the rest grouped by ``what``."""
    by_what: dict[str, list[int]] = {}
    for line, _, what in items:
        by_what.setdefault(what, []).append(line)
    if verbose:
        return items, {}
    many = {w: lines for w, lines in by_what.items() if len(lines) > GROUP_AFTER}
    return [i for i in items if i[2] not in many], many


def _lines(numbers: list[int], shown: int = 8) -> str:
    more = f", ... ({len(numbers) - shown} more)" if len(numbers) > shown else ""
    return ", ".join(map(str, numbers[:shown])) + more


def show_problems(file: Path, report: ImportReport, verbose: bool) -> None:
    """The entries that could not be read or written, each with its line (also ``lclm init --from``'s)."""
    items = [(p.line, p.text, p.reason) for p in report.problems]
    single, many = _grouped(items, verbose)
    for line, text, reason in single:
        warn(f"{file}:{line}: not read: {reason}: {' '.join(text.split())[:100]}")
    for reason, lines in many.items():
        warn(f"{file}:{lines[0]}: not read: {reason}: {len(lines)} entries (lines {_lines(lines)}; --verbose lists them)")
    for line, title, why in report.refused:
        warn(f"{file}:{line}: not written: {title!r}: {why}")
    for line, heading, count in report.unread_headings:
        warn(f"{file}:{line}: {heading!r}: none of its {count} entries read")


def show_summary(file: Path, report: ImportReport, dry_run: bool, verbose: bool) -> None:
    """What the import cleaned, set aside and wrote, and the counts (also ``lclm init --from``'s)."""
    single, many = _grouped(report.cleaned, verbose)
    for line, key, note in single:
        typer.echo(f"{file}:{line}: {key}: cleaned: {note}")
    for note, lines in many.items():
        typer.echo(f"{file}:{lines[0]}: cleaned {len(lines)} entries: {note} (lines {_lines(lines)})")
    for line, title, match in report.skipped:
        where = f"{match.paper.category}.yaml:{match.paper.line}" if match.paper.line else match.paper.category
        typer.echo(f"{file}:{line}: skipped {title!r}: already in the store as {match.paper.key} ({where}, {match.describe()})")
    for line, _key, match in report.repeated:
        typer.echo(f"{file}:{line}: listed twice in this file: merged into {match.paper.key} ({match.describe()})")
    for line, key, match in report.marked:
        typer.echo(f"{file}:{line}: {key}: looks like {match.paper.key} ({match.describe()}): both kept, marked distinct")
    for aside in report.set_aside:
        where = f"{file}:{aside.line}" if aside.line else str(file)
        typer.echo(f"{where}: set aside {aside.count} entries under {aside.heading!r}: {aside.reason}")
    if report.fetched is not None:
        _fetched(file, report)
    show_problems(file, report, verbose)
    verb = "would add" if dry_run else "added"
    for slug, count in report.added.items():
        typer.echo(f"  {slug}: {count}")
    left = f", {report.total - report.read} set aside (listed above)" if report.read < report.total else ""
    counts = report.counts()
    typer.echo(
        f"all {len(report.outcomes)} entries of the source: {counts['written']} {'to write' if dry_run else 'written'},"
        f" {counts['merged']} merged, {counts['set aside']} set aside"
    )
    typer.echo(
        f"read {report.read} of {report.total} entries{left}; {verb} {sum(report.added.values())} papers"
        f" in {len(report.added)} categories ({len(report.new_categories)} new); {len(report.cleaned)} cleanings,"
        f" {len(report.skipped)} already present, {len(report.repeated)} repeats merged,"
        f" {len(report.marked)} look-alikes marked distinct, {len(report.refused)} refused"
    )


def _fetched(file: Path, report: ImportReport) -> None:
    fetched = report.fetched
    assert fetched is not None
    for line, what in fetched.changed:
        typer.echo(f"{file}:{line}: {what}")
    if fetched.failed:
        reason = next(iter(fetched.failed.values()))
        warn(f"{file}: arXiv: {len(fetched.failed)} ids not fetched, their entries kept as the list has them: {reason}")
    if fetched.missing:
        warn(f"{file}: arXiv has no paper for {len(fetched.missing)} ids: {', '.join(fetched.missing[:8])}")
    typer.echo(f"arXiv: {fetched.asked} ids in {fetched.requests} requests, {len(fetched.changed)} changes")
