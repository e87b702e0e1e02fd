"""`lclm verify`: every arXiv id and DOI belongs to its paper."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from lclm.cli.app import Bars, app, echo, store_root, typer, warn

if TYPE_CHECKING:
    from lclm.checks.verify import Verification

SHOW_KEYS = 8  # keys named per unresolved cause before "and N more"


@app.command()
def verify(
    category: Annotated[str | None, typer.Option("--category", "-c", help="Only this category (name or slug).")] = None,
    keys: Annotated[str | None, typer.Option("--keys", metavar="K,...", help="Only these keys (comma-separated).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Answer from the cache only, whatever its age (CI, pre-commit).")] = False,
    again: Annotated[bool, typer.Option("--refresh", help="Ask the services again instead of using the week-old cache.")] = False,
) -> None:
    r"""Resolve every arXiv id (arXiv) and DOI (Crossref, OpenAlex) and check it names the record's paper.

    One line per finding, `path:line: key: field: message \[kind]`: an id that
    belongs to another paper (with that paper's real title), an id that does
    not exist, a withdrawn paper (errors); another title with the same first
    author (a warning).  Exit status: 0 none, 1 when any error was found or
    an id could not be resolved (with --offline, ids not in the cache are
    counted but do not fail), 2 usage.
    """

    from lclm.checks.verify import verify as run_verify

    root = store_root()
    with Bars(enabled=not as_json) as progress:
        result = run_verify(
            root, category=category, keys=keys.split(",") if keys is not None else None,
            refresh=again, offline=offline, progress=progress,
        )
    if as_json:
        import json

        echo(json.dumps(result.to_data(), ensure_ascii=False, indent=2))
    else:
        _report(result, offline)
    raise typer.Exit(1 if result.errors or (result.unresolved and not offline) else 0)


def _report(result: Verification, offline: bool) -> None:
    for finding in result.findings:
        echo(finding.format())
    unresolved = 0
    for (source, reason), keys in result.unresolved.items():
        unresolved += len(keys)
        shown = ", ".join(keys[:SHOW_KEYS]) + (f" and {len(keys) - SHOW_KEYS} more" if len(keys) > SHOW_KEYS else "")
        warn(f"lclm: {source}: {reason}: {len(keys)} unresolved ({shown})")
    warnings = len(result.findings) - result.errors
    how = " from the cache" if offline else ""
    warn(
        f"verified {result.ids - unresolved} of {result.ids} ids{how} ({result.papers} papers): "
        f"{result.errors} error{'s' * (result.errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        + (f", {unresolved} unresolved" if unresolved else "")
    )
