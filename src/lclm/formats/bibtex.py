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

from lclm import venues
from lclm.ids import arxiv_id
from lclm.latex import (
    ACCENT_COMMANDS,
    ASCII_TWINS,
    LETTER_COMMANDS,
    MATH_SYMBOLS,
    SCRIPT_CHARS,
    SPECIALS,
    TEXT_SYMBOLS,
)
from lclm.model import Paper
from lclm.text import is_organisation
from lclm.venues import VenueParts, parse_venue

# ---------------------------------------------------------------- entry types

# The entry kind of each kind of venue (``lclm.venues.kind``); a preprint is a
# "preprint" entry only on arXiv with an id, any other manuscript is "misc".
KIND_ENTRIES = {"conference": "inproceedings", "workshop": "inproceedings", "journal": "article"}
# The BibTeX entry type of each kind, and the field its container name goes in.
ENTRY_TYPES = {"article": "article", "inproceedings": "inproceedings", "preprint": "misc", "misc": "misc", "web": "misc"}
CONTAINER_FIELDS = {"article": "journal", "inproceedings": "booktitle", "preprint": "howpublished", "misc": "howpublished"}

# ---------------------------------------------------------------- venues

def venue_kind(paper: Paper) -> str:
    """``article``, ``inproceedings``, ``preprint``, ``misc`` or ``web`` (a page with no venue).

    The venue's kind comes from the one venue table (``lclm.venues``): PVLDB
    is a journal, so an ``article``.
    """
    if not paper.venue:
        return "preprint" if arxiv_id(paper) else "web" if paper.url else "misc"
    venue = parse_venue(paper.venue)
    kind = venues.kind(venue.container)
    if kind == "preprint":
        on_arxiv = venues.lookup(venue.container) is venues.ARXIV
        return "preprint" if on_arxiv and arxiv_id(paper) else "misc"
    return KIND_ENTRIES.get(kind) or ("article" if venue.volume else "misc")


# ---------------------------------------------------------------- escaping



def _ascii_char(char: str) -> str | None:
    """The LaTeX for one non-ASCII character, or None when there is none."""
    if char in TEXT_SYMBOLS:
        return f"\\{TEXT_SYMBOLS[char]}{{}}"
    if char in MATH_SYMBOLS:
        return f"$\\{MATH_SYMBOLS[char]}$"
    if char in SCRIPT_CHARS:
        return f"${SCRIPT_CHARS[char]}$"
    if char in ASCII_TWINS:
        return ASCII_TWINS[char]
    folded = unicodedata.normalize("NFKC", char)
    if folded != char and folded.isascii() and folded.isalnum():  # 𝖳 (mathematical sans-serif T) is a T
        return folded
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
            venue = VenueParts(paper.venue)  # one text; a conference has no issue numbers
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


def _venue_fields(venue: VenueParts) -> tuple[tuple[str, str], ...]:
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
