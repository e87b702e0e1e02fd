"""Entry point: register the commands a run needs, then run the app.

Typer builds every registered command's parameters on each run (about
35 ms for all of them), so a run registers only the command it was asked
for; ``--help`` and unknown commands get them all.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable

import typer

from lclm.cli.app import app

# Command name -> the modules in lclm.cli that register it.
COMMANDS: dict[str, tuple[str, ...]] = {
    "add": ("add",),
    "search": ("search",),
    "dedupe": ("dedupe",),
    "validate": ("validate",),
    "fmt": ("fmt",),
    "export": ("export", "export_data"),
    "import": ("importing", "import_bibtex"),
}
# Global options that take a value, so the value is not taken for the command.
VALUE_OPTIONS = frozenset({"--papers", "-p"})


def register(names: Iterable[str] | None = None) -> typer.Typer:
    """Import the modules of the named commands (all when None); return the app."""
    for name in COMMANDS if names is None else names:
        for module in COMMANDS[name]:
            importlib.import_module(f"lclm.cli.{module}")
    return app


def command_in(argv: list[str]) -> str | None:
    """The known command named on a command line, or None."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def main() -> None:
    """Run ``lclm``."""
    command = command_in(sys.argv[1:])
    register([command] if command else None)
    try:
        app()
    except KeyboardInterrupt:
        print("lclm: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
