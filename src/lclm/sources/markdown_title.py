"""The title of a Markdown list item, and what stands around it: a short name before, a description after.

The title (``find_title``) is the first link whose label reads as a title (a
label in brackets, a role word or a venue and year never is), else the text
after a short name in brackets (``**[ViT]** An Image is Worth ...``), else
bold text that is more than a citation number or a note (or the quoted title
after a short bold name), else a model bullet's paper line, else the plain
text before the authors (or a citation's quoted title).  ``clean_title``
takes markup debris, LaTeX, case braces and quotes off it.  A short name
before the title (``<u>T5</u>:``, ``**M2M**``) is the paper's ``aka``
(``short_name``); prose after it (``- proposes ...``, a wide gap and a
sentence, a note in parentheses) is the list's description of the paper
(``description``, ``gap_description``, ``is_prose``), not its venue.  The
runs a reader takes join the set of used runs, so the field readers see only
the rest.  Pure: parts in, text out.
"""

from __future__ import annotations

import re

from lclm import venues
from lclm.latex import decode
from lclm.sources.markdown_parts import (
    YEAR_RE,
    Link,
    Parts,
    Run,
    is_external,
    is_role_label,
)
from lclm.sources.markdown_text import (
    AUTHORS_END_RE,
    EMOJI_CODE_RE,
    ET_AL_RE,
    LEADING_TAG_RE,
    MONTH_DAY,
    TAG_RE,
    in_parentheses,
    is_date,
    names_like,
    strip_decoration,
    text_of,
    venue_year_tag,
)
from lclm.text import INVISIBLE, collapse_spaces, latex_to_unicode

_BRACE_CASE_RE = re.compile(r"\{([^{}\\]*)\}")
# LaTeX in a title: maths that reads as maths (a command, ^, _ or braces inside, or a
# short symbol: ``$k$NN``; not ``$5 to $10``), or a command with its argument (``\\emph{x}``).
_LATEX_RE = re.compile(r"\$(?=[^$]*[\\^_{])[^$]{1,80}\$|\$[A-Za-z0-9]{1,3}\$|\\[A-Za-z]+\s*\{[^{}]*\}")
# A venue's acronym-like name: one word with two capitals or more ("NeurIPS", "ARITH", "AutoML").
_ACRONYM = r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*"
# A link label that names a venue and year, not a paper: "arXiv 2023", "NeurIPS 2024", "ICLR'25".
_VENUE_YEAR_LABEL_RE = re.compile(
    rf"(?:(?i:arxiv|corr|biorxiv|medrxiv|openreview)|{_ACRONYM})\s*(?:['\u2019]\d\d|(?:19|20)\d\d)"
)

LATEX_NOTE = "turned LaTeX escapes into Unicode"


def title_like(link: Link) -> bool:
    """Whether a link's label reads as a title: words, not a role word, a URL, a date or a venue and year."""
    label = collapse_spaces(link.label).strip("[]() ")
    if not strip_decoration(label) or link.image and not label or not is_external(link.href):
        return False  # ":x:", ":book:": an emoji's code says what the link is, not which paper
    if is_role_label(label) or label.startswith(("http://", "https://")) or is_date(label):
        return False
    if _VENUE_YEAR_LABEL_RE.fullmatch(label):
        return False
    return bool(re.search(r"[^\W\d_]", label))


