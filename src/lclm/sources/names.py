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

# The ways a written list says it names only some of the authors: "et al." (also glued to
# the last name, "Shahet al."), "and others", "(12 additional authors not shown)".
_TRUNCATED_RE = re.compile(
    r"(?:,?\s*(?:\band\s+|&\s*)?(?:(?<=[a-z])|\b)(?-i:et)\.?\s*al\b\.?|,?\s*(?:\band\s+|&\s*)?\b(?-i:others)\b"
    r"|\s*\(?\s*\d+\s+(?:additional|more)\s+authors?(?:\s+not\s+shown)?\s*\)?)",
    re.IGNORECASE,
)
_TRUNCATION_HINT_RE = re.compile(r"et\.?\s*al\b|\bothers\b|\d\s+(?:additional|more)\s+author", re.IGNORECASE)
_AND_RE = re.compile(r"\s*(?:,\s*)?(?:\band\b|&)\s*", re.IGNORECASE)
_INITIALS_RE = re.compile(r"^(?:[A-Z\u00c0-\u024f]\.\s*-?\s*){1,4}$|^[A-Z]{1,2}$")
_SURNAME_RE = re.compile(r"^[^\d.,\s]+$")
# Given names after an inverted surname: one name, maybe initials or particles after it ("Geoffrey E.",
# "Aaron van den", "P.O."); never two full names ("Qwen, An Yang" is a team and a person, not "An Yang Qwen").
_GIVEN_RE = re.compile(
    r"^(?:[A-Z\u00c0-\u024f][\w\u00c0-\u024f'\u2019-]*\.?|[A-Z]\.(?:\s?[A-Z]\.)*)"
    r"(?:\s+(?:[A-Z]\.?|van|von|der|den|de|da|del|la|le))*$"
)
_EMPTY_RE = re.compile(r"\[[\s\[\]]*\]|\(\s*\)")  # what is left of links taken out of the text: "Name. [][]"
_STRAY_RE = re.compile(r"[*_{}\\\"\u201c\u201d]")
# An affiliation in parentheses (commas and "and" inside), and whatever follows it in the
# same name: "A. Name (Lab of X, Dept and Y, Univ)", "Name (Org) arXiv." -> "Name".
_PAREN_RE = re.compile(r"\s*[(\uff08][^()\uff08\uff09]*[)\uff09]")
_AFTER_PAREN_RE = re.compile(r"(?<=\S)\s*[(\uff08][^()\uff08\uff09]*[)\uff09][^,;&]*")
# Footnote marks and affiliation numbers: "Yifan Zhang*", "Ada Lovelace1,2", "Alan Turing^3", "B. Cai†".
# A handle keeps its digits ("bloc97"): only a name of two words or more has footnote numbers.
_FOOTNOTE_RE = re.compile(r"(?<=[^\W\d_])\^?\d+(?:\s*,\s*\d+)*\b|(?<=[^\W\d_.])(?:\^\d+|[*\u2020\u2021\u00a7\u00b6#]+)")
# A nickname inside a name: "Yingyan (Celine) Lin", "Yi R. (May) Fung" -> "Yingyan Lin", "Yi R. Fung".
_NICKNAME_RE = re.compile(r"(?<=[\w.])\s*\(\s*[^\W\d_][\w.'-]{0,11}\s*\)\s*(?!ar[Xx]iv\b|Arxiv\b|Preprint\b|CoRR\b)(?=[A-Z\u00c0-\u024f][a-z\u00df-\u024f]+\b(?!\s*\())")


def parse_authors(text: str, bibtex: bool = False, decode: Callable[[str], str] | None = None) -> list[str]:
    """The names of a written author list, ``others`` last when it was cut short.

    ``bibtex`` reads BibTeX's ``and``-separated ``Surname, First`` form,
    each name decoded by ``decode`` (the BibTeX reader's field decoder) when
    given.  Otherwise the list is written for people: names in ``First Last``
    order separated by commas, semicolons, ``and`` or ``&``; or in citation
    order, ``Last, First`` (APA ``Last, F. M., & Last, F.``, Chicago/MLA
    ``Last, First, First Last, and First Last.``, BibTeX-like ``Last, First and
    Last, First``).  Affiliations in parentheses and footnote marks are dropped.
    """
    text = collapse_spaces(strip_invisible(text))
    if bibtex:
        return _bibtex_names(text, decode or clean_name)
    text = latex_to_unicode(text)
    text = _AFTER_PAREN_RE.sub(_kept_truncation, _NICKNAME_RE.sub(" ", text))  # before any split: an affiliation may hold commas and "and"
    text = _FOOTNOTE_RE.sub(_footnote, _EMPTY_RE.sub(" ", text.replace("\\*", "*")))
    truncated = False
    if (found := _truncation(text)) >= 0:
        text, truncated = text[:found], True
    names = [n for n in (_debris_free(p) for p in _split(text.strip().strip(",; "))) if n]
    if names and names[-1].casefold() == OTHERS:
        names.pop()
        truncated = True
    return names + [OTHERS] if truncated and names else names


