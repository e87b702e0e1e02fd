"""`lclm validate`: check the store (or some of its files) and report every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from lclm.cli.app import app, store_root, typer


@app.command()
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Check only these files of the store (as pre-commit passes them), against the whole store.", show_default=False),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the problems as JSON.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="List every rule with its severity and explanation, and exit.")] = False,
) -> None:
    r"""Check the paper list: fields, identifiers, duplicates, formatting and the README.

    Prints one line per problem, `path:line: key: field: message \[rule]`, then a
    summary.  Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage.
    `lclm validate --explain` lists the rules.
    """
    if explain:
        _explain()
        return
    from lclm.checks.validate import validate as check

    report = check(store_root(), files or ())
    if as_json:
        import json

        data = {
            "ok": not report.failed(strict),
            "errors": report.errors,
            "warnings": report.warnings,
            "files": report.files,
            "papers": report.papers,
            "problems": [p.to_dict() for p in report.problems],
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            typer.echo(problem.format())
        typer.echo(_summary(report.files, report.papers, report.errors, report.warnings, strict))
    if report.failed(strict):
        raise typer.Exit(1)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary(files: int, papers: int, errors: int, warnings: int, strict: bool) -> str:
    checked = f"{_plural(files, 'file')}, {_plural(papers, 'paper')} checked"
    if not errors and not warnings:
        return f"{checked}: no problems"
    note = "" if strict or not warnings or errors else " (warnings fail only with --strict)"
    return f"{checked}: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}{note}"


def _explain() -> None:
    from lclm.rules import RULES

    width = max(map(len, RULES))
    for rule in RULES.values():
        typer.echo(f"{rule.id:<{width}}  {rule.severity:<7}  {rule.explanation}")
