"""Entry point: register every command on the app and run it."""

from __future__ import annotations

import sys

from lclm.app import app
from lclm.commands import (  # noqa: F401  (each module registers its commands)
    add,
    dedupe,
    export,
    export_data,
    fmt,
    import_bibtex,
    importing,
    search,
    validate,
)


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
