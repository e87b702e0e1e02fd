"""The one way to change a store: lock, load fresh, change, write what changed and what derives from it.

    with transaction(root, derived=readmes) as tx:
        tx.append(slug, [paper])

On leaving the block normally, the touched category files are written in
canonical form (or as the text given to ``touch``), ``_sections.yaml`` after
them, and the files ``derived`` gives for the store as it now is (the
READMEs: ``lclm.actions.write`` hands that step in, so the store knows
nothing of Markdown), all as one change (``lclm.store.journal``): a process
killed at any instant leaves the old store or the new one.  The cache
entries of the written files are updated, so the next command parses
nothing.  If the block raises, nothing is written.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lclm.errors import StoreError
from lclm.model import Paper
from lclm.store.layout import SECTIONS_FILE, Store, category_files

# Test-only: ``LCLM_TEST_KILL_AT=N`` ends the process at the N-th step of a write.
KILL_ENV = "LCLM_TEST_KILL_AT"
KILLED_EXIT = 70

# A post-change step: the other files to write with the store's, as (path, text), for the store as changed.
Derived = Callable[[Store], list[tuple[Path, str]]]


@dataclass(slots=True)
class Transaction:
    """A store loaded under its lock, and what the caller changed in it."""

    root: Path
    store: Store
    derived: Derived | None = None
    texts: dict[str, str | None] = field(default_factory=dict)  # slug -> given text, or None
    sections_touched: bool = False
    side_files: dict[str, str] = field(default_factory=dict)  # the store's other files (``_watch.yaml``) -> text
    written: list[Path] = field(default_factory=list)  # every file written, derived ones included
    readmes: list[Path] = field(default_factory=list)  # the derived files (READMEs) rewritten

    def touch(self, slug: str, text: str | None = None) -> None:
        """Mark category ``slug`` as changed; it is written in canonical form.

        With ``text``, that text is written instead (to keep a file's
        comments when appending), if it reads back as the category's papers
        as they are now, else the canonical form is.  Either way the papers'
        lines are set now, to where the text puts them.
        """
        self.texts[slug] = None if text is None else _checked_text(self, slug, text)

    def append(self, slug: str, papers: list[Paper]) -> None:
        """Add ``papers`` at the end of category ``slug``.

        The file keeps its text byte for byte (comments included) with the
        papers' canonical blocks after it; each paper's ``category`` and
        ``line`` are set.
        """
        from lclm.store.codec import append_text, dump_papers_placed, split_records
        from lclm.store.files import read_text

        path = self.root / self.store.category(slug).file
        given = self.texts.get(slug)
        had = bool(self.store.in_category(slug))
        old = given if given is not None else (read_text(path) if path.exists() and slug not in self.texts else None)
        for paper in papers:
            paper.category = slug
        self.store.papers.extend(papers)
        if old is None:
            self.touch(slug)
            return
        block = dump_papers_placed(papers)  # lines from 1: moved below once the old text is counted
        text = append_text(old, block, had)
        if had and split_records(old) is None:
            self.touch(slug, text)  # an unusual file (a comment at the margin): check it reads back whole
            return
        # The old text reads as the papers it held (the store was loaded from it), and each new
        # block is the canonical dump of its paper, as any rewrite writes: no need to read it all again.
        first = text.count("\n", 0, len(text) - len(block)) + 1
        for paper in papers:
            paper.line += first - 1
        self.texts[slug] = text

    def touch_sections(self) -> None:
        """Mark ``_sections.yaml`` (the section tree) as changed."""
        self.sections_touched = True

    def write_side_file(self, name: str, text: str) -> None:
        """Write ``text`` to the store's file ``name`` (not a category: ``_watch.yaml``) in this change."""
        self.side_files[name] = text


@contextlib.contextmanager
def transaction(
    root: Path, create: bool = False, dry_run: bool = False, derived: Derived | None = None
) -> Iterator[Transaction]:
    """Lock the store at ``root``, load it fresh, and write what the block touched.

    ``derived`` gives the other files to write in the same change (the
    READMEs), from the store as the block left it.

    ``create`` allows a store that does not exist yet (an import into an
    empty directory); the directory is removed again if nothing is written.
    ``dry_run`` locks and loads but writes nothing.
    """
    from lclm.store.journal import recover
    from lclm.store.load import load_or_new, load_store
    from lclm.store.lock import locked

    made = _make_root(root) if create else False
    if not create:
        category_files(root)  # a missing or empty store is one clear error, before locking
    try:
        with locked(root):
            recover(root)
            tx = Transaction(root, load_or_new(root) if create else load_store(root), derived)
            yield tx
            if not dry_run:
                _commit(tx)
    finally:
        if made and not any(root.iterdir()):
            with contextlib.suppress(OSError):
                root.rmdir()


def _make_root(root: Path) -> bool:
    if root.is_dir():
        return False
    try:
        root.mkdir(parents=True)
    except OSError as exc:
        raise StoreError(f"cannot create the paper store ({exc.strerror})", path=root) from None
    return True