def find_title(parts: Parts) -> tuple[str, Link | None, set[int]] | None:
    """``(title, its link or None, ids of the runs it used)``.

    In order: a link whose label reads as a title; the text after a short
    name in brackets (``**[ViT]** An Image is Worth ...``, ``🔥[**ViT**] An Image ...``);
    bold text that is more than a name (a citation number ``**[12]**`` or a
    note ``**(Milestone)**`` is none); a later line of plain text ending in the
    paper link (``- **BLOOM** ...`` then ``A 176B-Parameter ... [[Preprint]](url)``);
    a short bold name; the plain text before the authors.
    """
    titled = [c for c, role in parts.cells.items() if role == "title"]
    for link_no, link in enumerate(parts.links):
        if title_like(link) and (not titled or link.segment in titled) and not _bracketed(parts, link_no) and not _in_text(parts, link_no):
            used = {i for i, r in enumerate(parts.runs) if r.link == link_no}
            return text_of([parts.runs[i] for i in sorted(used)]), link, used
    tagged = _after_short_name(parts, titled)
    if tagged is not None:
        return tagged
    short: tuple[str, Link | None, set[int]] | None = None
    for group in _strong_groups(parts):
        text = text_of([parts.runs[i] for i in group]).strip()
        if not text or is_date(text) or is_role_label(text) or TAG_RE.fullmatch(text) or _NOTE_RE.fullmatch(text):
            continue
        if in_parentheses(parts, group):  # "Title (**oral**)": a note on the paper
            continue
        if short is None:  # "**AHA**: "AHA: A Vision-Language-Model for ..."": the bold name is no title
            quoted = _quoted_title(parts, set(group))
            if quoted is not None:
                return quoted
        if len(text.split()) <= 3 and (":" not in text or text.endswith(":")):
            named = _after_bold_name(parts, group, text)
            if named is not None and short is None:
                return named
            short = short or (text, None, set(group))
            continue
        return text, None, set(group)
    lined = _line_title(parts)
    if lined is not None:
        return lined
    return short or _plain_title(parts, titled)


# Bold text that is not a title: a citation number ("[12]"), a note in parentheses.
_NOTE_RE = re.compile(r"[\[(]?\d{1,4}[\])]?\.?|\(.*\)|\[.*\]")
# A short name in brackets before the title: "[ViT] An Image is Worth", "🔥[MQA] Fast Transformer Decoding".
_SHORT_NAME_RE = re.compile(r"^\W*\[(?P<name>[^\[\]]{1,40})\]\s*(?P<rest>\S.*)$", re.S)
# Where a plain title ends: an organisation "(@Org)", a year "(2016), A. Author", a link's bracket.
_TITLE_END_RE = re.compile(r"\(@|\s\((?:19|20)\d\d\)|\s*\[")


def _after_bold_name(parts: Parts, group: list[int], name: str) -> tuple[str, Link | None, set[int]] | None:
    """The title after a short bold name, in plain text up to the first link or emphasis.

    ``**JanusFlow**: Harmonizing ...`` is "JanusFlow: Harmonizing ..."; ``**M2M** Many-to-many Image
    Generation ...`` is the words after the name (a one- or two-word name, which becomes ``aka``).  A bold
    title that ends the title (``**Title.** *Authors*``, ``**Title**. Authors``, ``**Title** - description``)
    is none of these: what follows it must start a title, and hold no year.
    """
    segment = parts.runs[group[-1]].segment
    after: list[int] = []
    for i in range(group[-1] + 1, len(parts.runs)):
        run = parts.runs[i]
        if run.segment != segment or run.link >= 0 or run.strong or run.em:
            break
        after.append(i)
    text = text_of([parts.runs[i] for i in after])
    opening = re.match(r"\s*:\s+" if not name.endswith(":") else r"\s+", text)
    colon = opening is not None
    if opening is None:
        opening = re.match(r"\s+(?=[A-Z0-9])", text)
        if opening is None or len(name.split()) > 2 or name[-1:] in ".,;!?":
            return None
    stop = _TITLE_END_RE.search(text, opening.end())
    rest = text[opening.end() : stop.start() if stop else len(text)].strip().rstrip(".")
    least = 3 if colon else 4
    if len(rest.split()) < least or YEAR_RE.search(rest) or ET_AL_RE.search(rest) or is_prose(rest):
        return None
    if not colon and ("," in rest or _SEPARATOR_RE.search(rest)):
        return None  # "**Ada Lovelace** Charles Babbage, ...": names; "**Llama 3** - a family ...": a description
    if colon:
        return f"{name.rstrip(':').strip()}: {rest}", None, set(group) | set(after)
    return rest, None, set(after)


