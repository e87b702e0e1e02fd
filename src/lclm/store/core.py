"""The one module that reads and writes ``papers/``.

Layout: ``papers/_sections.yaml`` holds the section tree (names, translations,
order, and which file each category's papers live in); every category file is
a YAML list of paper mappings in the curator's order.

Loading is safe-only, uses PyYAML's C parser when present, and is cached as
JSON in the user's cache directory, keyed by a hash of the files' bytes, so a
read-only command on an unchanged store parses no YAML.  Saving goes through
one canonical dump and an atomic rename.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from lclm.errors import InputError, StoreError, UsageError, YamlSyntaxError
from lclm.model import FIELD_TYPES, REQUIRED, Paper

SECTIONS_FILE = "_sections.yaml"
CACHE_VERSION = 2
PAPER_SLOTS = [f.name for f in fields(Paper)]


@dataclass(slots=True)
class Section:
    """A heading of the list: a category (it has a ``file``), a group, or both."""

    name: str
    file: str = ""
    translations: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)

    @property
    def slug(self) -> str:
        """The category's file name without ``.yaml``."""
        return self.file.removesuffix(".yaml")

    def title(self, lang: str = "en") -> str:
        """The heading in ``lang``, falling back to English."""
        return self.translations.get(lang, self.name) if lang != "en" else self.name

    def walk(self, depth: int = 0) -> Iterator[tuple[int, Section]]:
        """This section and every section below it, with its depth."""
        yield depth, self
        for child in self.sections:
            yield from child.walk(depth + 1)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.file:
            out["file"] = self.file
        if self.translations:
            out["translations"] = dict(self.translations)
        if self.sections:
            out["sections"] = [s.to_dict() for s in self.sections]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        return cls(
            name=data["name"],
            file=data.get("file", ""),
            translations=dict(data.get("translations") or {}),
            sections=[cls.from_dict(s) for s in data.get("sections") or []],
        )


@dataclass(slots=True)
class Store:
    """The whole list: its section tree and its papers in store order."""

    root: Path
    sections: list[Section]
    papers: list[Paper]

    def categories(self) -> list[Section]:
        """Every section that holds papers, in list order."""
        return [s for top in self.sections for _, s in top.walk() if s.file]

    def category(self, slug: str) -> Section:
        """The category whose file is ``slug``.yaml."""
        for section in self.categories():
            if section.slug == slug:
                return section
        raise StoreError(f"{self.root}: no category {slug!r}")

    def in_category(self, slug: str) -> list[Paper]:
        """The papers of one category, in the curator's order."""
        return [p for p in self.papers if p.category == slug]

    def path_of(self, paper: Paper) -> Path:
        """The file a paper lives in."""
        return self.root / f"{paper.category}.yaml"

    def find_category(self, query: str) -> Section:
        """The category a user means: by slug or name, any case, forgiving typos.

        ``kv cache`` finds "KV Cache Optimization".  An unknown or ambiguous
        name raises a ``UsageError`` that lists the categories.
        """
        from rapidfuzz import fuzz, process

        from lclm.text import fold

        cats = self.categories()
        wanted = fold(query.strip())
        for cat in cats:
            if wanted in (cat.slug, fold(cat.name), *map(fold, cat.translations.values())):
                return cat
        # Every word the start of a word of one category's name: "kv", "mllm", "pre training".
        words = re.findall(r"\w+", wanted)
        by_words = [c for c in cats if _starts_words(words, re.findall(r"\w+", fold(c.name)))]
        if len(by_words) == 1:
            return by_words[0]
        if len(by_words) > 1:
            names = ", ".join(f"{c.slug} ({c.name})" for c in by_words)
            raise UsageError(f"category {query!r} is ambiguous: it could be {names}")
        choices = {i: fold(f"{c.name} {c.slug}") for i, c in enumerate(cats)}
        scored = process.extract(wanted, choices, scorer=fuzz.WRatio, limit=2, score_cutoff=80)
        if scored and (len(scored) == 1 or scored[0][1] - scored[1][1] >= 5):
            return cats[scored[0][2]]
        known = "; ".join(f"{c.slug} ({c.name})" for c in cats)
        raise UsageError(f"unknown category {query!r}; known categories: {known}")


def _starts_words(words: list[str], name_words: list[str]) -> bool:
    return bool(words) and all(any(n.startswith(w) for n in name_words) for w in words)


# ---------------------------------------------------------------- finding it


def resolve_root(option: str | None = None) -> Path:
    """The store directory: ``--papers``, else ``$LCLM_PAPERS``, else ``./papers``."""
    return Path(option or os.environ.get("LCLM_PAPERS") or "papers")


def category_files(root: Path) -> list[Path]:
    """The YAML files of a store, sorted, the sections file included."""
    if not root.is_dir():
        what = "is not a directory" if root.exists() else "does not exist"
        raise StoreError(
            f"{root}: paper store {what} (use --papers DIR or set LCLM_PAPERS)"
        )
    files = sorted(root.glob("*.yaml"))
    if not files:
        raise StoreError(f"{root}: paper store is empty (no *.yaml files)")
    return files


