"""`lclm diff`: what a branch or the work tree changed in the list, paper by paper, with checks."""

from __future__ import annotations

from typing import Annotated

from lclm.cli.app import app, echo, store_root, typer


@app.command()
def diff(
    ref: Annotated[
        str | None,
        typer.Argument(metavar="[REF]", help="Git revision to compare with (default: the merge base with main/master, else HEAD).", show_default=False),
    ] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print Markdown for a pull request comment or job summary.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    """Compare the list with a git revision: papers added, removed, changed (field by field), moved, renamed.

    The new and changed papers are checked: a duplicate of a listed paper,
    validate problems, a preprint with a published version in refresh's
    cache.  Exit status: 0 (whatever changed), 2 when git cannot give the old
    side (not a repository, unknown revision, shallow clone).
    """
    from lclm.errors import UsageError
    from lclm.review.diff import diff_store

    if markdown and as_json:
        raise UsageError("give --markdown or --json, not both")
    result = diff_store(store_root(), ref)
    if as_json:
        import json

        echo(json.dumps(result.to_data(), ensure_ascii=False, indent=2))
        return
    from lclm.review.report import to_markdown, to_text

    echo((to_markdown if markdown else to_text)(result), nl=False)
