"""`lclm export html`: the list as one self-contained, searchable web page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from lclm.cli.app import echo, export_app, load, typer, write_file


@export_app.command("html")
def export_html(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to FILE, or to DIR/index.html (DIR is made if missing); default stdout."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Heading language (en, or a translation in _sections.yaml such as zh).")] = "en",
    title: Annotated[str, typer.Option("--title", help="The page's title (default: \"Paper list\").")] = "",
) -> None:
    """Write the list as one web page: search, filters, a chart, copy-BibTeX; no network needed to view it."""
    from lclm.formats.html import render_page

    store = load()
    page = render_page(store, lang=lang, title=title)
    if output is None:
        echo(page, nl=False)
        return
    from lclm.actions.output import refuse_store_file
    from lclm.cli.app import store_root

    refuse_store_file(store_root(), output)  # before a directory of that name is made
    path = _page_path(output)
    write_file(path, page)
    echo(f"{path}: {len(store.papers)} papers")


def _page_path(output: Path) -> Path:
    """OUTPUT itself for a file name, else OUTPUT/index.html, making the directory if missing."""
    if output.is_dir() or (not output.exists() and output.suffix.lower() not in (".html", ".htm")):
        from lclm.errors import InputError

        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{output}: cannot make the directory: {exc.strerror}") from None
        return output / "index.html"
    return output
