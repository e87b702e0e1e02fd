"""The command line as a whole: version, help on every command, usage errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from conftest import ROOT, run
from lclm import __version__
from lclm.cli.main import register

app = register()


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module tests the process, not the store's cache."""
    return warm_store


def _commands() -> list[list[str]]:
    """Every command path, e.g. ["search"], ["export", "markdown"]."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(group: object, prefix: list[str]) -> None:
        for name, command in getattr(group, "commands", {}).items():
            paths.append([*prefix, name])
            walk(command, [*prefix, name])

    walk(root, [])
    return paths


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"lclm {__version__}\n")


def test_every_command_has_help_text() -> None:
    paths = _commands()
    assert ["export", "markdown"] in paths and ["import", "markdown"] in paths
    for path in paths:
        command = typer.main.get_command(app)
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        assert (command.help or "").strip(), f"lclm {' '.join(path)} has no help text"
        result = run(*path, "--help")
        assert result.exit_code == 0, path


@pytest.mark.parametrize(
    ("argv", "message", "hint"),
    [
        (["serch", "rope"], "no such command 'serch'. Did you mean 'search'?", "lclm"),
        (["search", "rope", "--limt", "3"], "no such option: --limt (Possible options: --limit)", "lclm search"),
        (["search", "rope", "--limit", "many"], "invalid value for '--limit' / '-l': 'many' is not a valid int range.", "lclm search"),
        (["export", "bibtex", "-o"], "option '-o' requires an argument.", "lclm export bibtex"),
        (["import", "markdown"], "missing argument 'FILE'.", "lclm import markdown"),
        (["--papers"], "option '--papers' requires an argument.", "lclm"),
    ],
)
def test_usage_errors_are_one_line_and_a_hint(argv: list[str], message: str, hint: str) -> None:
    """The README's promise: `lclm: error: ...` and where to read more; exit 2; no boxed panel."""
    result = run(*argv)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"lclm: error: {message}\nTry '{hint} --help'.\n"


def test_metavars_say_what_a_value_is() -> None:
    """Every option that takes a value names it in capitals (FILE, DIR, QUERY ...), the same everywhere."""
    metavars: dict[str, set[str]] = {}
    root = typer.main.get_command(app)
    for path in _commands():
        command = root
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        for param in command.params:
            if not getattr(param, "is_flag", False) and param.name != "help" and not hasattr(command, "commands"):
                assert param.metavar and param.metavar.strip("[].,").isupper(), (path, param.name, param.metavar)
                metavars.setdefault(param.name or "", set()).add(param.metavar.strip("[]."))
    assert metavars["output"] == {"FILE"} and metavars["category"] == {"CATEGORY"}
    top = run("--help").stdout
    assert "--papers" in top and "DIR" in top


