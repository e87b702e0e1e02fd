"""The store transaction: the one write path, all-or-nothing even when killed, one writer at a time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run
from lclm.errors import StoreError
from lclm.model import Paper
from lclm.store import notices
from lclm.store.journal import JOURNAL
from lclm.store.layout import Section
from lclm.store.load import load_store
from lclm.store.lock import locked
from lclm.store.transaction import KILL_ENV, KILLED_EXIT, transaction


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module does not test the cache."""
    return warm_store


NEW_LIST = """\
### Length Extrapolation
* **[Extending context windows by folding positions.](https://arxiv.org/abs/2601.99001)** Ada Lovelace, Alan Turing. arXiv preprint arXiv:2601.99001, 2026

### Retrieval Heads
* **[Which heads retrieve? A probe.](https://arxiv.org/abs/2601.99002)** Grace Hopper. arXiv preprint arXiv:2601.99002, 2026
* **[Copying is all you need for needles.](https://arxiv.org/abs/2601.99003)** Edsger Dijkstra. ICLR, 2026
"""


def lclm(store: Path, *args: str, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run lclm as its own process (so it can be killed), with the test's cache directory."""
    return subprocess.run(  # noqa: PLW1510 - the caller checks the exit code
        [sys.executable, "-m", "lclm", "--papers", str(store), *args],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, **kwargs,  # type: ignore[call-overload]
    )


def forked(store: Path, *args: str, kill_at: int) -> int:
    """Run lclm in a forked child (a real process, without a new interpreter's start-up); its exit code."""
    pid = os.fork()
    if pid == 0:  # the child: run the command, killed at step ``kill_at``
        code = 99
        try:
            os.environ[KILL_ENV] = str(kill_at)
            code = run("--papers", str(store), *args).exit_code
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def files(store: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in store.iterdir() if p.is_file()}


def test_only_touched_and_changed_files_are_written_and_readmes_refreshed(store: Path) -> None:
    from lclm.actions.write import readmes

    before = {p.name: p.stat().st_mtime_ns for p in store.iterdir()}
    with transaction(store, derived=readmes) as tx:
        tx.store.papers.append(Paper(key="lovelace2026folding", title="Folding positions", year=2026, category="memory-management"))
        tx.touch("memory-management")
        tx.touch_sections()
    # _sections.yaml already read so: it is left alone.
    assert [p.name for p in tx.written] == ["memory-management.yaml", "README.md", "README_zh.md"]
    changed = sorted(p.name for p in store.iterdir() if before.get(p.name) != p.stat().st_mtime_ns)
    assert changed == ["README.md", "README_zh.md", "memory-management.yaml"]
    assert "Folding positions" in (store / "README.md").read_text()
    assert run("--papers", str(store), "validate").exit_code == 0


def test_the_store_alone_writes_only_its_own_files(store: Path) -> None:
    readme = (store / "README.md").read_bytes()
    with transaction(store) as tx:
        tx.append("memory-management", [Paper(key="lovelace2026folding", title="Folding positions", year=2026)])
    assert [p.name for p in tx.written] == ["memory-management.yaml"]
    assert (store / "README.md").read_bytes() == readme


def test_append_keeps_the_file_text_and_its_comments(store: Path) -> None:
    path = store / "memory-management.yaml"
    old = "# kept by hand\n" + path.read_text(encoding="utf-8")
    path.write_text(old, encoding="utf-8")
    with transaction(store) as tx:
        new = Paper(key="lovelace2026folding", title="Folding positions", year=2026)
        tx.append("memory-management", [new])
    text = path.read_text(encoding="utf-8")
    assert text.startswith(old.rstrip("\n") + "\n\n- key: lovelace2026folding\n")
    assert new.line == old.rstrip("\n").count("\n") + 3 and new.category == "memory-management"


def test_the_store_imports_nothing_from_the_layers_above() -> None:
    import ast

    import lclm.store

    above = ("lclm.formats", "lclm.sources", "lclm.actions", "lclm.cli", "lclm.search", "lclm.checks", "lclm.duplicates")
    found = []
    for path in sorted(Path(lclm.store.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            found += [f"{path.name}: {name}" for name in names if name.startswith(above)]
    assert found == []


def test_a_failure_inside_the_block_writes_nothing(store: Path) -> None:
    before = files(store)
    with pytest.raises(RuntimeError), transaction(store) as tx:
        tx.store.papers.clear()
        tx.touch("memory-management")
        raise RuntimeError("changed my mind")
    assert files(store) == before


def test_a_new_store_is_made_only_when_something_is_written(tmp_path: Path) -> None:
    root = tmp_path / "new" / "papers"
    with pytest.raises(RuntimeError), transaction(root, create=True):
        raise RuntimeError("import failed")
    assert not root.exists()
    with transaction(root, create=True) as tx:
        tx.store.sections.append(Section("Heads", file="heads.yaml"))
        tx.store.papers.append(Paper(key="a2026b", title="B", year=2026, category="heads"))
        tx.touch("heads")
        tx.touch_sections()
    assert [p.key for p in load_store(root).papers] == ["a2026b"]


def test_a_write_is_cached_so_the_next_command_parses_nothing(store: Path) -> None:
    assert run("--papers", str(store), "add", "--title", "Folding positions", "--year", "2026", "-c", "memory").exit_code == 0
    code = (
        "import sys; from pathlib import Path; from lclm.store.load import load_store; "
        f"s = load_store(Path({str(store)!r})); print('Folding positions' in {{p.title for p in s.papers}}, 'yaml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


# ---------------------------------------------------------------- killed at every step


def _killed_at_every_step(store: Path, tmp_path: Path, args: list[str]) -> int:
    """Run ``args`` killed at step 1, 2, ... on fresh copies of ``store``; the number of steps.

    After each kill, loading the store (which finishes an interrupted write)
    leaves every file byte for byte as before the command or as after it,
    READMEs included.
    """
    import shutil

    def visible(root: Path) -> dict[str, bytes]:  # not the journal or staged files
        return {name: data for name, data in files(root).items() if not name.startswith(".")}

    copy = tmp_path / "run"  # one path throughout, so its cache stays warm
    shutil.copytree(store, copy)
    assert run("--papers", str(copy), *args).exit_code == 0
    old, new = visible(store), visible(copy)
    assert new != old
    assert run("--papers", str(copy), "validate").exit_code == 0
    for at in range(1, 60):
        shutil.rmtree(copy)
        shutil.copytree(store, copy)
        code = forked(copy, *args, kill_at=at)
        if code != KILLED_EXIT:
            assert code == 0
            assert visible(copy) == new
            return at - 1
        load_store(copy)
        notices.take()  # the note of the finished write, which no CLI is here to print
        assert visible(copy) in (old, new), at
        assert not (copy / JOURNAL).exists()
    raise AssertionError("the write never finished")


def test_import_killed_at_any_step_leaves_the_old_or_the_new_store(store: Path, tmp_path: Path) -> None:
    listing = tmp_path / "new.md"
    listing.write_text(NEW_LIST)
    # Staged: two category files (one new), the sections, two READMEs; the journal; five renames...
    assert _killed_at_every_step(store, tmp_path, ["import", "markdown", str(listing)]) >= 12


def test_add_killed_at_any_step_leaves_the_old_or_the_new_store(store: Path, tmp_path: Path) -> None:
    args = ["add", "--title", "Folding positions", "--author", "Ada Lovelace", "--year", "2026", "-c", "memory"]
    assert _killed_at_every_step(store, tmp_path, args) >= 8


def test_files_staged_by_a_killed_write_are_removed_by_the_next_write(store: Path) -> None:
    args = ["add", "--title", "Folding positions", "--year", "2026", "-c", "memory"]
    assert forked(store, *args, kill_at=1) == KILLED_EXIT
    assert [p.name for p in store.iterdir() if p.name.endswith(".lclm-tmp")]
    assert lclm(store, *args).returncode == 0
    assert not [p.name for p in store.iterdir() if p.name.endswith(".lclm-tmp")]


@pytest.mark.parametrize("command", [["export", "bibtex"], ["search", "rope"], ["validate"]])
def test_files_staged_by_a_killed_write_are_removed_by_the_next_command_even_a_reading_one(
    store: Path, command: list[str]
) -> None:
    args = ["add", "--title", "Folding positions", "--year", "2026", "-c", "memory"]
    assert forked(store, *args, kill_at=2) == KILLED_EXIT  # the category file and a README staged
    staged = [p.name for p in [*store.iterdir(), *store.parent.iterdir()] if p.name.endswith(".lclm-tmp")]
    assert len(staged) == 2 and not (store / JOURNAL).exists()
    result = lclm(store, *command)
    assert result.returncode == 0, result.stderr
    assert not [p.name for p in [*store.iterdir(), *store.parent.iterdir()] if p.name.endswith(".lclm-tmp")]
    assert result.stderr == f"lclm: note: {store}: removed 2 temporary files an interrupted write left\n"
    assert "Folding positions" not in (store / "memory-management.yaml").read_text()


def test_validate_names_a_temporary_file_it_cannot_clear(store: Path) -> None:
    odd = store / ".notes.txt.0123456789ab.lclm-tmp"  # not a file a store write makes: left for the user
    odd.write_text("half a file")
    result = run("--papers", str(store), "validate")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        f"{odd}: a temporary file of an interrupted write, left in the store; delete it (git would commit it)"
        " [staging-file, warning]"
    )
    assert run("--papers", str(store), "validate", "--strict").exit_code == 1


def test_git_ignores_the_files_of_an_interrupted_write() -> None:
    from conftest import ROOT

    names = ["papers/.kv-cache-optimization.yaml.0123456789ab.lclm-tmp", ".README.md.0123456789ab.lclm-tmp", "papers/.lclm-journal"]
    result = subprocess.run(  # noqa: PLW1510
        ["git", "check-ignore", "--no-index", *names], cwd=ROOT, capture_output=True, text=True
    )
    assert result.stdout.splitlines() == names


def test_an_interrupted_write_is_finished_with_a_note(store: Path, tmp_path: Path) -> None:
    args = ["add", "--title", "Folding positions", "--year", "2026", "-c", "memory"]
    # Step 4: the category file and both READMEs staged, the journal written, nothing renamed yet.
    assert forked(store, *args, kill_at=4) == KILLED_EXIT
    assert (store / JOURNAL).exists()
    result = lclm(store, "export", "markdown")
    assert result.returncode == 0 and "Folding positions" in result.stdout
    assert result.stderr == f"lclm: note: {store}: finished a write that was interrupted (3 files put in place)\n"
    assert lclm(store, "validate").returncode == 0


# ---------------------------------------------------------------- one writer at a time


def test_two_adds_at_once_both_land(store: Path) -> None:
    adds = []
    with locked(store):  # both start while another writer holds the store
        for title in ("Folding positions", "Unfolding positions"):
            adds.append(subprocess.Popen(
                [sys.executable, "-m", "lclm", "--papers", str(store), "add", "--title", title, "--year", "2026", "-c", "memory"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            ))
        time.sleep(0.5)
        assert all(a.poll() is None for a in adds)  # waiting for the lock
    for a in adds:
        assert a.wait(timeout=60) == 0, a.stderr.read() if a.stderr else ""
    titles = {p.title for p in load_store(store).in_category("memory-management")}
    assert {"Folding positions", "Unfolding positions"} <= titles
    assert lclm(store, "validate").returncode == 0


def test_a_writer_that_never_finishes_gives_one_line_not_a_hang(store: Path) -> None:
    with locked(store):
        result = lclm(store, "add", "--title", "T", "--year", "2026", "-c", "memory", env={"LCLM_LOCK_TIMEOUT": "0.3"})
    assert result.returncode == 1
    assert result.stderr == f"lclm: error: {store}: another lclm process is writing the store; try again when it has finished\n"


def test_the_lock_of_a_killed_writer_is_free(store: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from pathlib import Path; from lclm.store.lock import locked\nwith locked(Path({str(store)!r})):\n print('held', flush=True)\n import time; time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    result = lclm(store, "add", "--title", "T", "--year", "2026", "-c", "memory", env={"LCLM_LOCK_TIMEOUT": "5"})
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- every writer goes through it


def _with_duplicate(store: Path) -> None:
    """Put a second record of a paper of one category into another one."""
    with transaction(store) as tx:
        first = tx.store.in_category("length-extrapolation")[0]
        twin = Paper.from_dict({**first.to_dict(), "key": first.key + "x", "note": "seen twice"}, category="memory-management")
        tx.store.papers.append(twin)
        tx.touch("memory-management")


def test_dedupe_merge_then_validate_passes(store: Path) -> None:
    _with_duplicate(store)
    assert run("--papers", str(store), "validate").exit_code == 1
    merged = run("--papers", str(store), "dedupe", "--merge", "--yes")
    assert merged.exit_code == 0, merged.stdout + merged.stderr
    result = run("--papers", str(store), "validate")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_import_bibtex_writes_through_the_transaction(store: Path, tmp_path: Path) -> None:
    bib = tmp_path / "new.bib"
    bib.write_text("@article{lovelace2026folding,\n  title={Folding positions},\n  author={Ada Lovelace},\n  year={2026},\n}\n")
    result = run("--papers", str(store), "import", "bibtex", str(bib), "-c", "memory")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "lovelace2026folding" in {p.key for p in load_store(store).in_category("memory-management")}
    assert run("--papers", str(store), "validate").exit_code == 0  # READMEs refreshed too


def test_a_missing_category_file_does_not_stop_writes(store: Path) -> None:
    (store / "memory-management.yaml").unlink()
    result = run("--papers", str(store), "add", "--title", "T", "--year", "2026", "-c", "kv cache")
    assert result.exit_code == 0, result.stderr
    assert "memory-management.yaml: listed in _sections.yaml but missing" in result.stderr
    # Writing to the missing category makes the file again.
    assert run("--papers", str(store), "add", "--title", "U", "--year", "2026", "-c", "memory").exit_code == 0
    assert [p.title for p in load_store(store).in_category("memory-management")] == ["U"]


def test_an_unknown_category_touched_is_an_error_and_writes_nothing(store: Path) -> None:
    before = files(store)
    with pytest.raises(StoreError, match="no category 'nope' to write"), transaction(store) as tx:
        tx.touch("nope")
    assert files(store) == before


def test_a_store_folder_that_cannot_be_written_changes_nothing(store: Path) -> None:
    before = files(store)
    if subprocess.run(["chattr", "+i", str(store)], capture_output=True, check=False).returncode != 0:
        pytest.skip("chattr +i is not available on this file system")
    try:
        result = run("--papers", str(store), "add", "--title", "T", "--year", "2026", "-c", "memory")
    finally:
        subprocess.run(["chattr", "-i", str(store)], check=True)
    assert result.exit_code == 1
    assert result.stderr == f"lclm: error: {store}: cannot write in the store's folder; nothing was changed\n"
    assert files(store) == before


def test_a_reader_waits_for_a_write_in_progress(store: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from pathlib import Path; from lclm.store.lock import locked\nwith locked(Path({str(store)!r})):\n print('held', flush=True)\n import time; time.sleep(0.8)"],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    started = time.monotonic()
    assert load_store(store).papers
    assert time.monotonic() - started > 0.3  # it waited for the writer to finish
    holder.wait()


@pytest.mark.parametrize("kill_at", [4, 5, 6])
def test_validate_after_an_interrupted_write_finishes_it_first(store: Path, kill_at: int) -> None:
    args = ["add", "--title", "Folding positions", "--year", "2026", "-c", "memory"]
    assert forked(store, *args, kill_at=kill_at) == KILLED_EXIT
    assert (store / JOURNAL).exists()
    result = lclm(store, "validate")
    assert result.returncode == 0, result.stdout  # not the stale README of a half-finished write
    assert not (store / JOURNAL).exists()
    assert result.stderr.startswith(f"lclm: note: {store}: finished a write that was interrupted")
    assert "Folding positions" in (store / "memory-management.yaml").read_text()


def test_reading_store_files_finishes_an_interrupted_write_first(store: Path) -> None:
    from lclm.store.load import read_store_files

    args = ["add", "--title", "Folding positions", "--year", "2026", "-c", "memory"]
    assert forked(store, *args, kill_at=5) == KILLED_EXIT
    path = store / "memory-management.yaml"
    blobs = read_store_files(store, [path])
    assert not (store / JOURNAL).exists() and b"Folding positions" in blobs[path]
    assert notices.take() == [f"{store}: finished a write that was interrupted (2 files put in place)"]


@pytest.mark.parametrize("comment", ["# read these first\n", "", "  # why this one\n"])
def test_a_rewrite_that_would_drop_comments_is_refused_and_writes_nothing(store: Path, tmp_path: Path, comment: str) -> None:
    path = store / "memory-management.yaml"
    text = path.read_text()
    if comment:
        path.write_text(comment + text)
    else:  # an end-of-line comment
        path.write_text(text.replace("\n", "  # why this one\n", 1))
        comment = "  # why this one\n"
    before = files(store)
    with pytest.raises(StoreError, match="has comments"), transaction(store) as tx:
        tx.touch("memory-management")
    assert files(store) == before
    # An import appends: the file keeps its text, comments and all.
    bib = tmp_path / "new.bib"
    bib.write_text("@article{lovelace2026folding,\n  title={Folding positions},\n  author={Ada Lovelace},\n  year={2026},\n}\n")
    result = run("--papers", str(store), "import", "bibtex", str(bib), "-c", "memory")
    assert result.exit_code == 0, result.stderr
    after = path.read_text()
    assert after.startswith(before["memory-management.yaml"].decode().rstrip("\n") + "\n\n- key: lovelace2026folding\n")
    assert comment in after


def test_a_rewrite_that_keeps_the_comments_is_written(store: Path) -> None:
    path = store / "memory-management.yaml"
    path.write_text("# read these first\n" + path.read_text())
    result = run("--papers", str(store), "add", "--title", "Folding positions", "--year", "2026", "-c", "memory")
    assert result.exit_code == 0, result.stderr
    assert path.read_text().startswith("# read these first\n") and "Folding positions" in path.read_text()