def _split(text: str) -> list[str]:
    """A written list as names in ``First Last`` order (see ``parse_authors``)."""
    if not text:
        return []
    for joint in (r"\s+and\s+|\s*&\s*", r"\s*;\s*(?:and\s+)?"):  # "Last, First and Last, First"; "Last, First; Last, First"
        inverted = [p for p in re.split(joint, text) if p.strip(" ,;")]
        if len(inverted) > 1 and all(p.count(",") == 1 and _inverted(*p.split(",")) for p in inverted):
            return [_turn(*p.split(",")) for p in inverted]
    parts = [p for p in re.split(r"\s*[,;]\s*", text) if p]
    out: list[str] = []
    for part in parts:
        out += [p for p in _AND_RE.split(part) if p.strip()]  # "A and B and C", "A & B"
    paired = _pair_initials(out)
    if paired is not out:
        return paired
    if len(out) >= 2 and _inverted(out[0], out[1]) and (len(out) == 2 or len(out[2].split()) >= 2):
        return [_turn(out[0], out[1]), *out[2:]]  # Chicago/MLA: only the first name is inverted
    return out


def _footnote(found: re.Match[str]) -> str:
    """Nothing for a footnote mark; a number only after a name of two words or more (a handle keeps "bloc97")."""
    if not found[0][:1].isdigit() and not found[0].startswith("^"):
        return ""
    start = max(found.string.rfind(",", 0, found.start()), found.string.rfind(";", 0, found.start())) + 1
    return "" if " " in found.string[start : found.start()].strip() else found[0]


def _kept_truncation(found: re.Match[str]) -> str:
    """What is kept of an affiliation and the words after it: an "et al." among them."""
    return " et al." if _TRUNCATED_RE.search(found[0]) else ""


def _inverted(surname: str, given: str) -> bool:
    """Whether ``surname, given`` is one name written last name first."""
    surname, given = surname.strip(), given.strip()
    return bool(_SURNAME_RE.match(surname) and surname[:1].isupper() and given and _GIVEN_RE.match(given))


def _turn(surname: str, given: str) -> str:
    given = given.strip()
    if given.endswith(".") and not _ENDS_IN_INITIAL_RE.search(given):
        given = given[:-1]  # "Bengio, Yoshua." ends the list, not an initial
    return f"{given} {surname.strip()}"


def _truncation(text: str) -> int:
    """Where "et al." / "and others" / "(N more authors)" starts, or -1: what follows it is not names."""
    hint = _TRUNCATION_HINT_RE.search(text)  # a cheap look first: most lists are not cut short
    if hint is None:
        return -1
    found = _TRUNCATED_RE.search(text, max(0, hint.start() - 8))
    return -1 if found is None else found.start()


def clean_name(name: str) -> str:
    """One name without markup debris: LaTeX as Unicode, no ``*``/``_``/braces/backslashes,
    no affiliation after it (``Felix Hill(University of Cambridge)``, ``Melanie Swan (UCL)``)."""
    text = _AFFILIATION_RE.sub("", latex_to_unicode(strip_invisible(name)))
    if _STRAY_RE.search(text):
        text = _STRAY_RE.sub("", text)
    return collapse_spaces(text).strip(" ,;")


_AFFILIATION_RE = re.compile(r"(?<=\S)\s*\([^()]*\)\s*$")


def _debris_free(name: str) -> str:
    return collapse_spaces(_STRAY_RE.sub("", _PAREN_RE.sub("", name))).strip(" ,;.") if _needs_care(name) else name.strip(" ,;")


def _needs_care(name: str) -> bool:
    return bool(_STRAY_RE.search(name) or "(" in name or name.rstrip().endswith(".") and not _ENDS_IN_INITIAL_RE.search(name))


_ENDS_IN_INITIAL_RE = re.compile(r"(?:^|[\s.\-])[^\W\d_]\.$")


def clean_names(names: list[str]) -> list[str]:
    """A list of names each cleaned, empty ones dropped, a truncation marker as ``others``."""
    out = [clean_name(n) for n in names]
    return [OTHERS if n.casefold() in ("others", "et al", "et al.") else n for n in out if n]


def _pair_initials(parts: list[str]) -> list[str]:
    """``Smith, J., Doe, A. B.`` -> ``J. Smith``, ``A. B. Doe``; anything else unchanged (the same list)."""
    if len(parts) < 2 or len(parts) % 2:
        return parts
    pairs = list(zip(parts[::2], parts[1::2]))
    if all(_SURNAME_RE.match(s.strip()) and _INITIALS_RE.match(i.strip()) for s, i in pairs):
        return [f"{i.strip()} {s.strip()}" for s, i in pairs]
    return parts


def _bibtex_names(text: str, decode: Callable[[str], str]) -> list[str]:
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

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
