"""A watch run as data (``--json``) or a Markdown digest (for a pull request's body)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lclm.watch.ranking import Ranked


def to_data(ranked: Sequence[Ranked], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Candidates best first: title, score, category (name), categories, nearest (keys), ids, abstract."""
    out = []
    for r in ranked:
        p = r.paper
        item: dict[str, Any] = {
            "title": p.title,
            "score": r.score,
            "category": names.get(r.category, r.category),
            "categories": [{"category": names.get(c, c), "slug": c, "share": round(s, 3)} for c, s in r.categories],
            "nearest": [n.key for n in r.nearest],
        }
        item.update({k: v for k, v in (("arxiv", p.arxiv), ("doi", p.doi), ("url", p.url), ("year", p.year)) if v})
        item["authors"] = p.authors
        if p.abstract:
            item["abstract"] = p.abstract
        out.append(item)
    return out


def markdown(ranked: Sequence[Ranked], names: Mapping[str, str], left_out: Mapping[str, int]) -> str:
    """A Markdown digest: one numbered item per candidate, with its suggestion and reason."""
    lines = [f"## New papers for the list ({len(ranked)} candidates)", ""]
    for number, r in enumerate(ranked, 1):
        p = r.paper
        link = f"[{p.title}]({p.url})" if p.url else p.title
        near = ", ".join(f"`{n.key}`" for n in r.nearest) or "none"
        where = names.get(r.category, r.category) or "no suggestion"
        lines.append(f"{number}. **{link}** score {r.score:.2f}, suggested: {where}; nearest: {near}")
    gone = [f"{n} {why}" for why, n in left_out.items() if n]
    if gone:
        lines += ["", f"Left out: {', '.join(gone)}."]
    return "\n".join(lines) + "\n"
