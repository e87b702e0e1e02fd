"""`lclm export bibtex|json|csl-json`: the list, or a selection of it, as data.

One command per row of the exporter table (``lclm.formats.exporters.EXPORTERS``),
registered by ``_register`` with the shared options and the row's own: select
the papers, run the exporter, write the text to stdout or through the safe
writer.  A new data format is a row there, not a command here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from lclm.cli.app import Exit, echo, export_app, load, typer, warn

if TYPE_CHECKING:
    from lclm.formats.selection import Selection

Output = Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.")]
Category = Annotated[str | None, typer.Option("--category", "-c", metavar="CATEGORY", help="Only this category (name or slug, forgiving typos).")]
Query = Annotated[str | None, typer.Option("--query", "-q", metavar="QUERY", help="Only papers `lclm search` finds for these words.")]
Keys = Annotated[str | None, typer.Option("--keys", metavar="KEY,...", help="Only these keys, comma-separated.")]
Aux = Annotated[
    list[Path] | None, typer.Option("--aux", metavar="FILE", help="Only the keys a LaTeX .aux file cites (BibTeX or biblatex; repeatable).")
]
Tex = Annotated[
    list[Path] | None, typer.Option("--tex", metavar="FILE", help="Only the keys \\cite'd in a .tex file (repeatable; \\nocite{*} is all).")
]
AllowMissing = Annotated[bool, typer.Option("--allow-missing", help="Exit 0 even when cited keys are not in the list.")]


def export(
    name: str,
    output: Path | None,
    *,
    category: str | None,
    query: str | None,
    keys: str | None,
    aux: list[Path] | None,
    tex: list[Path] | None,
    **options: Any,
) -> Selection:
    """Select, export as format ``name``, write; the selection (nothing is written when it is empty)."""
    from lclm.errors import LclmError
    from lclm.formats.exporters import export as to_text
    from lclm.formats.selection import select

    store = load()
    selection = select(
        store, category=category, query=query, keys=None if keys is None else keys.split(","), aux=aux or [], tex=tex or []
    )
    for moved in selection.merged:
        warn(f"lclm: note: {moved.where}: {moved.old} is now {moved.key} (merged)")
    for miss in selection.missing:
        hint = f"; did you mean {' or '.join(miss.suggestions)}?" if miss.suggestions else ""
        warn(f"lclm: {miss.where}: {miss.key}: not in the list{hint}")
    if not selection.papers and selection.filters:
        raise LclmError(f"no paper selected by {' '.join(selection.filters)}; nothing written")
    _write(to_text(name, selection.papers, store, **options), output)
    return selection


def _write(text: str, output: Path | None) -> None:
    from lclm.cli.app import write_file

    if output is None:
        echo(text, nl=False)
    else:
        write_file(output, text)


def missing_fails(selection: Selection, output: Path | None, allow_missing: bool) -> None:
    """Exit 1 when cited keys are not in the list, unless that is allowed."""
    if selection.missing and not allow_missing:
        count = len(selection.missing)
        where = f" to {output}" if output else ""
        warn(
            f"lclm: error: {count} cited key{'s' * (count > 1)} not in the list; wrote the "
            f"{len(selection.papers)} it has{where} (--allow-missing accepts this)"
        )
        raise Exit(1)


# ---------------------------------------------------------------- one command per format

# The options every data format takes: name -> (annotation, default).
SHARED: dict[str, tuple[Any, Any]] = {
    "output": (Output, None), "category": (Category, None), "query": (Query, None), "keys": (Keys, None),
    "aux": (Aux, None), "tex": (Tex, None), "allow_missing": (AllowMissing, False),
}
# The options a format's row may add (``lclm.formats.exporters.Format.options``).
EXTRA: dict[str, tuple[Any, Any]] = {
    "ascii": (Annotated[bool, typer.Option("--ascii", help="Write accents as LaTeX escapes ({\\'e}) for 8-bit BibTeX.")], False),
}


def run_export(name: str, values: dict[str, Any]) -> None:
    """``lclm export NAME`` with its parsed options: select, export, write, report what is missing."""
    options = {option: values.pop(option) for option in list(values) if option in EXTRA}
    output, allow_missing = values.pop("output"), values.pop("allow_missing")
    selection = export(name, output, **values, **options)
    if name == "bibtex" and options.get("ascii"):
        _unescapable(selection)
    missing_fails(selection, output, allow_missing)


def _unescapable(selection: Selection) -> None:
    """Warn about characters --ascii could not write as LaTeX."""
    from lclm.formats.bibtex import paper_text, unescapable

    for paper in selection.papers:
        chars = unescapable(paper_text(paper))
        if chars:
            warn(f"lclm: warning: {paper.key}: no LaTeX escape for {chars!r}; kept as UTF-8")


def _command(name: str, help: str, options: tuple[str, ...]) -> Callable[..., None]:
    """The command function of format ``name``: the shared options and the format's own, keyword-only."""
    params = {**SHARED, **{option: EXTRA[option] for option in options}}

    def command(**values: Any) -> None:
        run_export(name, values)

    command.__name__ = command.__qualname__ = f"export_{name.replace('-', '_')}"
    command.__doc__ = help
    command.__annotations__ = {option: annotation for option, (annotation, _) in params.items()}
    # Its keyword options and defaults: ``lclm.cli.typer_app.declared`` makes them the signature
    # Typer reads (not here: ``inspect`` would cost every export run on the fast path).
    command.__kwdefaults__ = {option: default for option, (_, default) in params.items()}
    return command


def _register() -> None:
    """Register ``lclm export FORMAT`` for every row of the exporter table (module-level names, for the fast path)."""
    from lclm.formats.exporters import EXPORTERS

    for name, row in EXPORTERS.items():
        command = _command(name, row.help, row.options)
        globals()[command.__name__] = command
        export_app.command(name)(command)


_register()
