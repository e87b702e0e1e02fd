"""Venues: is a venue a preprint, and how does this list write a published one.

The one place both questions are answered (``lclm refresh`` upgrades
preprints, ``lclm stats`` counts them).  How a venue is written is a table
from the venue names DBLP uses (``ICLR``, ``ACL (1)``, ``Trans. Mach. Learn.
Res.``) to the list's own forms, short (``ICLR 2024``) or long
(``International Conference on Learning Representations``).  The package
ships a table of common ML/NLP/systems venues in the long style the seed list
uses; a store may add to it and choose the style in ``_venues.yaml``::

    style: short            # or long (the default)
    venues:
      ICLR: {short: "ICLR {year}", long: "International Conference on Learning Representations"}
      Some Workshop: "The Some Workshop {year}"    # one form for both styles

``{year}`` is replaced by the publication year.  Pure, except ``load_table``
which reads the store's file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lclm.errors import StoreError
from lclm.store.layout import VENUES_FILE

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
_SIDE_TRACKS = ("findings", "workshop", "tiny paper", "demo", "student", "tutorial", "competition")

# DBLP venue -> (short, long).  The long forms follow the committed list
# (Google Scholar's wording); "{year}" is the publication year.
DEFAULT_VENUES: dict[str, tuple[str, str]] = {
    "ICLR": ("ICLR {year}", "International Conference on Learning Representations"),
    "NeurIPS": ("NeurIPS {year}", "Advances in Neural Information Processing Systems"),
    "NIPS": ("NeurIPS {year}", "Advances in Neural Information Processing Systems"),
    "ICML": ("ICML {year}", "International Conference on Machine Learning"),
    "COLM": ("COLM {year}", "Conference on Language Modeling"),
    "AAAI": ("AAAI {year}", "Proceedings of the AAAI Conference on Artificial Intelligence"),
    "IJCAI": ("IJCAI {year}", "Proceedings of the International Joint Conference on Artificial Intelligence"),
    "AISTATS": ("AISTATS {year}", "International Conference on Artificial Intelligence and Statistics"),
    "UAI": ("UAI {year}", "Conference on Uncertainty in Artificial Intelligence"),
    "KDD": ("KDD {year}", "Proceedings of the ACM SIGKDD Conference on Knowledge Discovery and Data Mining"),
    "WWW": ("WWW {year}", "Proceedings of the ACM Web Conference"),
    "SIGIR": ("SIGIR {year}", "Proceedings of the International ACM SIGIR Conference on Research and Development in Information Retrieval"),
    "ACL": ("ACL {year}", "Proceedings of the Annual Meeting of the Association for Computational Linguistics"),
    "ACL (Findings)": ("Findings of ACL {year}", "Findings of the Association for Computational Linguistics: ACL {year}"),
    "EMNLP": ("EMNLP {year}", "Proceedings of the {year} Conference on Empirical Methods in Natural Language Processing"),
    "EMNLP (Findings)": ("Findings of EMNLP {year}", "Findings of the Association for Computational Linguistics: EMNLP {year}"),
    "NAACL-HLT": ("NAACL {year}", "Proceedings of the {year} Conference of the North American Chapter of the Association for Computational Linguistics: Human Language Technologies"),
    "NAACL": ("NAACL {year}", "Proceedings of the {year} Conference of the North American Chapter of the Association for Computational Linguistics: Human Language Technologies"),
    "NAACL (Findings)": ("Findings of NAACL {year}", "Findings of the Association for Computational Linguistics: NAACL {year}"),
    "EACL": ("EACL {year}", "Proceedings of the Conference of the European Chapter of the Association for Computational Linguistics"),
    "COLING": ("COLING {year}", "Proceedings of the International Conference on Computational Linguistics"),
    "LREC/COLING": ("LREC-COLING {year}", "Proceedings of the {year} Joint International Conference on Computational Linguistics, Language Resources and Evaluation (LREC-COLING {year})"),
    "Trans. Assoc. Comput. Linguistics": ("TACL", "Transactions of the Association for Computational Linguistics"),
    "Trans. Mach. Learn. Res.": ("TMLR", "Transactions on Machine Learning Research"),
    "J. Mach. Learn. Res.": ("JMLR", "Journal of Machine Learning Research"),
    "Nat. Mac. Intell.": ("Nature Machine Intelligence", "Nature Machine Intelligence"),
    "CVPR": ("CVPR {year}", "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition"),
    "ICCV": ("ICCV {year}", "Proceedings of the IEEE/CVF International Conference on Computer Vision"),
    "ECCV": ("ECCV {year}", "European Conference on Computer Vision"),
    "MLSys": ("MLSys {year}", "Proceedings of Machine Learning and Systems"),
    "SOSP": ("SOSP {year}", "Proceedings of the ACM Symposium on Operating Systems Principles"),
    "OSDI": ("OSDI {year}", "USENIX Symposium on Operating Systems Design and Implementation"),
    "EuroSys": ("EuroSys {year}", "Proceedings of the European Conference on Computer Systems"),
    "ASPLOS": ("ASPLOS {year}", "Proceedings of the ACM International Conference on Architectural Support for Programming Languages and Operating Systems"),
    "ISCA": ("ISCA {year}", "Proceedings of the Annual International Symposium on Computer Architecture"),
    "SC": ("SC {year}", "Proceedings of the International Conference for High Performance Computing, Networking, Storage and Analysis"),
    "SoCC": ("SoCC {year}", "Proceedings of the ACM Symposium on Cloud Computing"),
    "Proc. VLDB Endow.": ("PVLDB", "Proceedings of the VLDB Endowment"),
    "USENIX ATC": ("USENIX ATC {year}", "USENIX Annual Technical Conference"),
    "NSDI": ("NSDI {year}", "USENIX Symposium on Networked Systems Design and Implementation"),
    "Neurocomputing": ("Neurocomputing", "Neurocomputing"),
    "Mach. Intell. Res.": ("Machine Intelligence Research", "Machine Intelligence Research"),
}


def is_preprint(venue: str) -> bool:
    """Whether ``venue`` names a preprint (arXiv, CoRR, bioRxiv, "Submitted to ...")."""
    from lclm.text import fold

    return bool(_PREPRINT_RE.search(fold(venue)))


def is_preprint_paper(paper: Paper) -> bool:
    """Whether a paper is known only as a preprint: a preprint venue, or none but an arXiv id."""
    from lclm.ids import arxiv_in

    return is_preprint(paper.venue) or (not paper.venue and bool(paper.arxiv or arxiv_in(paper.url)))


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

    def read_reference(self, text: str) -> tuple[str, int] | None:
        """The venue name and year of an arXiv ``journal_ref`` such as ``ICLR 2024``.

        Only a reference that starts with a venue of the table and a year is
        read; anything else (``Phys. Rev. B 85, 115117 (2012)``, ``Findings of
        ACL 2024``, a workshop) gives None, and the curator decides.
        """
        from lclm.text import fold

        match = _REFERENCE_RE.match(text.strip())
        if match is None or any(word in fold(text) for word in _SIDE_TRACKS):
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


def default_table() -> VenueTable:
    """The table shipped with lclm, in the default (long) style."""
    forms = {name.casefold(): {"short": s, "long": long} for name, (s, long) in DEFAULT_VENUES.items()}
    return VenueTable(DEFAULT_STYLE, forms)


def load_table(root: Path) -> VenueTable:
    """The store's venue table: the default one, with ``root/_venues.yaml`` laid over it.

    A malformed file raises ``StoreError`` naming the file, line and field.
    """
    from lclm.store.files import read_text
    from lclm.store.yamlio import compose, construct

    table = default_table()
    path = root / VENUES_FILE
    if not path.is_file():
        return table
    node = compose(path, read_text(path))
    data = construct(node) if node is not None else {}
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