def _quoted_title(parts: Parts, name_runs: set[int]) -> tuple[str, Link | None, set[int]] | None:
    """A quoted title right after a short bold name and its colon, in the name's segment (the name becomes ``aka``)."""
    segment = parts.runs[max(name_runs)].segment
    text = text_of([r for i, r in enumerate(parts.runs) if r.segment == segment and r.link < 0 and i > max(name_runs)])
    found = re.match(r"\s*[:\-\u2013]\s*", text)
    quoted = _QUOTED_RE.match(text, found.end()) if found else None
    if quoted is None or len(quoted[1].split()) < 2:
        return None
    offset = len(text_of([r for i, r in enumerate(parts.runs) if r.segment == segment and r.link < 0 and i <= max(name_runs)]))
    used = _take_span(parts, segment, offset + quoted.start(), offset + quoted.end())  # the quotes go with the title
    return quoted[1], None, used


def _in_text(parts: Parts, link_no: int) -> bool:
    """Whether a link sits inside running text, never a title: glued to a word (``it[s Claude.ai](...)``),
    or after a plain title and the wide gap or dash that end it (``| 2) Title  Sakana AI introduces [the kernels](...)``)."""
    first = next((i for i, r in enumerate(parts.runs) if r.link == link_no), None)
    if first is None:
        return False
    segment = parts.runs[first].segment
    if text_of([r for r in parts.runs[:first] if r.segment == segment])[-1:].isalnum():
        return True
    if parts.cells.get(segment) == "title" and not any(r.segment == segment for r in parts.runs[:first]):
        return False  # the first thing in a title cell: the other cells are no running text around it
    # the item's text before the link, links' labels included (a link left out would leave a false gap),
    # each segment (a cell, a <br> line) apart
    runs = parts.runs[:first]
    before = " \u00a6 ".join(text_of([r for r in runs if r.segment == s]) for s in dict.fromkeys(r.segment for r in runs))
    gap = _TITLE_GAP_RE.search(before)
    return gap is not None and len(_PROSE_WORD_RE.findall(before[: gap.start()])) >= 1 and len(before[gap.end() :].split()) >= 3


def _bracketed(parts: Parts, link_no: int) -> bool:
    """Whether a link is a label in brackets, ``[[weights and code](url)]`` or ``[[open]](url)``, or a short one
    in parentheses, ``([SL](url))``: never a title (a title of three words or more in parentheses still is)."""
    label = parts.links[link_no].label.strip()
    if label.startswith("[") and label.endswith("]"):
        return True
    inside = [i for i, r in enumerate(parts.runs) if r.link == link_no]
    if not inside:
        return False
    before = parts.runs[inside[0] - 1].text if inside[0] > 0 else ""
    after = parts.runs[inside[-1] + 1].text if inside[-1] + 1 < len(parts.runs) else ""
    if before.rstrip().endswith("(") and after.lstrip().startswith(")") and len(label.split()) < 3:
        return True
    return before.rstrip().endswith("[") and after.lstrip().startswith("]")


def _row_of(parts: Parts, link_no: int) -> int:
    """The line (within the item) a link is on."""
    return next((r.row for r in parts.runs if r.link == link_no), -1)


def _after_short_name(parts: Parts, titled: list[int]) -> tuple[str, Link | None, set[int]] | None:
    """The title after a short name in brackets, when the segment has one and words after it."""
    for segment in titled or sorted({r.segment for r in parts.runs})[:1]:
        text = text_of([r for r in parts.runs if r.segment == segment and r.link < 0])
        found = _SHORT_NAME_RE.match(text)
        if found is None or found["name"].strip().isdigit() or is_date(found["name"]) or YEAR_RE.search(found["name"]) or re.search(r"['\u2019]\d\d", found["name"]):
            continue
        start = found.start("rest")
        quoted = _QUOTED_RE.match(text, start)
        if quoted is not None:  # '**[RT-2]** "RT-2: Vision-Language-Action Models ...", *arXiv, July 2023*'
            return quoted[1], None, _take_span(parts, segment, quoted.start(), quoted.end())
        stop = _TITLE_END_RE.search(text, start)
        end = stop.start() if stop else len(text)
        title = strip_decoration(text[start:end])
        if len(title.split()) >= 2 and re.search(r"[^\W\d_]{3}", title):
            return title, None, _take_span(parts, segment, start, end)
    return None


