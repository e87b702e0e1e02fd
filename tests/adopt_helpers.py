"""Helpers for the adoption tests (init, diff, absorb): a git repository driven as a user would."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import DATA

# A real awesome list's README (October2001/Awesome-KV-Cache-Compression): 162 entries, one of which
# is only a code repository (so it is imported with --partial).
KV_README = DATA / "lists" / "october2001_awesome-kv-cache-compression_README.md"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(where: Path, *args: str) -> str:
    """Run git in ``where``; its stdout."""
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args], cwd=where, capture_output=True, text=True,
        env={**os.environ, **GIT_ENV}, check=True,
    )
    return done.stdout


def commit_all(where: Path, message: str = "list") -> None:
    """``git add -A && git commit`` (the repository is made first if need be)."""
    if not (where / ".git").exists():
        git(where, "init", "-q")
    git(where, "add", "-A")
    git(where, "commit", "-q", "-m", message)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (git's own aside) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and ".git" not in p.relative_to(folder).parts
    }
