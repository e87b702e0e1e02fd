"""Entry point: register every command on the app and run it."""

from __future__ import annotations

import sys

from lclm.app import app
from lclm.commands import add, dedupe, export, importing, search, validate  # noqa: F401


def main() -> None:
    """Run ``lclm``."""
    try:
        app()
    except KeyboardInterrupt:
        print("lclm: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