# ---------------------------------------------------------------- YAML


def _yaml() -> Any:
    import yaml

    return yaml


def read_text(path: Path) -> str:
    """A file's text, with one-line errors for the usual ways it fails."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise StoreError(f"{path}: is a directory, not a file") from None
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None
    return decode(path, data)


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text of ``data`` (a leading byte-order mark is dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise StoreError(
            f"{path}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def compose(path: Path, text: str) -> Any:
    """The YAML node tree of ``text``; syntax errors become ``path:line:col``.

    Aliases are refused: paper data never needs them, and refusing them is
    what keeps an alias bomb from expanding.
    """
    yaml = _yaml()
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise YamlSyntaxError(f"{where}: YAML syntax: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"{path}: YAML error: {exc}") from None
    if "&" in text and _ANCHOR_RE.search(text):
        _refuse_aliases(path, text, loader_cls)
    return node


# An anchor ("&name") can only start a node; "R&D" or "Q & A" in text is not one.
_ANCHOR_RE = re.compile(r"(?:^|[\s,\[{])&[^\s]", re.MULTILINE)


def _refuse_aliases(path: Path, text: str, loader_cls: Any) -> None:
    yaml = _yaml()
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise YamlSyntaxError(
                f"{path}:{mark.line + 1}:{mark.column + 1}: YAML aliases (*{event.anchor}) are not allowed in a paper store"
            )


def construct(node: Any) -> Any:
    """The Python value of a node tree (safe types only)."""
    yaml = _yaml()
    constructor = yaml.constructor.SafeConstructor()
    return constructor.construct_document(node)


@dataclass(slots=True)
class RawRecord:
    """One paper mapping as written, with the line of the record and of each field."""

    data: dict[str, Any]
    line: int
    field_lines: dict[str, int]


def parse_category(path: Path, text: str) -> list[RawRecord | tuple[int, Any]]:
    """The records of a category file, in file order.

    Each item is a ``RawRecord``, or ``(line, value)`` for an item that is not
    a mapping.  Raises ``StoreError`` for syntax errors and a top level that
    is not a list.
    """
    yaml = _yaml()
    root = compose(path, text)
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise StoreError(
            f"{path}:{root.start_mark.line + 1}: top level must be a list of papers (- key: ...)"
        )
    items: list[RawRecord | tuple[int, Any]] = []
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            items.append((line, construct(node)))
            continue
        field_lines: dict[str, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                field_lines.setdefault(key_node.value, key_node.start_mark.line + 1)
        try:
            data = construct(node)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            where = f"{path}:{mark.line + 1}" if mark else f"{path}:{line}"
            raise YamlSyntaxError(f"{where}: {exc.problem}") from None
        items.append(RawRecord(data, line, field_lines))
    return items


def type_problem(name: str, value: Any) -> str | None:
    """Why ``value`` cannot be field ``name``, or None when it can."""
    expected = FIELD_TYPES.get(name)
    if expected is None:
        return None
    if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        return f"must be a whole number, not {value!r:.40}"
    if expected is not int and not isinstance(value, expected):
        kind = "a list" if expected is list else "text"
        return f"must be {kind}, not {type(value).__name__} {value!r:.40}"
    if expected is list and not all(isinstance(v, str) for v in value):
        return "every item must be text"
    return None


def to_paper(path: Path, slug: str, item: RawRecord | tuple[int, Any]) -> Paper:
    """A ``Paper`` from a parsed record, or a one-line ``StoreError``."""
    if not isinstance(item, RawRecord):
        line, value = item
        raise StoreError(f"{path}:{line}: a paper must be a mapping (key: value), not {value!r:.40}")
    data, key = item.data, item.data.get("key", "?")
    for name in REQUIRED:
        if name not in data:
            raise StoreError(f"{path}:{item.line}: {key}: {name}: required field is missing")
    for name, value in data.items():
        problem = type_problem(name, value)
        if problem:
            raise StoreError(f"{path}:{item.field_lines.get(name, item.line)}: {key}: {name}: {problem}")
    return Paper.from_dict(data, category=slug, line=item.line)


def load_sections(path: Path, text: str) -> list[Section]:
    """The section tree of ``_sections.yaml``."""
    node = compose(path, text)
    data = construct(node) if node is not None else None
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise StoreError(f"{path}:1: must be a mapping with a 'sections:' list")
    for section in data["sections"]:
        problem = _section_shape(section)
        if problem:
            raise StoreError(f"{path}: {problem}")
    return [Section.from_dict(s) for s in data["sections"]]


def _section_shape(data: Any) -> str | None:
    """Why a section mapping (or one below it) cannot be read, or None."""
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return "every section needs a 'name' and either 'file' or 'sections'"
    translations = data.get("translations") or {}
    if not isinstance(translations, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in translations.items()
    ):
        return "every 'translations' must map a language to text"
    children = data.get("sections") or []
    if not isinstance(data.get("file", ""), str) or not isinstance(children, list):
        return "'file' must be a file name and 'sections' a list"
    return next((p for p in map(_section_shape, children) if p), None)


# ---------------------------------------------------------------- loading


def load_store(root: Path, use_cache: bool = True) -> Store:
    """Load the whole store, from the JSON cache when the files are unchanged."""
    blobs = read_blobs(category_files(root))
    digest = store_digest(blobs)
    cache = cache_path(root)
    if use_cache:
        cached = _read_cache(cache, digest)
        if cached is not None:
            with contextlib.suppress(TypeError, KeyError, ValueError):  # damaged: parse again
                return _from_cache(root, cached)
    store = _parse_store(root, blobs)
    if use_cache:
        _write_cache(cache, digest, store)
    return store


def load_or_new(root: Path) -> Store:
    """The store at ``root``, or a new empty one when it has no YAML files yet."""
    if not root.exists() or (root.is_dir() and not any(root.glob("*.yaml"))):
        return Store(root, [], [])
    return load_store(root)


def _parse_store(root: Path, blobs: dict[Path, bytes]) -> Store:
    sections_path = root / SECTIONS_FILE
    if sections_path not in blobs:
        raise StoreError(f"{sections_path}: missing (it lists the categories and their order)")
    sections = load_sections(sections_path, decode(sections_path, blobs[sections_path]))
    store = Store(root, sections, [])
    for category in store.categories():
        path = root / category.file
        if path not in blobs:
            raise StoreError(f"{path}: listed in {SECTIONS_FILE} but missing")
        for item in parse_category(path, decode(path, blobs[path])):
            store.papers.append(to_paper(path, category.slug, item))
    return store


def read_blobs(files: list[Path]) -> dict[Path, bytes]:
    """The bytes of each file, with a one-line error for one that cannot be read."""
    blobs = {}
    for path in files:
        try:
            blobs[path] = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{path}: cannot read ({exc.strerror})") from None
    return blobs


def store_digest(blobs: dict[Path, bytes]) -> str:
    """A hash of the store's files (names and bytes): what its caches are keyed by."""
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    for path, data in blobs.items():
        h.update(path.name.encode() + b"\0" + len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/lclm``, by default ``~/.cache/lclm``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lclm"


def cache_path(root: Path) -> Path:
    """The store's JSON cache file, named by a hash of the store's absolute path."""
    import hashlib

    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir() / f"store-{name}.json"


def _read_cache(path: Path, digest: str) -> dict[str, Any] | None:
    import json

    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    ok = isinstance(data, dict) and data.get("version") == CACHE_VERSION
    return data if ok and data.get("digest") == digest else None


def _from_cache(root: Path, data: dict[str, Any]) -> Store:
    sections = [Section.from_dict(s) for s in data["sections"]]
    papers = [Paper(*row) for row in data["papers"]]
    return Store(root, sections, papers)


def _write_cache(path: Path, digest: str, store: Store) -> None:
    import json

    # Rows in the dataclass's field order: the cheapest form to read back.
    papers = [[getattr(p, name) for name in PAPER_SLOTS] for p in store.papers]
    payload = {
        "version": CACHE_VERSION,
        "digest": digest,
        "sections": [s.to_dict() for s in store.sections],
        "papers": papers,
    }
    # A cache that cannot be written only costs speed next time.
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))


