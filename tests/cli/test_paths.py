"""Tests run what users run: every command through the real entry point, on both of its paths.

``lclm.cli.main.run`` is what ``lclm`` runs.  A command's first run goes
through Typer (which keeps the command's parameters in the cache); from the
second run on it takes the fast path (``lclm.cli.fast``), without Typer.  For
a table of representative command lines, both runs must give the same
stdout, stderr and exit code, and the second must really be the fast path.
Also here: the registry in ``cli/main.py`` against what Typer registers, and
one meaning per short option.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Response

from conftest import DATA, SEED, SMALL, YARN
from lclm.cli import fast, main

ARXIV = DATA / "arxiv"
BIB = """\
@article{doe2020new,
  title = {A new method},
  author = {Doe, Jane and Roe, Richard},
  year = {2020},
  journal = {Journal of Examples}
}
"""

# Representative command lines; {store}, {tmp} and {data} are filled in.  Each
# runs on a fresh copy of the small store (so a command that writes runs twice alike).
COMMANDS = [
    ["add", "--arxiv", "1605.08386", "-c", "survey"],
    ["add", "--arxiv", "1605.08386", "-c", "survey", "-n"],
    ["add", "--bibtex", "{tmp}/one.bib", "-c", "retrieval", "--dry-run"],
    ["add", "--title", "A Hand-Made Entry", "--year", "2024", "-c", "survey", "-n"],
    ["import", "markdown", "{seed}", "-n"],
    ["import", "bibtex", "{tmp}/one.bib", "-c", "survey"],
    ["refresh", "--fields", "venue,year,url,title", "-y", "-c", "retrieval"],
    ["refresh", "--json", "--keys", "zhao2023length"],
    ["fmt", "--check"],
    ["fmt"],
    ["stats"],
    ["stats", "--json", "--top", "3"],
    ["stats", "--svg", "{tmp}/chart.svg"],
    ["export", "bibtex"],
    ["export", "bibtex", "--keys", "zhao2023length,nope2020x"],
    ["export", "bibtex", "--keys=zhao2023length", "--ascii"],
    ["export", "json", "-c", "survey", "-o", "{tmp}/out.json"],
    ["export", "csl-json", "-q", "retrieval"],
    ["export", "markdown", "--lang", "zh", "--no-toc"],
    ["export", "markdown", "-o", "{store}/README.md"],
    ["export", "html", "-o", "{tmp}/site"],
    ["search", "retrieval", "--json"],
    ["search", "--limit", "2", "--", "length"],
    ["search", "zzzqqqxx"],
    ["search", "zzzqqqxx", "--json"],
    ["dedupe", "--json"],
    ["dedupe"],
    ["validate"],
    ["validate", "--strict", "{store}/survey.yaml"],
    ["verify", "--keys", "zhao2023length"],
    ["verify", "--offline", "--json"],
    ["diff"],  # the store is no git repository: one line, exit 2, on both paths
    ["watch", "--from", "{tmp}/one.bib", "--json"],
    ["init", "{tmp}/newlist", "--title", "A new list"],
    ["absorb"],
]


@pytest.fixture(autouse=True)
def _services(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every service is the local server, answering with recorded responses."""
    for name, path in (("ARXIV", "/api/query"), ("CROSSREF", "/works"), ("DBLP", "/search/publ/api"), ("S2", "/graph/v1"),
                       ("OPENALEX", "/openalex"), ("S2_RECOMMENDATIONS", "/recommendations/v1")):
        monkeypatch.setenv(f"LCLM_{name}_URL", httpserver.url_for(path))
    for name in ("ARXIV", "DBLP", "S2", "CROSSREF"):
        monkeypatch.setenv(f"LCLM_{name}_DELAY", "0")
    # Semantic Scholar knows none of the papers: a null for every id asked.
    httpserver.expect_request("/graph/v1/paper/batch", method="POST").respond_with_handler(
        lambda request: Response(json.dumps([None] * len(request.get_json()["ids"])), content_type="application/json")
    )
    monkeypatch.setenv("COLUMNS", "100")
    httpserver.expect_request("/api/query", query_string={"id_list": "1605.08386", "max_results": "1"}).respond_with_data(
        (ARXIV / "new_idlist_1605.08386_simple_two_categories.xml").read_bytes(), content_type="application/atom+xml"
    )
    yarn = {"q": "yarn efficient context window extension of large language models", "format": "json", "h": "10"}
    httpserver.expect_request("/search/publ/api", query_string=yarn).respond_with_data(
        (DATA / "dblp" / "search_publ_yarn_2hits_CONSTRUCTED.json").read_bytes(), content_type="application/json"
    )
    # Any other question gets an empty answer: both paths must report it alike.
    httpserver.expect_request("/api/query").respond_with_data(
        (ARXIV / "new_empty_idlist_0000.0000_zero_results.xml").read_bytes(), content_type="application/atom+xml"
    )
    httpserver.expect_request("/search/publ/api").respond_with_data(
        b'{"result": {"hits": {"@total": "0", "@sent": "0"}}}', content_type="application/json"
    )


