"""What the store did on its own that the user should hear about.

Domain code never prints: it files a notice here, and the CLI prints the
pending notices as ``lclm: note: ...`` lines when the command ends.
"""

from __future__ import annotations

_pending: list[str] = []


def note(message: str) -> None:
    """File one line for the user (the same line is filed once)."""
    if message not in _pending:
        _pending.append(message)


def take() -> list[str]:
    """The pending notices, oldest first; the list is emptied."""
    out = list(_pending)
    _pending.clear()
    return out
