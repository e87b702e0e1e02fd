"""The git questions ``lclm diff`` asks, each one ``git`` run; failures become one-line ``UsageError``s.

Nothing here writes to the repository: revisions are resolved with
``rev-parse``/``merge-base`` and files read with ``git show REV:path``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from lclm.errors import UsageError

# Where the default branch may be, most telling first (origin/HEAD names the remote's own).
DEFAULT_BRANCHES = ("main", "master", "origin/main", "origin/master")


def _git(top: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(["git", *args], cwd=top, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed (lclm diff reads the old side with git)") from None
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done


def toplevel(path: Path) -> Path:
    """The top of the git work tree holding ``path``; ``UsageError`` when there is none."""
    folder = path if path.is_dir() else path.parent
    while not folder.exists():
        folder = folder.parent
    done = _git(folder, "rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0:
        raise UsageError(f"{path}: not in a git repository (lclm diff compares the store with a git revision)")
    return Path(done.stdout.decode().strip())


def _commit(top: Path, rev: str) -> str:
    """The commit ``rev`` names, or ''."""
    done = _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else ""


def _shallow(top: Path) -> bool:
    return _git(top, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == b"true"


def resolve(top: Path, rev: str) -> str:
    """The commit ``rev`` names; an unknown one (or one a shallow clone lacks) is a ``UsageError``."""
    commit = _commit(top, rev)
    if commit:
        return commit
    if _shallow(top):
        raise UsageError(
            f"revision {rev!r} is not in this shallow clone; fetch it (git fetch --unshallow, "
            "or actions/checkout with fetch-depth: 0)"
        )
    raise UsageError(f"unknown revision {rev!r} (a branch, tag or commit of this repository)")


def default_base(top: Path) -> tuple[str, str]:
    """``(commit, description)``: the merge base of HEAD with the default branch, else HEAD itself."""
    if not _commit(top, "HEAD"):
        raise UsageError("this repository has no commit yet: commit the list once, then lclm diff shows what changed")
    origin = _git(top, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD", check=False)
    names = ([origin.stdout.decode().strip()] if origin.returncode == 0 else []) + list(DEFAULT_BRANCHES)
    for name in names:
        if not _commit(top, name):
            continue
        done = _git(top, "merge-base", "HEAD", name, check=False)
        if done.returncode == 0:
            base = done.stdout.decode().strip()
            return base, f"the merge base with {name} ({base[:10]})"
        if _shallow(top):
            raise UsageError(
                f"no merge base with {name} in this shallow clone; fetch more history "
                "(git fetch --unshallow, or actions/checkout with fetch-depth: 0) or name a revision"
            )
    head = _commit(top, "HEAD")
    return head, f"HEAD ({head[:10]})"


def files_at(top: Path, commit: str, folder: str) -> list[str]:
    """The names of the files directly in ``folder`` (relative to the top) at ``commit``."""
    spec = f"{commit}:{folder}" if folder else f"{commit}:"
    done = _git(top, "ls-tree", "--name-only", "-z", spec, check=False)
    if done.returncode != 0:
        return []  # the folder did not exist then: every paper is new
    return [name for name in done.stdout.decode("utf-8", "replace").split("\0") if name]


def show(top: Path, commit: str, path: str) -> bytes:
    """The bytes of ``path`` (relative to the top) at ``commit``."""
    return _git(top, "show", f"{commit}:{path}").stdout
