"""The one venue table: which venue a text names, its kind, and every reader agreeing on it."""

from __future__ import annotations

import pytest

from lclm import venues
from lclm.formats.bibtex import venue_kind
from lclm.model import Paper
from lclm.stats import venue_name


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Advances in Neural Information Processing Systems, 36", "NeurIPS", "conference"),
        ("NIPS", "NeurIPS", "conference"),
        ("Int. Conf. on Learning Representation", "ICLR", "conference"),
        ("Proc. VLDB Endow.", "PVLDB", "journal"),
        ("Proceedings of the VLDB Endowment", "PVLDB", "journal"),
        ("Transactions on Machine Learning Research", "TMLR", "journal"),
        ("Trans. Mach. Learn. Res.", "TMLR", "journal"),
        ("Proceedings of the Eighteenth European Conference on Computer Systems", "EuroSys", "conference"),
        ("21st USENIX Symposium on Networked Systems Design and Implementation (NSDI 24)", "NSDI", "conference"),
        ("Findings of the Association for Computational Linguistics: EMNLP 2023", "EMNLP", "conference"),
        ("Transactions of the Association for Computational Linguistics", "TACL", "journal"),
        ("ACL (1)", "ACL", "conference"),
        ("arXiv preprint arXiv:2502.11089", "arXiv", "preprint"),
    ],
)
def test_lookup_names_the_venue_and_its_kind(text: str, name: str, kind: str) -> None:
    venue = venues.lookup(text)
    assert venue is not None and venue.name == name
    assert venues.kind(text) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("First Workshop on Long-Context Foundation Models@ ICML 2024", "workshop"),
        ("Submitted to The Thirteenth International Conference on Learning Representations", "preprint"),
        ("IEEE Micro", "journal"),
        ("2024 IEEE Winter Conference on Applications of Computer Vision (WACV)", "conference"),
        ("Meta AI.", ""),
    ],
)
def test_what_the_table_does_not_name_is_still_given_a_kind(text: str, kind: str) -> None:
    assert venues.lookup(text) is None  # a workshop at ICML is not ICML; a submission is not published
    assert venues.kind(text) == kind


def test_bibtex_stats_and_refresh_read_the_same_table() -> None:
    mics = Paper(key="zhang2022mics", title="MiCS", year=2022, category="c", venue="Proc. VLDB Endow., 16, 37-50")
    assert venue_kind(mics) == "article"  # a journal, not @inproceedings
    assert venue_name(mics) == "PVLDB"
    assert venues.default_table().write("Proc. VLDB Endow.", 2022) == "Proceedings of the VLDB Endowment"
    every_name = {name.casefold() for venue in venues.VENUES for name in venue.dblp}
    assert set(venues.default_table().forms) == every_name


def test_every_row_is_a_known_kind_and_finds_its_own_long_form() -> None:
    for venue in venues.VENUES:
        assert venue.kind in venues.KINDS
        assert venues.lookup(venue.long.replace("{year}", "2024")) is venue or venue.long.startswith("Findings")


@pytest.mark.parametrize(
    ("names", "written"),
    [
        # Semantic Scholar's names that refresh's own matcher (forms only) missed, though `stats` knew them.
        (["IEEE Conference on Computer Vision and Pattern Recognition"],
         "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition"),
        (["Neural Information Processing Systems (NeurIPS)"], "Advances in Neural Information Processing Systems"),
        (["Conference on Empirical Methods in Natural Language Processing"],
         "Proceedings of the 2024 Conference on Empirical Methods in Natural Language Processing"),
        (["ICLR 2024"], "International Conference on Learning Representations"),
        (["Workshop on Efficient Systems @ ICML 2024"], None),  # a workshop is not its conference
        (["arXiv.org", "CoRR"], None),
    ],
)
def test_refresh_reads_a_services_venue_as_the_one_table_names_it(names: list[str], written: str | None) -> None:
    from lclm.actions.refresh_rules import read_venue

    assert read_venue(venues.default_table(), names, 2024) == written
    found = venues.lookup(names[0])
    if written is None:
        assert found is None or found is venues.ARXIV
    else:  # refresh writes the venue stats counts it under
        assert found is not None and venues.default_table().write(found.dblp[0], 2024) == written


def test_a_stores_own_venue_is_read_by_its_written_out_form() -> None:
    table = venues.default_table()
    table.forms["efml"] = {"short": "EFML {year}", "long": "The Workshop on Efficient ML {year}"}
    assert table.read(["Workshop on Efficient ML"], 2024) == "The Workshop on Efficient ML 2024"
    assert table.read(["EFML"], 2024) == "The Workshop on Efficient ML 2024"
