"""Papers as BibTeX entries: pure functions, no I/O.

``to_bibtex`` is the exporter.  It picks the entry type from the venue text
(a table of patterns), splits venues such as ``Journal of machine learning
research, 21(140), 1--67`` into journal, volume, number and pages (only when
joining the parts gives the venue back, so an import restores it exactly),
protects capitals a style must not lower-case and escapes LaTeX specials.

The text is laid out exactly as bibtexparser 2's writer lays out the same
entries (two-space indent, one blank line between entries; a test holds the
two equal), but without importing bibtexparser: importing it costs more than
the whole rest of an export (see bench/bench_export.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lclm.ids import arxiv_in
from lclm.model import Paper

# LaTeX accent commands and the Unicode combining mark each stands for (the writer's own
# tables: lclm.text reads LaTeX with pylatexenc).
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

# ---------------------------------------------------------------- entry types

# What kind of publication a venue names; the first pattern that matches wins.
VENUE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("preprint", r"\barxiv\b|^corr\b|\bpreprint\b"),
        ("misc", r"^submitted to\b|\bunder review\b"),
        (
            "inproceedings",
            r"\bconference\b|\bconf\b|\bproceedings\b|\bproc\.|\bsymposium\b|\bworkshop\b"
            r"|\bmeeting\b|\btrack\b|\bfindings of\b|\bneural information processing systems\b"
            r"|\b(?:icml|iclr|neurips|nips|acl|emnlp|naacl|coling|cvpr|iccv|eccv|aaai|ijcai|ecai"
            r"|kdd|sigir|osdi|sosp|nsdi|eurosys|isca|hpca|asplos|mlsys|usenix)\b|^sc\d\d\b",
        ),
        (
            "article",
            r"\bjournal\b|\btransactions\b|\bletters\b|\breview\b|\bmagazine\b|\bmicro\b"
            r"|\bneurocomputing\b|^nature\b|^science\b|\bintelligence research\b",
        ),
    )
)
# The BibTeX entry type of each kind, and the field its container name goes in.
ENTRY_TYPES = {"article": "article", "inproceedings": "inproceedings", "preprint": "misc", "misc": "misc", "web": "misc"}
CONTAINER_FIELDS = {"article": "journal", "inproceedings": "booktitle", "preprint": "howpublished", "misc": "howpublished"}
# A trailing venue part taken as the publisher even without volume or pages.
PUBLISHERS = frozenset({"IEEE", "ACM", "Springer", "Elsevier", "PMLR", "MIT Press", "IOS Press", "OpenReview.net"})
# Multi-word author names that are organisations: braced so BibTeX keeps them whole.
ORGANISATION_WORDS = frozenset(
    "team ai contributors technology project lab labs inc inc. research collaboration group"
    " corporation university institute foundation consortium community organization".split()
)

# ---------------------------------------------------------------- venues

_VENUE_RE = re.compile(
    r"^(?P<container>.+?)"
    r"(?:, (?P<volume>\d+)(?:\((?P<number>[^()]+)\))?)?"
    r"(?:, (?P<pages>[A-Za-z]?\d+(?:\s*[-\u2013]{1,2}\s*[A-Za-z]?\d+)?\+?))?"
    r"(?:, (?P<publisher>[^,\d][^,]*))?$"
)


@dataclass(frozen=True, slots=True)
class Venue:
    """A venue split into the parts BibTeX has fields for."""

    container: str
    volume: str = ""
    number: str = ""
    pages: str = ""
    publisher: str = ""

    def text(self) -> str:
        """The venue as the list writes it: ``container, volume(number), pages, publisher``."""
        issue = f"{self.volume}({self.number})" if self.number else self.volume
        return ", ".join(p for p in (self.container, issue, self.pages, self.publisher) if p)


@lru_cache(maxsize=4096)  # venues repeat across a list
def parse_venue(venue: str) -> Venue:
    """Split ``venue`` into parts, or keep it whole when a split would not read back."""
    match = _VENUE_RE.match(venue)
    if not match:
        return Venue(venue)
    parts = Venue(**{k: v or "" for k, v in match.groupdict().items()})
    if parts.publisher and not (parts.volume or parts.pages or parts.publisher in PUBLISHERS):
        return Venue(venue)  # "Models: Explainability, Robustness, and Beyond" is one name
    return parts if parts.text() == venue else Venue(venue)


def venue_kind(paper: Paper) -> str:
    """``article``, ``inproceedings``, ``preprint``, ``misc`` or ``web`` (a page with no venue)."""
    if not paper.venue:
        return "preprint" if arxiv_id(paper) else "web" if paper.url else "misc"
    venue = parse_venue(paper.venue)
    kind = _container_kind(venue.container) or ("article" if venue.volume else "misc")
    return kind if kind != "preprint" or arxiv_id(paper) else "misc"


@lru_cache(maxsize=4096)
def _container_kind(container: str) -> str:
    return next((kind for kind, pattern in VENUE_KINDS if pattern.search(container)), "")


def arxiv_id(paper: Paper) -> str:
    """The paper's arXiv id, from its field, URL or venue text."""
    return paper.arxiv or arxiv_in(paper.url) or arxiv_in(paper.venue)


