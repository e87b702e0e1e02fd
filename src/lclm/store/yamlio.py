"""All YAML goes through here: one safe loader (C when present), no aliases, one dump.

PyYAML is imported on first use, so a command served from the cache never
pays for it.
"""

from __future__ import annotations

import functools
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


@functools.cache
def loader_class() -> Any:
    """The safe loader: libyaml's when PyYAML was built with it (with ``quick_resolve``)."""
    yaml = yaml_module()
    return quick_resolve(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


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


def construct(node: Any, path: Path | None = None) -> Any:
    """The Python value of a node tree (safe types only).

    A value the safe types cannot give (a custom tag such as ``!foo``, a
    bad ``!!binary``) becomes a ``YamlSyntaxError`` at ``path:line:col``.
    A tree of text, plain decimal numbers, lists and mappings with text keys
    (every paper record) is built directly (``_plain_value``), the same value
    PyYAML's constructor gives at a third of its cost; anything else goes
    through that constructor.
    """
    yaml = yaml_module()
    try:
        return _plain_value(node, yaml.ScalarNode)
    except (_NotPlain, RecursionError):
        pass
    try:
        return yaml.constructor.SafeConstructor().construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlSyntaxError(str(exc.problem or exc.context), path=path, line=line, column=column) from None


class _NotPlain(Exception):
    """A node ``_plain_value`` leaves to PyYAML's constructor."""


_TAG = "tag:yaml.org,2002:"
_STR, _INT, _SEQ, _MAP = _TAG + "str", _TAG + "int", _TAG + "seq", _TAG + "map"


def _plain_value(node: Any, scalar: Any) -> Any:
    """What ``SafeConstructor`` makes of a tree of text, decimal ints, lists and text-keyed mappings.

    Raises ``_NotPlain`` for any other node: another tag (a date, a float,
    null, ``<<`` merge keys), an int written otherwise than in plain decimal
    (``0o17``, ``1_000``, ``+5``, a leading zero, which YAML 1.1 reads as octal).
    """
    tag = node.tag
    if tag == _STR and type(node) is scalar:
        return node.value
    if tag == _MAP:
        out = {}
        for key, value in node.value:
            if key.tag != _STR or type(key) is not scalar:
                raise _NotPlain
            out[key.value] = _plain_value(value, scalar)  # a key given twice: the last one counts, as in PyYAML
        return out
    if tag == _SEQ:
        return [_plain_value(item, scalar) for item in node.value]
    if tag == _INT and type(node) is scalar:
        text = node.value
        if text.isascii() and text.isdigit() and (text == "0" or text[0] != "0"):
            return int(text)
    raise _NotPlain


def comment_lines(text: str, keep: str = "") -> list[int]:
    """Lines of ``text`` holding a YAML comment that ``keep`` does not also hold."""
    kept = {comment for _, comment in _comments(keep)}
    return [line for line, comment in _comments(text) if comment not in kept]


def _comments(text: str) -> list[tuple[int, str]]:
    """``(line, comment)`` for each YAML comment of ``text``.

    Found from the scanner's tokens: whatever lies between tokens is blank
    space or a comment, so a ``#`` there starts one.
    """
    if "#" not in text:
        return []
    yaml = yaml_module()
    found: list[tuple[int, str]] = []
    position = 0
    try:
        for token in yaml.scan(text, Loader=loader_class()):
            _gap_comments(text, position, token.start_mark.index, found)
            position = max(position, token.end_mark.index)
    except yaml.YAMLError:
        return found
    _gap_comments(text, position, len(text), found)
    return found


def _gap_comments(text: str, start: int, end: int, found: list[tuple[int, str]]) -> None:
    at = text.find("#", start, end)
    while at >= 0:
        stop = text.find("\n", at, end)
        stop = end if stop < 0 else stop
        found.append((text.count("\n", 0, at) + 1, text[at:stop].strip()))
        at = text.find("#", stop, end)


def dump_yaml(data: Any) -> str:
    """The canonical YAML text of ``data``: block style, keys in the given order, no wrapping.

    Data of text, ints, lists and text-keyed mappings with no list or
    mapping given twice (every paper record) is turned into YAML nodes
    directly and handed to the emitter: the text PyYAML's representer would
    give, without its per-value dispatch.  Anything else goes through it.
    """
    import io

    yaml = yaml_module()
    dumper = _dumper_class()
    options: dict[str, Any] = {
        "allow_unicode": True, "sort_keys": False, "default_flow_style": False, "width": 1 << 30, "indent": 2,
    }
    try:
        node = _node(data, set(), yaml)
    except (_NotPlain, RecursionError):
        text: str = yaml.dump(data, Dumper=dumper, **options)
        return text
    stream = io.StringIO()
    emitter = dumper(stream, **options)
    try:
        emitter.open()
        emitter.serialize(node)
        emitter.close()
    finally:
        emitter.dispose()
    return stream.getvalue()


@functools.cache
def _dumper_class() -> Any:
    """libyaml's safe dumper (PyYAML's when absent), with ``quick_resolve``."""
    yaml = yaml_module()
    return quick_resolve(getattr(yaml, "CSafeDumper", yaml.SafeDumper))


def quick_resolve(base: Any) -> Any:
    """``base`` (a safe loader or dumper class) with a quicker ``resolve`` when its tag table allows.

    libyaml asks ``resolve`` for the tag of every scalar it reads, and twice
    for every scalar it writes; the answer is the implicit table's, looked up
    by the value's first character, without the general method's path
    resolvers (a safe loader or dumper has none).  The general method stays
    for anything else.
    """
    yaml = yaml_module()
    table = base.yaml_implicit_resolvers
    if None in table or base.yaml_path_resolvers:
        return base  # a wildcard or path resolver: the general method
    scalar, text_tag = yaml.ScalarNode, base.DEFAULT_SCALAR_TAG

    def resolve(self: Any, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not scalar:
            return base.resolve(self, kind, value, implicit)
        if implicit[0]:
            for tag, regexp in table.get(value[:1], ()):
                if regexp.match(value):
                    return tag
        return text_tag

    return type(f"Quick{base.__name__}", (base,), {"resolve": resolve})




def _node(value: Any, seen: set[int], yaml: Any) -> Any:
    """The node ``SafeRepresenter`` makes of ``value`` (block style); ``_NotPlain`` for anything else.

    A list or mapping met twice would be written as an anchor and alias:
    left to the representer.
    """
    kind = type(value)
    if kind is str:
        return yaml.ScalarNode(_STR, value)
    if kind is dict or kind is list:
        if id(value) in seen:
            raise _NotPlain
        seen.add(id(value))
        if kind is list:
            return yaml.SequenceNode(_SEQ, [_node(item, seen, yaml) for item in value], flow_style=False)
        pairs = []
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            pairs.append((yaml.ScalarNode(_STR, key), _node(item, seen, yaml)))
        return yaml.MappingNode(_MAP, pairs, flow_style=False)
    if kind is int:
        return yaml.ScalarNode(_INT, str(value))
    raise _NotPlain
