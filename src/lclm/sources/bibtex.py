"""Papers from BibTeX: ``parse_bibtex`` and ``read_entries`` (pure; ``lclm.actions.import_bibtex`` stores them).

bibtexparser 2 splits the file into blocks; this module resolves ``@string``
macros and ``#`` concatenation (bibtexparser only resolves a value that is
one bare macro), follows ``crossref`` (cycles stop), and turns LaTeX into
Unicode.  Every entry comes back as a paper or as one reason it was skipped;
an entry the parser could not read (``library.failed_blocks``), or one a
stray ``}`` closed early (its remaining fields are left outside it), is a
``Skip`` marked ``failed``, at the entry's own line, never dropped.
A ``@proceedings`` (or ``@collection``) that children name in ``crossref`` is
their container, not a paper of its own.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from lclm.errors import InputError
from lclm.ids import DOI_RE, arxiv_in, doi_in_url, normalize_doi, parse_arxiv
from lclm.keys import KEY_RE
from lclm.latex import decode
from lclm.model import Paper

# The month macros every standard style defines.
MONTHS = dict(
    zip(
        "jan feb mar apr may jun jul aug sep oct nov dec".split(),
        "January February March April May June July August September October November December".split(),
    )
)
# Fields a crossref child takes from its parent: the container, not the parent's identity.
INHERITED = frozenset(
    "year date journal journaltitle booktitle volume number publisher series organization month".split()
)
# Where the venue's name comes from, in order of preference.
CONTAINER_FIELDS = ("journal", "journaltitle", "booktitle", "howpublished", "school", "institution")
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_URL_RE = re.compile(r"^\s*\\url\s*\{([^{}]*)\}\s*$")
# The head of an entry as written: its type and key ("@article{peng2023yarn,").
_HEAD_RE = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()=]*)")
# A line outside any entry that reads as a field ("  year = {2020},"): text an early "}" left out.
_STRAY_FIELD_RE = re.compile(r"^\s*([A-Za-z][\w-]*)\s*=\s*[{\"\w]", re.MULTILINE)
# Stand-ins for an escaped brace that bibtexparser counts as BibTeX does (see ``_blocks``).
_OPEN, _CLOSE = "\\lclmopenbrace{", "\\lclmclosebrace}"
# Entry types that are containers: a crossref parent of these types is no paper of the list.
CONTAINER_TYPES = frozenset({"proceedings", "mvproceedings", "collection", "mvcollection"})


# ---------------------------------------------------------------- macros


def _split_concat(raw: str) -> list[str]:
    """The parts of a value joined by ``#`` outside braces and quotes."""
    if "#" not in raw:
        return [raw]  # most values: no scan, character by character, of a long abstract
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(raw):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(raw[start:index])
            start = index + 1
    return parts + [raw[start:]]


def resolve(raw: str, macros: dict[str, str]) -> str:
    """A raw field value with its delimiters gone, macros expanded and ``#`` parts joined."""
    out = []
    for part in (p.strip() for p in _split_concat(raw)):
        if len(part) >= 2 and part[0] + part[-1] in ("{}", '""'):
            out.append(part[1:-1])
        elif part.isdigit():
            out.append(part)
        else:  # an undefined macro is kept as its name rather than lost
            out.append(macros.get(part.lower(), MONTHS.get(part.lower(), part)))
    return "".join(out)


# ---------------------------------------------------------------- entries


@dataclass(frozen=True, slots=True)
class Skip:
    """An entry that gave no paper: where it is, its key (if it has one) and why."""

    source: str
    line: int
    key: str
    reason: str
    failed: bool = False  # the entry could not be read at all (not merely left out)

    @property
    def where(self) -> str:
        """``source:line: key`` (the key left out when there is none)."""
        return f"{self.source}:{self.line}" + (f": {self.key}" if self.key else "")

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(slots=True)
class _Raw:
    """An entry's key, line and resolved fields (lower-case names)."""

    key: str
    line: int
    fields: dict[str, str]
    problem: str = ""
    kind: str = ""  # the entry type, lower case ("article")
    failed: bool = False  # ``problem`` is that the entry could not be read as written


