"""The Typer application and what every command shares.

Command modules in ``lclm.cli`` register on ``app`` (or on the
``export``/``import`` groups).  They parse options, call one domain function
and render its result; domain modules never print or exit.  Keep imports
here light: every command pays for them at start-up.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from lclm import __version__
from lclm.errors import LclmError

if TYPE_CHECKING:
    from rich.console import Console

    from lclm.store.core import Store

class _Group(TyperGroup):
    """Turns an expected failure (``LclmError``) into one line and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except LclmError as exc:
            typer.echo(f"lclm: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    name="lclm",
    cls=_Group,
    help="Keep a curated research-paper list as reviewable YAML: add, search, dedupe, validate, export.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
export_app = typer.Typer(help="Write the list (or a selection) as Markdown, BibTeX or JSON.", no_args_is_help=True)
import_app = typer.Typer(help="Bring papers in from an existing Markdown list or BibTeX file.", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")

_state: dict[str, Any] = {"papers": None}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lclm {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    papers: Annotated[
        Optional[Path],
        typer.Option("--papers", "-p", help="Paper store directory (default: ./papers).", envvar="LCLM_PAPERS", show_envvar=True),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Keep a curated research-paper list as reviewable YAML."""
    _state["papers"] = papers


def store_root() -> Path:
    """The store directory chosen by ``--papers``, ``LCLM_PAPERS`` or the default."""
    from lclm.store.core import resolve_root

    option = _state["papers"]
    return resolve_root(str(option) if option else None)


def load() -> Store:
    """The store chosen on the command line, loaded (from cache when unchanged)."""
    from lclm.store.core import load_store

    return load_store(store_root())


def is_terminal(stream: Any = None) -> bool:
    """Whether output goes to a terminal (so tables, colour and prompts make sense)."""
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def console(stderr: bool = False) -> Console:
    """A Rich console; imported only by commands that draw tables or panels."""
    from rich.console import Console

    return Console(stderr=stderr, no_color="NO_COLOR" in os.environ or None, highlight=False)


def warn(message: str) -> None:
    """One line on stderr."""
    typer.echo(message, err=True)
