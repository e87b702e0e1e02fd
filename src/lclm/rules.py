"""The rule table: what a paper record may hold, for input (`add`, the imports) and `lclm validate` alike.

``RULES`` names every rule with its severity and explanation.  Field checks
are looked up in ``FIELD_CHECKS`` by field name; checks that need several
fields of one paper are in ``RECORD_CHECKS``; ``check_record`` applies them
all to one paper mapping, and ``input_problems`` is what input refuses: the
errors of that same check.  Store-wide rules (collisions, files, README) are
applied by ``lclm.checks.validate``.  Pure functions: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from lclm.ids import (
    ARXIV_ID_RE,
    DOI_RE,
    arxiv_in,
    doi_in_url,
    normalize_doi,
    parse_arxiv,
)
from lclm.keys import KEY_RE
from lclm.model import FIELD_TYPES, FIELDS, REQUIRED, Paper, type_problem
from lclm.text import INVISIBLE, has_latex, latex_to_unicode, normalize_title

ERROR = "error"
WARNING = "warning"
FIRST_YEAR = 1900
# Sizes past which a value is an accident, not data; also what keeps a 10 MB
# title from reaching the regular expressions below.
MAX_CHARS = {"key": 100, "title": 1000, "venue": 1000, "url": 2000, "code": 2000, "note": 20000, "abstract": 20000}
MAX_CHARS_DEFAULT = 300  # arxiv, doi, and each item of a list
MAX_ITEMS = 5000


class Rule(NamedTuple):
    """A rule: its id (shown with each problem), severity and explanation."""

    id: str
    severity: str
    explanation: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("encoding", ERROR, "Every file is UTF-8 text."),
        Rule("yaml-syntax", ERROR, "Every file is YAML (safe tags only, no *aliases); the error gives line and column."),
        Rule("file-shape", ERROR, "A category file is a list of papers, and each paper a mapping (key: value)."),
        Rule("sections", ERROR, "_sections.yaml exists and is a 'sections:' list; each section has a name and a file or sub-sections; no file is listed twice."),
        Rule("unlisted-file", ERROR, "Every *.yaml file of the store is a category listed in _sections.yaml (else no command sees it)."),
        Rule("missing-file", ERROR, "Every file listed in _sections.yaml exists."),
        Rule("required", ERROR, "Every paper has key, title and year."),
        Rule("type", ERROR, "year is a whole number; authors, aka, tags, pinned, distinct and ids are lists of text; other fields are text."),
        Rule("unknown-field", ERROR, "Only lclm's fields are used; a typo (autors) is named with the closest field (authors)."),
        Rule("duplicate-field", ERROR, "A field appears once in a paper (YAML would silently keep only the last value)."),
        Rule("too-long", ERROR, f"Text and lists stay within sane sizes (a title of more than {MAX_CHARS['title']} characters is a paste accident)."),
        Rule("year-range", ERROR, f"year is between {FIRST_YEAR} and next year."),
        Rule("key-format", ERROR, "key looks like surnameYEARword: lower-case letters and digits around a 4-digit year."),
        Rule("key-unique", ERROR, "No two papers of the store share a key."),
        Rule("former-key", ERROR, "A key in 'ids' (a merged record's former key) is no live paper's key, and belongs to one paper only."),
        Rule("arxiv-format", ERROR, "arxiv is a bare id, new (2502.17129) or old style (hep-th/9901001), with no version suffix."),
        Rule("doi-format", ERROR, "doi is a bare DOI (10.NNNN/...), without https://doi.org/ or doi: in front."),
        Rule("url-format", ERROR, "url and code are well-formed http(s) addresses with a host and no spaces."),
        Rule("id-mismatch", ERROR, "arxiv, an arxiv.org url and an arXiv:ID in venue name one id; doi and a doi.org url one DOI."),
        Rule("same-id", ERROR, "No two records of one paper: none share an arXiv id or DOI, nor a URL of one paper (a site or code repository is none)."),
        Rule("same-title", ERROR, "No two records of one paper share a normalised title."),
        Rule("near-duplicate", WARNING, "Two records whose titles `lclm dedupe` links (a typo, a word, word order) and nothing parts are likely one paper: merge them, or mark them distinct."),
        Rule("look-alike", ERROR, "Two papers that share a URL or a title but differ (in year, authors or ids) are marked: one lists the other in 'distinct'."),
        Rule("id-conflict", ERROR, "Papers that share an arXiv id or DOI are one paper: clearly different titles and authors, or a 'distinct' mark, mean one id is wrong."),
        Rule("distinct-key", ERROR, "Every key named in 'distinct' is another paper of the store."),
        Rule("aka", ERROR, "An aka is another name for the paper: not its title again, and not another paper's aka unless one is marked distinct."),
        Rule("pinned", ERROR, "pinned names known fields of the paper, each once."),
        Rule("abstract", ERROR, "abstract is plain text: no HTML tags, no control characters."),
        Rule("empty-author", ERROR, "No author name is empty or without a letter (Qwen, :, An Yang)."),
        Rule("invisible-char", ERROR, "Titles, authors and venues hold no zero-width or control characters (they break search and matching)."),
        Rule("latex", ERROR, "Titles, authors and venues hold no leftover LaTeX ({\\'e}, \\$): write the character itself."),
        Rule("markup", ERROR, "Titles, names (aka) and authors hold no Markdown link or HTML markup (](url), <a ...>, <script>): the README would render it."),
        Rule("whitespace", WARNING, "Titles, authors and venues have no leading, trailing or doubled spaces."),
        Rule("title-period", WARNING, "A title does not end with a period (the rendered list adds one)."),
        Rule("staging-file", WARNING, "No temporary file of an interrupted write (.NAME.RANDOM.lclm-tmp) is left in the store; any lclm command removes it."),
        Rule("canonical", WARNING, "Each file is in canonical form, as `lclm fmt` writes it, so edits give minimal diffs."),
        Rule("readme", ERROR, "A README with <!-- lclm:start --> / <!-- lclm:end --> markers holds the list as rendered now."),
    )
}

_BAD_CHAR_RE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(map(chr, INVISIBLE)) + "]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # newlines and tabs are text in an abstract
# HTML an abstract pasted from a web page carries (not "a<b and c>d", which is maths).
_TAG_RE = re.compile(
    r"</?(?:a|b|i|u|em|strong|p|br|hr|div|span|sup|sub|ul|ol|li|code|pre|h[1-6]|img|table|tr|td|th|font)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)

# Markup in a title or name that a rendered list would turn into a link or HTML: a Markdown
# link or image ("](https://..."), an HTML tag (bare, or with an attribute=) or comment.
# "a<b and c>d" is maths, not a tag; "[for] (all)" is no link.
_MARKUP_RE = re.compile(
    r"\]\(|<!--|</?(?:a|b|i|u|em|strong|p|br|hr|div|span|sup|sub|img|script|style|iframe|svg|object|embed"
    r"|form|input|link|meta|table|font)(?:\s[^<>=]*=[^<>]*)?\s*/?>|\bjavascript:",
    re.IGNORECASE,
)

Finding = tuple[str, str]  # (rule id, message)
Check = Callable[[Any], Iterator[Finding]]


def last_year() -> int:
    """The latest year a paper may have: next year (accepted papers carry it)."""
    return date.today().year + 1


def show(value: Any, width: int = 60) -> str:
    """A value quoted for a message, cut to ``width`` characters."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


