"""The fast path: run a command from the parameters Typer built for it last time.

Importing Typer costs about as much as the rest of an ``export bibtex``, so
each command's parameters, as Typer built them from the command's one
definition, are kept in the cache (``cli/COMMAND.json``, stamped with the
CLI modules' sizes and times; see ``lclm.store.cache``).  A later run of
that command matches its arguments against them and calls the command
function without importing Typer.  Anything this module does not read
plainly (help, an unknown or doubtful option, a value that does not
convert, a missing argument) is left to Typer, which gives the usual
answer or error; so the fast path only runs command lines Typer would run
the same way (``tests/test_cli.py`` holds the two to the same output).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SPEC_VERSION = 1
HERE = Path(__file__).resolve().parent
# The modules every command's parameters depend on, besides its own.
SHARED = ("app", "typer_app", "fast")

Spec = dict[str, Any]


def stamp(modules: Iterable[str]) -> str:
    """What a spec depends on: the CLI's sources (and, through the cache scheme, lclm's version)."""
    from lclm.store.cache import make_stamp

    parts = []
    for path in (HERE / f"{m}.py" for m in (*SHARED, *modules)):
        try:
            info = os.stat(path)
        except OSError:
            info = None
        parts.append(f"{path.name}:{info.st_mtime_ns}:{info.st_size}" if info else f"{path.name}:-")
    return make_stamp("cli", SPEC_VERSION, f"python {sys.version_info[0]}.{sys.version_info[1]}", *parts)


def spec_path(command: str) -> Path:
    """Where the spec of one top-level command (``export`` holds all its subcommands) is kept."""
    from lclm.store.cache import cache_file

    return cache_file(None, "cli", f"{command}.json")


# ---------------------------------------------------------------- running


def run(argv: list[str], command: str, modules: Iterable[str]) -> int | None:
    """Run ``argv`` on the fast path and return its exit code, or None to leave it to Typer."""
    from lclm.store.cache import read_json

    spec = read_json(spec_path(command), stamp(modules))
    try:
        parsed = parse(spec, argv) if isinstance(spec, dict) else None
    except (KeyError, TypeError, ValueError, AttributeError):  # not a spec this lclm wrote: rebuild it
        parsed = None
    if parsed is None:
        return None
    target, root_options, kwargs = parsed
    return call(target, root_options, kwargs)


def call(target: str, root_options: dict[str, Any], kwargs: dict[str, Any]) -> int:
    """Call the command function ``module:function`` as Typer would, with its errors handled alike."""
    import importlib

    from lclm.cli.app import Exit, Invocation, error_exit, invoked
    from lclm.errors import LclmError

    module, _, name = target.partition(":")
    function = getattr(importlib.import_module(module), name)
    papers = root_options.get("papers")
    with invoked(Invocation(Path(papers) if papers else None)):
        try:
            function(**kwargs)
        except LclmError as exc:
            return error_exit(exc)
        except Exit as exc:
            return exc.exit_code
        except EOFError:  # as on the Typer path (typer.core)
            return _aborted("\n")
        except KeyboardInterrupt:
            return 130
        except Exception as exc:
            real = sys.modules.get("typer")  # a command module that raised typer.Exit itself
            if real is not None and isinstance(exc, real.Exit):
                return int(exc.exit_code)
            if real is not None and isinstance(exc, real.Abort):  # typer.prompt at end of input or Ctrl-C
                return _aborted()
            raise
    return 0


def _aborted(before: str = "") -> int:
    """Report an aborted command as the Typer path does; its exit code."""
    print(f"{before}lclm: aborted", file=sys.stderr)
    return 1


def parse(spec: Spec, argv: list[str]) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """The command function, the global options and the function's arguments, or None if in doubt."""
    try:
        return _parse(spec, argv)
    except _Doubt:
        return None


