"""`lclm import markdown` (and `import bibtex` as it is built)."""

from __future__ import annotations

from lclm.app import import_app  # noqa: F401
