"""Which papers an export covers: cited keys from ``.aux``/``.tex`` files, and the selection.

The parsers are pure (text in, keys out); ``select`` reads the files it is
given and raises ``InputError`` with ``file:line`` for what it cannot use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lclm.errors import InputError, LclmError, UsageError
from lclm.model import Paper
from lclm.store.files import read_text
from lclm.store.layout import Store

EVERYTHING = "*"  # \nocite{*}

# Citation commands whose arguments are keys (natbib, biblatex, plain LaTeX);
# each also comes capitalised (\Citet, \Textcite) and starred (\citet*).
_CITE_NAMES = (
    "cite citep citet citealp citealt citeauthor citeyear citeyearpar citenum citefullauthor"
    " nocite autocite parencite textcite footcite footcitetext smartcite supercite fullcite"
    " citetitle citeurl citedate"
).split()
# biblatex's multi-citation forms take several [pre][post]{keys} groups.
_MULTI_NAMES = "cites parencites textcites autocites footcites smartcites supercites".split()
CITE_COMMANDS = frozenset(_CITE_NAMES + [n[0].upper() + n[1:] for n in _CITE_NAMES])
MULTI_COMMANDS = frozenset(_MULTI_NAMES + [n[0].upper() + n[1:] for n in _MULTI_NAMES])

# Compiled on first use: an export without --tex or --aux does not pay for them.
_COMMAND = r"\\([A-Za-z]+)\*?"
_VERBATIM = r"\\begin\{(verbatim|lstlisting|minted|comment)\*?\}.*?\\end\{\1\*?\}|\\verb\*?([^A-Za-z\s]).*?\2"
_AUX = r"\\citation\{([^{}]*)\}|\\abx@aux@cite\{([^{}]*)\}(?:\{([^{}]*)\})?|\\@input\{([^{}]*)\}"
_CLOSE = {"{": "}", "[": "]", "(": ")"}


@dataclass(frozen=True, slots=True)
class Cite:
    """A cited key and where it was cited (``draft.tex:12``)."""

    key: str
    where: str


def strip_comments(text: str) -> str:
    """``text`` without TeX comments (``%`` to the end of the line, but not ``\\%``).

    Lines keep their place so positions still give the right line numbers.
    """
    lines = []
    for line in text.split("\n"):
        for match in re.finditer(r"(\\*)%", line):
            if len(match.group(1)) % 2 == 0:  # \\% is a line break, then a comment
                line = line[: match.end() - 1]
                break
        lines.append(line)
    return "\n".join(lines)


def _blank(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n")  # keep the line count


def _group(text: str, start: int, where: str) -> int:
    """The index just past the group opening at ``start``: ``{...}``, ``[...]`` or ``(...)``.

    Braces nest inside any group; a bracket closes only outside braces.
    """
    opener, depth, index = text[start], 0, start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                break  # a } that closes nothing opened here
            if opener == "{" and depth == 0:
                return index + 1
        elif char == _CLOSE[opener] and depth == 0 and opener != "{":
            return index + 1
        index += 1
    raise InputError(f"{where}: unbalanced braces: the {opener!r} after it is never closed")


def tex_cites(text: str, source: str) -> list[Cite]:
    """Every key cited in LaTeX source ``text``, in order of appearance.

    Handles optional arguments (``\\citep[see][p.~3]{a,b}``), starred and
    capitalised forms, biblatex's ``\\cites`` groups, and ignores comments and
    verbatim material.  ``\\nocite{*}`` gives the key ``*``.
    """
    text = re.sub(_VERBATIM, _blank, strip_comments(text), flags=re.DOTALL)
    cites: list[Cite] = []
    for match in re.finditer(_COMMAND, text):
        name = match.group(1)
        if name not in CITE_COMMANDS and name not in MULTI_COMMANDS:
            continue
        index = match.end()
        while True:
            while index < len(text) and text[index] in " \t\n":
                index += 1
            if index >= len(text) or text[index] not in _CLOSE:
                break
            line = text.count("\n", 0, index) + 1
            end = _group(text, index, f"{source}:{line}: {text[match.start():index]}")
            if text[index] == "{":
                keys = (k.strip() for k in text[index + 1 : end - 1].split(","))
                cites += [Cite(k, f"{source}:{line}") for k in keys if k]
                if name not in MULTI_COMMANDS:
                    break
            index = end
    return cites


def aux_cites(text: str, source: str) -> tuple[list[Cite], list[str]]:
    """The keys an ``.aux`` file cites, and the ``.aux`` files it includes.

    Reads BibTeX's ``\\citation{a,b}`` and biblatex's ``\\abx@aux@cite{key}``
    / ``\\abx@aux@cite{refsection}{key}``; ``\\@input{ch1.aux}`` names an
    included file.
    """
    cites: list[Cite] = []
    inputs: list[str] = []
    for match in re.finditer(_AUX, text):
        where = f"{source}:{text.count(chr(10), 0, match.start()) + 1}"
        if match.group(4) is not None:
            inputs.append(match.group(4))
            continue
        raw = match.group(1) if match.group(1) is not None else (match.group(3) or match.group(2))
        cites += [Cite(k.strip(), where) for k in raw.split(",") if k.strip()]
    return cites, inputs


def _read(path: Path) -> str:
    try:
        return read_text(path)
    except LclmError as exc:
        raise InputError(str(exc)) from None


def read_aux(path: Path, seen: set[Path] | None = None) -> list[Cite]:
    """The keys cited by an ``.aux`` file and the files it ``\\@input``s."""
    seen = set() if seen is None else seen
    seen.add(path.resolve())
    cites, inputs = aux_cites(_read(path), str(path))
    for name in inputs:
        child = path.parent / name
        if child.resolve() not in seen:
            cites += read_aux(child, seen)
    return cites


# ---------------------------------------------------------------- selecting


@dataclass(frozen=True, slots=True)
class Missing:
    """A cited key the list does not have, and the closest keys it does."""

    key: str
    where: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Merged:
    """A cited key that is now another record's former key (``ids``): a merge kept ``key``."""

    old: str
    key: str
    where: str


