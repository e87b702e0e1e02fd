"""Shared test helpers: run the CLI in-process, and temporary stores."""

from __future__ import annotations

import dataclasses
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

# Each test process imports most of lclm and rewrites the asserts of every test module, and the
# suite starts lclm as its own process about a hundred times: all of it compiles Python source
# unless the bytecode is kept.  Keep it (in __pycache__, ignored by git) even where the
# environment says not to (PYTHONDONTWRITEBYTECODE), so a second run reads it: 2 s less in
# each worker's collection alone.
sys.dont_write_bytecode = False

from lclm.cli.main import register  # noqa: E402 (after the setting, so lclm's bytecode is kept too)
from lclm.model import Paper  # noqa: E402

app = register()

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
# A frozen copy of the list: tests do not follow edits to the live papers/.
PAPERS = DATA / "store"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own cache directory, no inherited store choice, and no way out to a real service.

    Every service's address points at a closed local port unless the test points it at its own local
    server: a test that forgets to is refused at once, and never reaches the internet.
    """
    from lclm.sources.registry import SOURCES

    for source in SOURCES.values():
        monkeypatch.setenv(source.url_env, "http://127.0.0.1:9/no-service-in-tests")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("LCLM_PAPERS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """Run ``lclm ARGS`` in-process; the result has exit_code, stdout, stderr."""
    return CliRunner().invoke(app, list(args), input=input, env=env, catch_exceptions=False)


def _command_built_once() -> None:
    """Let ``CliRunner`` build the Click command of an app once, not on every run.

    ``lclm`` builds it once per process; the suite runs about a thousand
    commands in a process, and building the whole app (every command's
    parameters read from its signature) costs about 8 ms each time.  The
    command is the same object a fresh build gives: Click keeps the state of
    a run in its ``Context``, not in the command.
    """
    import typer.testing

    build = typer.testing._get_command
    built: dict[int, Any] = {}

    def once(typer_instance: Any) -> Any:
        key = id(typer_instance)
        if key not in built:
            built[key] = (typer_instance, build(typer_instance))  # the app is kept, so its id is not reused
        return built[key][1]

    typer.testing._get_command = once  # type: ignore[attr-defined]


_command_built_once()


# YaRN as the list first had it: Google Scholar's lower case, a cut author list, and a preprint venue.
YARN = """\
- key: peng2023yarn
  title: 'Yarn: Efficient context window extension of large language models'
  authors:
  - Bowen Peng
  - Jeffrey Quesnelle
  - others
  year: 2023
  venue: arXiv preprint arXiv:2309.00071
  url: https://arxiv.org/abs/2309.00071
  arxiv: '2309.00071'
"""


# A five-paper store in two categories, clean and canonical.
SMALL = DATA / "validate" / "store"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A temporary copy of ``SMALL``."""
    dest = tmp_path / "papers"
    shutil.copytree(SMALL, dest)
    return dest


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A temporary copy of the committed list in papers/, with empty caches (the first command parses it all)."""
    dest = tmp_path / "papers"
    shutil.copytree(PAPERS, dest)
    return dest


@pytest.fixture(scope="session")
def _warm_caches(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the committed list and the cache lclm made of it (the store read, searched, validated, exported)."""
    base = tmp_path_factory.mktemp("warm")
    root = base / "papers"
    shutil.copytree(PAPERS, root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(base / "cache"))
        for args in (["validate"], ["search", "rope"], ["export", "bibtex"]):
            assert run("--papers", str(root), *args).exit_code == 0, args
    return root, base / "cache"


@pytest.fixture
def warm_store(tmp_path: Path, _warm_caches: tuple[Path, Path]) -> Path:
    """A temporary copy of the committed list in papers/ with the caches earlier runs left (as a user's list has).

    The cache lclm made of an identical copy is built once per session and
    copied into this test's cache folder under this store's name, so the
    first command reads the parsed files, the search index, validation
    results and BibTeX entries from it instead of making them again.  For
    tests whose subject is not the cache; every cache entry is still checked
    against the bytes it was made from, so an edit the test makes is seen.
    """
    from lclm.store.cache import cache_dir, store_id

    dest = tmp_path / "papers"
    shutil.copytree(PAPERS, dest)
    root, cache = _warm_caches
    made, named = store_id(root), store_id(dest)
    for kind in (cache / "lclm").iterdir():
        if (kind / made).is_dir():
            shutil.copytree(kind / made, cache_dir() / kind.name / named)
    return dest


