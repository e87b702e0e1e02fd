"""The names a paper goes by, and the word forms search compares: pure functions.

A paper's *names* are what a researcher calls it: the lead of its title
before a colon (``Mamba``, ``LongRoPE``), its ``aka`` list (``RoPE`` for
RoFormer), the name of its code repository (``streaming-llm``), and acronyms
its abstract defines for words of its title ("Rotary Position Embedding
(RoPE)").  Acronyms an abstract defines for anything else are weaker names
(``defined``): many papers define RoPE, only one is it.
"""

from __future__ import annotations

import re

from lclm.text import fold

TOKEN_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_TOKEN_PLUS_RE = re.compile(f"({TOKEN_RE.pattern})(\\+*)")  # a word and the pluses right after it
# A title lead longer than this is a sentence, not a name.
LEAD_MAX_WORDS = 5
_DEFINED_RE = re.compile(r"((?:[^\W_][\w'-]*\s+){1,10})\(([A-Za-z][A-Za-z0-9-]{1,15})\)")
_NON_NAME_RE = re.compile(r"[^\w+]+|_+")  # a name keeps its pluses: Zero++ is not ZeRO
_LEAD_RE = re.compile(r":|\s[-\u2013\u2014]+\s")  # "YaRN: ...", "Needle In A Haystack - Pressure Testing LLMs"
_REPORT_RE = re.compile(r"\s+(?:technical\s+)?report$", re.IGNORECASE)
_REPO_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")


def compact(text: str) -> str:
    """Letters, digits and pluses only, folded: ``Flash-Attention 2`` -> ``flashattention2``."""
    return _NON_NAME_RE.sub("", fold(text))


def tokens(text: str) -> list[str]:
    """The words of a text as written, each hyphenated word also without hyphens.

    ``Self-Extend`` gives ``Self-Extend`` and ``SelfExtend``, so the query
    ``selfextend`` finds it as a whole word; ``ZeRO++`` gives ``ZeRO`` and
    ``ZeRO++`` (the query ``c++`` is a word of its own, not the letter c).
    """
    out = []
    # One pass: the pluses are matched with their word (counting them by slicing the text
    # after each word made a long abstract cost time quadratic in its length).
    for token, pluses in _TOKEN_PLUS_RE.findall(text):
        out.append(token)
        if "-" in token:
            out.append(token.replace("-", ""))
        if pluses:
            out.append(token + pluses)
    return out


def title_lead(title: str) -> str:
    """The name a title leads with: before its colon (``YaRN`` in "YaRN: Efficient ..."),
    or before "Technical Report" (``Qwen2``); "" when that is a sentence, not a name."""
    parts = _LEAD_RE.split(title, maxsplit=1)
    lead = _REPORT_RE.sub("", parts[0].strip())  # "Qwen2 Technical Report", "Phi-3 technical report: ..."
    if not (len(parts) > 1 or lead != title.strip()) or not lead or len(lead.split()) > LEAD_MAX_WORDS:
        return ""
    return lead


def repo_name(url: str) -> str:
    """The repository's name in a code URL (``streaming-llm``), or ""."""
    return repo_owner_and_name(url)[1]


def repo_owner_and_name(url: str) -> tuple[str, str]:
    """The owner and name of the repository in a code URL (``mit-han-lab``, ``streaming-llm``),
    or ("", "") when it is not a code host's repository URL."""
    match = re.match(r"^(?:https?://)?(?:www\.)?([^/]+)/+([^/#?]+)/+([^/#?]+)", url.strip())
    if not match or match[1].lower() not in _REPO_HOSTS:
        return "", ""
    return match[2], match[3].removesuffix(".git")


def defined_acronyms(abstract: str) -> list[tuple[str, list[str]]]:
    """Acronyms an abstract defines, with the words they stand for.

    "Attention with Linear Biases (ALiBi)" gives ``("ALiBi", [attention,
    linear, biases])``: an acronym counts only when its capitals are the
    initials of the words right before it.
    """
    out = []
    for match in _DEFINED_RE.finditer(abstract):
        acronym = match[2]
        letters = [c for c in acronym if c.isupper() or c.isdigit()]
        if len(letters) < 2:
            continue
        words = [w for w in re.split(r"[\s-]+", match[1].strip()) if w]
        expansion = _expansion(letters, words)
        if expansion:
            out.append((acronym, expansion))
    return out


def _expansion(letters: list[str], words: list[str]) -> list[str]:
    """The words (folded) whose initials spell ``letters``, ending at the last word; [] if none."""
    used: list[str] = []
    k = len(letters) - 1
    skipped = 0
    for word in reversed(words):
        if k < 0:
            break
        low = fold(word)
        if low[:1] == letters[k].lower():
            used.append(low)
            k -= 1
        elif used and skipped < 2:  # "with" in ALiBi's words, "head" in Multi-head
            skipped += 1
        else:
            return []
    return list(reversed(used)) if k < 0 else []


def paper_names(title: str, aka: list[str], code: str, abstract: str, generic: frozenset[str]) -> tuple[list[str], list[str]]:
    """A paper's (names, weaker names): see the module docstring.

    ``generic`` holds the field's common abbreviations (``kv``, ``llm``):
    defining one does not make it a paper's name.
    """
    names = [n for n in (title_lead(title), *aka, repo_name(code)) if n]
    weaker: list[str] = []
    title_words = {fold(w) for w in TOKEN_RE.findall(title.replace("-", " "))}
    for acronym, expansion in defined_acronyms(abstract):
        if compact(acronym) in generic or compact(acronym).rstrip("s") in generic:
            continue
        in_title = all(_has_word(title_words, w) for w in expansion)
        (names if in_title else weaker).append(acronym)
    return list(dict.fromkeys(names)), [w for w in dict.fromkeys(weaker) if w not in names]


def _has_word(words: set[str], word: str) -> bool:
    return word in words or word + "s" in words or word.rstrip("s") in words
