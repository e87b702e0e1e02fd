"""The store's ``_watch.yaml``: what ``lclm watch`` remembers between runs, as reviewable YAML.

::

    categories: [cs.CL, cs.LG]        # arXiv categories watched by default
    last_run: '2026-12-07'            # the next run's default --since
    rejected:                         # never shown again; taught as negatives
    - title: Some Paper Not For This List
      arxiv: '2512.00001'
      date: '2026-12-07'

Text in, text out: ``lclm.actions.watch`` reads and writes the file.  A
malformed file is a ``StoreError`` naming the file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lclm.errors import StoreError
from lclm.model import Paper
from lclm.store.layout import WATCH_FILE
from lclm.store.yamlio import compose, construct, dump_yaml

HEADER = (
    "# lclm watch: the arXiv categories it watches, when it last ran, and the papers\n"
    "# rejected in triage (they never come back, and teach the ranking what does not belong).\n"
)
# The fields a rejection keeps: enough to know the paper again and to learn from its title.
REJECTION_FIELDS = ("title", "arxiv", "doi", "url", "date")


@dataclass(slots=True)
class WatchState:
    """The contents of ``_watch.yaml``."""

    categories: list[str] = field(default_factory=list)
    last_run: str = ""
    rejected: list[dict[str, str]] = field(default_factory=list)

    def rejected_papers(self) -> list[Paper]:
        """The rejections as papers, for the duplicate rules and the model."""
        return [
            Paper(key="", title=r.get("title", ""), year=0, arxiv=r.get("arxiv", ""), doi=r.get("doi", ""), url=r.get("url", ""))
            for r in self.rejected
        ]

    def reject(self, paper: Paper, date: str) -> None:
        """Remember ``paper`` as rejected on ``date``."""
        entry = {"title": paper.title, "arxiv": paper.arxiv, "doi": paper.doi, "url": paper.url, "date": date}
        self.rejected.append({k: v for k, v in entry.items() if v})


def parse(path: Path, text: str) -> WatchState:
    """Read ``_watch.yaml``; raise ``StoreError`` with the line of a bad field."""
    node = compose(path, text)
    data = construct(node, path) if node is not None else None
    if data is None:
        return WatchState()
    if not isinstance(data, dict):
        raise StoreError("must be a mapping with categories, last_run and rejected", path=path, line=1)
    state = WatchState()
    lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}
    unknown = sorted(set(data) - {"categories", "last_run", "rejected"})
    if unknown:
        raise StoreError("unknown field (expected categories, last_run, rejected)", path=path, line=lines[unknown[0]], field=unknown[0])
    state.categories = _strings(data.get("categories") or [], path, lines.get("categories", 1), "categories")
    state.last_run = str(data.get("last_run") or "")
    rejected = data.get("rejected") or []
    if not isinstance(rejected, list) or not all(isinstance(r, dict) and r.get("title") for r in rejected):
        raise StoreError("must be a list of papers, each with a title", path=path, line=lines.get("rejected", 1), field="rejected")
    state.rejected = [{k: str(r[k]) for k in REJECTION_FIELDS if r.get(k)} for r in rejected]
    return state


def _strings(value: Any, path: Path, line: int, name: str) -> list[str]:
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise StoreError("must be a list of arXiv categories such as cs.CL", path=path, line=line, field=name)
    return list(value)


def dump(state: WatchState) -> str:
    """The file's text: the header, then the fields in a fixed order."""
    data: dict[str, Any] = {"categories": state.categories, "last_run": state.last_run, "rejected": state.rejected}
    return HEADER + dump_yaml({k: v for k, v in data.items() if v})


__all__ = ["WATCH_FILE", "WatchState", "dump", "parse"]
