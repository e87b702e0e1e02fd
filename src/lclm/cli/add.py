"""`lclm add`: add papers from arXiv, Crossref, BibTeX or typed fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from lclm.cli.app import (
    Exit,
    app,
    console,
    echo,
    is_terminal,
    load,
    store_root,
    typer,
    warn,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from lclm.actions.add import AddReport, Request
    from lclm.store.layout import Section, Store


@app.command()
def add(
    ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="[ID]...", help="More arXiv ids or DOIs (told apart by their form).", show_default=False),
    ] = None,
    arxiv: Annotated[
        list[str] | None,
        typer.Option("--arxiv", metavar="ID", help="arXiv id or URL: 2502.17129, arXiv:2502.17129v2, https://arxiv.org/abs/..., hep-th/9901001."),
    ] = None,
    doi: Annotated[
        list[str] | None,
        typer.Option("--doi", metavar="DOI", help="DOI looked up on Crossref (arXiv DOIs go to arXiv); with --title, the paper's DOI."),
    ] = None,
    bibtex: Annotated[
        str | None, typer.Option("--bibtex", metavar="FILE", help="Add the entries of a BibTeX file ('-' reads stdin).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Add a paper typed by hand: its title.")] = None,
    author: Annotated[list[str] | None, typer.Option(help="An author, 'Given Family' (repeat, in order).")] = None,
    year: Annotated[int | None, typer.Option(help="Year (with --title; with --doi, used when Crossref has none).")] = None,
    venue: Annotated[str, typer.Option(help="Venue, as the list writes it.")] = "",
    url: Annotated[str, typer.Option(help="Link to the paper (an arXiv URL also sets the arxiv field).")] = "",
    tag: Annotated[list[str] | None, typer.Option(help="A tag for every added paper (repeat for more).")] = None,
    note: Annotated[str, typer.Option(help="A note for every added paper.")] = "",
    category: Annotated[
        str | None, typer.Option("--category", "-c", help="Category name or slug (asked for on a terminal when left out).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Add even a paper that is already in the list.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Show what would be added; write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    refresh: Annotated[bool, typer.Option("--refresh", help="Ask the services again instead of using the day-old cache.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Without -c: take the suggested category.")] = False,
) -> None:
    """Add papers by arXiv id, DOI, BibTeX file or by hand, at the end of a category."""
    import sys

    from lclm.actions import add as adding

    arxiv_ids, dois = _split_positional(list(arxiv or []), list(doi or []), list(ids or []))
    req = adding.request(
        arxiv_ids=arxiv_ids,
        dois=dois,
        bibtex=_read_bibtex(bibtex) if bibtex else None,
        hand={"title": title, "authors": list(author or []), "year": year, "venue": venue, "url": url},
        tags=list(tag or []),
        note=note,
    )
    store = load()
    section = _category(store, category, lambda: _suggested(req, refresh), yes)
    batch = len(req.arxiv) + len(req.dois) + len(req.ready) > 1
    report = adding.add(
        store_root(),
        req,
        section.slug,
        force=force,
        dry_run=dry_run,
        refresh=refresh and bool(category),  # without -c, suggesting already asked again (and cached the answers)
        progress=warn if batch and is_terminal(sys.stderr) else None,
    )
    if as_json:
        import json

        echo(json.dumps(report.to_data(), ensure_ascii=False, indent=2))
    else:
        _render(report, summary=batch)
    raise Exit(report.exit_code)


def _split_positional(arxiv: list[str], dois: list[str], ids: list[str]) -> tuple[list[str], list[str]]:
    """Bare ids go to arXiv when they look like arXiv ids, else to Crossref."""
    from lclm.ids import parse_arxiv

    for text in ids:
        (arxiv if parse_arxiv(text) else dois).append(text)
    return arxiv, dois


def _read_bibtex(name: str) -> tuple[str, str]:
    import sys
    from pathlib import Path

    from lclm.store.files import read_text

    if name == "-":
        return sys.stdin.read(), "<stdin>"
    return read_text(Path(name)), name


def _suggested(req: Request, refresh: bool) -> list[str]:
    """The categories lclm watch's model suggests for the papers of ``req``, best first."""
    from lclm.actions import watch as watching

    return [slug for slug, _share in watching.suggest(store_root(), watching.preview(req, refresh))]


def _category(store: Store, query: str | None, suggest: Callable[[], list[str]], yes: bool) -> Section:
    """The category asked for, else the suggested one (``--yes``) or the one the user picks from a numbered list."""
    import sys

    from lclm.errors import UsageError

    if query:
        return store.find_category(query)
    cats = store.categories()
    suggested = [s for s in suggest() if any(c.slug == s for c in cats)]
    if yes and suggested:
        return store.category(suggested[0])
    if not is_terminal(sys.stdin):
        known = ", ".join(c.slug for c in cats)
        best = f"suggested: {', '.join(suggested[:3])}; " if suggested else ""
        raise UsageError(f"which category? give --category or --yes ({best}one of: {known})")
    for number, cat in enumerate(cats, 1):
        mark = "  (suggested)" if suggested and cat.slug == suggested[0] else ""
        echo(f"{number:>3}. {cat.name}{mark}", err=True)
    default = next((n for n, c in enumerate(cats, 1) if suggested and c.slug == suggested[0]), None)
    while True:
        choice: int = typer.prompt("Category number", type=int, default=default, err=True)
        if 1 <= choice <= len(cats):
            return cats[choice - 1]
        echo(f"Pick a number from 1 to {len(cats)}.", err=True)


def _render(report: AddReport, summary: bool) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from lclm.store.codec import dump_papers

    out = console()
    verb = "would add" if report.dry_run else "added"
    for outcome in report.having("added"):
        paper = outcome.paper
        assert paper is not None
        place = report.where(paper)
        out.print(Panel(Text(dump_papers([paper]).rstrip("\n")), title=place, title_align="left", expand=False))
        echo(f"{verb} {paper.key} to {place} ({report.names.get(paper.category, paper.category)})")
    for readme in report.readmes:
        echo(f"updated {readme}")
    for outcome in report.having("skipped"):
        warn(f"lclm: {outcome.source}: {report.why_skipped(outcome)}")
    for outcome in report.having("failed"):
        warn(f"lclm: error: {outcome.source}: {outcome.reason}")
    if report.dry_run and report.having("added"):
        warn("dry run: nothing written")
    if summary:
        counts = {s: len(report.having(s)) for s in ("added", "skipped", "failed")}
        warn(f"{verb} {counts['added']}, skipped {counts['skipped']}, failed {counts['failed']}")
