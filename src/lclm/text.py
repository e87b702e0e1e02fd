"""Text helpers shared by import, validate, search and dedupe: pure functions."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from lclm.model import OTHERS

# Characters that show nothing and only break matching.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

# One LaTeX command with its argument and, when both are there, the braces around it:
# an accent (\'e, \'{e}, \v{S}, \c c), a letter command (\ss, \aa, \o, \l) or an escaped
# special character (\%, \&, \_).  pylatexenc decodes each such span; other commands
# (\textendash, \emph) are left to the caller (the BibTeX reader has its own table).
_LATEX_SPAN_RE = re.compile(
    r"(?P<open>\{\s*)?(?P<core>\\(?:[`'^\"~=.]\s*(?:\{\s*(?:\\[ij]|[^{}\\\s])\s*\}|\\[ij](?![a-zA-Z])|[a-zA-Z])"
    r"|[uvHckrdbt](?:\s*\{\s*(?:\\[ij]|[^{}\\\s])\s*\}|\s+[a-zA-Z](?![a-zA-Z]))"
    r"|(?:ss|aa|AA|ae|AE|oe|OE|[lLoOij])(?![a-zA-Z])(?:\s*\{\}|[ \t]*)"
    r"|[%&$#_{}]))(?P<close>\s*\})?"
)
_LATEX_LEFT_RE = re.compile(r"\\[a-zA-Z]+|\\[`'^\"~=.]|\{\\|\\\$|\$\\")
_PUNCT_RE = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=1)
def _decoder() -> Any:
    import logging

    from pylatexenc.latex2text import LatexNodes2Text

    logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)  # a domain module never prints

    return LatexNodes2Text(math_mode="text", keep_braced_groups=False, strict_latex_spaces=True)


@functools.lru_cache(maxsize=4096)
def _decode_span(core: str) -> str:
    text: str = _decoder().latex_to_text(core)
    return unicodedata.normalize("NFC", text)


def _span(match: re.Match[str]) -> str:
    opened, core, closed = match["open"], match["core"], match["close"]
    decoded = _decode_span(core)
    if not decoded.strip():
        return match[0]  # a command pylatexenc does not know: left for `validate` to flag
    if opened and closed:
        return decoded
    return (opened or "") + decoded + (closed or "")


def latex_to_unicode(text: str) -> str:
    """Turn LaTeX escapes into Unicode: ``Rivi{\\`e}re`` -> ``Rivière``.

    The one LaTeX decoder of lclm, built on pylatexenc.  Only the spans
    that hold a backslash command are decoded, so plain text with ``%``,
    ``~`` or ``$`` (which LaTeX would read as markup) is never changed.
    """
    if "\\" not in text:
        return text
    return _LATEX_SPAN_RE.sub(_span, text)


def has_latex(text: str) -> bool:
    """Whether text still holds a LaTeX command or escape."""
    return bool(_LATEX_LEFT_RE.search(text))


def strip_invisible(text: str) -> str:
    """Remove zero-width and other invisible characters."""
    return text.translate(INVISIBLE)


def collapse_spaces(text: str) -> str:
    """Collapse runs of white space to one space and trim the ends."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lower-case, accent-free form for matching: ``Rivière`` -> ``riviere``."""
    if text.isascii():
        return text.lower()  # nothing to decompose, and casefold is lower for ASCII: the common, fast case
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def normalize_title(title: str) -> str:
    """A title reduced to lower-case words, for exact duplicate matching.

    LaTeX escapes and braces, accents, punctuation and case are dropped, so
    ``{L}ong{W}anjuan`` and ``LongWanjuan`` compare equal.
    """
    text = fold(strip_invisible(latex_to_unicode(title)).replace("{", "").replace("}", ""))
    return " ".join(_PUNCT_RE.sub(" ", text).split())


def slugify(name: str) -> str:
    """A file-name slug: ``Survey & Technical Report`` -> ``survey-technical-report``."""
    return "-".join(_PUNCT_RE.sub(" ", fold(name)).split()) or "category"


# ---------------------------------------------------------------- people and organisations

# Words that mark an author entry of several words as an organisation, not a
# person ("Qwen Team", "Meta AI"): BibTeX braces it, CSL keeps it literal, and
# the identity rules compare no surname for it.
ORG_WORDS = frozenset(
    "team ai inc inc. lab labs technology technologies project research group contributors collaboration"
    " consortium foundation university institute corporation company community organization".split()
)


def is_organisation(name: str) -> bool:
    """Whether an author of several words is an organisation (``Qwen Team``, ``Meta AI``)."""
    words = name.lower().split()
    return len(words) > 1 and not ORG_WORDS.isdisjoint(words)


def surnames(authors: Sequence[str]) -> frozenset[str]:
    """Folded surnames of the people among ``authors`` (empty: no real list).

    Organisations ("OpenAI", "Gemini Team", "Meta AI") and ``others`` are
    not people; a name is a person when it has two or more words.
    """
    found = set()
    for name in authors:
        if name == OTHERS:
            continue
        last, comma, first = name.partition(",")
        plain = name.isascii() and "\\" not in name  # most names: no accents to fold, no LaTeX
        words = _PUNCT_RE.sub(" ", (name.lower() if plain else fold(latex_to_unicode(name))).replace("-", "")).split()
        if len(words) < 2 or ORG_WORDS.intersection(words):
            continue
        surname = (last.lower() if plain else fold(latex_to_unicode(last))).split() if comma and first.strip() else words[-1:]
        found.add("".join(_PUNCT_RE.sub("", w) for w in surname))
    return frozenset(found)
