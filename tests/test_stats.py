"""`lclm stats`: the facts, their JSON, the terminal report and the SVG chart."""

from __future__ import annotations

import functools
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import run


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module does not test the cache."""
    return warm_store


SVG = "{http://www.w3.org/2000/svg}"


def records(store: Path) -> list[dict]:  # type: ignore[type-arg]
    """Every paper of a store, read straight from its YAML (not through lclm)."""
    files = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(store.glob("*.yaml")))
    return _records(store, files)


@functools.lru_cache(maxsize=4)
def _records(store: Path, files: tuple[tuple[str, int, int], ...]) -> list[dict]:  # type: ignore[type-arg]
    """Read once per content: the fixture store is a copy (same sizes and times) of one frozen list."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out = []
    for name, _, _ in files:
        if name != "_sections.yaml":
            for record in yaml.load((store / name).read_text(encoding="utf-8"), Loader=loader) or []:
                out.append({**record, "category": name.removesuffix(".yaml")})
    return out


def stats_json(store: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = run("--papers", str(store), "stats", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_counts_match_the_files(store: Path) -> None:
    papers = records(store)
    data = stats_json(store)
    assert data["papers"] == len(papers) == 641
    assert data["categories"] == 12
    per_file = Counter(p["category"] for p in papers)
    assert {s["slug"]: s["papers"] for s in data["sections"] if s["slug"]} == dict(per_file)
    assert {int(y): n for y, n in data["by_year"].items()} == dict(Counter(p["year"] for p in papers))
    # The chart's stacks add up to the year's count, and the tops to the whole list.
    for year, stack in data["by_year_section"].items():
        assert sum(stack.values()) == data["by_year"][year]
    tops = [s for s in data["sections"] if s["depth"] == 0]
    assert [s["name"] for s in tops] == data["top_sections"]
    assert sum(s["papers"] for s in tops) == len(papers)
    assert sum(data["status"].values()) == len(papers)


def test_papers_without_a_link(store: Path) -> None:
    unlinked = [p["key"] for p in records(store) if not (p.get("url") or p.get("arxiv") or p.get("doi"))]
    assert unlinked  # the fixture has one; the test means something
    assert sorted(stats_json(store)["without_link"]) == sorted(unlinked)


def test_preprints_published_and_other(store: Path) -> None:
    papers = records(store)
    preprints = [p for p in papers if re.search(r"arxiv|submitted to", p.get("venue", ""), re.I) or (not p.get("venue") and p.get("arxiv"))]
    others = [p for p in papers if not p.get("venue") and not p.get("arxiv")]
    status = stats_json(store)["status"]
    assert status == {"published": len(papers) - len(preprints) - len(others), "preprint": len(preprints), "other": len(others)}
    assert status["published"] > 100 and status["other"] > 10


def test_venues_are_counted_under_the_names_readers_use(store: Path) -> None:
    venues = {v["venue"]: v["papers"] for v in stats_json(store, "--top", "30")["top_venues"]}
    written = [p.get("venue", "") for p in records(store)]
    # "Advances in neural information processing systems", "The Thirty-eighth Annual
    # Conference on Neural Information Processing Systems", ... are all NeurIPS.
    # A workshop held at NeurIPS is not NeurIPS.
    neurips = sum(1 for v in written if "neural information processing systems" in v.lower() and "workshop" not in v.lower())
    assert venues["NeurIPS"] == neurips > 20
    assert venues["arXiv (preprint)"] == stats_json(store)["status"]["preprint"]


def test_top_authors_ignore_others_and_case(store: Path) -> None:
    authors = stats_json(store, "--top", "3")["top_authors"]
    assert len(authors) == 3
    counted = Counter(a for p in records(store) for a in p.get("authors", []) if a != "others")
    assert [(a["author"], a["papers"]) for a in authors][0] == counted.most_common(1)[0]
    assert all(a["author"] != "others" for a in authors)


def test_terminal_report(store: Path) -> None:
    result = run("--papers", str(store), "stats")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("641 papers in 12 categories\n")
    # The busiest year gets the full bar; a year with one paper still shows one block.
    busiest = max(Counter(p["year"] for p in records(store)).items(), key=lambda kv: kv[1])
    assert re.search(rf"^{busiest[0]}\s+{busiest[1]}\s+█{{40}}\s*$", out, re.MULTILINE)
    assert re.search(r"^2012\s+1\s+█\s*$", out, re.MULTILINE)
    assert re.search(r"^\s*Length Extrapolation\s+58\b", out, re.MULTILINE)
    assert "Papers without a link (URL, arXiv id or DOI): 1: hu2024cd" in out


def test_svg_chart(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.svg"
    result = run("--papers", str(store), "stats", "--svg", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{out}: chart of 641 papers\n"
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert "width" not in root.attrib and root.get("viewBox")  # scales to its container
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    # Every top-level section is in the legend; the axis runs over the list's years.
    for name in ("Survey & Technical Report", "Architecture", "Infrastructure", "Training", "Evaluation"):
        assert name in texts
    assert "2012" in texts and "2024" in texts
    # Drawn in currentColor with its own light/dark colours, and no ids a page could clash with.
    text = out.read_text(encoding="utf-8")
    assert "currentColor" in text and "prefers-color-scheme: dark" in text
    assert not re.search(r'id="(figure|axes|patch|text|line2d)_', text)


def test_svg_and_json_together_keep_stdout_json(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.svg"
    data = stats_json(store, "--svg", str(out))
    assert data["papers"] == 641 and out.exists()


def test_svg_into_a_missing_directory_is_one_line(store: Path, tmp_path: Path) -> None:
    result = run("--papers", str(store), "stats", "--svg", str(tmp_path / "nowhere" / "chart.svg"))
    assert result.exit_code == 1
    assert result.stderr.startswith("lclm: error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_translated_section_names(store: Path) -> None:
    data = stats_json(store, "--lang", "zh")
    assert "长度外推" in [s["name"] for s in data["sections"]]


def test_unknown_language_is_a_usage_error(store: Path) -> None:
    result = run("--papers", str(store), "stats", "--lang", "fr")
    assert result.exit_code == 2
    assert result.stderr == "lclm: error: --lang fr: the list has headings in en, zh\n"


def test_preprint_is_the_rule_refresh_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    from lclm import stats, venues
    from lclm.model import Paper

    on_arxiv = Paper(key="a2024x", title="T", year=2024, authors=["A"], arxiv="2401.00001")
    published = Paper(key="b2024x", title="T", year=2024, authors=["A"], venue="ICLR 2024")
    assert stats.status(on_arxiv) == "preprint" and stats.status(published) == "published"
    # One rule: whatever lclm.venues says is a preprint, stats counts as one.
    monkeypatch.setattr(venues, "is_preprint_paper", lambda paper: paper.key == "b2024x")
    assert stats.status(on_arxiv) == "other" and stats.status(published) == "preprint"
