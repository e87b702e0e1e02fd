"""What every command shares: the command registry, the chosen store, output helpers.

Command modules in ``lclm.cli`` register on ``app`` (or on the ``export`` /
``import`` groups) with ``@app.command()``; they parse options, call one
domain function and render its result.  The registry is plain data:
``lclm.cli.typer_app`` turns it into a Typer application when a run needs
Typer (help, errors, a command run for the first time), and
``lclm.cli.fast`` runs a command straight from the parameters Typer built
last time.  So this module never imports Typer or Rich: every command pays
for what is imported here at start-up.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lclm.errors import LclmError

if TYPE_CHECKING:
    from rich.console import Console

    from lclm.store.layout import Store

Command = Callable[..., Any]


class Group:
    """Commands registered by name; ``lclm.cli.typer_app`` builds them into Typer.

    ``command`` takes Typer's ``app.command`` arguments and keeps them for
    the build, so a command module reads as an ordinary Typer one.
    """

    def __init__(self, name: str, help: str) -> None:
        self.name = name
        self.help = help
        self.commands: dict[str, tuple[Command, dict[str, Any]]] = {}

    def command(self, name: str | None = None, **settings: Any) -> Callable[[Command], Command]:
        """Register the decorated function as the command ``name`` (default: its own name)."""

        def register(function: Command) -> Command:
            self.commands[name or function.__name__.lower().replace("_", "-")] = (function, settings)
            return function

        return register


app = Group("lclm", "Keep a curated research-paper list as reviewable YAML: add, search, dedupe, validate, export.")
export_app = Group("export", "Write the list (or a selection) as Markdown, BibTeX or JSON.")
import_app = Group("import", "Bring papers in from an existing Markdown list or BibTeX file.")
GROUPS = (export_app, import_app)


class Exit(Exception):  # the name Typer and Click use
    """End the command with ``code`` (what ``typer.Exit`` does, without importing Typer)."""

    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.exit_code = code


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    """Write ``message`` (and a newline) to stdout, or stderr with ``err``.

    A stdout whose encoding cannot hold the text (a Windows console,
    ``PYTHONIOENCODING=ascii``) gets JSON with its characters escaped (the
    same data), and for any other text one line saying so, instead of a
    traceback; nothing is half-written, as the text is encoded before a byte goes out.
    """
    stream = sys.stderr if err else sys.stdout
    text = message + ("\n" if nl else "")
    try:
        stream.write(text)
    except UnicodeEncodeError as exc:
        if err:
            raise
        stream.write(_narrow(text, exc))
    stream.flush()


def _narrow(text: str, exc: UnicodeEncodeError) -> str:
    """``text`` as a narrow stdout can take it: JSON escaped, or an ``LclmError`` naming the character."""
    import json
    import re

    if text.lstrip()[:1] in ("[", "{"):
        try:
            json.loads(text)
        except ValueError:
            pass
        else:  # every non-ASCII character only ever sits inside a JSON string: \uXXXX is the same value
            return re.sub(r"[^\x00-\x7f]", lambda m: json.dumps(m.group(0))[1:-1], text)
    raise LclmError(narrow_stdout(exc))


def narrow_stdout(exc: UnicodeEncodeError) -> str:
    """The one line for text a stdout cannot encode: which character, and what to do instead."""
    char = exc.object[exc.start]
    return (
        f"stdout ({exc.encoding}) cannot show {char!r} (U+{ord(char):04X}); "
        "set PYTHONIOENCODING=utf-8 (or, for an export, write a UTF-8 file with -o FILE)"
    )


def warn(message: str) -> None:
    """One line on stderr."""
    echo(message, err=True)


def error_exit(exc: LclmError) -> int:
    """Report an expected failure as one line; its exit code."""
    warn(f"lclm: error: {exc}")
    return exc.exit_code


class Declared:
    """A ``typer.Option`` / ``typer.Argument`` declaration, made Typer's own when Typer builds the command."""

    def __init__(self, kind: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs

    def build(self) -> Any:
        """Typer's ``OptionInfo`` / ``ArgumentInfo`` for this declaration."""
        import typer as real

        return getattr(real, self.kind)(*self.args, **self.kwargs)


class _Typer:
    """``typer`` as command modules use it, importing Typer only when a run needs it.

    ``Option`` and ``Argument`` record the declaration (``lclm.cli.typer_app``
    hands it to Typer when it builds the command); ``echo`` and ``Exit`` are
    lclm's own; anything else is Typer's, imported on first use.  So
    importing a command module, and running its body on the fast path,
    imports no Typer.
    """

    echo = staticmethod(echo)
    Exit = Exit

    @staticmethod
    def Option(*args: Any, **kwargs: Any) -> Declared:  # Typer's name
        return Declared("Option", args, kwargs)

    @staticmethod
    def Argument(*args: Any, **kwargs: Any) -> Declared:  # Typer's name
        return Declared("Argument", args, kwargs)

    def __getattr__(self, name: str) -> Any:
        import typer as real

        return getattr(real, name)


typer: Any = _Typer()


# ---------------------------------------------------------------- the run


class Invocation:
    """What the global options chose for one run (Click keeps it as ``ctx.obj``)."""

    def __init__(self, papers: Path | None = None) -> None:
        self.papers = papers


_current: ContextVar[Invocation] = ContextVar("lclm_invocation")


@contextmanager
def invoked(invocation: Invocation) -> Iterator[Invocation]:
    """Make ``invocation`` the current run's choices while a command runs.

    When it ends, the notices the store filed (``lclm.store.notices``: an
    interrupted write finished, a category file missing) are printed.
    """
    token = _current.set(invocation)
    try:
        yield invocation
    finally:
        _current.reset(token)
        from lclm.store.notices import take

        for message in take():
            warn(f"lclm: note: {message}")


def store_root() -> Path:
    """The store directory chosen by ``--papers``, ``LCLM_PAPERS`` or the default."""
    from lclm.store.layout import resolve_root

    option = _current.get(Invocation()).papers
    return resolve_root(str(option) if option else None)


def load() -> Store:
    """The store chosen on the command line, loaded (from cache when unchanged)."""
    from lclm.store.load import load_store

    return load_store(store_root())


def write_file(path: Path, text: str) -> None:
    """Write an output the user named (``-o FILE``), refusing any file the store owns."""
    from lclm.actions.output import write_output

    write_output(store_root(), path, text)


def is_terminal(stream: Any = None) -> bool:
    """Whether output goes to a terminal (so tables, colour and prompts make sense)."""
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def console(stderr: bool = False) -> Console:
    """A Rich console; imported only by commands that draw tables or panels."""
    from rich.console import Console

    return Console(stderr=stderr, no_color="NO_COLOR" in os.environ or None, highlight=False)


class Bars:
    """The one progress display: a bar per label on stderr, drawn on a terminal only.

    Called as ``bars(label, done, total)`` (the actions' progress callback:
    ``done`` more items of ``label`` settled, of ``total``; None when not
    known), it draws nothing when off, so a command can always pass it.
    Rich is imported only when a bar is drawn.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and is_terminal(sys.stderr)
        self.bars: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> Bars:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bars = Progress(
                TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=console(stderr=True), transient=True,
            )
            self.bars.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.bars is not None:
            self.bars.stop()

    def __call__(self, label: str, done: int, total: int | None = None) -> None:
        if self.bars is None:
            return
        if label not in self.tasks:
            if total == 0:  # nothing to ask this source about: no bar
                return
            self.tasks[label] = self.bars.add_task(label, total=total)
        self.bars.advance(self.tasks[label], done)
