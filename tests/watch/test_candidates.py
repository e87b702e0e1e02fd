"""`--from FILE`: the kind is told by the text."""

from __future__ import annotations

from pathlib import Path

from conftest import DATA
from lclm.watch.candidates import read


def test_feed_bibtex_and_ids_are_told_apart() -> None:
    feed = (DATA / "watch" / "new_search_testing_10entries.xml").read_text(encoding="utf-8")
    assert (read(Path("f.xml"), feed).kind, len(read(Path("f.xml"), feed).papers)) == ("feed", 10)
    bib = read(Path("a.bib"), "@article{k,\n  title = {A Title},\n  year = {2024},\n}\n")
    assert bib.kind == "bibtex" and [p.title for p in bib.papers] == ["A Title"]
    ids = read(Path("ids.txt"), "2502.17129v2  # a comment\n10.1145/3184558.3186235\nhttps://doi.org/10.48550/arXiv.2402.13753\n\n2502.17129\n")
    assert (ids.kind, ids.arxiv, ids.dois) == ("ids", ["2502.17129", "2402.13753"], ["10.1145/3184558.3186235"])