def _line_title(parts: Parts) -> tuple[str, Link | None, set[int]] | None:
    """Plain text on a later line of the item that ends in a paper link: the paper of a model's entry.

    Only in the model shape, ``- **BLOOM** [[BigScience]]() Nov. 2022 ...``: a labelled
    link in brackets on the first line (a short bold title followed by authors is no model).
    """
    if not any(_bracketed(parts, n) for n, k in enumerate(parts.links) if _row_of(parts, n) == 0):
        return None
    for row in sorted({r.row for r in parts.runs})[1:]:
        runs = [(i, r) for i, r in enumerate(parts.runs) if r.row == row]
        first_link = next((r.link for _, r in runs if r.link >= 0), -1)
        if first_link < 0 or parts.links[first_link].role != "paper":
            continue
        before = [(i, r) for i, r in runs if r.link < 0 and i < min(i for i, r in runs if r.link == first_link)]
        text = strip_decoration(text_of([r for _, r in before]))
        if len(text.split()) >= 3 and not any(r.em for _, r in before) and not ("," in text and names_like(text)):
            earlier = {i for i, r in enumerate(parts.runs) if r.row < row and r.link < 0}  # the model's line, not the paper's
            return text, None, {i for i, _ in before} | earlier
    return None


def _strong_groups(parts: Parts) -> list[list[int]]:
    """Runs of consecutive bold text outside links."""
    groups: list[list[int]] = []
    for i, run in enumerate(parts.runs):
        if not (run.strong and run.link < 0):
            continue
        if groups and groups[-1][-1] == i - 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _plain_title(parts: Parts, titled: list[int]) -> tuple[str, Link | None, set[int]] | None:
    """The plain text of the first segment that has words, when the item has a paper link."""
    if not any(k.role == "paper" for k in parts.links) and not titled:
        return None
    segments = titled or sorted({r.segment for r in parts.runs})
    for segment in segments:
        text = text_of([r for r in parts.runs if r.segment == segment and r.link < 0])
        start, end = _plain_title_span(text)
        title = strip_decoration(text[start:end])
        if re.search(r"[^\W\d_]{3}", title) and not is_date(title):
            return title, None, _take_span(parts, segment, start, end)
    return None


# What may follow a title in quotes that opens an item: its end, punctuation, emphasis, a dash (not '? More title').
_AFTER_QUOTE_RE = re.compile(r"\s*(?:$|[,.;*_\[(]|[-\u2013\u2014]\s)")
_QUOTED_RE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{12,}?)[.,]?[\"\u201d]")


# "1) ", "12. ", "(3) ": a list's own numbering before a plain title.
_ENUMERATOR_RE = re.compile(r"\s*(?:\d{1,3}[).]|\(\d{1,3}\))\s+(?=\S)")
# Two or more spaces before a capitalised word: where a plain title stops and a sentence starts.
_GAP_RE = re.compile(r"\s{2,}(?=[A-Z])")
# Where a plain title may stop before its description: that gap, or a spaced dash.
_TITLE_GAP_RE = re.compile(r"\s{2,}(?=[A-Z])|\s[-\u2013\u2014]\s+")
_PROSE_WORD_RE = re.compile(r"[^\W\d_][\w'\u2019.@-]*")  # "e.ntu.edu.sg" is one word


def is_prose(text: str, least: int = 6, share: float = 0.6) -> bool:
    """Whether ``text`` reads as sentences about a paper, not as a venue or names.

    ``least`` words or more, ``share`` of them lower-case (``a comprehensive
    analysis of GPT-4V to deepen ...``), and nothing the venue table reads as
    a venue: a list may write venues in lower case (``Advances in neural
    information processing systems, 33``), but then they name a conference
    or journal (``lclm.venues.kind``).
    """
    words = _PROSE_WORD_RE.findall(text)
    if len(words) < least or sum(w[0].islower() for w in words) < share * len(words):
        return False
    return len(words) > _VENUE_WORDS or not venues.kind(text)  # a long text saying "track" or "review" is no venue


_VENUE_WORDS = 25  # the longest venue names ("Proceedings of the 2021 Conference of the North American ...") stay under it


