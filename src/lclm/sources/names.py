"""Read author lists: the one place that decides how a written list becomes names.

Used by the Markdown reader, the BibTeX reader and ``add``.  Understood:
comma lists with a final "and" (``A, B, and C``), BibTeX's ``A and B and C``
with ``Surname, First`` parts, ``Surname, I.`` pairs, and the ways a list
says it is truncated (``et al.``, ``and others``, "(12 additional authors
not shown)"), which end the list with ``others``.  Initials and one-letter
names are kept as written (``Weinan E``, ``J.L. Cai``, ``Sercan Ö. Arik``).
Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lclm.model import OTHERS
from lclm.text import collapse_spaces, latex_to_unicode, strip_invisible

# The ways a written list says it names only some of the authors.
_TRUNCATED_RE = re.compile(
    r"(?:,?\s*(?:\band\s+|&\s*)?\b(?:et\.?\s*al\.?|others)\s*"
    r"|\s*\(?\s*\d+\s+(?:additional|more)\s+authors?(?:\s+not\s+shown)?\s*\)?)\s*\.?\s*$",
    re.IGNORECASE,
)
_AND_RE = re.compile(r"\s*(?:,\s*)?(?:\band\b|&)\s*", re.IGNORECASE)
_INITIALS_RE = re.compile(r"^(?:[A-Z\u00c0-\u024f]\.\s*-?\s*){1,4}$")
_SURNAME_RE = re.compile(r"^[^\d.,]+$")
_STRAY_RE = re.compile(r"[*_{}\\]")


def parse_authors(text: str, bibtex: bool = False, decode: Callable[[str], str] | None = None) -> list[str]:
    """The names of a written author list, ``others`` last when it was cut short.

    ``bibtex`` reads BibTeX's ``and``-separated ``Surname, First`` form,
    each name decoded by ``decode`` (the BibTeX reader's field decoder) when
    given; otherwise the list is comma (or semicolon) separated.
    """
    text = collapse_spaces(strip_invisible(text))
    if bibtex:
        return _bibtex_names(text, decode or clean_name)
    text = latex_to_unicode(text)
    truncated = False
    while (found := _truncation(text)) >= 0:
        text, truncated = text[:found], True
    parts = [p for p in re.split(r"\s*[,;]\s*", text.strip().rstrip(",;")) if p]
    if parts:
        parts[-1:] = [p for p in _AND_RE.split(parts[-1]) if p]
    stray = _STRAY_RE.search(text) is not None  # the text is already decoded: only debris may be left
    parts = [_AFFILIATION_RE.sub("", p) for p in parts]
    names = [n for n in (_debris_free(p) if stray else p.strip(" ,;") for p in _pair_initials(parts)) if n]
    if names and names[-1].casefold() == OTHERS:
        names.pop()
        truncated = True
    return names + [OTHERS] if truncated and names else names


def _truncation(text: str) -> int:
    """Where a trailing "et al." / "(N more authors)" starts, or -1 (only the end is searched)."""
    start = max(0, len(text) - 80)
    found = _TRUNCATED_RE.search(text, start)
    if found is None or found.start() >= len(text):
        return -1
    return found.start()


def clean_name(name: str) -> str:
    """One name without markup debris: LaTeX as Unicode, no ``*``/``_``/braces/backslashes,
    no affiliation after it (``Felix Hill(University of Cambridge)``, ``Melanie Swan (UCL)``)."""
    text = _AFFILIATION_RE.sub("", latex_to_unicode(strip_invisible(name)))
    if _STRAY_RE.search(text):
        text = _STRAY_RE.sub("", text)
    return collapse_spaces(text).strip(" ,;")


_AFFILIATION_RE = re.compile(r"(?<=\S)\s*\([^()]*\)\s*$")


def _debris_free(name: str) -> str:
    return collapse_spaces(_STRAY_RE.sub("", name)).strip(" ,;")


def clean_names(names: list[str]) -> list[str]:
    """A list of names each cleaned, empty ones dropped, a truncation marker as ``others``."""
    out = [clean_name(n) for n in names]
    return [OTHERS if n.casefold() in ("others", "et al", "et al.") else n for n in out if n]


def _pair_initials(parts: list[str]) -> list[str]:
    """``Smith, J., Doe, A. B.`` -> ``J. Smith``, ``A. B. Doe``; anything else unchanged."""
    if len(parts) < 2 or len(parts) % 2:
        return parts
    pairs = list(zip(parts[::2], parts[1::2]))
    if all(_SURNAME_RE.match(s) and _INITIALS_RE.match(i) for s, i in pairs):
        return [f"{i} {s}" for s, i in pairs]
    return parts


def _bibtex_names(text: str, decode: Callable[[str], str]) -> list[str]:
    from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

    names = []
    for name in split_multiple_persons_names(text):
        if name.strip().lower() == OTHERS:
            names.append(OTHERS)
            continue
        try:
            parts = parse_single_name_into_parts(name, strict=False)
            words = parts.first + parts.von + parts.last + parts.jr
        except ValueError:
            words = [name]
        cleaned = clean_name(decode(" ".join(words)))
        if cleaned:
            names.append(cleaned)
    return names
