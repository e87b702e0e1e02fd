"""LaTeX in the text of a record, as plain Unicode: the one decoder for every reader.

BibTeX fields, Markdown titles and arXiv titles all go through ``decode``:
escaped specials become the character, accents and letter commands become
letters (``lclm.text.latex_to_unicode``, on pylatexenc), text symbols and
simple maths become their character, formatting commands (``\\emph{x}``)
and protective braces go.  LaTeX it does not know is kept as written.
"""

from __future__ import annotations

import re
import unicodedata

from lclm.formats.bibtex import MATH_SYMBOLS, SPECIALS, TEXT_SYMBOLS
from lclm.text import collapse_spaces, latex_to_unicode, strip_invisible

_DROP_RE = re.compile(r"\{?\\noopsort\s*\{[^{}]*\}\}?|\\(?:relax|protect)(?![A-Za-z])\s*|\\[/-]")
_SPACE_RE = re.compile(r"\\[,;: ]|\\\\|~")
_COMMAND_RE = re.compile(r"\\([A-Za-z]+)(?:\{\}|(?![A-Za-z])\s*)")
_MATH_RE = re.compile(r"\$([^$]*)\$")
# LaTeX specials stand in as private-use characters while braces, ~ and $ are
# dealt with, and become the characters at the end.
_STAND_IN = {char: chr(0xE000 + i) for i, char in enumerate(SPECIALS)}
_RESTORE = {ord(mark): char for char, mark in _STAND_IN.items()}
_SHORT_ESCAPES = {r"\{": "{", r"\}": "}", r"\&": "&", r"\%": "%", r"\$": "$", r"\#": "#", r"\_": "_"}
_SHORT_RE = re.compile(r"\\[{}&%$#_]")
_TEXT_COMMANDS = (
    {name: char for char, name in TEXT_SYMBOLS.items()}
    | {"ldots": "\u2026", "dots": "\u2026", "TeX": "TeX", "LaTeX": "LaTeX", "BibTeX": "BibTeX", "hyphen": "-"}
    | {e[1:-2]: _STAND_IN[c] for c, e in SPECIALS.items() if e.endswith("{}")}  # \textbackslash{} ...
)
_MATH_COMMANDS = {name: char for char, name in MATH_SYMBOLS.items()} | {"varepsilon": "ε", "to": "→"}


def decode(value: str) -> str:
    """A BibTeX field value as plain Unicode text.

    Escaped specials (``\\&``, ``\\textbackslash{}``) become the character,
    accents and letter commands become letters, text symbols and simple maths
    become their character, formatting commands and protective braces go.
    LaTeX it does not know is kept as written.
    """
    text = _SHORT_RE.sub(lambda m: _STAND_IN[_SHORT_ESCAPES[m.group(0)]], value)
    text = latex_to_unicode(_DROP_RE.sub("", text))
    text = _commands(_MATH_RE.sub(_math, text), _TEXT_COMMANDS)
    text = _SPACE_RE.sub(" ", text).replace("{", "").replace("}", "")
    text = text.translate(_RESTORE)
    return collapse_spaces(strip_invisible(unicodedata.normalize("NFC", text)))


def _commands(text: str, table: dict[str, str]) -> str:
    """Known commands replaced by their character; an unknown one before a
    group is formatting (``\\emph{x}``, ``\\mkbibquote{x}``) and goes; others stay."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) in table:
            return table[match.group(1)]
        return "" if text.startswith("{", match.end()) else match.group(0)

    return _COMMAND_RE.sub(replace, text)


def _math(match: re.Match[str]) -> str:
    inner = _commands(match.group(1), _MATH_COMMANDS)
    return inner if "\\" not in inner and "^" not in inner and "_" not in inner else match.group(0)
