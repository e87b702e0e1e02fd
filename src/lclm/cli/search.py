"""`lclm search QUERY...`: rank the papers by how well they match."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from lclm.cli.app import app, console, is_terminal, store_root, typer, warn

if TYPE_CHECKING:
    from rich.text import Text

    from lclm.search.rank import Hit, Result

FORMATS = ("table", "plain", "keys", "bibtex", "markdown")
HIGHLIGHT = "bold yellow"
# Table columns other than the title, with their widest width.
COLUMNS = {"#": 4, "Key": 26, "Year": 4, "First author": 22, "Category": 26, "Matched": 14}
DROP_ORDER = ("Category", "First author", "#", "Year")  # until the title has room
TITLE_MIN = 40


@app.command()
def search(
    query: Annotated[
        list[str] | None,
        typer.Argument(
            help="Words to look for (all should match). \"a phrase\" in quotes, -word to leave out "
            "(inside a quoted query, or after --), a OR b for either. field:word limits a word to one field "
            "(title:, name:, author:, venue:, tag:, note:, key:, code:, abstract:); year:2023..2024, since:2024 "
            "and category:NAME filter. An arXiv id or URL, a DOI or a key finds that paper.",
            show_default=False,
        ),
    ] = None,
    *,
    category: Annotated[
        str | None, typer.Option("--category", "-c", help="Only this category (name or slug, forgiving typos).")
    ] = None,
    year: Annotated[
        str | None, typer.Option("--year", help="Only these years: 2023, 2023..2024, 2023.. or ..2024.")
    ] = None,
    since: Annotated[int | None, typer.Option("--since", help="Only this year and later.")] = None,
    author: Annotated[
        str | None,
        typer.Option("--author", "-a", help="Only papers by this author (any name order, accents ignored)."),
    ] = None,
    venue: Annotated[
        str | None, typer.Option("--venue", help="Only papers whose venue has these words (or initials: iclr).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-l", min=0, help="Show at most N papers (0: all).")] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the hits as JSON, with score and matched fields.")
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Show, per paper, how each query word matched: field, word, how (exact, stem, typo, synonym), score."
        ),
    ] = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="table, plain, keys, bibtex or markdown (default: table on a terminal, else plain).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Find papers by name, title, author, code, abstract, venue, key, arXiv id, DOI, tag or note, best match first.

    Papers matching every word come first; when none does, the papers matching
    the most (and rarest) words are shown, each with how many it matched, and
    the exit code is 1.
    """
    from lclm.errors import UsageError
    from lclm.search.rank import parse_query
    from lclm.search.rank import search as run_search

    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    parsed = parse_query(query or [], category=category, year=year, since=since, author=author, venue=venue)
    result = run_search(store_root(), parsed, limit, explain=explain)
    described = _describe(parsed.text, category, year, since, author, venue)
    if not result.hits:
        if as_json:
            typer.echo("[]")
        warn(f"lclm: no paper matches {described}")
        raise typer.Exit(1)
    if as_json:
        _json(result)
    else:
        fmt = fmt or ("table" if is_terminal() else "plain")
        RENDER[fmt](result)
        if explain and fmt in ("table", "plain"):
            _explain(result)
    if not result.complete:
        # Like grep: exit 0 only when some paper has every word, so `lclm search "TITLE" && ...` tells the truth.
        words = result.hits[0].words
        warn(f"lclm: no paper matches every word of {described}; {result.total} match some of the {words} words (best shown)")
        raise typer.Exit(1)


def _describe(text: str, *options: object) -> str:
    names = ("--category", "--year", "--since", "--author", "--venue")
    parts = [repr(text)] if text else []
    parts += [f"{name} {value}" for name, value in zip(names, options) if value is not None]
    return " ".join(parts)


