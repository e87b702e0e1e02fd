"""Reading text and writing output files without ever damaging them.

``write_text`` is the one way lclm writes a file: store files, READMEs and
every ``-o``.  Onto a regular file (or a new one) it writes a temporary file
beside it and renames it over, keeping the file's mode, so a reader never sees
half a file; a symlink is followed and its target replaced, the link kept;
anything that is not a regular file (``/dev/null``, a FIFO, ``/dev/stdout``)
is written through, never replaced.  When the rename cannot be done (a
bind-mounted file, a directory lclm cannot write in), the file is written in
place instead; when that fails too, the error is one ``InputError`` line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from pathlib import Path

from lclm.errors import InputError, StoreError

TEMP_SUFFIX = ".lclm-tmp"
# Failures of the temporary file or the rename that writing in place can get round.
_IN_PLACE_ERRNOS = frozenset({errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES, errno.EROFS})


def read_text(path: Path) -> str:
    """A file's text, with one-line errors for the usual ways it fails."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise StoreError("is a directory, not a file", path=path) from None
    except FileNotFoundError:
        raise StoreError("no such file", path=path) from None
    except OSError as exc:
        raise StoreError(f"cannot read ({exc.strerror})", path=path) from None
    return decode(path, data)


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text of ``data`` (a leading byte-order mark is dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise StoreError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", path=path, line=line
        ) from None


def read_blobs(files: list[Path]) -> dict[Path, bytes]:
    """The bytes of each file, with a one-line error for one that cannot be read."""
    blobs = {}
    for path in files:
        try:
            blobs[path] = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"cannot read ({exc.strerror})", path=path) from None
    return blobs


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` safely; see the module's docstring."""
    data = text.encode("utf-8")
    target = output_target(path)
    if target is None:
        _write_through(path, data)
        return
    tmp = stage(target, data)
    assert tmp is not None  # in_place allowed
    try:
        commit_staged(tmp, target)
    except BaseException:
        if tmp != target:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


def output_target(path: Path) -> Path | None:
    """The regular file a write to ``path`` should replace, or None to write through.

    A symlink gives its final target; a device, a FIFO, or a name for an
    open file descriptor (``/dev/stdout``, ``/dev/fd/3``, even when the
    shell pointed it at a regular file) gives None; a directory is an
    ``InputError``.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=path) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InputError("cannot write: it is a directory", path=path)
    if info is not None and (not stat.S_ISREG(info.st_mode) or _names_a_descriptor(path)):
        return None
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def stage(
    target: Path, data: bytes, mode: int | None = None, in_place: bool = True, sync: bool = True
) -> Path | None:
    """A complete, synced temporary copy of ``data`` beside ``target``, to rename over it.

    It gets ``mode``, else the target's mode, else the one a new file gets.
    ``sync=False`` skips the wait for the disk (for a cache, which checks
    itself when read).

    Where no temporary file can be made (a directory lclm may not write
    in) but the target exists, the target itself is written in place and
    returned; with ``in_place=False`` it is left alone and None returned.
    """
    try:
        fd, name = _make_temp(target)
    except OSError as exc:
        if exc.errno in _IN_PLACE_ERRNOS and target.exists():
            if not in_place:
                return None
            write_in_place(target, data)
            return target
        if isinstance(exc, FileNotFoundError):
            raise InputError(f"cannot write: directory {target.parent} does not exist", path=target) from None
        raise InputError(f"cannot write: {exc.strerror}", path=target) from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        _copy_owner_and_mode(tmp, target, mode if mode is not None else _mode_of(target))
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # a full disk, a quota
            raise InputError(f"cannot write: {exc.strerror}", path=target) from None
        raise
    return tmp


def _make_temp(target: Path) -> tuple[int, str]:
    """A new private file ``.NAME.RANDOM.lclm-tmp`` beside ``target``, opened for writing.

    What ``tempfile.mkstemp`` does, without the modules it imports (shutil,
    random, bz2, lzma: 3 ms of a 45 ms command).
    """
    for _ in range(100):
        name = os.path.join(target.parent, f".{target.name}.{os.urandom(6).hex()}{TEMP_SUFFIX}")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))


def commit_staged(tmp: Path, target: Path) -> None:
    """Rename a staged file over ``target``; write in place if the rename cannot be done."""
    if tmp == target:
        return  # ``stage`` already wrote it in place
    try:
        os.replace(tmp, target)
        return
    except OSError as exc:
        if exc.errno not in _IN_PLACE_ERRNOS or not target.exists():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise InputError(f"cannot write: {exc.strerror}", path=target) from None
    try:
        data = tmp.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=target) from None
    write_in_place(target, data)
    os.unlink(tmp)


def write_in_place(target: Path, data: bytes) -> None:
    """Overwrite an existing file's bytes without replacing the file (not atomic)."""
    try:
        with open(target, "r+b") as handle:
            handle.write(data)
            handle.truncate()
            handle.flush()
            with contextlib.suppress(OSError):
                os.fsync(handle.fileno())
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=target) from None


def _names_a_descriptor(path: Path) -> bool:
    """Whether ``path`` is, or links to, a file under ``/dev`` or ``/proc`` (``/dev/stdout``)."""
    name = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on a chain of links
        if name.startswith(("/dev/", "/proc/")):
            return True
        if not os.path.islink(name):
            return False
        name = os.path.normpath(os.path.join(os.path.dirname(name), os.readlink(name)))
    return False


def _write_through(path: Path, data: bytes) -> None:
    """Write into a device, FIFO or open descriptor as a shell redirection would.

    ``/dev/stdout``, ``/dev/fd/N`` and the like are written through the
    descriptor itself, at its offset, so a file the shell opened keeps
    what came before.
    """
    fd = _descriptor(path)
    try:
        if fd is None:
            fd = os.open(path, os.O_WRONLY)
            try:
                _write_all(fd, data)
            finally:
                os.close(fd)
        else:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            _write_all(fd, data)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=path) from None


_FD_NAME_RE = re.compile(r"/dev/(?:std(in|out|err)|fd/(\d+))|/proc/self/fd/(\d+)")
_STD_FDS = {"in": 0, "out": 1, "err": 2}


def _descriptor(path: Path) -> int | None:
    """The file descriptor ``path`` names (``/dev/stdout``: 1), or None."""
    match = _FD_NAME_RE.fullmatch(os.path.abspath(path))
    if match is None:
        return None
    return _STD_FDS[match[1]] if match[1] else int(match[2] or match[3])


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _mode_of(target: Path) -> int | None:
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        return None


def _copy_owner_and_mode(tmp: Path, target: Path, mode: int | None) -> None:
    """Give the staged file the target's mode and owner (a new file: the umask's mode)."""
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        info = os.stat(target)
        if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            os.chown(tmp, info.st_uid, info.st_gid)
    os.chmod(tmp, mode)

