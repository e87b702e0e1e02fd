"""Safe output files (``lclm.store.files.write_text``): every kind of target, every way a write fails."""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run
from lclm.errors import InputError
from lclm.store.files import TEMP_SUFFIX, write_text


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def test_a_regular_file_is_replaced_whole_keeping_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.bib"
    path.write_text("old\n")
    path.chmod(0o640)
    write_text(path, "new\n")
    assert path.read_text() == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_text(tmp_path / "new.bib", "x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.bib").stat().st_mode) == 0o640


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real" / "refs.bib"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "link.bib"
    link.symlink_to(Path("real") / "refs.bib")  # relative, as people make them
    write_text(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == "real/refs.bib"
    assert real.read_text() == "new\n"
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.bib"
    link.symlink_to(tmp_path / "later.bib")
    write_text(link, "x\n")
    assert link.is_symlink() and (tmp_path / "later.bib").read_text() == "x\n"


def test_dev_null_stays_a_device() -> None:
    write_text(Path("/dev/null"), "anything\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_to_dev_null_and_to_a_symlink(store: Path, tmp_path: Path) -> None:
    assert run("--papers", str(store), "export", "bibtex", "-o", "/dev/null").exit_code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    real = tmp_path / "refs.bib"
    real.write_text("stale\n")
    link = tmp_path / "link.bib"
    link.symlink_to(real)
    assert run("--papers", str(store), "export", "bibtex", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and real.read_text().startswith("@")


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_text(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert leftovers(tmp_path) == []


def test_dev_stdout_is_written_through(capfd: pytest.CaptureFixture[str]) -> None:
    write_text(Path("/dev/stdout"), "to stdout\n")
    assert capfd.readouterr().out == "to stdout\n"


def test_a_directory_or_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=f"^{tmp_path}: cannot write: it is a directory$"):
        write_text(tmp_path, "x")
    with pytest.raises(InputError, match=f"^{tmp_path}/no/x.bib: cannot write: directory {tmp_path}/no does not exist$"):
        write_text(tmp_path / "no" / "x.bib", "x")


def _run_ok(*cmd: str) -> bool:
    return subprocess.run(cmd, capture_output=True, check=False).returncode == 0


@pytest.fixture
def bind_mounted(tmp_path: Path) -> Iterator[Path]:
    """A file with another file bind-mounted over it: renaming onto it fails (EBUSY)."""
    source, target = tmp_path / "source.bib", tmp_path / "mounted.bib"
    source.write_text("old\n")
    target.write_text("")
    if not _run_ok("mount", "--bind", str(source), str(target)):
        pytest.skip("cannot bind-mount here (needs root and mount rights)")
    try:
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=True)


def test_a_bind_mounted_file_is_written_in_place(bind_mounted: Path, tmp_path: Path) -> None:
    write_text(bind_mounted, "new\n")
    assert bind_mounted.read_text() == "new\n"
    assert (tmp_path / "source.bib").read_text() == "new\n"  # still the mounted file, not a copy
    assert leftovers(tmp_path) == []


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """``chattr +i`` on paths (even root cannot then create entries in a directory, or change a file)."""
    done: list[Path] = []
    yield done
    for path in done:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def _freeze(immutable: list[Path], path: Path) -> None:
    if not _run_ok("chattr", "+i", str(path)):
        pytest.skip("chattr +i is not available on this file system")
    immutable.append(path)


def test_a_file_in_a_directory_that_cannot_be_written_is_written_in_place(
    tmp_path: Path, immutable: list[Path]
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "refs.bib"
    path.write_text("old, and longer than the new text\n")
    _freeze(immutable, folder)
    write_text(path, "new\n")
    assert path.read_text() == "new\n"


def test_a_file_that_cannot_be_written_at_all_is_one_line_and_left_alone(
    tmp_path: Path, immutable: list[Path]
) -> None:
    path = tmp_path / "refs.bib"
    path.write_text("old\n")
    _freeze(immutable, path)
    with pytest.raises(InputError, match=f"^{path}: cannot write: Operation not permitted$"):
        write_text(path, "new\n")
    assert path.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_dev_stdout_redirected_to_a_file_is_appended_to_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    code = "from pathlib import Path; from lclm.store.files import write_text; write_text(Path('/dev/stdout'), 'second\\n')"
    import sys

    subprocess.run(["sh", "-c", f"{{ echo first; '{sys.executable}' -c \"{code}\"; echo third; }} > '{out}'"], check=True)
    assert out.read_text() == "first\nsecond\nthird\n"