_MONTH_DAY_START_RE = re.compile(rf"\s*{MONTH_DAY}\s*[-\u2013\u2014]\s+")


_VENUE_YEAR_END_RE = re.compile(r",\s*(?P<venue>[^,.\[\]()]{2,30}?),?\s*(?:19|20)\d\d[\s\[\]().,;|]*$")


def _venue_like(text: str) -> bool:
    """A venue the table knows, a preprint server, or one acronym-like word (``ARITH``, ``AutoML``, ``NeurlPS``)."""
    text = text.strip()
    return len(text.split()) <= 4 and bool(venues.lookup(text) or venues.kind(text) or _ACRONYM_RE.fullmatch(text))


_ACRONYM_RE = re.compile(_ACRONYM)


def _plain_title_span(text: str) -> tuple[int, int]:
    """Where the title is in a plain segment: after a leading ``[ICLR 2024]`` tag, before ``. Authors. Venue 2023``."""
    quoted = _QUOTED_RE.search(text)
    # a citation, Last, First. "Title." Venue (Year).; or an item that opens with its title in quotes
    opening = quoted is not None and not text[: quoted.start()].strip(" *_") and _AFTER_QUOTE_RE.match(text, quoted.end())
    cited = quoted is not None and (len(text[: quoted.start()].split()) >= 2 or bool(opening))
    if cited and quoted is not None and not _TITLE_GAP_RE.search(text, 0, quoted.start()):  # not a quote in a description
        # an opening title takes its quotes along (clean_title drops them); a cited one leaves them to the citation
        return (quoted.start(), quoted.end()) if not text[: quoted.start()].strip(" *_") else (quoted.start(1), quoted.end(1))
    tag = LEADING_TAG_RE.match(text)
    start = tag.end() if tag else 0
    number = _ENUMERATOR_RE.match(text, start)  # "| 2) MEM1  This work ... |": the table's own numbering
    start = number.end() if number else start
    tagged = venue_year_tag(text[start:])  # "- NeurIPS'23 Geodesic Multi-Modal Mixup ...": the venue goes first
    start += tagged
    dated = _MONTH_DAY_START_RE.match(text, start)  # "* 2.21 - Title" under "### 2024": the day the list took it up
    start = dated.end() if dated else start
    year = re.compile(r"\s\((?:19|20)\d\d\)|\s{2,}\(").search(text, start)  # "Title (2016), A. Author"; "Title  (oral)"
    end = year.start() if year else len(text)
    gap = next((g for g in _TITLE_GAP_RE.finditer(text, start, end) if is_prose(text[g.end() : end])), None)
    if gap is not None:  # "Title  This paper introduces ..." / "Title - a framework for ...": a description follows
        return start, gap.start()
    closing = _VENUE_YEAR_END_RE.search(text, start, end)  # "Title, ICLR, 2023": a venue the table knows, then the year
    if closing is not None and _venue_like(closing["venue"]):
        return start, closing.start()
    for stop in AUTHORS_END_RE.finditer(text, start, end):
        if YEAR_RE.search(text, stop.end()):
            end = stop.start() + 1
            break
    return start, end


def _take_span(parts: Parts, segment: int, start: int, end: int) -> set[int]:
    """The runs of ``segment`` (outside links) covering ``start:end``, splitting runs at the edges."""
    offset = 0
    for cut in (start, end):
        offset = 0
        for i, run in enumerate(parts.runs):
            if run.segment != segment or run.link >= 0:
                continue
            if offset < cut < offset + len(run.text):
                at = cut - offset
                parts.runs[i : i + 1] = [
                    Run(run.text[:at], run.strong, run.em, run.link, run.segment),
                    Run(run.text[at:], run.strong, run.em, run.link, run.segment),
                ]
                break
            offset += len(run.text)
    used, offset = set(), 0
    for i, run in enumerate(parts.runs):
        if run.segment != segment or run.link >= 0:
            continue
        if start <= offset and offset + len(run.text) <= end:
            used.add(i)
        offset += len(run.text)
    return used


