"""A Markdown list item or table row as parts: runs of text, links, images, separators.

An inline token's children (markdown-it) are flattened into runs of text
with their emphasis and the link they sit in, links with their label and
badge image, and segments (split at ``<br>``, a paragraph or a table cell,
each cell with its column's role).  Also the tables that say what a link is
(paper, code, other) and the reading of a venue badge.  Pure.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html import unescape as html_unescape
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from lclm.ids import arxiv_in
from lclm.text import INVISIBLE, collapse_spaces

if TYPE_CHECKING:
    from lclm.venues import VenueTable

# A year, never a decade ("the 1990s", "1990's") nor part of a longer number.
YEAR_RE = re.compile(r"(?<![\d.])(19[5-9]\d|20\d\d)(?![\d]|['\u2019]?s\b)")
# Link labels that name what a link is, not which paper: "[[Paper]](url)", "[Code](url)".
ROLE_WORDS = frozenset(
    """paper papers pdf arxiv code github gitlab repo repository project projectpage page website web
    blog demo homepage home model models dataset data slides video poster tutorial openreview link
    huggingface hf bib bibtex citation githubpage official officialcode talk doi acl acm ieee springer
    proceedings proceeding abs html here zhihu twitter leaderboard benchmark checkpoint checkpoints
    weights news media medium report notes note supplementary appendix""".split()
)
# Hosts (or host suffixes) of code repositories, and of places that hold the paper itself.
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "gitee.com", "codeberg.org")
PAPER_HOSTS = (
    "arxiv.org", "doi.org", "openreview.net", "aclanthology.org", "aclweb.org", "proceedings.mlr.press",
    "proceedings.neurips.cc", "papers.nips.cc", "neurips.cc", "openaccess.thecvf.com", "ieeexplore.ieee.org",
    "dl.acm.org", "link.springer.com", "sciencedirect.com", "ojs.aaai.org", "ijcai.org", "jmlr.org",
    "nature.com", "science.org", "semanticscholar.org", "biorxiv.org", "medrxiv.org", "ssrn.com",
    "researchgate.net", "computer.org", "usenix.org", "mlsys.org", "iclr.cc", "icml.cc", "aaai.org",
    "wiley.com", "tandfonline.com", "mdpi.com", "frontiersin.org", "hal.science", "pubmed.ncbi.nlm.nih.gov",
    "springeropen.com", "biomedcentral.com", "plos.org", "pnas.org", "cell.com", "academic.oup.com",
    "cambridge.org", "sagepub.com", "iop.org", "aps.org", "jstor.org", "ncbi.nlm.nih.gov", "isca-archive.org",
    "ecva.net", "bmva.org", "roboticsproceedings.org", "jair.org", "transacl.org", "direct.mit.edu",
)
CODE_WORDS = frozenset("code github gitlab repo repository officialcode".split())
PAPER_WORDS = frozenset("paper papers pdf arxiv openreview doi acl proceedings abs".split())
# shields.io badges whose label says the message is a venue: "Conference-NAACL'25".
VENUE_BADGE_LABELS = frozenset("conference journal venue publish published publication accepted workshop".split())

# "\$\\\$" and "\$\$\$\$" debris left by a BibTeX-to-Markdown conversion.
STRAY_MARKUP_RE = re.compile(r"(?:\*\*)?(?:\\\$|\\\\)+(?:\*\*)?")


@dataclass(slots=True)
class Run:
    """Text with its emphasis; ``link`` is the index of the link it is inside, or -1."""

    text: str
    strong: bool = False
    em: bool = False
    link: int = -1
    segment: int = 0
    row: int = 0  # the source line within the item's text (a soft or hard line break starts the next)


@dataclass(slots=True)
class Link:
    """A link with what it says (its label) and, for a badge, the image inside it."""

    href: str
    label: str = ""
    image: str = ""  # the src of an image inside the link (a badge)
    strong: bool = False
    segment: int = 0

    @property
    def role(self) -> str:
        """``paper``, ``code`` or ``other`` (``link_role``)."""
        return link_role(self.href, self.label)


@dataclass(slots=True)
class Parts:
    """An item's inline content, flattened."""

    runs: list[Run] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[tuple[str, str, int]] = field(default_factory=list)  # src, alt, segment
    segment: int = 0
    row: int = 0
    cells: dict[int, str] = field(default_factory=dict)  # segment -> table column role
    cell_starts: list[int] = field(default_factory=list)  # the first segment of each cell (a cell may hold <br> lines)

    def cell_of(self, segment: int) -> int:
        """The first segment of the cell ``segment`` is in; -1 for the item's own text (all of it outside tables)."""
        return max((s for s in self.cell_starts if s <= segment), default=-1)


