"""`lclm export markdown`: the list's README from the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lclm.cli.app import export_app, load, warn


@export_app.command("markdown")
def export_markdown(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to FILE instead of stdout.")] = None,
    readme: Annotated[
        Optional[Path],
        typer.Option("--readme", help="Replace only the part of FILE between <!-- lclm:start --> and <!-- lclm:end -->."),
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="With --readme: write nothing; exit 1 if FILE is out of date.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="Heading language (en, or a translation in _sections.yaml such as zh).")] = "en",
    toc: Annotated[bool, typer.Option("--toc/--no-toc", help="Include a table of contents with per-section counts.")] = True,
) -> None:
    """Render the list as Markdown in the seed's format, headings in store order."""
    from lclm.errors import UsageError
    from lclm.formats.markdown import render_list, splice_readme
    from lclm.store.core import read_text, write_atomic

    if check and readme is None:
        raise UsageError("--check needs --readme FILE")
    if output and readme:
        raise UsageError("give --output or --readme, not both")
    block = render_list(load(), lang=lang, toc=toc)
    if readme is None:
        if output is None:
            typer.echo(block, nl=False)
        else:
            write_atomic(output, block)
        return
    current = read_text(readme)
    updated = splice_readme(readme, current, block)
    if updated == current:
        if not check:
            typer.echo(f"{readme}: up to date")
        return
    if check:
        warn(f"{readme}: out of date; run `lclm export markdown --readme {readme}{' --lang ' + lang if lang != 'en' else ''}`")
        raise typer.Exit(1)
    write_atomic(readme, updated)
    typer.echo(f"{readme}: updated")