def _table(result: Result) -> None:
    from rich.table import Table

    out = console()
    rows = [
        {
            "#": str(rank),
            "Key": hit.paper.key,
            "Year": str(hit.paper.year),
            "First author": hit.paper.first_author,
            "Category": hit.category_name,
            "Matched": _share(hit),
        }
        for rank, hit in enumerate(result.hits, 1)
    ]
    shown = _fitting_columns(rows, out.width, partial=not result.complete)
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in shown:
        if name == "Title":
            table.add_column(name, overflow="fold", min_width=12)
        else:
            table.add_column(
                name,
                no_wrap=True,
                overflow="ellipsis",
                max_width=COLUMNS[name],
                justify="right" if name == "#" else "left",
            )
    for row, hit in zip(rows, result.hits):
        table.add_row(*(_title(hit) if name == "Title" else row[name] for name in shown))
    out.print(table)
    if result.total > len(result.hits):
        out.print(f"{len(result.hits)} of {result.total} matches (--limit 0 shows all)", style="dim")


def _fitting_columns(rows: list[dict[str, str]], width: int, partial: bool = False) -> list[str]:
    """The columns to show: drop the least useful until the title gets ``TITLE_MIN``
    (partial matches always say how much they matched)."""
    shown = ["#", "Key", "Year", "Title", *(["Matched"] if partial else []), "First author", "Category"]

    def used(name: str) -> int:
        return min(COLUMNS[name], max(len(name), *(len(r[name]) for r in rows))) + 2

    for name in DROP_ORDER:
        if width - sum(used(n) for n in shown if n != "Title") >= TITLE_MIN:
            break
        shown.remove(name)
    return shown


def _share(hit: Hit) -> str:
    """How much of the query a hit matched: "3 of 4 words"."""
    return f"{hit.words_matched} of {hit.words} word{'s' if hit.words != 1 else ''}"


def _explain(result: Result) -> None:
    """Per hit, each query word: where it matched, how, and what it added to the score."""
    for rank, hit in enumerate(result.hits, 1):
        if hit.complete:
            typer.echo(f"{rank}. {hit.paper.key}: score {hit.score:g}")
        else:  # the sum of the words' parts, times the share of the words matched
            total = sum(float(part["score"]) for part in hit.explain)
            typer.echo(f"{rank}. {hit.paper.key}: score {hit.score:g} = {total:.3g} x {_share(hit)}")
        for part in hit.explain:
            typer.echo(f"   {part['word']}: {_how(part)}")


def _how(part: dict[str, object]) -> str:
    matched = part["matched"]
    if not isinstance(matched, list) or not matched:
        return "no match (a stop word: not needed)" if part.get("stop_word") else "no match"
    places = "; ".join(f"{m['query']} = {m['field']} {m['word']!r} ({m['how']})" for m in matched)
    form = f" as {part['form']!r}" if part.get("form") else ""
    stop = ", a stop word" if part.get("stop_word") else ""
    return f"{places}{form}; +{part['score']:g} (idf {part['idf']:g}{stop})"


def _title(hit: Hit) -> Text:
    from rich.text import Text

    text = Text(hit.title)
    for start, end in hit.spans:
        text.stylize(HIGHLIGHT, start, end)
    return text


def _plain(result: Result) -> None:
    for hit in result.hits:
        paper = hit.paper
        typer.echo("\t".join((paper.key, str(paper.year), hit.title, paper.first_author, hit.category_name)))


def _keys(result: Result) -> None:
    typer.echo("\n".join(hit.paper.key for hit in result.hits))


def _bibtex(result: Result) -> None:
    from lclm.formats.bibtex import to_bibtex

    typer.echo(to_bibtex([hit.paper for hit in result.hits]), nl=False)


def _markdown(result: Result) -> None:
    from lclm.formats.markdown import render_entry

    typer.echo("\n".join(render_entry(hit.paper) for hit in result.hits))


def _json(result: Result) -> None:
    import json

    records = [
        {"rank": rank, "score": hit.score, "matched": hit.matched, "words_matched": hit.words_matched, "words": hit.words}
        | ({"explain": hit.explain} if hit.explain else {})
        | hit.paper.to_dict()
        | {"category": hit.paper.category}
        for rank, hit in enumerate(result.hits, 1)
    ]
    typer.echo(json.dumps(records, ensure_ascii=False, indent=2))


RENDER = {"table": _table, "plain": _plain, "keys": _keys, "bibtex": _bibtex, "markdown": _markdown}
