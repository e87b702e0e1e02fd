"""The package has no import cycles and every import runs down the layers.

Imports inside functions count too (they hide an edge from Python, not from
the design).  The layers, top to bottom (ARCHITECTURE.md):

    cli > actions > (checks, search, formats, duplicates, stats, review, watch) > (sources, store) > top-level modules

A module may import its own layer or any layer below it, never one above.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "lclm"


def imports() -> dict[str, set[str]]:
    """Each module of lclm and the lclm modules it imports anywhere in its text (a copy: callers may change it)."""
    return {name: set(targets) for name, targets in _imports().items()}


@functools.cache
def _imports() -> dict[str, set[str]]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.update(t for t in [node.module, *(f"{node.module}.{a.name}" for a in node.names)] if t in names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name in names)
        graph[name] = found - {name, "lclm"}
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the modules along it, or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        state[module] = 2
        path.pop()
        return []

    for module in sorted(graph):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return []


def test_no_import_cycles() -> None:
    graph = imports()
    assert "lclm.checks.validate" in graph and "lclm.duplicates.identity" in graph["lclm.checks.validate"]
    assert cycle(graph) == []


def test_a_cycle_is_found() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


# Package (the name after ``lclm.``) -> its layer; a top-level module not listed is layer 1.
LAYERS = {
    "__main__": 5, "cli": 5,
    "actions": 4,
    "checks": 3, "search": 3, "formats": 3, "duplicates": 3, "stats": 3, "review": 3, "watch": 3,
    "sources": 2, "store": 2,
}


def layer(module: str) -> int:
    """The layer of an lclm module (``lclm.store.files`` -> 2)."""
    parts = module.split(".")
    return LAYERS.get(parts[1], 1) if len(parts) > 1 else 1


def upward(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Every import that runs up the layers: (importer, imported)."""
    return sorted((a, b) for a, targets in graph.items() for b in targets if layer(b) > layer(a))


def test_every_import_runs_down_the_layers() -> None:
    assert upward(imports()) == []


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages <= set(LAYERS)


def test_an_upward_import_is_found() -> None:
    graph = {"lclm.venues": {"lclm.store.layout"}, "lclm.cli.stats": {"lclm.stats"}, "lclm.store.files": {"lclm.ids"}}
    assert upward(graph) == [("lclm.venues", "lclm.store.layout")]


def test_reading_a_bib_file_does_not_load_the_writer() -> None:
    # The LaTeX tables live in lclm.latex, which the reader and the writer both import.
    graph = imports()
    reached, todo = set(), ["lclm.sources.bibtex"]
    while todo:
        module = todo.pop()
        if module not in reached:
            reached.add(module)
            todo += graph.get(module, set())
    assert "lclm.latex" in reached and "lclm.formats.bibtex" not in reached
