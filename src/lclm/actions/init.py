"""``lclm init``: start a list in a directory, from an existing README or empty.

Makes ``papers/`` (the README's papers through ``import markdown``, or one
empty first category), ``papers/README.md`` with the rendered list between
the lclm markers, ``.pre-commit-config.yaml`` with lclm's hooks, the GitHub
Actions workflow ``.github/workflows/lclm.yml`` and a short
``CONTRIBUTING.md``, from the templates in ``lclm/actions/templates``.

Every target is checked before anything is written: an existing file is
refused (all of them named) unless ``force``, and a README that cannot be
read refuses the whole init.  ``force`` overwrites the generated files but
never drops a paper: an existing store is kept and the README imported into
it, skipping the papers it has.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from lclm import __version__
from lclm.errors import UsageError
from lclm.store.layout import Section, Store

if TYPE_CHECKING:
    from lclm.actions.import_markdown import ImportReport, ReadList

# Where lclm comes from, for the hooks and the workflow's install step (one place to change).
LCLM_REPO = "https://github.com/OWNER/lclm"
LCLM_REV = f"v{__version__}"
LCLM_INSTALL = f"lclm @ git+{LCLM_REPO}@{LCLM_REV}"
STORE = "papers"
FIRST_CATEGORY = "Papers"  # the one category of an empty list
# Generated file -> its template in lclm/actions/templates.
GENERATED = {
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".github/workflows/lclm.yml": "lclm.yml",
    "CONTRIBUTING.md": "CONTRIBUTING.md",
}
README = f"{STORE}/README.md"
_H1_RE = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MARKUP_RE = re.compile(r"<[^>]+>|[*_`]")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass(slots=True)
class InitReport:
    """What ``init`` made, for the command to print."""

    directory: Path
    title: str
    made: list[Path] = field(default_factory=list)  # relative to ``directory``, in writing order
    papers: int = 0
    categories: int = 0
    imported: ImportReport | None = None  # the ``ImportReport`` of ``--from``, or None for an empty list


def title_of(text: str, fallback: str) -> str:
    """The README's first ``# heading`` that is no "Contents" or "News", as plain text (links, badges, emphasis dropped); else ``fallback``."""
    from lclm.sources.markdown import NOT_PAPERS_RE

    for found in _H1_RE.finditer(text):
        plain = " ".join(_MARKUP_RE.sub("", _LINK_RE.sub(r"\1", _IMAGE_RE.sub("", found.group(1)))).split())
        if plain and not NOT_PAPERS_RE.match(plain):  # "# Contents" names no list
            return plain
    return fallback


def render_template(name: str, title: str) -> str:
    """A generated file's text: its template with the list's title and lclm's source filled in."""
    text = files("lclm.actions").joinpath("templates", name).read_text(encoding="utf-8")
    values = {
        "@TITLE@": json.dumps(title, ensure_ascii=False),  # a YAML double-quoted scalar
        "@TITLE_MD@": title,
        "@INSTALL@": json.dumps(LCLM_INSTALL),
        "@INSTALL_MD@": LCLM_INSTALL,
        "@REPO@": LCLM_REPO,
        "@REV@": LCLM_REV,
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def targets(directory: Path) -> list[str]:
    """Every file ``init`` writes besides the store's own, relative to ``directory``."""
    return [README, *GENERATED]


def refuse_existing(directory: Path, force: bool) -> None:
    """Raise ``UsageError`` naming every target that exists (and a store already there), unless ``force``."""
    if force:
        return
    existing = [name for name in targets(directory) if (directory / name).exists()]
    store = directory / STORE
    if store.is_dir() and any(store.glob("*.yaml")):
        existing.insert(0, f"{STORE}/ (a paper store)")
    if existing:
        raise UsageError(f"{directory}: already has {', '.join(existing)}; nothing written (--force overwrites the generated files)")


def init(directory: Path, *, source: Path | None, title: str | None, force: bool = False, partial: bool = False) -> InitReport:
    """Make a list in ``directory``; see the module docstring."""
    from lclm.store.files import read_text

    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory}: is not a directory")
    refuse_existing(directory, force)
    text = read_text(source) if source is not None else ""
    name = title or (title_of(text, "") if source else "") or directory.resolve().name or "Papers"
    rendered = {rel: render_template(template, name) for rel, template in GENERATED.items()}
    report = InitReport(directory, name)
    root = directory / STORE
    if source is not None:
        from lclm.actions.import_markdown import read_list

        report.imported = _import(root, read_list(source, text), partial)
    else:
        _empty(root)
    report.made.append(Path(STORE) / "_sections.yaml")
    store = _write_readme(root, name)
    report.made.append(Path(README))
    report.papers, report.categories = len(store.papers), len(store.categories())
    _write_generated(directory, rendered, report)
    return report


def _import(root: Path, read: ReadList, partial: bool) -> ImportReport:
    """Import a read README into the store at ``root`` (made if need be); the import's report."""
    from lclm.actions.import_markdown import import_list
    from lclm.actions.write import transaction

    with transaction(root, create=True) as tx:
        report = import_list(tx.store, read, None, partial)
        for section in tx.store.categories():
            if section.slug in report.added or not (root / section.file).exists():
                tx.touch(section.slug)
        tx.touch_sections()
    return report


def _empty(root: Path) -> None:
    """A store with one empty category and its first ``_sections.yaml`` (an existing store is kept)."""
    from lclm.actions.write import transaction
    from lclm.text import slugify

    with transaction(root, create=True) as tx:
        if tx.store.categories():
            return
        section = Section(FIRST_CATEGORY, file=f"{slugify(FIRST_CATEGORY)}.yaml")
        tx.store.sections.append(section)
        tx.touch(section.slug)
        tx.touch_sections()


def _write_readme(root: Path, title: str) -> Store:
    """``papers/README.md``: the template's words and the rendered list between the markers."""
    from lclm.formats.markdown import render_list, splice_readme
    from lclm.store.files import write_text
    from lclm.store.load import load_store

    store = load_store(root)
    path = root / "README.md"
    skeleton = render_template("README.md", title)
    write_text(path, splice_readme(path, skeleton, render_list(store)))
    return store


def _write_generated(directory: Path, rendered: dict[str, str], report: InitReport) -> None:
    from lclm.store.files import write_text

    for rel, text in rendered.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, text)
        report.made.append(Path(rel))

