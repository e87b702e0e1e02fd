"""`lclm validate` (not built yet)."""

from __future__ import annotations

from lclm.app import app  # noqa: F401
