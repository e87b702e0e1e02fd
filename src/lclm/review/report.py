"""A ``StoreDiff`` as text for a terminal or log, and as Markdown for a pull request's summary.

Pure: a diff in, a string out; the command decides where it goes.
"""

from __future__ import annotations

import json
from typing import Any

from lclm.model import Paper
from lclm.review.diff import FieldChange, Finding, PaperChange, StoreDiff

_SHOWN = 80  # a long value (an abstract) is cut to this many characters


def counts_line(diff: StoreDiff) -> str:
    """``2 added, 0 removed, 1 changed, 0 moved, 0 renamed (639 unchanged)``."""
    parts = [f"{len(diff.added)} added", f"{len(diff.removed)} removed"]
    parts += [f"{diff.count(what)} {what}" for what in ("changed", "moved", "renamed")]
    return ", ".join(parts) + f" ({diff.unchanged} unchanged)"


def _value(value: Any) -> str:
    if value is None:
        return "(none)"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _what(diff: StoreDiff, change: PaperChange) -> list[str]:
    """``renamed from x``, ``moved from A to B`` for a change's heading."""
    out = []
    if change.renamed:
        out.append(f"renamed from {change.old.key}")
    if change.moved:
        out.append(f"moved from {diff.names.get(change.old.category, change.old.category)!r} to "
                   f"{diff.names.get(change.new.category, change.new.category)!r}")
    return out


def _category(diff: StoreDiff, paper: Paper) -> str:
    return diff.names.get(paper.category, paper.category)


def to_text(diff: StoreDiff) -> str:
    """The comparison as lines: one per paper, its field changes indented, then the checks."""
    lines = [f"{diff.root}: against {diff.base}: {counts_line(diff)}"]
    for paper in diff.added:
        lines.append(f"+ {paper.key} ({_category(diff, paper)}) {diff.where(paper)}: {paper.title}")
    for paper in diff.removed:
        into = diff.merged_into.get(paper.key)
        lines.append(f"- {paper.key} ({_category(diff, paper)}): {paper.title}" + (f" (merged into {into})" if into else ""))
    for change in diff.changes:
        head = ", ".join(_what(diff, change))
        lines.append(f"~ {change.new.key} ({_category(diff, change.new)}) {diff.where(change.new)}" + (f": {head}" if head else ""))
        lines += [f"    {f.name}: {_value(f.old)} -> {_value(f.new)}" for f in change.fields]
    if diff.findings:
        lines.append(f"checks: {len(diff.findings)} to look at")
        lines += [f"! {f.where}: {f.key}: {f.kind}: {f.message}" for f in diff.findings]
    elif not diff.empty:
        lines.append("checks: nothing found in what changed")
    lines += [f"not checked: {note}" for note in diff.not_checked]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _md_field(change: FieldChange) -> str:
    return f"`{change.name}`: {_md(_value(change.old))} → {_md(_value(change.new))}"


def to_markdown(diff: StoreDiff) -> str:
    """The comparison for a pull request: a summary line, then a table per kind of change, then the checks."""
    out = ["### lclm diff", "", f"Against {diff.base}: **{counts_line(diff)}**.", ""]
    if diff.added:
        out += ["#### Added", "", "| key | category | title |", "|---|---|---|"]
        out += [f"| `{p.key}` | {_md(_category(diff, p))} | {_md(p.title)} |" for p in diff.added]
        out.append("")
    if diff.removed:
        out += ["#### Removed", "", "| key | category | title |", "|---|---|---|"]
        out += [
            f"| `{p.key}` | {_md(_category(diff, p))} | {_md(p.title)}"
            + (f" (merged into `{diff.merged_into[p.key]}`)" if p.key in diff.merged_into else "") + " |"
            for p in diff.removed
        ]
        out.append("")
    if diff.changes:
        out += ["#### Changed", "", "| key | what changed |", "|---|---|"]
        for change in diff.changes:
            what = _what(diff, change) + [_md_field(f) for f in change.fields]
            out.append(f"| `{change.new.key}` | {'<br>'.join(_md(w) if not w.startswith('`') else w for w in what)} |")
        out.append("")
    out += _md_findings(diff.findings)
    if diff.empty:
        out += ["No paper was added, removed or changed.", ""]
    if diff.not_checked:
        out += ["<details><summary>Not checked</summary>", ""]
        out += [f"- {_md(note)}" for note in diff.not_checked]
        out += ["", "</details>", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_findings(findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    out = [f"#### To check ({len(findings)})", "", "| where | key | check | finding |", "|---|---|---|---|"]
    out += [f"| {_md(f.where)} | `{f.key}` | {f.kind} | {_md(f.message)} |" for f in findings]
    return out + [""]