@dataclass(slots=True)
class Selection:
    """The papers to export, in store order, the cited keys not found, and the filters applied."""

    papers: list[Paper]
    missing: list[Missing] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)  # as given: "--aux draft.aux", "--query 'rope'"
    merged: list[Merged] = field(default_factory=list)  # cited former keys, resolved to the kept record


def select(
    store: Store,
    *,
    category: str | None = None,
    query: str | None = None,
    keys: Iterable[str] | None = None,
    aux: Iterable[Path] = (),
    tex: Iterable[Path] = (),
) -> Selection:
    """The papers an export covers: all, or those every given filter keeps.

    ``keys``, ``aux`` and ``tex`` together name the cited keys (``*`` means
    every paper); ``category`` and ``query`` (matched as ``lclm search``
    matches) narrow further.  A filter that names nothing selects nothing:
    an ``.aux`` file without citations gives an empty selection, not the
    whole list, and ``keys`` given but blank is a ``UsageError``.
    """
    filters: list[str] = []
    cites: list[Cite] = []
    if keys is not None:
        cites = [Cite(k.strip(), "--keys") for k in keys if k.strip()]
        if not cites:
            raise UsageError("--keys: no key given (comma-separated keys, e.g. --keys liu2025thus,su2024roformer)")
        filters.append("--keys")
    for path in aux:
        cites += read_aux(path)
        filters.append(f"--aux {path}")
    for path in tex:
        cites += tex_cites(_read(path), str(path))
        filters.append(f"--tex {path}")
    papers = store.papers
    missing: list[Missing] = []
    merged: list[Merged] = []
    if filters:
        have = {p.key for p in papers}
        former = {old: p.key for p in papers for old in p.ids if old not in have}
        merged = list({c.key: Merged(c.key, former[c.key], c.where) for c in cites if c.key in former}.values())
        wanted = {former.get(c.key, c.key) for c in cites}
        if EVERYTHING not in wanted:
            papers = [p for p in papers if p.key in wanted]
        absent = [c for c in cites if c.key not in have and c.key not in former and c.key != EVERYTHING]
        missing = _missing(absent, sorted(have)) if absent else []  # rapidfuzz only when needed
    if category is not None:
        slug = store.find_category(category).slug
        papers = [p for p in papers if p.category == slug]
        filters.append(f"--category {category!r}")
    if query is not None:
        from lclm.search.rank import parse_query, search

        found = {hit.paper.key for hit in search(store.root, parse_query(query.split()), limit=0).hits}
        papers = [p for p in papers if p.key in found]
        filters.append(f"--query {query!r}")
    return Selection(list(papers), missing, filters, merged)


def _missing(cites: list[Cite], keys: list[str]) -> list[Missing]:
    from rapidfuzz import fuzz, process

    out: dict[str, Missing] = {}
    for cite in cites:
        if cite.key in out:
            continue
        hits = process.extract(cite.key, keys, scorer=fuzz.ratio, score_cutoff=70, limit=2)
        out[cite.key] = Missing(cite.key, cite.where, tuple(hit[0] for hit in hits))
    return list(out.values())


def select_papers(
    root: Path, *, category: str | None = None, query: str | None = None, keys: Iterable[str] | None = None
) -> list[Paper]:
    """The papers ``--category``/``--query``/``--keys`` select (refresh and verify); an unknown key is a ``UsageError``."""
    from lclm.store.load import load_store

    selection = select(load_store(root), category=category, query=query, keys=list(keys) if keys is not None else None)
    if selection.missing:
        miss = selection.missing[0]
        hint = f" (did you mean {', '.join(miss.suggestions)}?)" if miss.suggestions else ""
        raise UsageError(f"--keys: no paper with key {miss.key!r}{hint}")
    return selection.papers