# A title wholly in double quotes, straight or curly (either way round, as lists type them), maybe
# followed by its period: "\"Title.\"", "\u201cTitle\u201d.", "\u201dTitle\u201c".  No quote inside.
_QUOTED_TITLE_RE = re.compile(r"[\"\u201c\u201d\u201e](?P<title>[^\"\u201c\u201d\u201e]+)[\"\u201c\u201d]\.?")


_LEADING_EMOJI_CODE_RE = re.compile(r"^(?::[a-z0-9_+-]+:\s*)+")


def clean_title(title: str) -> tuple[str, list[str]]:
    """A title without markup debris, LaTeX decoded, its final period dropped; and what was done."""
    notes = []
    text = collapse_spaces(title.translate(INVISIBLE))
    text = _LEADING_EMOJI_CODE_RE.sub("", text)  # ":fast_forward: Title": a picture, as an emoji would be
    unlatexed = latex_to_unicode(text)
    if unlatexed != text:
        notes.append(LATEX_NOTE)
    text = unlatexed
    unmath = _LATEX_RE.sub(lambda m: decode(m[0]), text)
    if unmath != text:
        notes.append("removed LaTeX math markup from the title")
        text = unmath
    unbraced = _BRACE_CASE_RE.sub(r"\1", text)
    if unbraced != text:
        notes.append("removed BibTeX case braces from the title")
        text = unbraced
    unquoted = _QUOTED_TITLE_RE.fullmatch(text)
    if unquoted is not None:
        notes.append("removed the quotes around the title")
        text = unquoted["title"].strip()
    had_period = text.endswith(".")
    text = text.removesuffix(".")
    if had_period and text[-1:] in (".", "?", "!"):
        notes.append(f"removed doubled punctuation at the end of the title ({text[-1]}.)")
        text = text.rstrip(".") if text.endswith(".") else text
    return text.strip(), notes


# Twelve or more CJK characters (punctuation and Latin words between them allowed): prose, not a venue's name.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK_PROSE_RE = re.compile(rf"[{_CJK}](?:[^\[\]()]*?[{_CJK}]){{11,}}")
# Where a description starts in what follows a title: "Venue 2023 - proposes ...", "5) - a framework ...".
# Not a colon: "Science 313 (2006): 504-507" is a venue.
# A bullet glyph (●, •) opens a list of points, as a dash does.
_SEPARATOR_RE = re.compile(r"(?:^|\s)[-\u2013\u2014\u25cf\u2022\u25aa]\s*(?=[^\W\d_])|\s{2,}(?=[A-Z])")
# After a dash, a description may name many models ("a family of LLMs ... Llama 3 8B outperforms Gemma 7B"):
# fewer lower-case words make it prose there than in a text with nothing to mark it.
_AFTER_DASH_SHARE = 0.4


def description(text: str) -> tuple[str, str]:
    """``(venue text, description)``: prose after the title is the list's description of the paper, not its venue.

    The description starts after a dash (or a wide gap) when all that follows
    reads as prose (``is_prose``); a list number left before it (``5)``) goes
    with it.  (A title cut at a wide gap has its description taken before,
    by ``gap_description``.)
    """
    body = _ENUMERATOR_RE.sub("", text, count=1) if _ENUMERATOR_RE.match(text) else text
    cjk = _CJK_PROSE_RE.search(body)
    if cjk is not None:  # "ICCV 2017 对于target中只有很少量的标记数据，用深度网络...": a description in Chinese
        return body[: cjk.start()], strip_decoration(body[cjk.start() :]).rstrip("：:")
    for sep in _SEPARATOR_RE.finditer(body):
        rest = strip_decoration(body[sep.end() :])
        if is_prose(rest, share=_AFTER_DASH_SHARE):
            return body[: sep.start()], rest
    # "Title  (oral)", "(Marr Prize)": all that follows the title is a note in parentheses, no venue (a year, a
    # venue or a track the venue table knows stays the venue).
    aside = re.fullmatch(r"\s*\(([^()]{1,60})\)[\s()\[\].,;]*", body)
    if aside is not None and _note_aside(aside[1]):
        return "", aside[1].strip(" *_")
    return text, ""