SEED = DATA / "lists" / "thus-spake-readme.md"
ZH = DATA / "lists" / "openmoss_thus-spake-long-context-llm_README_zh.md"


@pytest.fixture(scope="session")
def _seed_import(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seed") / "papers"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root.parent / "cache"))
        assert run("--papers", str(root), "import", "markdown", str(SEED)).exit_code == 0
        assert run("--papers", str(root), "import", "markdown", "--lang", "zh", str(ZH)).exit_code == 0
    return root


@pytest.fixture
def seed_store(_seed_import: Path, tmp_path: Path) -> Path:
    """A temporary store made by importing the seed list as it is (641 papers: the two it lists twice are merged)."""
    dest = tmp_path / "seed"
    shutil.copytree(_seed_import, dest)
    return dest


GOLDEN = DATA / "golden"


def golden(name: str, text: str) -> None:
    """Assert ``text`` equals the golden file ``tests/data/golden/NAME``.

    ``LCLM_UPDATE_GOLDEN=1 make test`` rewrites the golden files instead;
    review their diff before committing it.
    """
    import os

    path = GOLDEN / name
    if os.environ.get("LCLM_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path}: no golden file; run with LCLM_UPDATE_GOLDEN=1 to write it"
    assert text == path.read_text(encoding="utf-8"), f"{path}: output changed; LCLM_UPDATE_GOLDEN=1 rewrites it"


# ---------------------------------------------------------------- small stores

THUS = Paper(
    key="liu2025thus",
    title="Thus Spake Long-Context Large Language Model",
    year=2025,
    authors=["Xiaoran Liu", "Ruixiao Li", "others"],
    venue="arXiv preprint arXiv:2502.17129",
    url="https://arxiv.org/abs/2502.17129",
    arxiv="2502.17129",
)
LANDMARK = Paper(
    key="mohtashami2023landmark",
    title="Landmark Attention: Random-Access Infinite Context Length for Transformers",
    year=2023,
    authors=["Amirkeivan Mohtashami", "Martin Jaggi"],
    venue="Advances in Neural Information Processing Systems, 36, 54567--54585",
    url="https://proceedings.neurips.cc/paper/2023/landmark.pdf",
)
T5 = Paper(
    key="raffel2020exploring",
    title="Exploring the limits of transfer learning with a unified text-to-text transformer",
    year=2020,
    authors=["Colin Raffel", "Peter J Liu"],
    venue="Journal of machine learning research, 21(140), 1--67",
    url="https://www.jmlr.org/papers/v21/20-074.html",
)
QWQ = Paper(
    key="team2024qwq",
    title="QwQ: Reflect Deeply on the Boundaries of the Unknown",
    year=2024,
    authors=["Qwen Team"],
    url="https://qwenlm.github.io/blog/qwq-32b-preview/",
)
SPECIAL = Paper(
    key="milos2024lossless",
    title="Lossless KV Cache Compression to 2% with GPT-4 & RoPE_scaling",
    year=2024,
    authors=["Piotr Miłoś", "Christopher Ré", "Barnes, Noble"],
    venue="First Conference on Language Modeling",
    url="https://openreview.net/forum?id=a_b%20c",
    doi="10.1000/x_y",
)
SAMPLE = [THUS, LANDMARK, T5, QWQ, SPECIAL]  # a preprint, proceedings, a journal, a blog, hostile text



def make_store(root: Path, categories: Mapping[str, Sequence[Paper | Mapping[str, Any]]]) -> Path:
    """A store at ``root`` with one category (slug -> papers or field mappings) per item, in order."""
    from lclm.store.layout import Section, Store
    from lclm.store.transaction import save_store

    root.mkdir(parents=True, exist_ok=True)
    sections = [Section(slug.replace("-", " ").replace("_", " ").title(), file=f"{slug}.yaml") for slug in categories]
    papers = [
        dataclasses.replace(p, category=slug) if isinstance(p, Paper) else Paper.from_dict(dict(p), category=slug)
        for slug, items in categories.items()
        for p in items
    ]
    save_store(Store(root, sections, papers))
    return root


def _blocks(text: str) -> list[str]:
    """A canonical category file's paper blocks, each with the blank line after it (the last has none)."""
    parts = text.split("\n- key: ")
    return [parts[0] + "\n"] + [f"- key: {p}\n" for p in parts[1:-1]] + ([f"- key: {parts[-1]}"] if len(parts) > 1 else [])


def _retitle_second(text: str) -> str:
    blocks = _blocks(text)
    head, _, rest = blocks[1].partition("\n  title: ")
    quote = rest[0] if rest[0] in "'\"" else ""
    blocks[1] = f"{head}\n  title: {quote}Edited {rest[len(quote):]}"
    return "".join(blocks)


def _move_last_first(text: str) -> str:
    blocks = _blocks(text)
    return blocks[-1] + "\n" + "".join(blocks[:-1]).removesuffix("\n")


# Hand edits of a canonical category file (three papers or more), as a curator or a slip makes them:
# name -> (edit, whether the file stays in canonical form).
HAND_EDITS: dict[str, tuple[Callable[[str], str], bool]] = {
    "retitle the second paper": (_retitle_second, True),
    "add an author to the first (later lines move)": (lambda t: t.replace("  authors:\n", "  authors:\n  - New Person\n", 1), True),
    "a year out of range in the third": (lambda t: "".join(b.replace("year: 20", "year: 18", 1) if i == 2 else b for i, b in enumerate(_blocks(t))), True),
    "remove the second paper": (lambda t: "".join(b for i, b in enumerate(_blocks(t)) if i != 1), True),
    "remove the last paper": (lambda t: "".join(_blocks(t)[:-1]).removesuffix("\n"), True),
    "move the last paper first": (_move_last_first, True),
    "repeat the first paper at the end": (lambda t: t + "\n" + _blocks(t)[0].removesuffix("\n"), True),
    "no blank line between two papers": (lambda t: t.replace("\n\n- key: ", "\n- key: ", 1), False),
    "a comment at the margin": (lambda t: t.replace("\n- key: ", "\n# moved here\n- key: ", 1), False),
    "a quoted title running across a margin line": (
        lambda t: t.replace("\n  title: ", "\n  title: 'Two\n- lines'\n  note: ", 1), False),
    "a YAML syntax error": (lambda t: t.replace("\n  title: ", "\n  title: [unclosed\n  note: ", 1), False),
    "a byte-order mark": (lambda t: "\ufeff" + t, False),
    "no newline at the end": (lambda t: t.removesuffix("\n"), False),
    "a field given twice": (lambda t: t.replace("\n  year: ", "\n  year: 1999\n  year: ", 1), False),
}


def yaml_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts lclm gives YAML to read from now on (leading padding stripped), to see what an edit costs."""
    from lclm.checks import file
    from lclm.store import codec

    read: list[str] = []
    parse = codec.parse_category

    def spy(path: Path, text: str) -> Any:
        read.append(text.strip("\n"))
        return parse(path, text)

    monkeypatch.setattr(codec, "parse_category", spy)
    monkeypatch.setattr(file, "parse_category", spy)
    return read


def forked_runs(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[Any]:
    """From now on ``module`` hands work of any size to two forked workers: what each ``workers.run_forked`` call gives back.

    ``module`` forks its work above a size (its ``PARALLEL_BYTES``); a None in
    the list is a call that could not fork here and left the work to the caller.
    """
    from lclm import workers

    monkeypatch.setattr(module, "PARALLEL_BYTES", 0)
    monkeypatch.setenv("LCLM_JOBS", "2")
    runs: list[Any] = []
    real = workers.run_forked

    def spy(count: int, work: Callable[[int], Any]) -> list[Any] | None:
        runs.append(real(count, work))
        return runs[-1]

    monkeypatch.setattr(workers, "run_forked", spy)
    return runs
