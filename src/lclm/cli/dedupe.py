"""`lclm dedupe`: report, and on request merge, records that are the same paper."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import lclm.cli.app
from lclm.cli.app import app, typer

if TYPE_CHECKING:
    from lclm.duplicates.dedupe import DuplicateReport, Group
    from lclm.store.layout import Store


@app.command()
def dedupe(
    *,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold", "-t", min=50, max=100,
            help="Title similarity (50-100) from which two titles count as one; 100: exact titles only.",
        ),
    ] = 96.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the groups as JSON, for scripts.")] = False,
    merge: Annotated[bool, typer.Option("--merge", help="Merge each group into one record (asks which to keep).")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="With --merge: keep the original record of each group, no questions.")
    ] = False,
) -> None:
    """Find records that are the same paper anywhere in the store.

    Records are one paper when they share an arXiv id (any version or URL
    form), a DOI or a URL, or when their titles are --threshold % similar,
    one typo or one left-out word apart; not when the titles differ in a
    version number, the arXiv ids or DOIs differ, the years are more than
    one apart or the author lists share no surname.  A record's `distinct`
    field lists the keys of records it is not.  Records that share a URL or
    title but are parted by those rules, and records that share an arXiv id
    or DOI but have other titles and authors (a wrong id), are noted on
    stderr, never merged.  --merge keeps the original record (not a later
    copy) with its key, category and place, adds what the others know, and
    names every field on which they disagree.  Exits 1 when duplicates were
    found, 0 when none.
    """
    from lclm.duplicates.dedupe import find_duplicates
    from lclm.errors import UsageError

    if threshold != threshold:  # NaN passes the option's range check, and would turn title matching off
        raise UsageError("--threshold: give a number from 50 to 100")
    if as_json and merge:
        raise UsageError("--json reports groups; it cannot be combined with --merge")
    if yes and not merge:
        raise UsageError("--yes only applies to --merge")
    interactive = lclm.cli.app.is_terminal() and lclm.cli.app.is_terminal(sys.stdin)
    if merge and not yes and not interactive:
        raise UsageError("--merge asks which record to keep, which needs a terminal; add --yes to keep the original")
    store = lclm.cli.app.load()
    report = find_duplicates(store, threshold)
    if as_json:
        typer.echo(_json(store, report))
        raise typer.Exit(1 if report.groups else 0)
    _notes(store, report)
    if not report.groups:
        typer.echo(f"no duplicates among {_count(len(store.papers), 'record')}")
        raise typer.Exit(0)
    if merge:
        raise typer.Exit(_merge(store, report, ask=not yes))
    _show(store, report.groups, rich=lclm.cli.app.is_terminal())
    count = sum(len(g.members) for g in report.groups)
    typer.echo(f"{_count(len(report.groups), 'group')} of duplicates ({_count(count, 'record')}); "
               "`lclm dedupe --merge` merges them")
    raise typer.Exit(1)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# ---------------------------------------------------------------- rendering


def _where(store: Store, i: int) -> str:
    paper = store.papers[i]
    return f"{store.path_of(paper)}:{paper.line}"


def _why(store: Store, group: Group) -> str:
    if len(group.links) == 1:
        return group.links[0].evidence.describe()
    keys = store.papers
    return "; ".join(f"{keys[k.a].key} = {keys[k.b].key}: {k.evidence.describe()}" for k in group.links)


def _show(store: Store, groups: list[Group], rich: bool, numbered: bool = False) -> None:
    """Each group and its records: a Rich table on a terminal, plain lines otherwise."""
    if rich:
        _show_rich(store, groups, numbered)
        return
    for n, group in enumerate(groups, 1):
        typer.echo(f"group {n}: {_why(store, group)}" if not numbered else _why(store, group))
        for m, i in enumerate(group.members, 1):
            p = store.papers[i]
            mark = f"[{m}] " if numbered else ""
            cells = [_where(store, i), p.key, repr(p.title), p.category, str(p.year), p.venue or "-", p.url or "-"]
            typer.echo(f"  {mark}" + "  ".join(cells))


def _show_rich(store: Store, groups: list[Group], numbered: bool) -> None:
    from rich.table import Table

    console = lclm.cli.app.console()
    for n, group in enumerate(groups, 1):
        title = _why(store, group) if numbered else f"Group {n}: {_why(store, group)}"
        table = Table(title=title, title_justify="left", show_lines=False)
        for column in ("#", "File:line", "Key", "Title", "Category", "Year", "Venue", "URL"):
            table.add_column(column, overflow="fold")
        for m, i in enumerate(group.members, 1):
            p = store.papers[i]
            table.add_row(str(m), _where(store, i), p.key, p.title, p.category, str(p.year), p.venue, p.url)
        console.print(table)


def _notes(store: Store, report: DuplicateReport) -> None:
    for warning in report.warnings:
        lclm.cli.app.warn(f"lclm: warning: {warning}")
    for note in report.notes:
        a, b = store.papers[note.a], store.papers[note.b]
        advice = (
            f"add `distinct: [{a.key}]` to {b.key} to silence this" if note.verdict.kind == "alike"
            else "correct the wrong one"
        )
        lclm.cli.app.warn(
            f"lclm: note: {_where(store, note.b)}: {b.key} and {a.key} ({_where(store, note.a)}): {note.describe()};"
            f" {advice}"
        )


def _json(store: Store, report: DuplicateReport) -> str:
    import json

    def record(i: int) -> dict[str, Any]:
        p = store.papers[i]
        return {
            "file": str(store.path_of(p)), "line": p.line, "key": p.key, "category": p.category,
            "title": p.title, "year": p.year, "venue": p.venue, "url": p.url,
        }

    def link(k: Any) -> dict[str, Any]:
        e = k.evidence
        return {
            "a": store.papers[k.a].key, "b": store.papers[k.b].key, "kind": e.kind, "value": e.value,
            "score": round(e.score, 1), "author": e.author, "reason": e.describe(),
        }

    data = {
        "groups": [{"records": [record(i) for i in g.members], "links": [link(k) for k in g.links]} for g in report.groups],
        "notes": [{**link(n), "veto": n.veto, "verdict": n.verdict.kind} for n in report.notes],
        "warnings": report.warnings,
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


# ---------------------------------------------------------------- merging


def _merge(store: Store, report: DuplicateReport, ask: bool) -> int:
    """Merge the groups (asking which record to keep, or keeping the most complete); the exit code."""
    from lclm.actions.merge import merge
    from lclm.duplicates.merge import oldest

    plans: list[tuple[int, list[int]]] = []
    skipped = 0
    for n, group in enumerate(report.groups, 1):
        default = oldest([store.papers[i] for i in group.members])
        choice = _ask(store, group, n, len(report.groups), default) if ask else default
        if choice is None:
            skipped = len(report.groups) - n + 1
            break
        if choice < 0:
            skipped += 1
            continue
        plans.append((group.members[choice], [i for i in group.members if i != group.members[choice]]))
    if not plans:
        typer.echo("nothing merged")
        return 1
    where = {store.papers[i].key: _where(store, i) for _, others in plans for i in others}
    merges, touched = merge(store, plans)
    for (kept_at, _), m in zip(plans, merges, strict=True):
        filled = f"; filled {', '.join(m.filled)} from {', '.join(m.sources)}" if m.filled else ""
        gone = ", ".join(f"{p.key} ({where[p.key]})" for p in m.removed)
        old = store.papers[kept_at].key
        name = m.kept.key if old == m.kept.key else f"{old} as {m.kept.key}"
        typer.echo(f"kept {name} ({_where(store, kept_at)}){filled}; removed {gone}")
        for disagreement in m.disagreements:
            typer.echo(f"  records disagree on {disagreement.describe()}")
    removed = sum(len(m.removed) for m in merges)
    typer.echo(f"merged {_count(len(merges), 'group')}: removed {_count(removed, 'record')}, "
               f"rewrote {_count(len(touched), 'file')}")
    if skipped:
        typer.echo(f"{_count(skipped, 'group')} left as {'it is' if skipped == 1 else 'they are'}")
    return 1 if skipped else 0


def _ask(store: Store, group: Group, n: int, total: int, default: int) -> int | None:
    """The index in ``group`` of the record to keep; -1 to skip the group, None to stop."""
    typer.echo(f"\nGroup {n} of {total}:")
    _show(store, [group], rich=True, numbered=True)
    count = len(group.members)
    while True:
        answer = typer.prompt(f"Keep which record? [1-{count}, s skip, q quit]", default=str(default + 1)).strip().lower()
        if answer in ("s", "skip"):
            return -1
        if answer in ("q", "quit"):
            return None
        if answer.isdigit() and 1 <= int(answer) <= count:
            return int(answer) - 1
        typer.echo(f"Please answer a number from 1 to {count}, s or q.")