def _fresh(tmp_path: Path) -> Path:
    """A new copy of the small store, the same path every time."""
    root = tmp_path / "papers"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(SMALL, root)
    (root / "retrieval.yaml").write_text((root / "retrieval.yaml").read_text(encoding="utf-8") + "\n" + YARN, encoding="utf-8")
    for out in ("out.json", "chart.svg"):
        (tmp_path / out).unlink(missing_ok=True)
    shutil.rmtree(tmp_path / "site", ignore_errors=True)
    shutil.rmtree(tmp_path / "newlist", ignore_errors=True)
    return root


def lclm(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``lclm ARGV`` as the installed script runs it: exit code, stdout, stderr."""
    code = main.run(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("line", COMMANDS, ids=" ".join)
def test_the_fast_path_answers_as_typer_does(line: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "one.bib").write_text(BIB, encoding="utf-8")
    argv = [a.format(store=tmp_path / "papers", tmp=tmp_path, seed=SEED) for a in line]
    command = main.command_in(argv)
    assert command is not None
    answers = []
    for _ in range(2):
        root = _fresh(tmp_path)
        answers.append(lclm(["--papers", str(root), *argv], capsys))
    # The second run was the fast path: the spec Typer kept reads this command line.
    from lclm.store.cache import read_json

    spec = read_json(fast.spec_path(command), fast.stamp(main.COMMANDS[command]))
    assert isinstance(spec, dict) and fast.parse(spec, ["--papers", str(root), *argv]) is not None
    assert answers[1] == answers[0]
    assert "Traceback" not in answers[0][2]


def test_the_table_covers_every_command() -> None:
    named = {main.command_in(line) for line in COMMANDS}
    named |= {" ".join(line[:2]) for line in COMMANDS if line[0] in ("export", "import")}
    registered = _registered()
    assert set(registered) - {"export", "import"} <= named
    for group in ("export", "import"):
        assert {f"{group} {name}" for name in registered[group]} <= named


# ---------------------------------------------------------------- the registry


def _registered() -> dict[str, list[str]]:
    """Command name -> its subcommands (empty for a plain command), as Typer registers them."""
    import typer

    group = typer.main.get_command(main.register())
    return {name: sorted(getattr(cmd, "commands", {})) for name, cmd in group.commands.items()}


def test_commands_in_main_are_the_commands_typer_registers() -> None:
    assert sorted(main.COMMANDS) == sorted(_registered())
    # The modules main imports for a command are the ones that register it.
    for name, modules in main.COMMANDS.items():
        assert {f"lclm.cli.{m}" for m in modules} == _modules_of(name), name


def _modules_of(name: str) -> set[str]:
    """The modules whose functions are command ``name`` (or its subcommands)."""
    from lclm.cli.app import GROUPS, app

    group = next((g for g in GROUPS if g.name == name), None)
    functions = [f for f, _ in group.commands.values()] if group else [app.commands[name][0]]
    return {f.__module__ for f in functions}


def test_value_options_are_the_global_options_that_take_a_value() -> None:
    import typer

    group = typer.main.get_command(main.register())
    taking = {opt for p in group.params if not getattr(p, "is_flag", False) and not p.is_eager for opt in p.opts}
    assert main.VALUE_OPTIONS == taking


# ---------------------------------------------------------------- short options

# What each short option means, in every command that has it.
SHORT = {
    "-n": "--dry-run", "-y": "--yes", "-c": "--category", "-o": "--output", "-q": "--query",
    "-t": "--threshold", "-v": "--verbose", "-a": "--author", "-f": "--format", "-p": "--papers", "-h": "--help",
    "-l": "--limit",
}


def test_a_short_option_means_one_thing_in_every_command() -> None:
    import typer

    group = typer.main.get_command(main.register())
    found = set()
    commands = [("lclm", group)] + [(n, c) for n, c in group.commands.items()]
    commands += [(f"{n} {s}", sc) for n, c in group.commands.items() for s, sc in getattr(c, "commands", {}).items()]
    for name, command in commands:
        for param in command.get_params(typer.Context(command)):
            longs = [o for o in param.opts if o.startswith("--")]
            for short in (o for o in [*param.opts, *getattr(param, "secondary_opts", [])] if len(o) == 2):
                found.add((name, short, longs[0] if longs else ""))
    wrong = {(n, s, lo) for n, s, lo in found if SHORT.get(s) != lo}
    assert wrong == set()
