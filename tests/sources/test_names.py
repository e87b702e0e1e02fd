"""The one author-list reader, shared by the Markdown and BibTeX readers and `add`."""

from __future__ import annotations

import pytest

from lclm.sources.names import clean_names, parse_authors
from lclm.text import latex_to_unicode


@pytest.mark.parametrize(
    ("written", "names"),
    [
        ("Ada Lovelace, Alan Turing, and Grace Hopper", ["Ada Lovelace", "Alan Turing", "Grace Hopper"]),
        ("Ada Lovelace, Alan Turing and Grace Hopper", ["Ada Lovelace", "Alan Turing", "Grace Hopper"]),
        ("Ada Lovelace and Alan Turing", ["Ada Lovelace", "Alan Turing"]),
        ("Lovelace, A., Turing, A. M.", ["A. Lovelace", "A. M. Turing"]),
        ("Ada Lovelace, Alan Turing, et al.", ["Ada Lovelace", "Alan Turing", "others"]),
        ("Ada Lovelace, Alan Turing et al", ["Ada Lovelace", "Alan Turing", "others"]),
        ("Ada Lovelace, Alan Turing, others", ["Ada Lovelace", "Alan Turing", "others"]),
        ("Ada Lovelace, Wangding Zeng et al. (100 additional authors not shown)", ["Ada Lovelace", "Wangding Zeng", "others"]),
        ("Weinan E, Md. Tamim Iqbal, J.L. Cai, Sercan Ö. Arik", ["Weinan E", "Md. Tamim Iqbal", "J.L. Cai", "Sercan Ö. Arik"]),
        ("*Ada Lovelace*, _Alan Turing_", ["Ada Lovelace", "Alan Turing"]),
        (r"Santiago Onta{\~{n}}{\'{o}}n, Christopher R{\'{e}}, Jon Saad{-}Falcon", ["Santiago Ontañón", "Christopher Ré", "Jon Saad-Falcon"]),
        ("", []),
        # issue 22: citation order, affiliations, footnotes, glued "et al", "and" between every name
        ("Hinton, Geoffrey E., and Ruslan R. Salakhutdinov.", ["Geoffrey E. Hinton", "Ruslan R. Salakhutdinov"]),
        ("Oord, Aaron van den, Nal Kalchbrenner, and Koray Kavukcuoglu.", ["Aaron van den Oord", "Nal Kalchbrenner", "Koray Kavukcuoglu"]),
        ("He, Kaiming, et al.", ["Kaiming He", "others"]),
        ("Hinton, G. E., & Salakhutdinov, R. R.", ["G. E. Hinton", "R. R. Salakhutdinov"]),
        ("Gilmer, Justin and Schoenholz, Samuel S and Dahl, George E.", ["Justin Gilmer", "Samuel S Schoenholz", "George E. Dahl"]),
        ("A. Name (Lab of X, Dept and Y, Univ) et al. arXiv.", ["A. Name", "others"]),
        ("XLang Lab (The University of Hong Kong) arXiv.", ["XLang Lab"]),
        ("Yue Wu (CMU & Microsoft) et al.", ["Yue Wu", "others"]),
        ("Shahet al.", ["Shah", "others"]),
        ("Ada Lovelace and Alan Turing and Grace Hopper", ["Ada Lovelace", "Alan Turing", "Grace Hopper"]),
        ("Ada Lovelace1,2, Alan Turing^3, Grace Hopper*, Bob Ross†", ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Bob Ross"]),
        ("Yingyan (Celine) Lin, Yi R. (May) Fung", ["Yingyan Lin", "Yi R. Fung"]),
        ("Qwen, An Yang, Baosong Yang", ["Qwen", "An Yang", "Baosong Yang"]),  # a team, not "An Yang Qwen"
        ("bloc97", ["bloc97"]),  # a handle keeps its digits
        ("Mordvintsev, Alexander; Olah, Christopher; Tyka, Mike", ["Alexander Mordvintsev", "Christopher Olah", "Mike Tyka"]),
        ("Ada Lovelace. [] [][]", ["Ada Lovelace"]),  # what is left of links taken out
    ],
)
def test_written_author_lists(written: str, names: list[str]) -> None:
    assert parse_authors(written) == names


def test_bibtex_author_fields() -> None:
    assert parse_authors(r"Onta{\~{n}}{\'{o}}n, Santiago and Saad{-}Falcon, Jon and others", bibtex=True) == [
        "Santiago Ontañón", "Jon Saad-Falcon", "others",
    ]
    assert parse_authors("E, Weinan and {The Supernova Cosmology Project}", bibtex=True) == [
        "Weinan E", "The Supernova Cosmology Project",
    ]


def test_names_from_a_service_are_cleaned() -> None:
    assert clean_names(["  Ada  Lovelace ", "", "{Alan} Turing", "et al."]) == ["Ada Lovelace", "Alan Turing", "others"]


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"Rivi{\`e}re", "Rivière"),
        (r"{\'I}{\~n}igo", "Íñigo"),
        (r"\v{S}ar\'{\i}", "Šarí"),
        (r"Stra\ss{}e", "Straße"),
        (r"50\% \& more", "50% & more"),
        (r"x\'e}", "xé}"),  # a brace not part of the escape is kept
        ("50% ~x $y$ {L}ong", "50% ~x $y$ {L}ong"),  # no backslash: not LaTeX, unchanged
        (r"\unknowncommand x", r"\unknowncommand x"),  # left for `validate` to flag
    ],
)
def test_one_latex_decoder(latex: str, text: str) -> None:
    assert latex_to_unicode(latex) == text
