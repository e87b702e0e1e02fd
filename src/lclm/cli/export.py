"""`lclm export markdown`: the list's README from the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from lclm.cli.app import Exit, echo, export_app, load, typer, warn, write_file


@export_app.command("markdown")
def export_markdown(
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.")] = None,
    readme: Annotated[
        Path | None,
        typer.Option("--readme", metavar="FILE", help="Replace only the part of FILE between <!-- lclm:start --> and <!-- lclm:end -->."),
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="With --readme: write nothing; exit 1 if FILE is out of date.")] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", metavar="LANG",
            help="Heading language: en, or a translation in _sections.yaml such as zh (default: from --readme's name, README_zh.md is zh).",
        ),
    ] = None,
    toc: Annotated[bool, typer.Option("--toc/--no-toc", help="Include a table of contents with per-section counts.")] = True,
) -> None:
    """Render the list as Markdown in the seed's format, headings in store order."""
    from lclm.errors import UsageError
    from lclm.formats.markdown import readme_lang, render_list, splice_readme
    from lclm.store.files import read_text, write_text

    if check and readme is None:
        raise UsageError("--check needs --readme FILE")
    if output and readme:
        raise UsageError("give --output or --readme, not both")
    lang = lang or (readme_lang(readme) if readme else "en")
    block = render_list(load(), lang=lang, toc=toc)
    if readme is None:
        if output is None:
            echo(block, nl=False)
        else:
            write_file(output, block)
        return
    current = read_text(readme)
    updated = splice_readme(readme, current, block)
    if updated == current:
        if not check:
            echo(f"{readme}: up to date")
        return
    if check:
        again = "" if lang == readme_lang(readme) else f" --lang {lang}"
        warn(f"{readme}: out of date; run `lclm export markdown --readme {readme}{again}`")
        raise Exit(1)
    write_text(readme, updated)
    echo(f"{readme}: updated")