# ---------------------------------------------------------------- one value


def text_hygiene(text: str, what: str = "") -> Iterator[Finding]:
    """Invisible or control characters, leftover LaTeX, stray spaces."""
    prefix = f"{what} " if what else ""
    bad = _BAD_CHAR_RE.search(text)
    if bad:
        yield "invisible-char", f"{prefix}{show(text)} has U+{ord(bad.group()):04X} at column {bad.start() + 1}"
    if has_latex(text):
        fixed = latex_to_unicode(text)
        hint = f"; write {show(fixed)}" if fixed != text and not has_latex(fixed) else ""
        yield "latex", f"{prefix}{show(text)} has LaTeX markup{hint}"
    if text != text.strip():
        yield "whitespace", f"{prefix}{show(text)} has leading or trailing space"
    elif "  " in text:
        yield "whitespace", f"{prefix}{show(text)} has a doubled space"


def markup(text: str, what: str = "") -> Iterator[Finding]:
    """Markdown link or HTML markup a rendered list would act on."""
    found = _MARKUP_RE.search(text)
    if found:
        prefix = f"{what} " if what else ""
        yield "markup", f"{prefix}{show(text)} has markup {found.group(0)!r}; write plain text"


def check_title(title: str) -> Iterator[Finding]:
    """Text hygiene, no markup, and no closing period."""
    yield from text_hygiene(title)
    yield from markup(title)
    if title.endswith(".") and not title.endswith(".."):
        yield "title-period", f"{show(title)} ends with a period"


def check_authors(authors: list[str]) -> Iterator[Finding]:
    """Each name present, with a letter, and clean."""
    for number, name in enumerate(authors, 1):
        found = _name_findings.get(name)
        if found is None:  # a name met before (the same people write many papers) is not checked again
            found = _author_findings(name)
            if len(_name_findings) < _NAMES_KEPT:
                _name_findings[name] = found
        for rule, message in found:
            yield rule, f"author {number} {message}"


