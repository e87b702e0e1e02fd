"""`lclm export bibtex|json|csl-json`: the list, or a selection of it, as data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from lclm.cli.app import export_app, load, warn

if TYPE_CHECKING:
    from lclm.formats.selection import Selection

Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to FILE (atomically) instead of stdout.")]
Category = Annotated[Optional[str], typer.Option("--category", "-c", help="Only this category (name or slug, forgiving typos).")]
Query = Annotated[Optional[str], typer.Option("--query", "-q", help="Only papers `lclm search` finds for these words.")]
Keys = Annotated[Optional[str], typer.Option("--keys", help="Only these keys, comma-separated.")]
Aux = Annotated[
    Optional[list[Path]], typer.Option("--aux", metavar="FILE", help="Only the keys a LaTeX .aux file cites (BibTeX or biblatex; repeatable).")
]
Tex = Annotated[
    Optional[list[Path]], typer.Option("--tex", metavar="FILE", help="Only the keys \\cite'd in a .tex file (repeatable; \\nocite{*} is all).")
]
AllowMissing = Annotated[bool, typer.Option("--allow-missing", help="Exit 0 even when cited keys are not in the list.")]


def _select(category: str | None, query: str | None, keys: str | None, aux: list[Path] | None, tex: list[Path] | None) -> Selection:
    from lclm.formats.selection import select

    return select(
        load(), category=category, query=query, keys=(keys or "").split(","), aux=aux or [], tex=tex or []
    )


def _emit(text: str, output: Path | None) -> None:
    from lclm.store.core import write_atomic

    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(output, text)


def _report(selection: Selection, output: Path | None, allow_missing: bool) -> None:
    """One line per cited key the list lacks (exit 1 unless allowed), or a note that nothing was selected."""
    if not selection.papers and not selection.missing:
        warn("lclm: warning: no paper is selected; the output is empty")
    for miss in selection.missing:
        hint = f"; did you mean {' or '.join(miss.suggestions)}?" if miss.suggestions else ""
        warn(f"lclm: {miss.where}: {miss.key}: not in the list{hint}")
    if selection.missing and not allow_missing:
        count = len(selection.missing)
        where = f" to {output}" if output else ""
        warn(
            f"lclm: error: {count} cited key{'s' * (count > 1)} not in the list; wrote the "
            f"{len(selection.papers)} it has{where} (--allow-missing accepts this)"
        )
        raise typer.Exit(1)


@export_app.command("bibtex")
def export_bibtex(
    output: Output = None,
    category: Category = None,
    query: Query = None,
    keys: Keys = None,
    aux: Aux = None,
    tex: Tex = None,
    allow_missing: AllowMissing = False,
    ascii: Annotated[bool, typer.Option("--ascii", help="Write accents as LaTeX escapes ({\\'e}) for 8-bit BibTeX.")] = False,
) -> None:
    """Write the list, or the papers a draft cites, as a .bib file, in store order."""
    from lclm.formats.bibtex import paper_text, to_bibtex, unescapable

    selection = _select(category, query, keys, aux, tex)
    _emit(to_bibtex(selection.papers, ascii=ascii), output)
    if ascii:
        for paper in selection.papers:
            chars = unescapable(paper_text(paper))
            if chars:
                warn(f"lclm: warning: {paper.key}: no LaTeX escape for {chars!r}; kept as UTF-8")
    _report(selection, output, allow_missing)


@export_app.command("json")
def export_json(
    output: Output = None,
    category: Category = None,
    query: Query = None,
    keys: Keys = None,
    aux: Aux = None,
    tex: Tex = None,
    allow_missing: AllowMissing = False,
) -> None:
    """Write the records as a JSON list: the stored fields plus each paper's category."""
    from lclm.formats.csl import to_json

    selection = _select(category, query, keys, aux, tex)
    _emit(to_json(selection.papers), output)
    _report(selection, output, allow_missing)


@export_app.command("csl-json")
def export_csl_json(
    output: Output = None,
    category: Category = None,
    query: Query = None,
    keys: Keys = None,
    aux: Aux = None,
    tex: Tex = None,
    allow_missing: AllowMissing = False,
) -> None:
    """Write CSL-JSON for Zotero, pandoc (--bibliography refs.json) and other CSL processors."""
    from lclm.formats.csl import to_csl_json

    selection = _select(category, query, keys, aux, tex)
    _emit(to_csl_json(selection.papers), output)
    _report(selection, output, allow_missing)