# ---------------------------------------------------------------- saving


def dump_papers(papers: list[Paper]) -> str:
    """The canonical text of a category file: one block per paper, blank line between."""
    return "\n".join(_dump([p.to_dict()]) for p in papers)


def dump_sections(sections: list[Section]) -> str:
    """The canonical text of ``_sections.yaml``."""
    header = (
        "# The list's sections in order. A section with 'file' is a category whose\n"
        "# papers live in that file; 'sections' nests headings; 'translations' gives\n"
        "# the heading in other languages (lclm export markdown --lang zh).\n"
    )
    return header + _dump({"sections": [s.to_dict() for s in sections]})


def _dump(data: Any) -> str:
    yaml = _yaml()
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(
        data,
        Dumper=dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1 << 30,
        indent=2,
    )
    return text


def save_store(store: Store) -> None:
    """Write every file of the store in canonical form (atomically, one by one)."""
    store.root.mkdir(parents=True, exist_ok=True)
    write_atomic(store.root / SECTIONS_FILE, dump_sections(store.sections))
    for category in store.categories():
        save_category(store, category.slug)


def save_category(store: Store, slug: str) -> None:
    """Rewrite one category file from the store's papers."""
    write_atomic(store.root / f"{slug}.yaml", dump_papers(store.in_category(slug)))


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename, never half a file."""
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except FileNotFoundError:
        raise InputError(f"{path}: cannot write: directory {path.parent} does not exist") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, IsADirectoryError):
            raise InputError(f"{path}: cannot write: it is a directory") from None
        raise


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on the store for a read-modify-write."""
    import fcntl

    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
