"""`lclm export markdown` (and the other export formats as they are built)."""

from __future__ import annotations

from lclm.app import export_app  # noqa: F401