def _note_aside(inner: str) -> bool:
    """Whether ``(inner)`` standing alone after a title is a note: not a year, a venue or a track."""
    if YEAR_RE.search(inner) or venues.kind(inner) or venues.lookup(inner):
        return False
    return not any(track in inner.lower() for track in venues.SIDE_TRACKS)


def gap_description(parts: Parts, used: set[int]) -> str:
    """The description after a plain title cut at a wide gap (``| 2) MEM1  This work introduces ... |``); its runs join ``used``."""
    if not used:
        return ""
    last = max(used)
    segment = parts.runs[last].segment
    after = [i for i in range(last + 1, len(parts.runs)) if parts.runs[i].segment == segment and parts.runs[i].link < 0]
    if not after or not _GAP_RE.match(parts.runs[after[0]].text):
        return ""
    text = strip_decoration(text_of([parts.runs[i] for i in after]))
    if not is_prose(text):
        return ""
    used.update(after)
    return text


# A short name and a colon before the title: "<u>Gopher</u>: **"Scaling Language Models ..."**".
# Several names are joined by "&&", "&", "/" or ",": "<u>mT0 && BLOOMZ</u>: ...".
_NAME = r"[^\W_][\w.+\-'\u2019]*(?:\s[\w.+\-'\u2019]+){0,4}"
_NAME_COLON_RE = re.compile(rf"^\W*(?P<name>{_NAME}(?:\s*(?:&&|&|/|,)\s*{_NAME})*)\s*:\s*$")
_NAMES_SPLIT_RE = re.compile(r"\s+(?:&&|&|/)\s+|\s*,\s*")  # "M&M" is one name


def _dated_tag(text: str) -> bool:
    """A tag in brackets that holds a year or date (``[Arxiv, 2024.04]``, ``[ICLR'24]``), not a name (``[RT-2]``)."""
    return bool(TAG_RE.fullmatch(text)) and bool(YEAR_RE.search(text) or re.search(r"['\u2019]\d\d", text))


def short_name(parts: Parts, used: set[int]) -> list[str]:
    """The short name written before the title on its line, ``Name:``, or in a table's Name column; its runs join ``used``.

    Only a name of one to five words with no year: a tag such as ``[ICLR 2024]``
    before a title stays with the venue.
    """
    if not used:
        return []
    first = min(used)
    title_run = parts.runs[first]
    if parts.cells:  # "| **SBU Captions** | [Im2Text: Describing Images ...](url) |": a Name column beside the title's
        own = parts.cell_of(title_run.segment)
        named = [i for i, r in enumerate(parts.runs) if r.link < 0 and r.text.strip() and i not in used
                 and parts.cells.get(r.segment) == "title" and parts.cell_of(r.segment) != own]
        name = strip_decoration(text_of([parts.runs[i] for i in named]))
        if named and 1 <= len(name.split()) <= 5 and not YEAR_RE.search(name):
            used.update(named)
            return [name]
    before = [i for i in range(first) if parts.runs[i].row == title_run.row and parts.runs[i].segment == title_run.segment]
    tags = [n for n, i in enumerate(before) if _dated_tag(parts.runs[i].text.strip())]
    before = before[tags[-1] + 1 :] if tags else before  # "**[Arxiv, 2024.04]** **M2M** Title": the tag stays the venue's
    if not before or any(parts.runs[i].link >= 0 for i in before):
        return []
    text = EMOJI_CODE_RE.sub(" ", text_of([parts.runs[i] for i in before]))
    bracketed = re.fullmatch(r"\W*\[([^\[\]]{1,40})\]\W*", text)  # '**[RT-2]** "RT-2: Vision-Language-Action ..."'
    if bracketed is not None:
        text = bracketed[1] + ":"
    found = _NAME_COLON_RE.match(text)
    if found is None and all(parts.runs[i].strong for i in before if parts.runs[i].text.strip()):
        found = _NAME_COLON_RE.match(text.rstrip() + ":")  # "**M2M** Many-to-many Image Generation ...": bold marks it
    if found is None or YEAR_RE.search(found["name"]) or found["name"].isdigit():
        return []
    used.update(before)
    return _NAMES_SPLIT_RE.split(found["name"])