def _parse(spec: Spec, argv: list[str]) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    rest = list(argv)
    root_values = _options_before_command(spec["root"], rest)
    if root_values is None:
        return None
    for entry in spec["commands"]:
        words = entry["path"]
        if rest[: len(words)] == words:
            values = _match(entry["params"], rest[len(words) :])
            if values is None or (entry["no_args_is_help"] and not rest[len(words) :]):
                return None
            return entry["target"], _kwargs(spec["root"], root_values), _kwargs(entry["params"], values)
    return None


def _options_before_command(params: list[Spec], rest: list[str]) -> dict[str, list[str]] | None:
    """Consume the global options in front of the command name (value options only)."""
    values: dict[str, list[str]] = {}
    by_opt = {opt: p for p in params for opt in p["opts"] if not p["flag"]}
    while rest and rest[0].startswith("-"):
        token = rest.pop(0)
        name, eq, value = token.partition("=")
        param = by_opt.get(name)
        if param is None or (eq and not name.startswith("--")):
            return None
        if not eq:
            if not rest:
                return None
            value = rest.pop(0)
        values[param["name"]] = [value]
    return values


def _match(params: list[Spec], tokens: list[str]) -> dict[str, list[Any]] | None:
    """Each parameter's raw values from the command's tokens, as Click's parser reads them."""
    options = {opt: (p, True) for p in params if p["kind"] == "option" for opt in p["opts"]}
    options.update({opt: (p, False) for p in params if p["kind"] == "option" for opt in p["secondary"]})
    values: dict[str, list[Any]] = {}
    positional: list[str] = []
    tokens = list(tokens)
    while tokens:
        token = tokens.pop(0)
        if token == "--":
            positional += tokens
            break
        if not token.startswith("-") or token == "-":
            positional.append(token)
            continue
        name, eq, value = token.partition("=")
        found = options.get(name)
        if found is None or (eq and (found[0]["flag"] or not name.startswith("--"))):
            return None  # unknown, combined (-nq), attached (-n5) or help: Typer's to answer
        param, primary = found
        if param["flag"]:
            values[param["name"]] = [primary]
            continue
        if not eq:
            if not tokens:
                return None
            value = tokens.pop(0)
        if param["multiple"]:
            values.setdefault(param["name"], []).append(value)
        else:
            values[param["name"]] = [value]
    return _arguments(params, positional, values)


def _arguments(params: list[Spec], positional: list[str], values: dict[str, list[Any]]) -> dict[str, list[Any]] | None:
    for param in (p for p in params if p["kind"] == "argument"):
        if param["nargs"] == -1:
            values[param["name"]], positional = positional, []
        elif positional:
            values[param["name"]] = [positional.pop(0)]
    return None if positional else values


def _kwargs(params: list[Spec], values: dict[str, list[Any]]) -> dict[str, Any]:
    """Typer's call arguments: each value converted, defaults for the rest."""
    out: dict[str, Any] = {}
    for param in params:
        raw = values.get(param["name"])
        if raw is None:
            raw = _from_environment(param)
        if raw is None or (param["nargs"] == -1 and not raw):
            if param["required"]:
                raise _Doubt
            out[param["name"]] = _default(param)
            continue
        converted = [_convert(param, v) for v in raw]
        many = param["multiple"] or param["nargs"] == -1
        out[param["name"]] = converted if many else converted[0]
    return out


def _from_environment(param: Spec) -> list[Any] | None:
    """The value an environment variable gives an option left out, as Click reads it."""
    for name in param["envvar"]:
        if os.environ.get(name):  # Click ignores an empty variable
            if param["flag"] or param["multiple"]:
                raise _Doubt
            return [os.environ[name]]
    return None


class _Doubt(Exception):
    """A value the fast path does not convert the way Typer would: leave the run to Typer."""


def _default(param: Spec) -> Any:
    default = param["default"]
    if param["multiple"] or param["nargs"] == -1:
        return None if default is None or not default else [_convert(param, v) for v in default]
    return None if default is None else _convert(param, default) if not param["flag"] else default


def _convert(param: Spec, value: Any) -> Any:
    kind = param["type"]
    if param["flag"]:
        return bool(value)
    if kind == "text":
        return str(value)
    if kind == "path":
        return Path(value)
    try:
        number: Any = int(value) if kind == "integer" else float(value)
    except ValueError:
        raise _Doubt from None
    low, high = param["range"]
    if (low is not None and number < low) or (high is not None and number > high):
        raise _Doubt
    return number


