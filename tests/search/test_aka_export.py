"""A paper's other names (``aka``) travel with its data exports, not with the Markdown list."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run


def test_json_and_csl_json_carry_aka_markdown_keeps_its_seed_format(store: Path) -> None:
    records = json.loads(run("--papers", str(store), "export", "json").stdout)
    roformer = next(r for r in records if r["key"] == "su2024roformer")
    assert roformer["aka"] == ["RoPE", "Rotary Position Embedding"]
    items = json.loads(run("--papers", str(store), "export", "csl-json").stdout)
    item = next(i for i in items if i["id"] == "su2024roformer")
    assert item["note"] == "Also known as: RoPE; Rotary Position Embedding"
    assert all("note" not in i for i in items if i["id"] == "shaw2018self")  # no aka, no note
    markdown = run("--papers", str(store), "export", "markdown").stdout
    line = next(x for x in markdown.splitlines() if "Roformer" in x)
    assert "RoPE" not in line and "Rotary Position Embedding" not in line
