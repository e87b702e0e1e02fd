"""`lclm absorb`: take hand edits of the generated README back into papers/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from lclm.cli.app import app, echo, store_root, typer, warn

if TYPE_CHECKING:
    from lclm.actions.absorb import AbsorbReport


@app.command()
def absorb(
    readme: Annotated[
        Path | None,
        typer.Argument(metavar="[README]", help="The edited README (default: the one next to the store whose list is out of date).", show_default=False),
    ] = None,
) -> None:
    """Take papers added (or changed) by hand in the generated README into papers/, then re-render it.

    New lines go to the category of the heading they stand under, in their
    place; an edited line changes its paper's fields; a removed line removes
    its paper.  If any edit cannot be taken back, it is reported with its
    line and nothing is written (exit 1).
    """
    from lclm.actions.absorb import AbsorbRefused
    from lclm.actions.absorb import absorb as take_back
    from lclm.store.files import read_text

    root = store_root()
    path = readme if readme is not None else _default_readme(root)
    try:
        report = take_back(root, path, read_text(path))
    except AbsorbRefused as exc:
        for refusal in exc.report.refused:
            text = f": {refusal.text[:100]}" if refusal.text else ""
            warn(f"{path}:{refusal.line}: cannot absorb: {refusal.reason}{text}")
        raise
    _render(report)


def _default_readme(root: Path) -> Path:
    """The README next to the store with the lclm markers whose list differs from its rendering."""
    from lclm.errors import UsageError
    from lclm.formats.markdown import (
        has_markers,
        readme_files,
        readme_lang,
        render_list,
        splice_readme,
    )
    from lclm.store.files import read_text
    from lclm.store.load import load_store

    marked = [p for p in readme_files(root) if has_markers(read_text(p))]
    if not marked:
        raise UsageError(f"no README with the lclm markers in {root} or {root.parent}; name the README to absorb")
    store = load_store(root)
    stale = [p for p in marked if splice_readme(p, read_text(p), render_list(store, lang=readme_lang(p))) != read_text(p)]
    return (stale or marked)[0]


def _render(report: AbsorbReport) -> None:
    name = report.names.get
    for line, paper in report.added:
        echo(f"{report.readme}:{line}: added {paper.key} to {name(paper.category, paper.category)!r}: {paper.title}")
    for line, paper, fields in report.changed:
        echo(f"{report.readme}:{line}: changed {paper.key}: {', '.join(fields)}")
    for line, paper, old in report.moved:
        echo(f"{report.readme}:{line}: moved {paper.key} from {name(old, old)!r} to {name(paper.category, paper.category)!r}")
    for paper in report.removed:
        echo(f"removed {paper.key} ({name(paper.category, paper.category)}): its line is gone from {report.readme}")
    for slug in report.reordered:
        echo(f"reordered {name(slug, slug)!r} as the README has it")
    for path in report.written:
        echo(f"wrote {path}")
    if report.nothing:
        echo(f"{report.readme}: no edit of the papers to absorb" + ("; re-rendered" if report.written else ""))
    else:
        echo(
            f"absorbed {len(report.added)} added, {len(report.changed)} changed, {len(report.moved)} moved, "
            f"{len(report.removed)} removed; {report.readme} re-rendered from papers/"
        )
