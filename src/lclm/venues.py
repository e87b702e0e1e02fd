"""Venues: the one table of what lclm knows about a venue, and how this list writes one.

Each row of ``VENUES`` is one venue: the name readers use (``NeurIPS``), its
kind (conference, journal, workshop or preprint), the names DBLP gives it
(``NeurIPS``, ``NIPS``), how the list writes it, short (``NeurIPS {year}``)
or long (``Advances in Neural Information Processing Systems``), and a
pattern that finds it in the free text of a ``venue`` field.  Everything that
asks about a venue reads this table: ``lookup`` (which venue a text names:
``lclm stats`` counts under its name), ``kind`` (the BibTeX and CSL entry
types), ``is_preprint`` (``lclm refresh`` upgrades preprints) and
``VenueTable`` (how ``refresh`` writes a venue DBLP names).

A store may add venues and choose the style in ``_venues.yaml`` (read by
``lclm.store.venue_file``)::

    style: short            # or long (the default)
    venues:
      ICLR: {short: "ICLR {year}", long: "International Conference on Learning Representations"}
      Some Workshop: "The Some Workshop {year}"    # one form for both styles

``{year}`` is replaced by the publication year.  Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lclm.errors import StoreError

if TYPE_CHECKING:
    from lclm.model import Paper

STYLES = ("long", "short")
DEFAULT_STYLE = "long"

# What marks a venue as a preprint server or an unpublished manuscript (folded text).
_PREPRINT_RE = re.compile(
    r"\b(?:arxiv|corr|biorxiv|medrxiv|chemrxiv|techrxiv|ssrn|preprints?|research square"
    r"|openreview\.net|submitted to|under review|in submission|e-?prints?)\b"
)
# DBLP's qualifiers that do not change which venue it is: "ACL (1)", "ICLR (Poster)".
_QUALIFIER_RE = re.compile(r"\s*\((?:\d+|long papers|short papers|volume \d+|poster|oral|spotlight)\)\s*$", re.IGNORECASE)

# A journal_ref that names a venue of the table and a year: "ICLR 2024", "Accepted at NeurIPS 2023".
_REFERENCE_RE = re.compile(
    r"^(?:(?:accepted|published|to appear)\s+(?:at|in|to|by)\s+(?:the\s+)?)?"
    r"(?P<name>[A-Za-z][\w./&-]*)\s*'?\s*(?P<year>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
# A journal_ref naming one of these is not the main venue its first word names.
SIDE_TRACKS = ("findings", "workshop", "tiny paper", "demo", "student", "tutorial", "competition")

KINDS = ("conference", "journal", "workshop", "preprint")


@dataclass(frozen=True, slots=True)
class Venue:
    """One venue: the name readers use, its kind, DBLP's names for it, the list's forms and a text pattern."""

    name: str
    kind: str
    dblp: tuple[str, ...]
    short: str
    long: str
    pattern: re.Pattern[str]

    def form(self, style: str) -> str:
        """How the list writes the venue in ``style`` (``{year}`` still in it)."""
        return self.short if style == "short" else self.long


def _row(name: str, kind: str, dblp: tuple[str, ...], short: str, long: str, pattern: str) -> Venue:
    return Venue(name, kind, dblp, short, long, re.compile(pattern, re.IGNORECASE))


# The venues lclm knows, most specific first: ``lookup`` takes the first whose
# pattern finds the text.  The long forms follow the committed list (Google
# Scholar's wording); Findings rows count under their conference's name.
VENUES: tuple[Venue, ...] = (
    _row("arXiv", "preprint", ("CoRR",), "arXiv", "arXiv", r"\barxiv\b|^corr\b|\bpreprint\b"),
    _row("NeurIPS", "conference", ("NeurIPS", "NIPS"), "NeurIPS {year}", "Advances in Neural Information Processing Systems",
         r"neural information processing systems|\bneurips\b|\bnips\b"),
    _row("ICLR", "conference", ("ICLR",), "ICLR {year}", "International Conference on Learning Representations",
         r"conf(?:erence|\.)? on learning representations?|\biclr\b"),
    _row("ICML", "conference", ("ICML",), "ICML {year}", "International Conference on Machine Learning",
         r"international conference on machine learning|\bicml\b"),
    _row("COLM", "conference", ("COLM",), "COLM {year}", "Conference on Language Modeling", r"conference on language modeling|\bcolm\b"),
    _row("EMNLP", "conference", ("EMNLP (Findings)",), "Findings of EMNLP {year}",
         "Findings of the Association for Computational Linguistics: EMNLP {year}", r"^findings of (?:the association for computational linguistics: )?emnlp\b"),
    _row("EMNLP", "conference", ("EMNLP",), "EMNLP {year}", "Proceedings of the {year} Conference on Empirical Methods in Natural Language Processing",
         r"empirical methods in natural language processing|\bemnlp\b"),
    _row("NAACL", "conference", ("NAACL (Findings)",), "Findings of NAACL {year}",
         "Findings of the Association for Computational Linguistics: NAACL {year}", r"^findings of (?:the association for computational linguistics: )?naacl\b"),
    _row("NAACL", "conference", ("NAACL-HLT", "NAACL"), "NAACL {year}",
         "Proceedings of the {year} Conference of the North American Chapter of the Association for Computational Linguistics: Human Language Technologies",
         r"north american chapter of the association for computational linguistics|\bnaacl\b"),
    _row("LREC-COLING", "conference", ("LREC/COLING",), "LREC-COLING {year}",
         "Proceedings of the {year} Joint International Conference on Computational Linguistics, Language Resources and Evaluation (LREC-COLING {year})",
         r"\blrec-coling\b|computational linguistics, language resources and evaluation"),
    _row("COLING", "conference", ("COLING",), "COLING {year}", "Proceedings of the International Conference on Computational Linguistics",
         r"international conference on computational linguistics|\bcoling\b"),
    _row("TACL", "journal", ("Trans. Assoc. Comput. Linguistics",), "TACL", "Transactions of the Association for Computational Linguistics",
         r"transactions of the association for computational linguistics|\btacl\b"),
    _row("EACL", "conference", ("EACL",), "EACL {year}", "Proceedings of the Conference of the European Chapter of the Association for Computational Linguistics",
         r"european chapter of the association for computational linguistics|\beacl\b"),
    _row("ACL", "conference", ("ACL (Findings)",), "Findings of ACL {year}", "Findings of the Association for Computational Linguistics: ACL {year}",
         r"^findings of (?:the association for computational linguistics: )?acl\b"),
    _row("ACL", "conference", ("ACL",), "ACL {year}", "Proceedings of the Annual Meeting of the Association for Computational Linguistics",
         r"annual meeting of the association for computational linguistics|^acl\b"),
    _row("AAAI", "conference", ("AAAI",), "AAAI {year}", "Proceedings of the AAAI Conference on Artificial Intelligence", r"\baaai\b"),
    _row("IJCAI", "conference", ("IJCAI",), "IJCAI {year}", "Proceedings of the International Joint Conference on Artificial Intelligence",
         r"international joint conference on artificial intelligence|\bijcai\b"),
    _row("AISTATS", "conference", ("AISTATS",), "AISTATS {year}", "International Conference on Artificial Intelligence and Statistics",
         r"artificial intelligence and statistics|\baistats\b"),
    _row("UAI", "conference", ("UAI",), "UAI {year}", "Conference on Uncertainty in Artificial Intelligence",
         r"uncertainty in artificial intelligence|\buai\b"),
    _row("KDD", "conference", ("KDD",), "KDD {year}", "Proceedings of the ACM SIGKDD Conference on Knowledge Discovery and Data Mining",
         r"knowledge discovery and data mining|\bkdd\b"),
    _row("WWW", "conference", ("WWW",), "WWW {year}", "Proceedings of the ACM Web Conference", r"\bweb conference\b|^www\b"),
    _row("SIGIR", "conference", ("SIGIR",), "SIGIR {year}",
         "Proceedings of the International ACM SIGIR Conference on Research and Development in Information Retrieval", r"\bsigir\b"),
    _row("CVPR", "conference", ("CVPR",), "CVPR {year}", "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition",
         r"conference on computer vision and pattern recognition|\bcvpr\b"),
    _row("ICCV", "conference", ("ICCV",), "ICCV {year}", "Proceedings of the IEEE/CVF International Conference on Computer Vision",
         r"international conference on computer vision|\biccv\b"),
    _row("ECCV", "conference", ("ECCV",), "ECCV {year}", "European Conference on Computer Vision", r"european conference on computer vision|\beccv\b"),
    _row("MLSys", "conference", ("MLSys",), "MLSys {year}", "Proceedings of Machine Learning and Systems", r"machine learning and systems|\bmlsys\b"),
    _row("SOSP", "conference", ("SOSP",), "SOSP {year}", "Proceedings of the ACM Symposium on Operating Systems Principles",
         r"symposium on operating systems principles|\bsosp\b"),
    _row("OSDI", "conference", ("OSDI",), "OSDI {year}", "USENIX Symposium on Operating Systems Design and Implementation",
         r"operating systems design and implementation|\bosdi\b"),
    _row("NSDI", "conference", ("NSDI",), "NSDI {year}", "USENIX Symposium on Networked Systems Design and Implementation",
         r"networked systems design and implementation|\bnsdi\b"),
    _row("EuroSys", "conference", ("EuroSys",), "EuroSys {year}", "Proceedings of the European Conference on Computer Systems",
         r"european conference on computer systems|\beurosys\b"),
    _row("ASPLOS", "conference", ("ASPLOS",), "ASPLOS {year}",
         "Proceedings of the ACM International Conference on Architectural Support for Programming Languages and Operating Systems",
         r"architectural support for programming languages|\basplos\b"),
    _row("ISCA", "conference", ("ISCA",), "ISCA {year}", "Proceedings of the Annual International Symposium on Computer Architecture",
         r"international symposium on computer architecture|\bisca\b"),
    _row("HPCA", "conference", ("HPCA",), "HPCA {year}", "IEEE International Symposium on High-Performance Computer Architecture",
         r"high-performance computer architecture|\bhpca\b"),
    _row("SC", "conference", ("SC",), "SC {year}",
         "Proceedings of the International Conference for High Performance Computing, Networking, Storage and Analysis",
         r"high performance computing, networking, storage and analysis|^sc\d\d\b"),
    _row("SoCC", "conference", ("SoCC",), "SoCC {year}", "Proceedings of the ACM Symposium on Cloud Computing",
         r"symposium on cloud computing|\bsocc\b"),
    _row("USENIX ATC", "conference", ("USENIX ATC", "USENIX Annual Technical Conference"), "USENIX ATC {year}",
         "USENIX Annual Technical Conference", r"usenix annual technical conference|\busenix atc\b"),
    _row("PVLDB", "journal", ("Proc. VLDB Endow.",), "PVLDB", "Proceedings of the VLDB Endowment",
         r"proc(?:eedings of the|\.) vldb endow|\bpvldb\b"),
    _row("JMLR", "journal", ("J. Mach. Learn. Res.",), "JMLR", "Journal of Machine Learning Research",
         r"journal of machine learning research|\bjmlr\b"),
    _row("TMLR", "journal", ("Trans. Mach. Learn. Res.",), "TMLR", "Transactions on Machine Learning Research",
         r"transactions on machine learning research|\btmlr\b"),
    _row("TPAMI", "journal", ("IEEE Trans. Pattern Anal. Mach. Intell.",), "TPAMI", "IEEE Transactions on Pattern Analysis and Machine Intelligence",
         r"transactions on pattern analysis and machine intelligence|\btpami\b"),
    _row("Nature Machine Intelligence", "journal", ("Nat. Mac. Intell.",), "Nature Machine Intelligence", "Nature Machine Intelligence",
         r"^nature machine intelligence\b"),
    _row("Neurocomputing", "journal", ("Neurocomputing",), "Neurocomputing", "Neurocomputing", r"^neurocomputing\b"),
    _row("Machine Intelligence Research", "journal", ("Mach. Intell. Res.",), "Machine Intelligence Research", "Machine Intelligence Research",
         r"^machine intelligence research\b"),
)
ARXIV = VENUES[0]  # the preprint server: a preprint entry in BibTeX, "arXiv (preprint)" in stats
_BY_DBLP = {name.casefold(): venue for venue in VENUES for name in venue.dblp}
_WORKSHOP_RE = re.compile(r"\bworkshops?\b", re.IGNORECASE)
# The kind of a venue the table does not name, from its words; the first that matches.
_KIND_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("conference", r"\bconference\b|\bconf\b|\bproceedings\b|\bproc\.|\bsymposium\b|\bmeeting\b|\btrack\b"
                       r"|\bfindings of\b|\b(?:ecai|usenix)\b"),
        ("journal", r"\bjournal\b|\btransactions\b|\bletters\b|\breview\b|\bmagazine\b|\bmicro\b|^nature\b|^science\b"),
    )
)


@lru_cache(maxsize=4096)  # venues repeat across a list
def lookup(text: str) -> Venue | None:
    """The venue of the table that ``text`` (a venue as a list writes it, or DBLP's name) names, or None.

    A workshop held at a conference (``Workshop on X @ ICML 2024``) is not
    the conference, and a manuscript "submitted to" one is not published
    there: both give None.
    """
    known = _BY_DBLP.get(_QUALIFIER_RE.sub("", text.strip()).casefold())
    if known is not None:
        return known
    if _WORKSHOP_RE.search(text):
        return None
    if is_preprint(text):
        return ARXIV if ARXIV.pattern.search(text) else None
    return next((venue for venue in VENUES if venue.pattern.search(text)), None)


@lru_cache(maxsize=4096)
def kind(text: str) -> str:
    """``conference``, ``journal``, ``workshop`` or ``preprint`` for a venue text; '' when nothing tells."""
    if is_preprint(text):
        return "preprint"
    if _WORKSHOP_RE.search(text):
        return "workshop"
    venue = lookup(text)
    if venue is not None:
        return venue.kind
    return next((name for name, pattern in _KIND_WORDS if pattern.search(text)), "")


def is_preprint(venue: str) -> bool:
    """Whether ``venue`` names a preprint (arXiv, CoRR, bioRxiv, "Submitted to ...")."""
    from lclm.text import fold

    return bool(_PREPRINT_RE.search(fold(venue)))


def is_preprint_paper(paper: Paper) -> bool:
    """Whether a paper is known only as a preprint: a preprint venue, or none but an arXiv id."""
    from lclm.ids import arxiv_id

    return is_preprint(paper.venue) or (not paper.venue and bool(arxiv_id(paper)))


@dataclass(slots=True)
class VenueTable:
    """The venues of a list: DBLP name -> form per style, and the style the list uses."""

    style: str = DEFAULT_STYLE
    forms: dict[str, dict[str, str]] = field(default_factory=dict)

    def write(self, name: str, year: int | None) -> str | None:
        """How the list writes DBLP venue ``name`` in ``year``; None if the table lacks it."""
        form = self._lookup(name)
        if form is None:
            return None
        text = form.get(self.style) or next(iter(form.values()))
        return text.replace("{year}", str(year) if year else "").strip()

    def read(self, names: list[str], year: int | None) -> str | None:
        """How the list writes the venue a service names (its ``names`` for one venue), or None.

        A name is tried as the table's key (DBLP's ``ICML``, or a venue of
        the store's ``_venues.yaml``), then as a text in which ``lookup`` finds
        a venue of ``VENUES`` (``IEEE Conference on Computer Vision and Pattern
        Recognition`` is CVPR, as ``lclm stats`` counts it), then against the
        table's own forms, "Advances in"/"Proceedings of the" and years left
        out (a store's venue written out in full).  Preprints, workshops and
        venues the table lacks give None.
        """
        names = [n for n in names if n and not is_preprint(n)]
        for name in names:
            written = self.write(name, year)
            if written:
                return written
        for name in names:
            venue = lookup(name)
            if venue is not None and venue is not ARXIV:
                written = self.write(venue.dblp[0], year)
                if written:
                    return written
        wanted = {_plain_form(n) for n in names}
        for key, form in self.forms.items():
            if any(_plain_form(text) in wanted for text in form.values()):
                return self.write(key, year)
        return None

    def read_reference(self, text: str) -> tuple[str, int] | None:
        """The venue name and year of an arXiv ``journal_ref`` such as ``ICLR 2024``.

        Only a reference that starts with a venue of the table and a year is
        read; anything else (``Phys. Rev. B 85, 115117 (2012)``, ``Findings of
        ACL 2024``, a workshop) gives None, and the curator decides.
        """
        from lclm.text import fold

        match = _REFERENCE_RE.match(text.strip())
        if match is None or any(word in fold(text) for word in SIDE_TRACKS):
            return None
        if self._lookup(match["name"]) is None:
            return None
        return match["name"], int(match["year"])

    def _lookup(self, name: str) -> dict[str, str] | None:
        for candidate in (name, _QUALIFIER_RE.sub("", name)):
            form = self.forms.get(candidate.casefold())
            if form is not None:
                return form
        return None


# Words a venue's long form may carry or not ("Advances in ...", "Proceedings of the ...").
_VENUE_FILLER_RE = re.compile(r"^(?:advances in|proceedings of(?: the)?|the)\s+|\b(?:19|20)\d{2}\b|\{year\}")


def _plain_form(text: str) -> str:
    """A venue's name for comparing forms: normalised, without filler words and years."""
    from lclm.text import normalize_title

    return " ".join(_VENUE_FILLER_RE.sub(" ", normalize_title(text.replace("{year}", ""))).split())


# ---------------------------------------------------------------- a venue text's parts

# A trailing venue part taken as the publisher even without volume or pages.
PUBLISHERS = frozenset({"IEEE", "ACM", "Springer", "Elsevier", "PMLR", "MIT Press", "IOS Press", "OpenReview.net"})
_VENUE_RE = re.compile(
    r"^(?P<container>.+?)"
    r"(?:, (?P<volume>\d+)(?:\((?P<number>[^()]+)\))?)?"
    r"(?:, (?P<pages>[A-Za-z]?\d+(?:\s*[-\u2013]{1,2}\s*[A-Za-z]?\d+)?\+?))?"
    r"(?:, (?P<publisher>[^,\d][^,]*))?$"
)


@dataclass(frozen=True, slots=True)
class VenueParts:
    """A venue text split into the parts BibTeX and CSL have fields for."""

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
def parse_venue(venue: str) -> VenueParts:
    """Split ``venue`` into parts, or keep it whole when a split would not read back."""
    match = _VENUE_RE.match(venue)
    if not match:
        return VenueParts(venue)
    parts = VenueParts(**{k: v or "" for k, v in match.groupdict().items()})
    if parts.publisher and not (parts.volume or parts.pages or parts.publisher in PUBLISHERS):
        return VenueParts(venue)  # "Models: Explainability, Robustness, and Beyond" is one name
    return parts if parts.text() == venue else VenueParts(venue)


def default_table() -> VenueTable:
    """The table shipped with lclm (every DBLP name of ``VENUES``), in the default (long) style."""
    forms = {name.casefold(): {"short": v.short, "long": v.long} for v in VENUES for name in v.dblp}
    return VenueTable(DEFAULT_STYLE, forms)


def table_from(path: Path, data: Any, node: Any) -> VenueTable:
    """The default table with a store's ``_venues.yaml`` (``data``, composed as ``node``) laid over it.

    A malformed file raises ``StoreError`` naming the file, line and field.
    """
    table = default_table()
    if not isinstance(data, dict):
        raise StoreError(f"{path}:1: must be a mapping with 'style' and 'venues'")
    _apply(table, path, data, node)
    return table


def _apply(table: VenueTable, path: Path, data: dict[str, Any], node: Any) -> None:
    lines = {k.value: v.start_mark.line + 1 for k, v in getattr(node, "value", []) if hasattr(k, "value")}
    unknown = sorted(set(data) - {"style", "venues"})
    if unknown:
        raise StoreError(f"{path}:{lines.get(unknown[0], 1)}: {unknown[0]}: unknown key (expected style, venues)")
    style = data.get("style", DEFAULT_STYLE)
    if style not in STYLES:
        raise StoreError(f"{path}:{lines.get('style', 1)}: style: must be one of {', '.join(STYLES)}, not {style!r}")
    table.style = style
    venues = data.get("venues") or {}
    if not isinstance(venues, dict):
        raise StoreError(f"{path}:{lines.get('venues', 1)}: venues: must map DBLP venue names to forms")
    for name, form in venues.items():
        table.forms[str(name).casefold()] = _form(path, lines.get("venues", 1), str(name), form)


def _form(path: Path, line: int, name: str, form: Any) -> dict[str, str]:
    if isinstance(form, str) and form.strip():
        return {"short": form, "long": form}
    if isinstance(form, dict) and form and all(k in STYLES and isinstance(v, str) for k, v in form.items()):
        return {str(k): str(v) for k, v in form.items()}
    raise StoreError(f"{path}:{line}: venues: {name}: must be a text or {{short: ..., long: ...}}")
