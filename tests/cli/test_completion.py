"""Shell completion (#25.9): Typer's --install-completion / --show-completion, answered through Typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def _lclm(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash", "XDG_CACHE_HOME": str(tmp_path / "cache"), **env}
    return subprocess.run([sys.executable, "-m", "lclm", *args], capture_output=True, text=True, cwd=ROOT, env=environment)


def test_show_completion_prints_a_bash_script(tmp_path: Path) -> None:
    shown = _lclm(tmp_path, "--show-completion")
    assert shown.returncode == 0, shown.stderr
    assert "_LCLM_COMPLETE=complete_bash" in shown.stdout and "complete -o default -F _lclm_completion lclm" in shown.stdout


def test_install_completion_writes_the_shells_file(tmp_path: Path) -> None:
    installed = _lclm(tmp_path, "--install-completion")
    assert installed.returncode == 0, installed.stderr
    assert "bash completion installed in" in installed.stdout
    assert "_LCLM_COMPLETE" in (tmp_path / ".bash_completions" / "lclm.sh").read_text(encoding="utf-8")


def test_the_shell_gets_commands_and_subcommands(tmp_path: Path) -> None:
    for words, cword, expected in (("lclm exp", "1", "export"), ("lclm export cs", "2", "csl-json"), ("lclm -p papers va", "3", "validate")):
        again = _lclm(tmp_path, _LCLM_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=cword)
        assert (again.returncode, again.stdout.split()) == (0, [expected])