# ---------------------------------------------------------------- escaping

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


def _ascii_char(char: str) -> str | None:
    """The LaTeX for one non-ASCII character, or None when there is none."""
    if char in TEXT_SYMBOLS:
        return f"\\{TEXT_SYMBOLS[char]}{{}}"
    if char in MATH_SYMBOLS:
        return f"$\\{MATH_SYMBOLS[char]}$"
    if char in LETTER_COMMANDS:
        return f"{{\\{LETTER_COMMANDS[char]}}}"
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if len(marks) != 1 or marks[0] not in ACCENT_COMMANDS or not base.isascii():
        return None  # no escape (CJK, Cyrillic, two accents): kept as UTF-8
    command = ACCENT_COMMANDS[marks[0]]
    # {\'e} for symbol accents; {\c{c}} for letter-named ones, which need the group.
    return f"{{\\{command}{base}}}" if not command.isalpha() else f"{{\\{command}{{{base}}}}}"


_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


def escape(text: str, ascii: bool = False) -> str:
    """``text`` as a BibTeX field value: LaTeX specials escaped; with ``ascii``, no 8-bit characters."""
    if _SPECIAL_RE.search(text):
        text = _SPECIAL_RE.sub(lambda m: SPECIALS[m.group(0)], text)
    if ascii and not text.isascii():
        text = _NON_ASCII_RE.sub(lambda m: _ascii_char(m.group(0)) or m.group(0), text)
    return text


def unescapable(text: str) -> str:
    """The characters of ``text`` that ``--ascii`` cannot write as LaTeX (kept as UTF-8)."""
    return "".join(dict.fromkeys(c for c in text if not c.isascii() and _ascii_char(c) is None))


# ---------------------------------------------------------------- capitals

# Punctuation around a word that stays outside its braces: ({RoPE}), "{KV}".
_LEADING = "\"'`(["
_TRAILING = "\"'`)].,;:!?"
_DIGIT_RE = re.compile(r"\d")
_PART_RE = re.compile(r"[-/'\u2019]")


@lru_cache(maxsize=16384)  # title words repeat
def needs_braces(word: str, first: bool = False) -> bool:
    """Whether a careful author would brace ``word`` against a style's lower-casing.

    Yes for words with a capital after their first letter (``RoPE``,
    ``LLaMA``, ``KV``, ``FlashAttention-2``), capitals mixed with digits
    (``GPT-4``, ``Qwen2``, ``3D``) and lone capitals other than the article
    ``A`` (``Q-Former``, "can I"); no for ordinary capitalised words, parts of
    hyphenated compounds included (``Long-Context``), which styles may lower.
    """
    rest = word[1:]
    digit = _DIGIT_RE.search(word) is not None
    if rest and rest == rest.lower() and not (digit and word[0].isupper()):
        return False  # the common case, decided without looking at each letter
    if digit and word != word.lower():
        return True
    for part in filter(None, _PART_RE.split(word)):
        letters = [c for c in part if c.isalpha()]
        if any(c.isupper() for c in letters[1:]):
            return True
        if len(letters) == 1 == len(part) and part.isupper() and part != "A" and not first:
            return True
    return False


def protect(title: str, ascii: bool = False) -> str:
    """The title escaped, with every word ``needs_braces`` picks wrapped in ``{...}``."""
    out = []
    for index, word in enumerate(title.split(" ")):
        core = word.lstrip(_LEADING)
        bare = core.rstrip(_TRAILING)
        if bare and needs_braces(bare, first=index == 0):
            lead, trail = word[: len(word) - len(core)], core[len(bare) :]
            out.append(f"{escape(lead, ascii)}{{{escape(bare, ascii)}}}{escape(trail, ascii)}")
        else:
            out.append(escape(word, ascii))
    return " ".join(out)


# ---------------------------------------------------------------- entries


@dataclass(frozen=True, slots=True)
class BibEntry:
    """One BibTeX entry: type, key and fields, values already in BibTeX syntax."""

    type: str
    key: str
    fields: tuple[tuple[str, str], ...]

    def field(self, name: str) -> str:
        """A field's value, or ''."""
        return dict(self.fields).get(name, "")