def _author_findings(name: str) -> tuple[Finding, ...]:
    """One author name's findings, each message to follow "author N "."""
    if not name.strip():
        return (("empty-author", "is empty"),)
    if not any(c.isalpha() for c in name):
        return (("empty-author", f"{show(name)} has no letter (punctuation from a citation export?)"),)
    return (*text_hygiene(name), *markup(name))


_name_findings: dict[str, tuple[Finding, ...]] = {}
_NAMES_KEPT = 1 << 20  # names remembered per process at most (a store of a million authors checks the rest each time)


def check_venue(venue: str) -> Iterator[Finding]:
    """Text hygiene."""
    yield from text_hygiene(venue)


def check_year(year: int) -> Iterator[Finding]:
    """Between FIRST_YEAR and next year."""
    last = last_year()
    if not FIRST_YEAR <= year <= last:
        yield "year-range", f"{year} is not between {FIRST_YEAR} and {last}"


def check_key(key: str) -> Iterator[Finding]:
    """The citation-key shape of ``lclm.keys``."""
    if not KEY_RE.match(key):
        yield "key-format", f"{show(key)} is not surnameYEARword (lower-case letters and digits around a 4-digit year)"


def check_former_keys(keys: list[str]) -> Iterator[Finding]:
    """Each former key has the shape of a key."""
    for key in keys:
        if not KEY_RE.match(key):
            yield "former-key", f"{show(key)} is not a citation key (surnameYEARword)"


def check_arxiv(value: str) -> Iterator[Finding]:
    """A bare, possible arXiv id; the fix is named when the input holds one."""
    if ARXIV_ID_RE.match(value):
        wrong = arxiv_number_problem(value)
        if wrong:
            yield "arxiv-format", f"{show(value)} is not an arXiv id: {wrong}"
        return
    parsed = parse_arxiv(value)
    if parsed is None:
        yield "arxiv-format", f"{show(value)} is not an arXiv id (2502.17129 or hep-th/9901001)"
    elif parsed[1]:
        yield "arxiv-format", f"{show(value)} has a version suffix; write {parsed[0]!r}"
    else:
        yield "arxiv-format", f"{show(value)} is not a bare arXiv id; write {parsed[0]!r}"


def arxiv_number_problem(arxiv_id: str) -> str:
    """What makes a well-shaped id impossible (month 13, 4 digits after 2015), or ''.

    New-style ids began in April 2007 (0704.0001) and have had five digits
    after the dot since January 2015; old-style numbers are YYMMNNN.
    """
    if "/" in arxiv_id:
        month = int(arxiv_id[-5:-3])
        return "" if 1 <= month <= 12 else f"month {month:02d} does not exist"
    yymm, number = arxiv_id.split(".")
    month, digits = int(yymm[2:]), 5 if yymm >= "1501" else 4
    if not 1 <= month <= 12:
        return f"month {month:02d} does not exist"
    if yymm < "0704":
        return "new-style ids start in April 2007 (0704)"
    if len(number) != digits:
        return f"ids of {yymm[:2]}/{yymm[2:]} have {digits} digits after the dot"
    return ""


def check_doi(value: str) -> Iterator[Finding]:
    """A bare DOI; the fix is named when the input holds one."""
    if DOI_RE.match(value):
        return
    bare = normalize_doi(value)
    hint = f"; write {bare!r}" if DOI_RE.match(bare) else ""
    yield "doi-format", f"{show(value)} is not a bare DOI (10.NNNN/...){hint}"


def check_url(value: str) -> Iterator[Finding]:
    """An http(s) URL with a host and no white space."""
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme not in ("http", "https"):
        yield "url-format", f"{show(value)} is not an http(s) URL"
    elif not host or "." not in host or any(c.isspace() for c in value):
        yield "url-format", f"{show(value)} is not a well-formed URL"


def check_aka(names: list[str]) -> Iterator[Finding]:
    """Each other name clean and given once."""
    seen: set[str] = set()
    for name in names:
        yield from ((rule, f"aka {message}") for rule, message in (*text_hygiene(name), *markup(name)))
        folded = normalize_title(name)
        if not folded:
            yield "aka", f"{show(name)} has no letter or digit"
        elif folded in seen:
            yield "aka", f"{show(name)} is given twice"
        seen.add(folded)


def check_pinned(names: list[str]) -> Iterator[Finding]:
    """Known fields, each once."""
    for number, name in enumerate(names, 1):
        if name not in FIELD_TYPES or name == "pinned":
            yield "pinned", f"item {number} {show(name)} is not a field a refresh could change"
        elif name in names[: number - 1]:
            yield "pinned", f"{show(name)} is given twice"


def check_abstract(text: str) -> Iterator[Finding]:
    """Plain text: no HTML tags, no control characters."""
    tag = _TAG_RE.search(text)
    if tag:
        yield "abstract", f"has HTML markup {show(tag.group())}; write plain text"
    bad = _CONTROL_RE.search(text)
    if bad:
        yield "abstract", f"has control character U+{ord(bad.group()):04X} at column {bad.start() + 1}"


