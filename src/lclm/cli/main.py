"""Entry point: run a command on the fast path, or through Typer.

A run imports only the modules of the command it names.  When that
command's parameters are in the cache (see ``lclm.cli.fast``), it runs
without importing Typer at all; otherwise Typer builds the command (and
keeps its parameters for the next run).  ``--help``, errors and unknown
commands always go through Typer, with every command registered.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable
from typing import Any

# Command name -> the modules in lclm.cli that register it.
COMMANDS: dict[str, tuple[str, ...]] = {
    "add": ("add",),
    "search": ("search",),
    "dedupe": ("dedupe",),
    "validate": ("validate",),
    "fmt": ("fmt",),
    "export": ("export", "export_data", "export_html"),
    "import": ("importing", "import_bibtex"),
    "refresh": ("refresh",),
    "verify": ("verify",),
    "stats": ("stats",),
    "diff": ("diff",),
    "init": ("init",),
    "absorb": ("absorb",),
    "watch": ("watch",),
}
# Global options that take a value, so the value is not taken for the command.
VALUE_OPTIONS = frozenset({"--papers", "-p"})


def register(names: Iterable[str] | None = None) -> Any:
    """Import the modules of the named commands (all when None); return the Typer app."""
    from lclm.cli.typer_app import build

    _import(COMMANDS if names is None else names)
    return build()


def _import(names: Iterable[str]) -> None:
    for name in names:
        for module in COMMANDS[name]:
            importlib.import_module(f"lclm.cli.{module}")


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


def run(argv: list[str]) -> int:
    """Run ``lclm ARGV``; the exit code."""
    command = command_in(argv)
    if command is not None:
        from lclm.cli import fast

        code = fast.run(argv, command, COMMANDS[command])
        if code is not None:
            return code
    import typer

    group = typer.main.get_command(register([command] if command else None))
    if command is not None:
        from lclm.cli import fast

        fast.write_spec(group, command, COMMANDS[command])
    try:
        group.main(argv, prog_name="lclm")
    except SystemExit as exc:
        return 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
    return 0


def main() -> None:
    """Run ``lclm``."""
    try:
        code = run(sys.argv[1:])
        sys.stdout.flush()
    except KeyboardInterrupt:
        print("lclm: interrupted", file=sys.stderr)
        code = 130
    except UnicodeEncodeError as exc:  # a table or panel drawn for a stdout that cannot encode it
        from lclm.cli.app import narrow_stdout

        print(f"lclm: error: {narrow_stdout(exc)}", file=sys.stderr)
        code = 1
    except BrokenPipeError:  # the reader went away (lclm search | head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    sys.exit(code)
