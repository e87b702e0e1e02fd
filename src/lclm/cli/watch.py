"""`lclm watch`: new papers ranked against the list, with a suggested category; triage them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from lclm.cli.app import Exit, app, echo, is_terminal, store_root, typer, warn

if TYPE_CHECKING:
    from pathlib import Path

    from lclm.actions.watch import WatchRun
    from lclm.watch.ranking import Ranked

KEYS = "a: accept into the suggested category, 1-{n}: accept into category N (l lists them), r: reject, s: skip, v: abstract, q: quit"


@app.command()
def watch(
    arxiv_categories: Annotated[
        list[str] | None,
        typer.Argument(metavar="[CATEGORY]...", help="More arXiv categories to watch (so --categories cs.CL cs.LG works).", show_default=False),
    ] = None,
    from_file: Annotated[
        str | None,
        typer.Option("--from", metavar="FILE", help="Candidates from a file: an arXiv Atom feed, BibTeX, or one arXiv id or DOI a line."),
    ] = None,
    categories: Annotated[
        list[str] | None,
        typer.Option("--categories", metavar="CATS", help="arXiv categories to watch ('cs.CL cs.LG' or repeat); kept as the default."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Submitted since YYYY-MM-DD (default: the last run, else a week ago).")
    ] = None,
    s2: Annotated[bool, typer.Option("--s2", help="Also ask Semantic Scholar for recommendations for the list.")] = False,
    limit: Annotated[int, typer.Option("--limit", "-l", metavar="N", min=0, help="Show at most N candidates (0: all).")] = 0,
    min_score: Annotated[float, typer.Option("--min-score", metavar="SCORE", min=0.0, max=1.0, help="Only candidates scoring at least this.")] = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the candidates as JSON, best first.")] = False,
    as_markdown: Annotated[bool, typer.Option("--markdown", help="Print a Markdown digest (for a pull request).")] = False,
    triage: Annotated[
        bool | None, typer.Option("--triage/--no-triage", help="Decide one candidate at a time (default: on a terminal).", show_default=False)
    ] = None,
) -> None:
    """Rank new papers against the list: score, suggested category, nearest listed papers; accept or reject them."""
    import sys
    from datetime import date
    from pathlib import Path

    from lclm.actions import watch as watching
    from lclm.errors import UsageError

    if as_json and as_markdown:
        raise UsageError("--json and --markdown: choose one")
    try:
        since_date = date.fromisoformat(since) if since else None
    except ValueError:
        raise UsageError(f"--since: not a date YYYY-MM-DD: {since!r}") from None
    cats = [c for value in [*(categories or []), *(arxiv_categories or [])] for c in value.replace(",", " ").split()]
    sources = watching.Sources(Path(from_file) if from_file else None, cats, since_date, s2)
    root = store_root()
    result = watching.run(root, sources, progress=warn if is_terminal(sys.stderr) else None)
    ranked = len(result.ranked)
    result.ranked = [r for r in result.ranked if r.score >= min_score][: limit or None]
    result.left_out["cut by --min-score or --limit"] = ranked - len(result.ranked)
    for entry in result.set_aside:
        warn(f"lclm: note: {entry}")
    for failure in result.failures:
        warn(f"lclm: {failure}")
    code = 1 if result.failures else 0
    if as_json:
        import json

        from lclm.watch.digest import to_data

        echo(json.dumps(to_data(result.ranked, result.names), ensure_ascii=False, indent=2))
    elif as_markdown:
        from lclm.watch.digest import markdown

        echo(markdown(result.ranked, result.names, result.left_out), nl=False)
    elif triage or (triage is None and is_terminal(sys.stdin) and is_terminal()):
        _triage(root, result)
    else:
        _plain(result)
    _summary(result)
    raise Exit(code)


def _plain(result: WatchRun) -> None:
    """One tab-separated line a candidate: score, category, nearest keys, arXiv id, title."""
    for r in result.ranked:
        near = ",".join(n.key for n in r.nearest)
        echo(f"{r.score:.2f}\t{result.names.get(r.category, r.category)}\t{near}\t{r.paper.arxiv or r.paper.doi}\t{r.paper.title}")


def _summary(result: WatchRun) -> None:
    gone = ", ".join(f"{n} {why}" for why, n in result.left_out.items() if n)
    unreadable = f"; {len(result.set_aside)} entries of the file unreadable" if result.set_aside else ""
    warn(f"{result.gathered} candidates, {len(result.ranked)} shown" + (f"; left out: {gone}" if gone else "") + unreadable)


def _triage(root: Path, result: WatchRun) -> None:
    """Ask about each candidate in turn; accepted papers are added, rejected ones remembered, as decided."""
    from lclm.actions import watch as watching

    slugs = list(result.names)
    counts = {"accepted": 0, "rejected": 0, "skipped": 0}
    if result.ranked:
        echo(KEYS.format(n=len(slugs)), err=True)
    for number, r in enumerate(result.ranked, 1):
        _show(number, len(result.ranked), r, result.names)
        answer = _ask(r, slugs, result.names)
        if answer == "q":
            break
        if answer == "r":
            watching.reject(root, [r.paper])
            counts["rejected"] += 1
            echo(f"rejected: {r.paper.title}", err=True)
        elif answer == "s":
            counts["skipped"] += 1
        else:
            report = watching.accept(root, r.paper, answer)
            for outcome in report.having("added"):
                assert outcome.paper is not None
                echo(f"added {outcome.paper.key} to {report.where(outcome.paper)} ({result.names.get(answer, answer)})")
                counts["accepted"] += 1
            for outcome in report.having("skipped"):
                warn(f"lclm: {outcome.source}: {report.why_skipped(outcome)}")
            for outcome in report.having("failed"):
                warn(f"lclm: error: {outcome.source}: {outcome.reason}")
    warn(", ".join(f"{k} {v}" for k, v in counts.items()))


def _show(number: int, total: int, r: Ranked, names: dict[str, str]) -> None:
    p = r.paper
    echo(f"\n[{number}/{total}] {r.score:.2f}  {p.title}", err=True)
    who = ", ".join(p.authors[:3]) + (" et al." if len(p.authors) > 3 else "")
    echo(f"    {who} {p.year or ''} {p.arxiv or p.doi}".rstrip(), err=True)
    also = ", ".join(names.get(c, c) for c, _ in r.categories[1:])
    echo(f"    suggested: {names.get(r.category, r.category) or 'none'}" + (f" (also: {also})" if also else ""), err=True)
    for at, near in enumerate(r.nearest):
        echo(f"    {'nearest:' if at == 0 else '':<8} {near.key}  {near.title}", err=True)


def _ask(r: Ranked, slugs: list[str], names: dict[str, str]) -> str:
    """The decision: a category slug to accept into, or r, s, q."""
    while True:
        answer = str(typer.prompt(f"  a/1-{len(slugs)}/r/s/v/l/q", default="a" if r.category else "s", err=True)).strip().lower()
        if answer == "a" and r.category:
            return r.category
        if answer.isdigit() and 1 <= int(answer) <= len(slugs):
            return slugs[int(answer) - 1]
        if answer in ("r", "s", "q"):
            return answer
        if answer == "v":
            echo(r.paper.abstract or "(no abstract)", err=True)
        elif answer == "l":
            for number, slug in enumerate(slugs, 1):
                echo(f"{number:>4}. {names[slug]}", err=True)
        else:
            echo("  not an answer", err=True)