def _commit(tx: Transaction) -> None:
    """Write the touched files and the derived ones as one change, then update the caches."""
    from lclm.store.codec import dump_sections
    from lclm.store.load import cache_category, cache_sections

    if not tx.texts and not tx.sections_touched and not tx.side_files:
        return
    store, step = tx.store, _kill_hook()
    files = {c.slug: c.file for c in store.categories()}
    unknown = sorted(set(tx.texts) - set(files))
    if unknown:
        raise StoreError(f"no category {unknown[0]!r} to write", path=tx.root)
    plan = [(tx.root / files[slug], _category_text(tx, slug)) for slug in files if slug in tx.texts]
    if tx.sections_touched:
        plan.append((tx.root / SECTIONS_FILE, dump_sections(store.sections)))
    for path, text in plan:
        _refuse_lost_comments(path, text)
    plan += [(tx.root / name, text) for name, text in tx.side_files.items()]
    readmes = tx.derived(store) if tx.derived is not None else []
    _write_all(tx, plan + readmes, step)
    tx.readmes = [path for path, _ in readmes if path in tx.written]
    texts = dict(plan)  # the store's own files
    for slug in (s for s in files if s in tx.texts):
        blob = texts[tx.root / files[slug]].encode("utf-8")
        cache_category(tx.root, files[slug], blob, store.in_category(slug))
    if tx.sections_touched:
        cache_sections(tx.root, texts[tx.root / SECTIONS_FILE].encode("utf-8"), store.sections)
    step("cached")


def _refuse_lost_comments(path: Path, new: str) -> None:
    """Raise ``StoreError`` if rewriting ``path`` as ``new`` would drop a comment of its text now.

    A comment has no place in the papers' data, so the canonical dump has
    none; rather than lose what the user wrote, nothing is written.
    """
    from lclm.store.files import decode
    from lclm.store.yamlio import comment_lines

    try:
        data = path.read_bytes()
    except OSError:
        return  # a new or missing file: nothing to lose
    if b"#" not in data:
        return
    lost = comment_lines(decode(path, data), keep=new)
    if lost:
        lines = ", ".join(map(str, lost[:3])) + (", ..." if len(lost) > 3 else "")
        raise StoreError(
            f"has comments (line {lines}) that rewriting would lose; move them into a note or delete them", path=path
        )


def _checked_text(tx: Transaction, slug: str, text: str) -> str:
    """``text`` if it reads back as the category's papers, else their canonical text; sets their lines."""
    from lclm.store.codec import dump_papers_placed, read_papers
    from lclm.store.load import paused_gc

    papers = tx.store.in_category(slug)
    path = tx.root / tx.store.category(slug).file
    with contextlib.suppress(StoreError), paused_gc():
        again = read_papers(path, slug, text)
        if [p.to_dict() for p in again] == [p.to_dict() for p in papers]:
            for paper, read in zip(papers, again, strict=True):
                paper.line = read.line
            return text
    return dump_papers_placed(papers)


def _category_text(tx: Transaction, slug: str) -> str:
    """The text to write for a touched category; sets its papers' lines to match."""
    from lclm.store.codec import dump_papers_placed

    text = tx.texts[slug]
    return text if text is not None else dump_papers_placed(tx.store.in_category(slug))


def _write_all(tx: Transaction, plan: list[tuple[Path, str]], step: Callable[[str], None]) -> None:
    """Stage every file, then put them all in place through the journal.

    A file that cannot be staged beside itself (a README that is a FIFO,
    one in a folder lclm may not write in) is written in place once the
    rest is in; if the store's own folder cannot be written, nothing is.
    """
    from lclm.store.files import output_target, stage, write_text
    from lclm.store.journal import commit

    staged: list[tuple[Path, Path]] = []
    later: list[tuple[Path, str]] = []
    written: list[Path] = []
    try:
        for path, text in plan:
            target, data = output_target(path), text.encode("utf-8")
            if target is not None and _holds(target, data):
                continue  # already so: leave the file (and its mtime) alone
            tmp = None if target is None else stage(target, data, in_place=False)
            if tmp is None or target is None:
                later.append((path, text))
            else:
                staged.append((tmp, target))
                step(f"staged {path.name}")
            written.append(path)
        commit(tx.root, staged, step)
    except BaseException as exc:
        from lclm.store.journal import journal_path

        if not journal_path(tx.root).exists():  # else the next lclm finishes the write from them
            for tmp, _ in staged:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        if isinstance(exc, OSError):
            outcome = "the next lclm command finishes it" if journal_path(tx.root).exists() else "nothing was changed"
            raise StoreError(f"cannot write the store ({exc.strerror}); {outcome}", path=tx.root) from None
        raise
    for path, text in later:
        write_text(path, text)
    tx.written = written


def _holds(target: Path, data: bytes) -> bool:
    """Whether the file already has exactly these bytes."""
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def _kill_hook() -> Callable[[str], None]:
    """The test-only step hook: exit at step ``$LCLM_TEST_KILL_AT`` as if killed."""
    raw = os.environ.get(KILL_ENV, "")
    if not raw.isdigit():
        return lambda _name: None
    at, counter = int(raw), itertools.count(1)

    def step(_name: str) -> None:
        if next(counter) == at:
            os._exit(KILLED_EXIT)

    return step


def save_store(store: Store) -> list[Path]:
    """Write a whole store (every category file and the sections) in canonical form.

    For tools that build a store from scratch (benches, test fixtures): it
    goes through a transaction like every other write.
    """
    with transaction(store.root, create=True) as tx:
        tx.store.sections, tx.store.papers = store.sections, store.papers
        for category in store.categories():
            tx.touch(category.slug)
        tx.touch_sections()
    return tx.written
