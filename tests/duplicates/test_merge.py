"""What a merge keeps (``lclm.duplicates.merge``): the original, and the union of what the records know."""

from __future__ import annotations

from lclm.duplicates.merge import merge_papers, oldest, title_rank
from lclm.model import Paper


def rec(key: str, title: str = "Longformer: The Long-Document Transformer", year: int = 2020, **fields: object) -> Paper:
    return Paper.from_dict({"key": key, "title": title, "year": year, **fields})


def test_oldest_is_not_the_letter_suffixed_copy_even_when_it_comes_first() -> None:
    assert oldest([rec("beltagy2020longformera"), rec("beltagy2020longformer")]) == 1


def test_oldest_is_not_a_record_whose_key_another_lists_as_former() -> None:
    assert oldest([rec("x2020copy"), rec("y2020orig", ids=["x2020copy"])]) == 1


def test_oldest_is_otherwise_the_first_in_store_order() -> None:
    assert oldest([rec("peng2024yarn"), rec("peng2023yarn")]) == 0


def test_the_cased_complete_title_wins() -> None:
    kept = rec("beltagy2020longformer", "Longformer: the long-document transformer.")
    merged = merge_papers(kept, [rec("beltagy2020longformera", "Longformer: The Long-Document Transformer")]).kept
    assert merged.title == "Longformer: The Long-Document Transformer"
    assert title_rank("LONGFORMER: THE LONG-DOCUMENT TRANSFORMER") < title_rank("Longformer: The Long-Document Transformer")


def test_the_kept_title_stays_when_the_other_is_worse() -> None:
    kept = rec("a2020x", "Longformer: The Long-Document Transformer")
    merged = merge_papers(kept, [rec("b2020x", "longformer: the long-document transformer.")])
    assert merged.kept.title == "Longformer: The Long-Document Transformer"
    assert (merged.filled, merged.disagreements) == ([], [])


def test_a_full_author_list_beats_one_cut_short_with_others() -> None:
    full = ["Iz Beltagy", "Matthew E. Peters", "Arman Cohan"]
    merged = merge_papers(rec("a2020x", authors=["Iz Beltagy", "others"]), [rec("b2020x", authors=full)])
    assert merged.kept.authors == full and merged.filled == ["authors"]


def test_a_shorter_author_list_never_replaces_a_longer_one() -> None:
    full = ["Iz Beltagy", "Matthew E. Peters", "Arman Cohan"]
    merged = merge_papers(rec("a2020x", authors=full), [rec("b2020x", authors=["Iz Beltagy", "Matthew E. Peters"])])
    assert merged.kept.authors == full and merged.disagreements == []


def test_other_people_are_a_disagreement_and_the_original_stays() -> None:
    merged = merge_papers(rec("a2020x", authors=["Iz Beltagy"]), [rec("b2020x", authors=["Jane Doe", "John Roe"])])
    assert merged.kept.authors == ["Iz Beltagy"]
    assert [d.describe() for d in merged.disagreements] == ["authors: kept Iz Beltagy, b2020x has Jane Doe, John Roe"]


def test_ids_aka_and_notes_are_united() -> None:
    kept = rec("a2020x", aka=["Longformer"], note="read", arxiv="2004.05150")
    other = rec("b2020x", aka=["LED"], note="has code", doi="10.1000/xyz", code="https://github.com/allenai/longformer")
    merged = merge_papers(kept, [other]).kept
    assert (merged.aka, merged.note, merged.arxiv, merged.doi) == (["Longformer", "LED"], "read; has code", "2004.05150", "10.1000/xyz")
    assert merged.code == "https://github.com/allenai/longformer" and merged.ids == ["b2020x"]


def test_a_published_venue_brings_its_year_and_two_venues_disagree() -> None:
    kept = rec("a2020x", year=2020, venue="arXiv preprint arXiv:2004.05150")
    merged = merge_papers(kept, [rec("b2020x", year=2021, venue="ICLR")]).kept
    assert (merged.venue, merged.year) == ("ICLR", 2021)
    clash = merge_papers(rec("a2020x", venue="ICLR"), [rec("b2020x", venue="NeurIPS")])
    assert clash.kept.venue == "ICLR"
    assert [d.describe() for d in clash.disagreements] == ["venue: kept ICLR, b2020x has NeurIPS"]
