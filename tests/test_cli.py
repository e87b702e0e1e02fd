"""The command line as a whole: version, help on every command, usage errors."""

from __future__ import annotations

import subprocess
import sys

import typer

from conftest import ROOT, run
from lclm import __version__
from lclm.cli.main import register

app = register()


def _commands() -> list[list[str]]:
    """Every command path, e.g. ["search"], ["export", "markdown"]."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(group: object, prefix: list[str]) -> None:
        for name, command in getattr(group, "commands", {}).items():
            paths.append([*prefix, name])
            walk(command, [*prefix, name])

    walk(root, [])
    return paths


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"lclm {__version__}\n")


def test_every_command_has_help_text() -> None:
    paths = _commands()
    assert ["export", "markdown"] in paths and ["import", "markdown"] in paths
    for path in paths:
        command = typer.main.get_command(app)
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        assert (command.help or "").strip(), f"lclm {' '.join(path)} has no help text"
        result = run(*path, "--help")
        assert result.exit_code == 0, path


def test_unknown_command_is_a_usage_error() -> None:
    result = run("serch", "rope")
    assert result.exit_code == 2
    assert "No such command 'serch'" in result.stderr


def test_installed_entry_point_runs_without_traceback(tmp_path: object) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "lclm", "--papers", "/nonexistent/store", "export", "markdown"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 1
    assert proc.stderr == "lclm: error: /nonexistent/store: paper store does not exist (use --papers DIR or set LCLM_PAPERS)\n"