def _blocks(text: str, source: str) -> tuple[list[_Raw], list[Skip]]:
    from bibtexparser import model
    from bibtexparser.entrypoint import parse_string

    # bibtexparser logs each block it cannot parse; the reasons are reported here instead.
    logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
    logging.getLogger("bibtexparser").propagate = False
    # BibTeX counts the brace of "\{" and "\}" like any other; bibtexparser skips it, and so cuts
    # "{$\{x}$ y}" short.  Each such brace is given a plain twin it counts, and given back after.
    escaped = "\\{" in text or "\\}" in text
    if escaped:
        text = text.replace("\\{", _OPEN).replace("\\}", _CLOSE)
    library = parse_string(text.lstrip("\ufeff"), parse_stack=[])
    macros: dict[str, str] = {}
    for block in library.blocks:
        if isinstance(block, model.String):
            macros[block.key.lower()] = resolve(str(block.value), macros)
    entries: list[_Raw] = []
    skipped: list[Skip] = []
    useful = False
    last: model.Block | None = None
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        entry: model.Block | None = block
        problem = ""
        previous, last = last, block
        if isinstance(block, model.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            problem = f"field {', '.join(sorted(block.duplicate_keys))} given twice"
        elif isinstance(block, model.DuplicateBlockKeyBlock):
            entry = block.ignore_error_block  # same key again: keys are re-made if taken
        elif isinstance(block, model.ParsingFailedBlock):
            skipped.append(_unreadable(block, source, line))
            useful = True
            continue
        elif isinstance(block, model.ImplicitComment) and isinstance(previous, model.Entry) and entries:
            _closed_early(entries[-1], block, line)
        if isinstance(block, (model.String, model.Preamble)):
            useful = True
        if not isinstance(entry, model.Entry):
            continue
        useful = True
        fields = {f.key.lower(): resolve(str(f.value), macros) for f in entry.fields}
        if escaped:
            fields = {name: value.replace(_OPEN, "\\{").replace(_CLOSE, "\\}") for name, value in fields.items()}
        entries.append(_Raw(entry.key.strip(), line, fields, problem, entry.entry_type.lower()))
    if not useful:
        raise InputError(f"{source}: no BibTeX entries found (is it a .bib file?)")
    return entries, skipped


def _unreadable(block: object, source: str, line: int) -> Skip:
    """The skip of a block the parser gave up on: its key (else its ``@type``) and the parser's complaint."""
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", "") or type(error).__name__
    head = _HEAD_RE.match(str(getattr(block, "raw", "")).lstrip())
    label = (head.group(2) or f"@{head.group(1).lower()}") if head else ""
    complaint = reason.strip().splitlines()[0] if reason.strip() else "syntax error"
    return Skip(source, line, label, f"cannot be read: {complaint}", failed=True)


def _closed_early(raw: _Raw, comment: object, line: int) -> None:
    """Mark ``raw`` failed when the text right after it reads as its fields: a stray ``}`` closed it early."""
    text = str(getattr(comment, "comment", "") or getattr(comment, "raw", ""))
    stray = _STRAY_FIELD_RE.search(text)
    if stray is None or raw.problem:
        return
    lead = text[: stray.start()]
    at = line + lead.count("\n")
    raw.problem = (
        f"cannot be read: a '}}' closes the entry before field {stray.group(1)!r} (line {at}), which is left outside it"
    )
    raw.failed = True


def _with_crossref(raw: _Raw, by_key: dict[str, _Raw]) -> str:
    """Give ``raw`` the container fields of its crossref parents; a cycle's reason, or ''."""
    chain = [raw.key]
    parent_key = raw.fields.get("crossref", "").strip()
    while parent_key:
        parent = by_key.get(parent_key.lower())
        if parent is None:
            return ""  # BibTeX warns and goes on; so do we
        if parent.key.lower() in (k.lower() for k in chain):
            return f"crossref cycle {' -> '.join(chain + [parent.key])}"
        chain.append(parent.key)
        for name, value in parent.fields.items():
            if name in INHERITED:
                raw.fields.setdefault(name, value)
        if "title" in parent.fields:  # a book's or proceedings' title is the child's booktitle
            raw.fields.setdefault("booktitle", parent.fields["title"])
        parent_key = parent.fields.get("crossref", "").strip()
    return ""


def _authors(raw: str) -> list[str]:
    from lclm.sources.names import parse_authors

    return parse_authors(raw, bibtex=True, decode=decode)


def _venue(fields: dict[str, str]) -> str:
    howpublished = fields.get("howpublished", "")
    container = next(
        (fields[n] for n in CONTAINER_FIELDS if fields.get(n) and not (n == "howpublished" and _URL_RE.match(howpublished))),
        "",
    )
    volume, number = fields.get("volume", ""), fields.get("number", "")
    issue = f"{volume}({number})" if volume and number else volume or number
    parts = (decode(container), decode(issue), decode(fields.get("pages", "")), decode(fields.get("publisher", "")))
    return ", ".join(p for p in parts if p)


def _url_field(value: str) -> str:
    match = _URL_RE.match(value)
    text = match.group(1) if match else value
    # Some .bib writers escape a URL's % _ & #; a URL never holds a backslash.
    return re.sub(r"\\([%_&#~])", r"\1", text).strip()


def _urls(value: str) -> list[str]:
    """The links of a ``url`` field: Zotero writes several, a space apart (``https://arxiv.org/abs/X http://dx.doi.org/Y``).

    Only when every part is a web link is the field several; otherwise it is
    one value as written (a URL with a space in it stays wrong, for the rules to name).
    """
    parts = value.split()
    if len(parts) > 1 and all(p.startswith(("http://", "https://")) for p in parts):
        return list(dict.fromkeys(parts))
    return [value] if value else []


def _arxiv(fields: dict[str, str], url: str, venue: str) -> str:
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    for name in ("eprint", "arxivid", "arxiv"):
        value = fields.get(name, "")
        parsed = parse_arxiv(value) if value and (prefix in ("", "arxiv") or name != "eprint") else None
        if parsed:
            return parsed[0]
    return arxiv_in(url) or arxiv_in(venue) or arxiv_in(fields.get("doi", ""))


def _paper(raw: _Raw) -> tuple[Paper | None, str]:
    """The paper an entry describes, or None and why not."""
    fields = raw.fields
    title = decode(fields.get("title", ""))
    if fields.get("subtitle"):
        title = f"{title}: {decode(fields['subtitle'])}"
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()  # the list adds its own period
    if not title:
        return None, "no title"
    years = _YEAR_RE.findall(fields.get("year", "")) or _YEAR_RE.findall(fields.get("date", ""))[:1]
    if not years:
        return None, f"year {fields['year']!r} is not a year" if fields.get("year") else "no year"
    howpublished = fields.get("howpublished", "")
    urls = _urls(_url_field(fields.get("url", ""))) or [_url_field(howpublished) if _URL_RE.match(howpublished) else ""]
    url = urls[0]
    doi = normalize_doi(_url_field(fields.get("doi", "")))
    if not DOI_RE.match(doi):  # none, or a short DOI ("10/gfx3tp"): a DOI link among the URLs says it in full
        doi = next(filter(None, map(doi_in_url, urls[1:])), "")
    paper = Paper(
        key=raw.key if KEY_RE.match(raw.key) else "",
        title=title,
        year=int(years[-1]),  # "{\noopsort{1973c}}1981" prints 1981
        authors=_authors(fields.get("author", "")),
        venue=_venue(fields),
        url=url,
        doi=doi if DOI_RE.match(doi) else "",
        tags=[t for t in (decode(t) for t in re.split(r"[,;]", fields.get("keywords", ""))) if t],
        note=decode(fields.get("annote", "") or fields.get("annotation", "")),
        abstract=decode(fields.get("abstract", "")),
        distinct=[k for k in re.split(r"[,\s]+", fields.get("distinct", "")) if k],
        line=raw.line,
    )
    paper.arxiv = _arxiv(fields, " ".join(urls), fields.get("journal", "") + " " + fields.get("howpublished", ""))
    if paper.arxiv and not paper.url:
        paper.url = f"https://arxiv.org/abs/{paper.arxiv}"
    if paper.arxiv and not paper.venue:  # known only as a preprint: the venue the list writes for one
        from lclm.sources.arxiv import preprint_venue

        paper.venue = preprint_venue(paper.arxiv)
    return paper, ""


def read_entries(text: str, source: str) -> tuple[list[tuple[str, Paper]], list[Skip]]:
    """Like ``parse_bibtex``, each paper with the key its entry had in the file, and the skips as data.

    A container (``@proceedings``, ``@collection``) that an entry of the file names
    in ``crossref`` gives its children their booktitle and year, and is not
    itself a paper: it is listed as skipped, with why.
    """
    entries, skipped = _blocks(text, source)
    by_key: dict[str, _Raw] = {}
    for raw in entries:
        by_key.setdefault(raw.key.lower(), raw)
    parents = {raw.fields.get("crossref", "").strip().lower() for raw in entries} - {""}
    papers = []
    for raw in entries:
        reason = raw.problem or _with_crossref(raw, by_key)
        if not reason and raw.kind in CONTAINER_TYPES and raw.key.lower() in parents:
            skipped.append(Skip(source, raw.line, raw.key, f"@{raw.kind} named in crossref: its entries' container, not a paper"))
            continue
        paper, reason = (None, reason) if reason else _paper(raw)
        if paper is None:
            skipped.append(Skip(source, raw.line, raw.key or "(no key)", reason, failed=raw.failed))
        else:
            papers.append((raw.key, paper))
    skipped.sort(key=lambda skip: skip.line)
    return papers, skipped


def parse_bibtex(text: str, source: str) -> tuple[list[Paper], list[str]]:
    """The papers of a BibTeX file, and one reason for each entry skipped.

    A paper keeps the entry's key when it fits ``lclm.keys.KEY_RE`` and gets
    key '' otherwise (the caller assigns one); its ``line`` is the entry's
    line in ``source`` and its category is ''.  Raises ``InputError`` when
    the text holds no BibTeX at all.
    """
    papers, skipped = read_entries(text, source)
    return [paper for _, paper in papers], [str(skip) for skip in skipped]

