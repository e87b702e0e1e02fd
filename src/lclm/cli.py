"""Entry point: register the commands and turn expected failures into one line."""

from __future__ import annotations

import sys

from lclm.app import app
from lclm.commands import add, dedupe, export, importing, search, validate  # noqa: F401
from lclm.errors import LclmError


def main() -> None:
    """Run ``lclm``; an ``LclmError`` becomes ``lclm: error: ...`` and its exit code."""
    try:
        app()
    except LclmError as exc:
        print(f"lclm: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("lclm: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
