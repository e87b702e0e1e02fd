"""The Typer application built from the registry in ``lclm.cli.app``.

Typer parses every command line the fast path (``lclm.cli.fast``) does not
take: help, usage errors, and a command run for the first time.  Usage
errors are the README's one line, ``lclm: error: ...``, with a hint naming
the help to read, not Click's or Rich's boxed panel.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import (
    Annotated,
    Any,
    NoReturn,
    get_args,
    get_origin,
    get_type_hints,
)

import typer
from typer._click.core import Context
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup
from typer.exceptions import Abort

from lclm import __version__
from lclm.cli.app import (
    GROUPS,
    Command,
    Declared,
    Exit,
    Group,
    Invocation,
    app,
    error_exit,
    invoked,
)
from lclm.errors import LclmError

CONTEXT = {"help_option_names": ["-h", "--help"]}


def usage_error(exc: UsageError, command_path: str) -> NoReturn:
    """``lclm: error: <what>`` and ``Try 'lclm CMD --help'.`` on stderr; exit 2.

    ``command_path`` names the command when Click's error does not carry it.
    """
    if isinstance(exc, NoArgsIsHelpError):  # `lclm export`: the help, as Click gives it
        exc.show()
        sys.exit(exc.exit_code)
    message = exc.format_message()
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]
    print(f"lclm: error: {message}", file=sys.stderr)
    print(f"Try '{exc.ctx.command_path if exc.ctx else command_path} --help'.", file=sys.stderr)
    sys.exit(exc.exit_code)


class LclmGroup(TyperGroup):
    """Runs a command: an ``LclmError`` is one line and its exit code, a usage error one line and a hint."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except LclmError as exc:
            raise typer.Exit(error_exit(exc)) from None
        except Exit as exc:
            raise typer.Exit(exc.exit_code) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except UsageError as exc:
            usage_error(exc, self.command_path_in(list(sys.argv[1:] if args is None else args)))
        except ClickException as exc:
            print(f"lclm: error: {exc.format_message()}", file=sys.stderr)
            sys.exit(exc.exit_code)
        except Abort:
            print("lclm: aborted", file=sys.stderr)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def command_path_in(self, argv: list[str]) -> str:
        """``lclm export bibtex`` for a command line naming that command (as far as it names one)."""
        words, group = ["lclm"], self
        for arg in argv:
            command = getattr(group, "commands", {}).get(arg)
            if command is not None:
                words.append(arg)
                group = command
        return " ".join(words)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lclm {__version__}")
        raise typer.Exit()


def main_options(
    ctx: typer.Context,
    papers: Annotated[
        Path | None,
        typer.Option(
            "--papers", "-p", metavar="DIR", help="Paper store directory (default: ./papers).",
            envvar="LCLM_PAPERS", show_envvar=True,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Keep a curated research-paper list as reviewable YAML."""
    ctx.obj = Invocation(papers)
    ctx.with_resource(invoked(ctx.obj))


# The placeholder a value gets in help and errors, by parameter name, so every command
# says FILE for a file and KEY for a key; a declaration's own metavar wins.
METAVARS = {
    "output": "FILE", "readme": "FILE", "file": "FILE", "files": "FILE", "svg": "FILE", "bibtex": "FILE",
    "aux": "FILE", "tex": "FILE", "papers": "DIR", "category": "CATEGORY", "lang": "LANG",
    "query": "QUERY", "keys": "KEY,...", "year": "YEAR", "since": "YEAR", "author": "NAME",
    "venue": "VENUE", "title": "TITLE", "url": "URL", "tag": "TAG", "note": "TEXT", "limit": "N",
    "top": "N", "fmt": "FORMAT", "threshold": "SCORE",
}


def declared(function: Command) -> Command:
    """``function`` with its ``Declared`` parameters made Typer's own (see ``lclm.cli.app``).

    A parameter that takes a value and names no metavar gets the one
    ``METAVARS`` gives its name.
    """
    hints = get_type_hints(function, include_extras=True)
    for name, hint in hints.items():
        if get_origin(hint) is Annotated:
            meta = tuple(_built(m, name, hint.__origin__) if isinstance(m, Declared) else m for m in hint.__metadata__)
            hints[name] = Annotated[(hint.__origin__, *meta)]
    function.__annotations__ = hints
    if function.__kwdefaults__ and not function.__code__.co_kwonlyargcount:  # made from a table (lclm.cli.export_data)
        keyword = inspect.Parameter.KEYWORD_ONLY
        params = [inspect.Parameter(n, keyword, default=d, annotation=hints[n]) for n, d in function.__kwdefaults__.items()]
        setattr(function, "__signature__", inspect.Signature(params))  # noqa: B010 (mypy knows no __signature__ on a function)
    if function.__defaults__:  # the older style, `x: str = typer.Option(...)`
        function.__defaults__ = tuple(d.build() if isinstance(d, Declared) else d for d in function.__defaults__)
    return function


def _built(declaration: Declared, name: str, kind: Any) -> Any:
    if kind is not bool and name in METAVARS and "metavar" not in declaration.kwargs:
        many = declaration.kind == "Argument" and list in {get_origin(k) for k in (kind, *get_args(kind))}
        metavar = METAVARS[name] + ("..." if many else "")  # Click marks repeatable options itself
        declaration = Declared(declaration.kind, declaration.args, {**declaration.kwargs, "metavar": metavar})
    return declaration.build()


def _typer(group: Group, completion: bool = False, **settings: Any) -> typer.Typer:
    built = typer.Typer(
        cls=LclmGroup, help=group.help, no_args_is_help=True, context_settings=CONTEXT,
        pretty_exceptions_enable=False, add_completion=completion, **settings,
    )
    for name, (function, options) in group.commands.items():
        built.command(name, **options)(declared(function))
    return built


def build() -> typer.Typer:
    """The whole application, with the commands registered so far.

    The root has Typer's ``--install-completion`` / ``--show-completion``;
    completing a command line (the shell runs ``lclm`` with ``_LCLM_COMPLETE``
    set and no arguments) always goes through Typer, never the fast path.
    """
    root = _typer(app, completion=True, name="lclm")
    root.callback()(main_options)
    for group in GROUPS:
        root.add_typer(_typer(group), name=group.name)
    return root