def add_inline(parts: Parts, children: list[Any], role: str = "") -> None:
    """Append one inline token's children to ``parts``, starting a new segment.

    ``role`` is the table column's role ("title", "date", "venue", "skip", ...)
    for every segment of this inline.
    """
    if parts.runs or parts.links or parts.images:
        _next_segment(parts, role)
    elif role:
        parts.cells[parts.segment] = role
    if role:
        parts.cell_starts.append(parts.segment)
    strong = em = 0
    link = -1
    for tok in children:
        kind = tok.type
        if kind in ("text", "code_inline"):
            parts.runs.append(Run(tok.content, strong > 0, em > 0, link, parts.segment, parts.row))
            if link >= 0:
                parts.links[link].label += tok.content
        elif kind in ("softbreak", "hardbreak"):
            parts.runs.append(Run(" ", strong > 0, em > 0, link, parts.segment, parts.row))
            parts.row += 1
        elif kind in _NESTING:
            strong, em = _nest(kind, strong, em)
        elif kind == "link_open":
            parts.links.append(Link(str(tok.attrs.get("href", "")), strong=strong > 0, segment=parts.segment))
            link = len(parts.links) - 1
        elif kind == "link_close":
            link = -1
        elif kind == "image":
            src = str(tok.attrs.get("src", ""))
            if link >= 0:
                parts.links[link].image = src
            parts.images.append((src, tok.content, parts.segment))
        elif kind == "html_inline" and (href := _HTML_LINK_RE.match(tok.content)):  # <a href="...">: a link in HTML
            parts.links.append(Link(html_unescape(href[1]), strong=strong > 0, segment=parts.segment))
            link = len(parts.links) - 1
        elif kind == "html_inline" and tok.content.lower().startswith("</a"):
            link = -1
        elif kind == "html_inline":
            strong, em = _html(parts, tok.content, strong, em, role, link)


_HTML_LINK_RE = re.compile(r"<a\s[^>]*?\bhref\s*=\s*[\"']([^\"']*)[\"'][^>]*>", re.IGNORECASE)
_NESTING = {"strong_open": (1, 0), "strong_close": (-1, 0), "em_open": (0, 1), "em_close": (0, -1)}
_HTML_NESTING = {"<b>": "strong_open", "<strong": "strong_open", "</b>": "strong_close", "</strong": "strong_close",
                 "<i>": "em_open", "<em": "em_open", "</i>": "em_close", "</em": "em_close"}


def _nest(kind: str, strong: int, em: int) -> tuple[int, int]:
    ds, de = _NESTING[kind]
    return strong + ds, em + de


def _next_segment(parts: Parts, role: str) -> None:
    parts.segment += 1
    if role:
        parts.cells[parts.segment] = role


def _html(parts: Parts, html: str, strong: int, em: int, role: str, link: int) -> tuple[int, int]:
    """Inline HTML: ``<br>`` separates, ``<b>``/``<i>`` emphasise, ``<img>`` is an image."""
    low = html.lower()
    if low.startswith(("<br", "</br", "<p", "</p")):
        _next_segment(parts, role)
        return strong, em
    for tag, kind in _HTML_NESTING.items():
        if low.startswith(tag):
            return _nest(kind, strong, em)
    if low.startswith("<img"):
        found = re.search(r"src\s*=\s*[\"']([^\"']*)", html)
        parts.images.append((found[1] if found else "", "", parts.segment))
    elif not _HTML_TAG_RE.match(html):  # "<unk>", "<think>": words in angle brackets, not markup
        parts.runs.append(Run(html, strong > 0, em > 0, link, parts.segment, parts.row))
    return strong, em


# The HTML a list's author writes to lay out an item; any other <word> is text.
_HTML_TAG_RE = re.compile(
    r"</?(?:a|abbr|b|big|br|code|del|details|div|em|font|h[1-6]|hr|i|img|ins|kbd|li|mark|ol|p|picture|pre|q|s|samp"
    r"|small|source|span|strike|strong|sub|summary|sup|table|tbody|td|th|thead|tr|tt|u|ul|video)\b[^>]*>|<!--",
    re.IGNORECASE,
)


_SLIDES_RE = re.compile(r"slides?\b|\.(?:pptx?|key)$")


