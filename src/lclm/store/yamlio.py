"""All YAML goes through here: one safe loader (C when present), no aliases, one dump.

PyYAML is imported on first use, so a command served from the cache never
pays for it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lclm.errors import YamlSyntaxError

# An anchor ("&name") can only start a node; "R&D" or "Q & A" in text is not one.
_ANCHOR_RE = re.compile(r"(?:^|[\s,\[{])&[^\s]", re.MULTILINE)


def yaml_module() -> Any:
    """PyYAML, imported lazily."""
    import yaml

    return yaml


def loader_class() -> Any:
    """The safe loader: libyaml's when PyYAML was built with it."""
    yaml = yaml_module()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(path: Path, text: str) -> Any:
    """The YAML node tree of ``text``; syntax errors become ``path:line:col``.

    Aliases are refused: paper data never needs them, and refusing them is
    what keeps an alias bomb from expanding.
    """
    yaml = yaml_module()
    loader_cls = loader_class()
    try:
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlSyntaxError(f"YAML syntax: {exc.problem or exc.context}", path=path, line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML error: {exc}", path=path) from None
    if "&" in text and _ANCHOR_RE.search(text):
        _refuse_aliases(path, text, loader_cls)
    return node


def _refuse_aliases(path: Path, text: str, loader_cls: Any) -> None:
    yaml = yaml_module()
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise YamlSyntaxError(
                f"YAML aliases (*{event.anchor}) are not allowed in a paper store",
                path=path, line=mark.line + 1, column=mark.column + 1,
            )


def construct(node: Any) -> Any:
    """The Python value of a node tree (safe types only)."""
    constructor = yaml_module().constructor.SafeConstructor()
    return constructor.construct_document(node)


def dump_yaml(data: Any) -> str:
    """The canonical YAML text of ``data``: block style, keys in the given order, no wrapping."""
    yaml = yaml_module()
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
