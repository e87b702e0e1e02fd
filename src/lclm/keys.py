"""Citation keys in the arXiv/Google Scholar export style: ``surnameYEARfirstword``."""

from __future__ import annotations

import itertools
import re
from collections.abc import Container, Sequence

from lclm.model import OTHERS
from lclm.text import fold, latex_to_unicode

KEY_RE = re.compile(r"^[a-z][a-z0-9]*[0-9]{4}[a-z0-9]*$")
# Leading title words that key styles skip ("A survey of ..." -> "survey").
STOPWORDS = frozenset(
    "a an the on of in for to and with at by from is are do does can".split()
)
_WORD_RE = re.compile(r"[a-z0-9]+")
# Letters taken from the surname and from the title word: keys stay short whatever
# the input (a 3,000-letter "word" still gives a key within lclm.rules' limit).
KEY_PART = 24


def _ascii_words(text: str) -> list[str]:
    return _WORD_RE.findall(fold(latex_to_unicode(text)).replace("'", ""))


def base_key(authors: Sequence[str], year: int, title: str) -> str:
    """The undisambiguated key: first author's surname, year, first title word."""
    names = [a for a in authors if a and a != OTHERS]
    surname_words = _ascii_words(names[0].split()[-1]) if names and names[0].split() else []
    surname = "".join(surname_words)[:KEY_PART] or "anon"
    if surname[0].isdigit():
        surname = "n" + surname
    words = [w for w in _ascii_words(title) if w not in STOPWORDS] or _ascii_words(title)
    return f"{surname}{year}{words[0][:KEY_PART] if words else ''}"


def make_key(
    authors: Sequence[str], year: int, title: str, taken: Container[str]
) -> str:
    """A key not in ``taken``: the base key, else with suffix a, b, ..., aa (as JabRef)."""
    key = base_key(authors, year, title)
    if key not in taken:
        return key
    for length in itertools.count(1):
        for letters in itertools.product("abcdefghijklmnopqrstuvwxyz", repeat=length):
            if key + "".join(letters) not in taken:
                return key + "".join(letters)
    raise AssertionError("unreachable")
