"""Text helpers shared by import, validate, search and dedupe: pure functions."""

from __future__ import annotations

import re
import unicodedata

# LaTeX accent commands and the Unicode combining mark each stands for.
ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
# LaTeX commands that are whole letters.
LETTERS = {
    "l": "ł", "L": "Ł", "o": "ø", "O": "Ø", "ss": "ß", "aa": "å", "AA": "Å",
    "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "i": "ı", "j": "ȷ",
}
# Characters that show nothing and only break matching.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

_ACCENT_RE = re.compile(
    r"\{?\\([`'^\"~=.]|[uvHckrdb](?![a-zA-Z]))\s*"
    r"(?:\{\s*(\\[ij]|[^{}\\])\s*\}|(\\[ij](?![a-zA-Z])|[a-zA-Z]))\}?"
)
_LETTER_RE = re.compile(r"\{?\\(ss|aa|AA|ae|AE|oe|OE|[lLoOij])(?![a-zA-Z])\s*\}?")
_SPECIAL_RE = re.compile(r"\\([%&$#_])")
_LATEX_LEFT_RE = re.compile(r"\\[a-zA-Z]+|\\[`'^\"~=.]|\{\\|\\\$|\$\\")
_PUNCT_RE = re.compile(r"[\W_]+")


def _accent(match: re.Match[str]) -> str:
    whole = match.group(0)
    command, base = match.group(1), match.group(2) or match.group(3)
    if base.startswith("\\"):
        base = base[1:]  # an accent goes on a plain i or j, not on the dotless one
    text = unicodedata.normalize("NFC", base + ACCENTS[command])
    # Keep a brace that was not part of this escape: "{\'e}" vs "\'e}".
    if whole.startswith("{") and not whole.endswith("}"):
        text = "{" + text
    elif whole.endswith("}") and not whole.startswith("{") and match.group(3):
        text += "}"
    return text


def _letter(match: re.Match[str]) -> str:
    whole = match.group(0)
    text = LETTERS[match.group(1)]
    if whole.startswith("{") != whole.endswith("}"):
        text = "{" + text if whole.startswith("{") else text + "}"
    return text


def latex_to_unicode(text: str) -> str:
    """Turn LaTeX accent escapes into Unicode: ``Rivi{\\`e}re`` -> ``Rivière``."""
    if "\\" not in text:
        return text
    text = _ACCENT_RE.sub(_accent, text)
    text = _SPECIAL_RE.sub(r"\1", text)
    return _LETTER_RE.sub(_letter, text)


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