@functools.lru_cache(maxsize=8192)
def link_role(href: str, label: str = "") -> str:
    """``paper``, ``code`` or ``other`` for a link, from where it points and what it says."""
    parts = urlsplit(href)
    host, path, said = parts.netloc.lower().removeprefix("www."), parts.path.lower(), word(label)
    if _SLIDES_RE.search(path) or said in ("slides", "slide"):
        return "other"  # a talk's slides are not the paper, even as a PDF
    if any(host == h or host.endswith("." + h) for h in PAPER_HOSTS) or path.endswith(".pdf") or arxiv_in(href):
        return "paper"  # a page named by an arXiv id (huggingface.co/papers/ID) shows that paper
    if host in CODE_HOSTS:
        return "code" if path.strip("/").count("/") >= 1 else "other"  # a repository, not a user page
    if said in PAPER_WORDS:
        return "paper"
    if said in CODE_WORDS:
        return "code"
    return "other"


def is_role_label(label: str) -> bool:
    """Whether a label says what a link is (``Paper``, ``Code (DeepSpeed)``, ``PDF: v2``), not which paper."""
    head, *rest = re.split(r"\s*[(:]", label.strip(), maxsplit=1)
    if rest and len(rest[0].split()) > 3:
        return False  # "Code: Learning to Write Programs" is a paper's title
    return word(label) in ROLE_WORDS or bool(head) and word(head) in ROLE_WORDS


def word(label: str) -> str:
    """A link label reduced to lower-case letters and digits: ``[[Paper]]`` -> ``paper``."""
    return re.sub(r"[\W_]+", "", label).lower()


def is_external(href: str) -> bool:
    """Whether a link leaves the page (not an #anchor or a relative file)."""
    return href.startswith(("http://", "https://"))


def badge_venue(parts: Parts) -> tuple[str, int | None] | None:
    """A venue in a shields.io badge: ``Conference-NAACL'25`` -> ``("NAACL 2025", 2025)``.

    A badge whose label is a venue of lclm's venue table and whose message
    is a year, ``ICML-2020-blue``, reads the same way (``("ICML 2020", 2020)``);
    a date badge (``arXiv-2023.11``, ``abs-2025.03``, ``GitHub-2024.01``) names no venue.
    """
    for src, alt, _ in parts.images:
        path = unquote(urlsplit(src).path)
        if "/badge/" not in path:
            continue
        body = path.split("/badge/", 1)[1].rsplit(".", 1)[0] if path.endswith((".svg", ".png")) else path.split("/badge/", 1)[1]
        pieces = [p.replace("__", "_").replace("_", " ") for p in re.split(r"(?<!-)-(?!-)", body)]
        named = _venue_label(pieces)
        if named is not None:
            return named
        if len(pieces) >= 2 and (pieces[0].lower() in VENUE_BADGE_LABELS or alt.lower() in ("publish", "venue", "conference")):
            message = pieces[1].replace("--", "-")
            short = re.search(r"\s*['\u2019](\d\d)\b", message)
            full = YEAR_RE.search(message)
            if short:
                yr = 2000 + int(short[1])
                return collapse_spaces(f"{message[: short.start()]} {yr} {message[short.end():]}"), yr
            if full:
                return collapse_spaces(message), int(full[1])
            return collapse_spaces(message), None
    return None


def _venue_label(pieces: list[str]) -> tuple[str, int] | None:
    """``["ICML", "2020", "blue"]`` -> ``("ICML 2020", 2020)`` when the label is a venue the table knows."""
    if len(pieces) < 2 or not re.fullmatch(r"(?:19|20)\d\d", pieces[1].strip()):
        return None
    found = _venue_table().read_reference(f"{pieces[0].strip()} {pieces[1].strip()}")
    return None if found is None else (f"{pieces[0].strip()} {found[1]}", found[1])


@functools.cache
def _venue_table() -> VenueTable:
    from lclm.venues import default_table

    return default_table()


def preclean(raw: str) -> str:
    """The item's source without invisible characters and BibTeX-conversion debris; a bare web address is a link.

    GitHub shows ``Paper: https://arxiv.org/abs/2312.00109`` as a link
    (CommonMark alone does not): in text with no link of its own, the address
    is written ``<...>`` so it reads as one.  Beside a link it stays text
    (``[Title](url) ... URL https://...``: part of what the list wrote as the venue).
    """
    text = raw.translate(INVISIBLE)
    if "\\$" in text:
        text = STRAY_MARKUP_RE.sub(lambda m: "" if "\\$" in m[0] else m[0], text)
    if "http" in text and "](" not in text and "href" not in text.lower():
        text = _BARE_URL_RE.sub(r"<\g<0>>", text)
    return text


# A web address standing alone in text: not a link's target or label, an HTML attribute or an autolink already.
_BARE_URL_RE = re.compile(r"(?<![(<\[\"'=/\w])https?://[^\s<>()\[\]\"'`]+(?<![.,;:!?*_])")
