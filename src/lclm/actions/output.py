"""Writing a file the user names (``-o FILE``, ``--svg FILE``): never one the store owns.

A category file, ``_sections.yaml``, ``_search.yaml``, ``_venues.yaml`` or a
README holding the generated list belongs to the store: an export written
over one would break every later command or drop the README's own text.
Such a path is refused with one line, however it is reached (a symlink, a
``..``); the README changes only through ``lclm export markdown --readme``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from lclm.errors import InputError

# Files in the store directory that are the store's, whatever their name says.
_STORE_SUFFIXES = (".yaml", ".yml")
_STORE_PREFIXES = ("_", ".lclm")


def store_file_reason(root: Path, path: Path) -> str | None:
    """Why ``path`` is a file of the store at ``root`` (so no output may replace it), or None."""
    from lclm.formats.markdown import has_markers, readme_files
    from lclm.store.files import read_text

    real, home = _real(path), _real(root)
    if home in real.parents and (real.suffix.lower() in _STORE_SUFFIXES or real.name.startswith(_STORE_PREFIXES)):
        return f"a file of the store {root}; write the output elsewhere"
    for readme in readme_files(root):
        if _real(readme) == real:
            with contextlib.suppress(OSError, InputError):
                if has_markers(read_text(readme)):
                    return f"the store's generated README; update it with `lclm export markdown --readme {path}`"
    return None


def refuse_store_file(root: Path, path: Path) -> None:
    """Raise ``InputError`` (one line naming ``path``) when the store at ``root`` owns ``path``."""
    reason = store_file_reason(root, path)
    if reason is not None:
        raise InputError(f"{path}: {reason}")


def write_output(root: Path, path: Path, text: str) -> None:
    """Write ``text`` to the user's ``path`` through the safe writer, unless the store owns it."""
    from lclm.store.files import write_text

    refuse_store_file(root, path)
    write_text(path, text)


def _real(path: Path) -> Path:
    """``path`` with symlinks and ``..`` resolved, as far as it exists."""
    try:
        return path.resolve()
    except OSError:  # a symlink loop: compare it as written
        return path.absolute()
