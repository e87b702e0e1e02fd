"""`lclm refresh`: propose what the sources of record say, and apply what the user accepts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from lclm.cli.app import Bars, app, console, echo, is_terminal, store_root, typer, warn

if TYPE_CHECKING:
    from lclm.actions.refresh import Applied, Plan, Proposal
    from lclm.actions.refresh_rules import Change

SHOW_KEYS = 8  # keys named per unchecked cause before "and N more"
SHOW_NAMES = 4  # authors shown of a long list
CLIP = 90  # characters of a long value (an abstract, a long author list) shown in the table


@app.command()
def refresh(
    category: Annotated[str | None, typer.Option("--category", "-c", help="Only this category (name or slug).")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Only papers matching this search.")] = None,
    keys: Annotated[str | None, typer.Option("--keys", metavar="K,...", help="Only these keys (comma-separated).")] = None,
    fields: Annotated[
        str, typer.Option("--fields", metavar="F,...", help="Fields to check: title,authors,venue,year,doi,url,abstract.")
    ] = "title,authors,venue,year,doi,url",
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply the sure changes (two sources agree, or one of record) without asking.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the proposals (and what was applied) as JSON.")] = False,
    again: Annotated[bool, typer.Option("--refresh", help="Ask the services again instead of using the week-old cache.")] = False,
) -> None:
    """Check papers against arXiv, Semantic Scholar, DBLP and Crossref and propose updates: `field: old → new (sources)`.

    A published venue is sure when two sources agree or one source of record
    (DBLP, Crossref) states it; --yes applies the sure changes, a venue from
    one source alone waits for you, sources that disagree are shown and left.
    On a terminal you accept all, none, or paper by paper; piped without
    --yes nothing is written.  Exit status: 0 done, 1 when some papers were
    left unchecked or changes were proposed but not written, 2 usage.
    """
    import sys

    from lclm.actions.refresh import Proposal, apply, check

    root = store_root()
    with Bars(enabled=not as_json) as progress:
        plan = check(
            root,
            category=category,
            query=query,
            keys=keys.split(",") if keys is not None else None,
            fields=fields.split(","),
            refresh=again,
            progress=progress,
        )
    interactive = not yes and not as_json and is_terminal(sys.stdin) and is_terminal(sys.stdout)
    if not as_json:
        _show(plan)
    sure = [Proposal(p.paper, p.sure, p.evidence) for p in plan.proposals if p.sure]
    chosen = sure if yes else _choose(plan.proposals) if interactive and plan.proposals else []
    applied = apply(root, chosen)
    # Piped without --yes: the proposals are the output, and nothing is written; with --yes the unsure wait.
    held = sum(len(p.changes) - len(p.sure) for p in plan.proposals) if yes else 0
    pending = (bool(plan.proposals) and not yes and not interactive) or bool(held)
    if as_json:
        import json

        data = plan.to_data() | {"applied": _applied_data(applied), "written": [str(p) for p in applied.written]}
        echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _report(plan, applied, written_nothing=pending and not yes, held=held)
    raise typer.Exit(1 if plan.counts()["unchecked"] or pending else 0)


# ---------------------------------------------------------------- showing and choosing


def _show(plan: Plan) -> None:
    """The proposals: a table on a terminal, ``key: field: old → new (source)`` lines otherwise."""
    if not plan.proposals:
        return
    if not is_terminal():
        for proposal in plan.proposals:
            for change in proposal.changes:
                echo(f"{proposal.key}: {_line(change)}")
        return
    from rich.table import Table

    table = Table(show_lines=True)
    for heading in ("paper", "field", "now", "proposed", "source"):
        table.add_column(heading, overflow="fold")
    for proposal in plan.proposals:
        for number, change in enumerate(proposal.changes):
            key = proposal.key if number == 0 else ""
            source = change.source if change.sure else f"{change.source} (one source: confirm)"
            table.add_row(key, change.field, _value(change.old), _value(change.new), source)
    console().print(table)


def _line(change: Change) -> str:
    unsure = "" if change.sure else "; one source, not applied by --yes"
    return f"{change.field}: {_value(change.old)} → {_value(change.new)} ({change.source}{unsure})"


def _value(value: Any) -> str:
    if isinstance(value, list) and len(value) > SHOW_NAMES:
        value = "; ".join(map(str, value[:SHOW_NAMES])) + f"; … ({len(value)} in all)"
    elif isinstance(value, list):
        value = "; ".join(map(str, value))
    text = str(value) if value not in (None, "") else "(none)"
    return text if len(text) <= CLIP else text[: CLIP - 1] + "…"


def _choose(proposals: list[Proposal]) -> list[Proposal]:
    """Ask on the terminal: all, none, or paper by paper."""
    answer = _ask(f"Apply the changes to {len(proposals)} paper{'s' * (len(proposals) != 1)}? [a]ll, [n]one, [p]aper by paper", "anp")
    if answer == "a":
        return list(proposals)
    if answer == "n":
        return []
    chosen = []
    for proposal in proposals:
        echo(f"{proposal.key}:")
        for change in proposal.changes:
            echo(f"  {_line(change)}")
        answer = _ask("Apply? [y]es, [n]o, [q]uit (keep the ones chosen so far)", "ynq")
        if answer == "q":
            break
        if answer == "y":
            chosen.append(proposal)
    return chosen


def _ask(question: str, letters: str) -> str:
    while True:
        answer = str(typer.prompt(question, default=letters[1] if letters == "anp" else letters[0])).strip().lower()[:1]
        if answer and answer in letters:
            return answer
        echo(f"Answer one of: {', '.join(letters)}.")


# ---------------------------------------------------------------- the report


def _report(plan: Plan, applied: Applied, written_nothing: bool, held: int = 0) -> None:
    for proposal in applied.proposals:
        where = f"{plan.root / proposal.paper.category}.yaml:{proposal.paper.line}"
        echo(f"updated {proposal.key} at {where}: {', '.join(c.field for c in proposal.changes)}")
    for path in applied.written:
        if path.name.startswith("README"):
            echo(f"updated {path}")
    for key, change in applied.stale:
        warn(f"lclm: {key}: {change.field} changed since it was checked; left as it is")
    for entry in plan.unchecked:
        shown = ", ".join(entry.keys[:SHOW_KEYS]) + (f" and {len(entry.keys) - SHOW_KEYS} more" if len(entry.keys) > SHOW_KEYS else "")
        if entry.skipped:
            warn(f"lclm: {entry.source}: {entry.reason}: skipped ({len(entry.keys)} not asked: {shown})")
        else:
            warn(f"lclm: {entry.source}: {entry.reason}: {len(entry.keys)} unchecked ({shown})")
    for conflict in plan.conflicts:
        options = "; ".join(c.describe() for c in conflict.claims)
        warn(f"lclm: {conflict.paper.key}: venue: sources disagree ({options}); left to you")
    for venue, keys in plan.unknown_venues.items():
        warn(f"lclm: DBLP venue {venue!r} is not in the venue table (add it to _venues.yaml): {', '.join(keys)}")
    for key, reference in plan.references.items():
        warn(f"lclm: note: {key}: arXiv says it appeared in {reference!r}; not a venue of the table, so left to you")
    if written_nothing:
        warn("nothing written: run with --yes to apply, or on a terminal to choose")
    if held:
        warn(f"{held} change{'s' * (held != 1)} from one source only not applied: confirm on a terminal")
    counts = plan.counts(applied.proposals if applied.proposals else plan.proposals)
    verb = "changed" if applied.proposals else "to change"
    warn(
        f"checked {counts['checked']} papers: {counts['changed']} {verb} "
        f"({counts['upgraded']} upgraded to a published venue, {counts['retitled']} retitled, "
        f"{counts['full_authors']} given full authors), {counts['unchecked']} unchecked"
    )


def _applied_data(applied: Applied) -> list[dict[str, Any]]:
    return [
        {"key": p.key, "changes": [{"field": c.field, "old": c.old, "new": c.new, "source": c.source} for c in p.changes]}
        for p in applied.proposals
    ]