FIELD_CHECKS: dict[str, Check] = {
    "key": check_key,
    "title": check_title,
    "aka": check_aka,
    "authors": check_authors,
    "year": check_year,
    "venue": check_venue,
    "url": check_url,
    "arxiv": check_arxiv,
    "doi": check_doi,
    "code": check_url,
    "pinned": check_pinned,
    "ids": check_former_keys,
    "abstract": check_abstract,
}


def size_problem(name: str, value: Any) -> str | None:
    """Why ``value`` is too big for field ``name``, or None."""
    limit = MAX_CHARS.get(name, MAX_CHARS_DEFAULT)
    if isinstance(value, str):
        return f"{len(value)} characters (at most {limit})" if len(value) > limit else None
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            return f"{len(value)} items (at most {MAX_ITEMS})"
        for number, item in enumerate(value, 1):
            if isinstance(item, str) and len(item) > MAX_CHARS_DEFAULT:
                return f"item {number} has {len(item)} characters (at most {MAX_CHARS_DEFAULT})"
    return None


# ---------------------------------------------------------------- one paper

FieldFinding = tuple[str, str, str]  # (rule id, field, message)
RecordCheck = Callable[[dict[str, Any]], Iterator[FieldFinding]]


def check_ids_agree(data: dict[str, Any]) -> Iterator[FieldFinding]:
    """arxiv vs an arxiv.org url vs an arXiv:ID in venue; doi vs a doi.org url."""
    arxiv, url, venue, doi = (data.get(k, "") for k in ("arxiv", "url", "venue", "doi"))
    url_arxiv = arxiv_in(url) if "arxiv.org" in url.lower() else ""
    venue_arxiv = arxiv_in(venue)
    if arxiv and url_arxiv and url_arxiv != arxiv:
        yield "id-mismatch", "url", f"{show(url)} is arXiv {url_arxiv}, but arxiv is {arxiv}"
    named = arxiv or url_arxiv
    if named and venue_arxiv and venue_arxiv != named:
        where = "arxiv" if arxiv else "url"
        yield "id-mismatch", "venue", f"{show(venue)} names arXiv {venue_arxiv}, but {where} is {named}"
    url_doi = doi_in_url(url)
    if doi and url_doi and url_doi != normalize_doi(doi):
        yield "id-mismatch", "url", f"{show(url)} is DOI {url_doi}, but doi is {doi}"


def check_aka_not_title(data: dict[str, Any]) -> Iterator[FieldFinding]:
    """An aka that is only the title again says nothing."""
    names = data.get("aka", [])
    title = normalize_title(data.get("title", "")) if names else ""
    for name in names:
        if title and normalize_title(name) == title:
            yield "aka", "aka", f"{show(name)} is the title again"


def check_former_not_own(data: dict[str, Any]) -> Iterator[FieldFinding]:
    """A paper's former keys do not include its own key."""
    if data.get("key") and data["key"] in data.get("ids", []):
        yield "former-key", "ids", f"{show(data['key'])} is the paper's own key"


RECORD_CHECKS: tuple[RecordCheck, ...] = (check_ids_agree, check_aka_not_title, check_former_not_own)


def closest_field(name: str) -> str:
    """The known field a misspelt one probably means, or ''."""
    import difflib

    close = difflib.get_close_matches(name.lower(), FIELDS, n=1, cutoff=0.6)
    return close[0] if close else ""


def check_record(data: dict[str, Any]) -> Iterator[FieldFinding]:
    """Every problem of one paper mapping taken on its own: (rule, field, message)."""
    for name in REQUIRED:
        if name not in data:
            yield "required", name, "required field is missing"
    clean = True
    for name, value in data.items():
        if name not in FIELD_TYPES:
            near = closest_field(str(name))
            hint = f"; did you mean {near!r}?" if near else ""
            yield "unknown-field", str(name), f"unknown field{hint}"
            continue
        wrong_type = type_problem(name, value)
        too_big = None if wrong_type else size_problem(name, value)
        if wrong_type or too_big:
            clean = False
            yield ("type", name, wrong_type) if wrong_type else ("too-long", name, str(too_big))
            continue
        check = FIELD_CHECKS.get(name)
        for rule, message in check(value) if check else ():
            yield rule, name, message
    if clean:
        for record_check in RECORD_CHECKS:
            yield from record_check(data)


def input_problems(paper: Paper) -> list[FieldFinding]:
    """The errors `validate` would find in ``paper`` on its own: what input must refuse.

    A key still to be made (``''``) is not checked.
    """
    found = check_record(paper.to_dict())
    return [f for f in found if RULES[f[0]].severity == ERROR and (paper.key or f[1] != "key")]