# ---------------------------------------------------------------- writing


def write_spec(group: Any, command: str, modules: Iterable[str]) -> None:
    """Keep the parameters Typer built for ``command`` (a Click group) for the next run."""
    from lclm.store.cache import write_json

    commands = []
    top = group.commands.get(command)
    if top is None:
        return
    subcommands = top.commands.items() if hasattr(top, "commands") else [(None, top)]
    for name, click_command in subcommands:
        entry = _command_spec(click_command, [command] if name is None else [command, name])
        if entry is not None:
            commands.append(entry)
    # --version and the completion options act and exit in Typer: they are Typer's to run.
    root = [_param_spec(p) for p in group.params if not p.is_eager and p.expose_value]
    if any(p is None for p in root):
        return
    write_json(spec_path(command), stamp(modules), {"root": root, "commands": commands})


def _command_spec(command: Any, path: list[str]) -> Spec | None:
    """One command's parameters, or None when one of them is beyond the fast path."""
    callback = getattr(command.callback, "__wrapped__", None)
    params = [_param_spec(p) for p in command.params if not _is_help(p)]
    if callback is None or any(p is None for p in params) or command.context_settings.get("ignore_unknown_options"):
        return None
    import inspect

    if set(inspect.signature(callback).parameters) != {p.name for p in command.params if not _is_help(p)}:
        return None  # e.g. a typer.Context parameter
    arguments = [p for p in params if p and p["kind"] == "argument"]
    if any(a["nargs"] == -1 for a in arguments[:-1]) or any(a["nargs"] not in (1, -1) for a in arguments):
        return None
    return {
        "path": path,
        "target": f"{callback.__module__}:{callback.__name__}",
        "no_args_is_help": bool(getattr(command, "no_args_is_help", False)),
        "params": params,
    }


def _is_help(param: Any) -> bool:
    return bool(param.is_eager and param.expose_value is False)


# Click's type names (they differ between Click versions) -> how the fast path converts a value.
TYPES = {
    "str": "text", "text": "text", "path": "path", "boolean": "boolean",
    "int": "integer", "integer": "integer", "int range": "integer", "integer range": "integer",
    "float": "float", "float range": "float",
}


def _param_spec(param: Any) -> Spec | None:
    """One Click parameter as data, or None when the fast path cannot stand in for Click on it."""
    kind = TYPES.get(param.type.name)
    is_option = param.param_type_name == "option"
    flag = bool(is_option and param.is_flag)
    if flag and not param.is_bool_flag:
        return None
    simple = (
        kind is not None
        and param.callback is None
        and not getattr(param, "prompt", None)
        and not getattr(param, "count", False)
        and (param.nargs in (1, -1))
        and (kind != "path" or _plain_path(param.type))
        and not getattr(param.type, "clamp", False)
        and not getattr(param.type, "min_open", False)
        and not getattr(param.type, "max_open", False)
    )
    default = param.default
    if not simple or callable(default) or not isinstance(default, (type(None), bool, int, float, str, list, tuple)):
        return None
    envvar = param.envvar or []
    return {
        "name": param.name,
        "kind": "option" if is_option else "argument",
        "opts": list(param.opts),
        "secondary": list(getattr(param, "secondary_opts", [])),
        "flag": flag,
        "multiple": bool(getattr(param, "multiple", False)),
        "nargs": param.nargs,
        "type": kind,
        "range": [getattr(param.type, "min", None), getattr(param.type, "max", None)],
        "default": list(default) if isinstance(default, tuple) else default,
        "required": bool(param.required),
        "envvar": [envvar] if isinstance(envvar, str) else list(envvar),
    }


def _plain_path(kind: Any) -> bool:
    """A ``click.Path`` that checks nothing, so its value is the text given."""
    return not (kind.exists or kind.resolve_path or not kind.file_okay or not kind.dir_okay or kind.writable)
