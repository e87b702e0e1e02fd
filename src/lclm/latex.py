"""LaTeX in the text of a record, as plain Unicode: the one decoder for every reader.

BibTeX fields, Markdown titles and arXiv titles all go through ``decode``:
escaped specials become the character, accents and letter commands become
letters (``lclm.text.latex_to_unicode``, on pylatexenc), text symbols and
simple maths become their character, formatting commands (``\\emph{x}``)
and protective braces go.  LaTeX it does not know is kept as written.

It also holds the LaTeX tables the BibTeX writer escapes with (specials,
accents, letters, text and maths symbols), so reading and writing agree and
reading a ``.bib`` never loads the writer.
"""

from __future__ import annotations

import re
import unicodedata

from lclm.text import collapse_spaces, latex_to_unicode, strip_invisible

# LaTeX accent commands and the Unicode combining mark each stands for (the BibTeX
# writer's tables: lclm.text reads LaTeX with pylatexenc).
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

# LaTeX specials in text fields and what stands for each.  Braces are written
# as commands, never as \{ \}: BibTeX counts \{ as a brace, so a lone one
# would unbalance the entry.
SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# --ascii: characters written as text-mode commands (\name{}) ...
TEXT_SYMBOLS = {
    "\u2013": "textendash", "\u2014": "textemdash", "\u2018": "textquoteleft",
    "\u2019": "textquoteright", "\u201c": "textquotedblleft", "\u201d": "textquotedblright",
    "\u2026": "textellipsis", "\u00a0": "nobreakspace", "\u2022": "textbullet",
    "\u00a9": "textcopyright", "\u00ae": "textregistered", "\u2122": "texttrademark",
    "\u00b0": "textdegree", "\u20ac": "texteuro", "\u00a3": "pounds", "\u00a7": "S",
    "\u00b6": "P", "\u2020": "dag", "\u2021": "ddag", "\u00a1": "textexclamdown",
    "\u00bf": "textquestiondown", "\u00ab": "guillemotleft", "\u00bb": "guillemotright",
}
# ... and as maths ($\name$): Greek letters and the symbols titles use.
MATH_SYMBOLS = {
    **dict(zip("αβγδεζηθικλμνξπρστυφχψω", (
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho"
        " sigma tau upsilon phi chi psi omega").split())),
    **dict(zip("ΓΔΘΛΞΠΣΥΦΨΩ", "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split())),
    "×": "times", "±": "pm", "→": "rightarrow", "←": "leftarrow", "↔": "leftrightarrow",
    "≤": "leq", "≥": "geq", "≠": "neq", "≈": "approx", "∞": "infty", "·": "cdot",
    "∈": "in", "∑": "sum", "√": "surd", "∼": "sim",
}
# Unicode letters that are one LaTeX command, and combining marks that are one accent.
LETTER_COMMANDS = {char: name for name, char in LETTERS.items()}
ACCENT_COMMANDS = {mark: name for name, mark in ACCENTS.items()}

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
# Maths arXiv titles use beyond MATH_SYMBOLS (read only; --ascii writes none of them back): "CoSTA$\ast$",
# "$\nabla$NABLA", "$O(n\log n)$", "360$^\circ$"; an operator's name keeps spaces around it.
_MATH_COMMANDS = {name: char for char, name in MATH_SYMBOLS.items()} | {
    "varepsilon": "ε", "to": "→", "ast": "∗", "star": "⋆", "nabla": "∇", "partial": "∂", "ell": "ℓ",
    "circ": "∘", "prime": "′", "sqrt": "√", "dagger": "†", "vee": "∨", "wedge": "∧", "mid": "|",
    **{name: f" {name} " for name in ("log", "exp", "max", "min", "arg", "sin", "cos", "lim", "det")},
}


def decode(value: str) -> str:
    """A BibTeX field value as plain Unicode text.

    Escaped specials (``\\&``, ``\\textbackslash{}``) become the character,
    accents and letter commands become letters, text symbols and simple maths
    become their character, formatting commands and protective braces go.
    LaTeX it does not know is kept as written.
    """
    text = _SHORT_RE.sub(lambda m: _STAND_IN[_SHORT_ESCAPES[m.group(0)]], _ESCAPED_CARET_RE.sub("^", value))
    text = latex_to_unicode(_DROP_RE.sub("", text))
    text = _commands(_MATH_RE.sub(_math, text), _TEXT_COMMANDS)
    text = _SPACE_RE.sub(" ", text).replace("{", "").replace("}", "")
    text = _ESCAPED_SCRIPT_RE.sub(lambda m: _scripts(m.group(1)), text.translate(_RESTORE))
    return collapse_spaces(strip_invisible(unicodedata.normalize("NFC", text)))


# Zotero writes a title's "Co$^2$L" (as arXiv gives it) with every character escaped: "Co\$\^2\$L".
# A circumflex over a digit is no accent but the caret; the literal dollars around nothing but a
# script are the maths it was, so the title reads "Co²L" as the paper's own page shows it.
_ESCAPED_CARET_RE = re.compile(r"\\\^(?=\{?[0-9+\-=()])")
_ESCAPED_SCRIPT_RE = re.compile(r"\$((?:[\^_](?:\{[0-9+\-=()]+\}|[0-9+\-=()]))+)\$")


def _commands(text: str, table: dict[str, str]) -> str:
    """Known commands replaced by their character; an unknown one before a
    group is formatting (``\\emph{x}``, ``\\mkbibquote{x}``) and goes; others stay."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) in table:
            return table[match.group(1)]
        return "" if text.startswith("{", match.end()) else match.group(0)

    return _COMMAND_RE.sub(replace, text)


_SUPERSCRIPTS = dict(zip("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ", strict=True))
_SUBSCRIPTS = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", strict=True))
# The way back, for the BibTeX writer's --ascii: "³" -> "^{3}" (inside maths).
SCRIPT_CHARS = {v: f"^{{{k}}}" for k, v in _SUPERSCRIPTS.items()} | {v: f"_{{{k}}}" for k, v in _SUBSCRIPTS.items()}
# Characters --ascii writes as the LaTeX of a near twin (they read back as that twin, not themselves):
# a black circle as a bullet, the minus sign as maths, Unicode's hyphens as the hyphen, angle brackets as maths.
ASCII_TWINS = {
    "\u25cf": "\\textbullet{}", "\u2212": "$-$", "\u2010": "-", "\u2011": "-",
    "\u27e8": "$\\langle$", "\u27e9": "$\\rangle$",
}
# "^3", "^{2}", "_{10}": a script Unicode has every character of (SAC$^3$ -> SAC³).
_SCRIPT_RE = re.compile(r"([\^_])(?:\{([^{}]*)\}|(.))")


def _scripts(text: str) -> str:
    """Super- and subscripts written as Unicode where it has them all; otherwise as written."""

    def replace(match: re.Match[str]) -> str:
        table = _SUPERSCRIPTS if match.group(1) == "^" else _SUBSCRIPTS
        body = match.group(2) if match.group(2) is not None else match.group(3)
        return "".join(table[c] for c in body) if body and all(c in table for c in body) else match.group(0)

    return _SCRIPT_RE.sub(replace, text)


_DEGREE_RE = re.compile(r"\^\s*\{?\\circ\}?")  # "360$^\circ$": a degree sign


def _math(match: re.Match[str]) -> str:
    inner = _scripts(_commands(_DEGREE_RE.sub("°", match.group(1)), _MATH_COMMANDS))
    inner = collapse_spaces(inner) if inner.strip() != inner or "  " in inner else inner
    return inner if "\\" not in inner and "^" not in inner and "_" not in inner else match.group(0)