def is_organisation(name: str) -> bool:
    """Whether an author of several words is an organisation (``Qwen Team``, ``Meta AI``)."""
    words = name.lower().split()
    return len(words) > 1 and not ORGANISATION_WORDS.isdisjoint(words)


@lru_cache(maxsize=16384)  # so do authors
def author_name(name: str, ascii: bool = False) -> str:
    """One author for the ``author`` field; organisations and names BibTeX would misread braced."""
    text = escape(name, ascii)
    awkward = "," in name or "and" in name.lower().split()
    return f"{{{text}}}" if awkward or is_organisation(name) else text


def old_style_archive(arxiv: str) -> str:
    """The subject archive an old-style id carries (``hep-th`` of ``hep-th/9901001``), or ''."""
    return arxiv.split("/")[0] if "/" in arxiv else ""


def to_entry(paper: Paper, ascii: bool = False) -> BibEntry:
    """The BibTeX entry for one paper."""
    kind = venue_kind(paper)
    if not paper.authors:
        kind = "web" if kind == "web" else "misc" if kind != "preprint" else kind
    arxiv = arxiv_id(paper)
    fields: list[tuple[str, str]] = [("title", protect(paper.title, ascii))]
    if paper.authors:
        fields.append(("author", " and ".join(author_name(a, ascii) for a in paper.authors)))
    else:
        fields.append(("key", escape(paper.title, ascii)))  # what styles sort and label by instead
    if kind == "web":
        fields.append(("howpublished", f"\\url{{{_url(paper.url)}}}"))
    elif kind == "preprint" and not paper.venue:
        fields.append(("howpublished", f"arXiv preprint arXiv:{arxiv}"))
    elif paper.venue:
        venue = parse_venue(paper.venue)
        if kind not in ("article", "inproceedings") or (kind == "inproceedings" and venue.number):
            venue = Venue(paper.venue)  # one text; a conference has no issue numbers
        fields.append((CONTAINER_FIELDS.get(kind, "howpublished"), escape(venue.container, ascii)))
        fields += [(n, escape(v, ascii)) for n, v in _venue_fields(venue) if v]
    fields.append(("year", str(paper.year)))
    if arxiv:
        fields += [("eprint", arxiv), ("archivePrefix", "arXiv")]
        if old_style_archive(arxiv):
            fields.append(("primaryClass", old_style_archive(arxiv)))
    if paper.doi:
        fields.append(("doi", _url(paper.doi)))
    if paper.url:
        fields.append(("url", _url(paper.url)))
    if paper.tags:
        fields.append(("keywords", escape(", ".join(paper.tags), ascii)))
    if paper.note:
        fields.append(("annote", escape(paper.note, ascii)))
    if paper.ids:  # biblatex's key aliases: drafts citing a merged record's former key still resolve
        fields.append(("ids", ", ".join(paper.ids)))
    if paper.distinct:  # lclm's own field: look-alikes that are other papers; styles ignore it
        fields.append(("distinct", ", ".join(paper.distinct)))
    return BibEntry(ENTRY_TYPES[kind], paper.key, tuple(fields))


def _venue_fields(venue: Venue) -> tuple[tuple[str, str], ...]:
    return (("volume", venue.volume), ("number", venue.number), ("pages", venue.pages), ("publisher", venue.publisher))


def _url(url: str) -> str:
    # URLs are written as they are, but a brace would unbalance the entry.
    return url.replace("{", "%7B").replace("}", "%7D")


def render(entries: Iterable[BibEntry]) -> str:
    """BibTeX text for ``entries``, laid out as bibtexparser's writer does with
    two-space indent and one blank line between entries."""
    blocks = []
    for entry in entries:
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in entry.fields)
        blocks.append(f"@{entry.type}{{{entry.key},\n{body}\n}}\n")
    return "\n".join(blocks)


def to_bibtex(papers: Iterable[Paper], ascii: bool = False) -> str:
    """The papers as a ``.bib`` file, in the order given.

    UTF-8 by default; with ``ascii``, non-ASCII characters are written as
    LaTeX escapes for 8-bit BibTeX (é -> {\\'e}, ł -> {\\l}, – -> \\textendash{}).
    A character with no escape (CJK, Cyrillic, letters with two accents) is
    kept as UTF-8: ``unescapable`` names them so the caller can warn.
    """
    return render(to_entry(p, ascii) for p in papers)


def paper_text(paper: Paper) -> str:
    """All text of a paper that goes into its entry (for ``unescapable``)."""
    return " ".join([paper.title, *paper.authors, paper.venue, *paper.tags, paper.note])