def test_papers_does_not_outlive_its_run(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--papers` belongs to one run: the next run without it uses ./papers again."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no ./papers here
    assert run("--papers", str(store), "export", "json", "-o", str(tmp_path / "a.json")).exit_code == 0
    again = run("export", "json")
    assert again.exit_code == 1
    assert again.stderr == "lclm: error: papers: paper store does not exist (use --papers DIR or set LCLM_PAPERS)\n"


def test_readme_check_takes_the_language_from_the_file_name(store: Path) -> None:
    zh = store / "README_zh.md"
    zh.write_text("# 论文\n\n<!-- lclm:start -->\n<!-- lclm:end -->\n", encoding="utf-8")
    stale = run("--papers", str(store), "export", "markdown", "--readme", str(zh), "--check")
    assert (stale.exit_code, stale.stderr) == (1, f"{zh}: out of date; run `lclm export markdown --readme {zh}`\n")
    assert run("--papers", str(store), "export", "markdown", "--readme", str(zh)).exit_code == 0
    assert "篇论文" in zh.read_text(encoding="utf-8")  # the headings and total in Chinese
    fresh = run("--papers", str(store), "export", "markdown", "--readme", str(zh), "--check")
    assert (fresh.exit_code, fresh.stdout, fresh.stderr) == (0, "", "")


def test_installed_entry_point_runs_without_traceback(tmp_path: object) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "lclm", "--papers", "/nonexistent/store", "export", "markdown"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 1
    assert proc.stderr == "lclm: error: /nonexistent/store: paper store does not exist (use --papers DIR or set LCLM_PAPERS)\n"


# ---------------------------------------------------------------- start-up

# What a plain run must not pay for: Typer itself (the fast path), Rich, the
# HTTP and TLS stack, the BibTeX parser, fuzzy matching, and YAML on a warm cache.
HEAVY = ("typer", "rich", "bibtexparser", "rapidfuzz", "urllib.request", "http.client", "ssl", "yaml")
HTTP = ("urllib.request", "http.client", "ssl")


def _lclm(cache: Path, *args: str, importtime: bool = False) -> subprocess.CompletedProcess[str]:
    """``lclm ARGS`` as its own process, with its own cache directory."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    env.pop("LCLM_PAPERS", None)
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run([sys.executable, *flags, "-m", "lclm", *args], capture_output=True, text=True, cwd=ROOT, env=env)


def _imported(stderr: str) -> set[str]:
    """The modules ``python -X importtime`` reports."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_export_bibtex_imports_nothing_heavy(store: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _lclm(cache, "--papers", str(store), "export", "bibtex")  # Typer builds the command; caches fill
    again = _lclm(cache, "--papers", str(store), "export", "bibtex", importtime=True)
    assert (again.returncode, again.stdout) == (0, first.stdout)
    modules = _imported(again.stderr)
    assert "lclm.formats.exporters" in modules  # (its entries come from the cache: not even lclm.formats.bibtex)
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY) == []


def test_add_from_a_bibtex_file_imports_no_http(store: Path, tmp_path: Path) -> None:
    bib = tmp_path / "one.bib"
    bib.write_text("@article{doe2020new,\n  title = {A new method},\n  author = {Doe, Jane},\n  year = {2020},\n  journal = {Journal of Examples}\n}\n", encoding="utf-8")
    cache = tmp_path / "cache"
    args = ("--papers", str(store), "add", "--bibtex", str(bib), "--category", "survey-technical-report", "--dry-run")
    for _ in range(2):  # the second run takes the fast path
        result = _lclm(cache, *args, importtime=True)
        assert result.returncode == 0, result.stderr
        assert "would add doe2020new" in result.stdout
        assert sorted(m for m in _imported(result.stderr) if m in HTTP) == []


# Whether a run imports Typer, as its own process; that both paths answer alike for every
# command is tests/cli/test_paths.py's (in-process, so cheaper).
@pytest.mark.parametrize(
    ("argv", "fast"),
    [
        (["export", "bibtex", "--keys=luohe2024keep", "--ascii"], True),
        (["export", "markdown", "--no-toc", "--lang", "zh"], True),
        (["search", "rope", "-l", "3", "--json"], True),
        (["search", "--limit", "2", "--", "rope"], True),
        (["search", "zzzqqqxx", "--json"], True),  # no hit: `[]` and exit 1
        (["validate", "--strict"], True),
        (["export", "json", "-ckv"], False),  # attached values are Typer's to read
        (["search", "rope", "--limit", "-1"], False),  # and so is every usage error
        (["export", "bibtex", "--keys"], False),
    ],
)
def test_the_fast_path_answers_as_typer_does(store: Path, tmp_path: Path, argv: list[str], fast: bool) -> None:
    """A command run from its cached parameters gives what the same run through Typer gives."""
    typer_run = run("--papers", str(store), *argv)
    cache = tmp_path / "cache"
    _lclm(cache, "--papers", str(store), argv[0], "--help")  # Typer keeps the command's parameters
    again = _lclm(cache, "--papers", str(store), *argv, importtime=True)
    assert (again.returncode, again.stdout) == (typer_run.exit_code, typer_run.stdout)
    assert [line for line in again.stderr.splitlines() if not line.startswith("import time:")] == typer_run.stderr.splitlines()
    assert ("typer" not in _imported(again.stderr)) == fast


def test_a_damaged_or_foreign_command_cache_is_rebuilt(store: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _lclm(cache, "--papers", str(store), "export", "bibtex", "--keys", "luohe2024keep")
    spec = cache / "lclm" / "cli" / "export.json"
    for damage in (b"not json at all", spec.read_bytes()[:-40]):
        spec.write_bytes(damage)
        again = _lclm(cache, "--papers", str(store), "export", "bibtex", "--keys", "luohe2024keep")
        assert (again.returncode, again.stdout, again.stderr) == (0, first.stdout, "")
        assert spec.read_bytes() != damage  # Typer ran and wrote it again


def test_a_prompt_at_end_of_input_is_aborted_on_both_paths(store: Path, tmp_path: Path) -> None:
    """``add`` without a category asks for one; end of input there is ``lclm: aborted``, never a traceback."""
    import pty

    from lclm.cli.fast import spec_path

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}  # the test's cache, as spec_path sees it
    answers = []
    for _ in range(2):  # the first run goes through Typer and keeps the spec; the second runs on the fast path
        master, slave = pty.openpty()
        argv = [sys.executable, "-m", "lclm", "--papers", str(store), "add", "--title", "T", "--year", "2026"]
        process = subprocess.Popen(argv, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        os.close(slave)
        os.write(master, b"\x04")  # end of input
        _, err = process.communicate(timeout=60)
        os.close(master)
        answers.append((process.returncode, err.decode().rpartition("Category number:")[2]))
        assert spec_path("add").exists()  # so the next run takes the fast path
    assert answers == [(1, "lclm: aborted\n"), (1, "lclm: aborted\n")]


def test_the_fast_path_reports_an_abort_as_typer_does(capsys: pytest.CaptureFixture[str]) -> None:
    from lclm.cli.fast import call

    assert call(f"{__name__}:_abort", {}, {}) == 1
    assert capsys.readouterr().err == "lclm: aborted\n"


def _abort() -> None:
    raise typer.Abort()
