"""`lclm stats`: what the list holds, per section and year, and the chart as SVG."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from lclm.cli.app import app, console, echo, load, typer, write_file

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from lclm.stats import Facts

BAR = "█"
BAR_WIDTH = 40
SHOW_UNLINKED = 10  # keys listed for papers without a link


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print the facts as JSON.")] = False,
    svg: Annotated[
        Path | None, typer.Option("--svg", metavar="FILE", help="Write the papers-per-year chart to FILE as SVG (for a README).")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Section names in this language (en, or a translation such as zh).")] = "en",
    top: Annotated[int, typer.Option("--top", min=1, help="How many venues and authors to list.")] = 10,
) -> None:
    """Papers per section and year, preprints vs published, papers without a link, top venues and authors."""
    from lclm.stats import facts

    known = facts(load(), lang=lang, top=top)
    if svg is not None:
        from lclm.formats.chart import cached_year_chart

        write_file(svg, cached_year_chart(known.by_year_section, title="Papers per year"))
    if as_json:
        import json

        echo(json.dumps(known.to_dict(), ensure_ascii=False, indent=2))
    elif svg is not None:
        echo(f"{svg}: chart of {known.papers} papers")
    else:
        _render(known, console())


def _render(known: Facts, out: Console) -> None:

    out.print(f"[bold]{_plural(known.papers, 'paper')}[/] in {_plural(known.categories, 'category', 'categories')}")
    sections = _table("Section", "Papers")
    for s in known.sections:
        name = ("  " * s.depth) + s.name
        sections.add_row(name if s.depth else f"[bold]{name}[/]", str(s.papers), _bar(s.papers, known.papers, 20))
    years = _table("Year", "Papers")
    peak = max(known.by_year.values(), default=0)
    for year, n in known.by_year.items():
        years.add_row(str(year), str(n), _bar(n, peak, BAR_WIDTH))
    kinds = _table("Kind", "Papers")
    for kind, n in known.status.items():
        kinds.add_row(kind, str(n), f"{100 * n / known.papers:.0f}%" if known.papers else "")
    venues, authors = _table("Venue", "Papers"), _table("Author", "Papers")
    for name, n in known.top_venues:
        venues.add_row(name, str(n), "")
    for name, n in known.top_authors:
        authors.add_row(name, str(n), "")
    for table in (sections, years, kinds, venues, authors):
        out.print()
        out.print(table)
    out.print()
    missing = known.without_link
    listed = ", ".join(missing[:SHOW_UNLINKED]) + (f", and {len(missing) - SHOW_UNLINKED} more" if len(missing) > SHOW_UNLINKED else "")
    out.print(f"Papers without a link (URL, arXiv id or DOI): {len(missing)}" + (f": {listed}" if missing else ""))


def _table(first: str, second: str) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(first, overflow="fold")
    table.add_column(second, justify="right")
    table.add_column("", no_wrap=True, style="cyan")
    return table


def _bar(n: int, peak: int, width: int) -> str:
    """A bar of block characters, at least one for any non-zero count."""
    if not peak or not n:
        return ""
    return BAR * max(1, round(width * n / peak))


def _plural(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"
