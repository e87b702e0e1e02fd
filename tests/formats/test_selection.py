"""Cited keys from LaTeX sources and .aux files."""

from __future__ import annotations

from pathlib import Path

import pytest

from lclm.errors import InputError
from lclm.formats.selection import Cite, aux_cites, read_aux, strip_comments, tex_cites


def keys(text: str) -> list[str]:
    return [c.key for c in tex_cites(text, "d.tex")]


@pytest.mark.parametrize(
    ("source", "cited"),
    [
        (r"\cite{a}", ["a"]),
        (r"\citep{a,b} \citet{c}", ["a", "b", "c"]),
        (r"\citep[see][p.~3]{a, b}", ["a", "b"]),
        (r"\citep[{[}odd{]}]{a}", ["a"]),  # brackets inside braces do not close the option
        (r"\citeauthor*{a} \Citet{b} \Citep*[e.g.][]{c}", ["a", "b", "c"]),
        (r"\autocite{a} \parencite[12]{b} \textcite{c} \Textcite{d} \footcite{e}", ["a", "b", "c", "d", "e"]),
        (r"\cites[see][1]{a}[2]{b,c} then", ["a", "b", "c"]),
        ("\\citep\n  [see]\n  {a}", ["a"]),
        (r"\nocite{*}", ["*"]),
        (r"\citestyle{plain} \bibliography{refs} \citation{x} \citealp{a}", ["a"]),
        (r"\cite{}", []),
        ("\\cite{a}% \\cite{b}\n\\cite{c}", ["a", "c"]),
        ("50\\% of \\cite{a} % \\cite{b}", ["a"]),
        ("line\\\\% \\cite{b}\n\\cite{c}", ["c"]),  # \\ then a comment
        ("\\verb|\\cite{a}| \\begin{verbatim}\n\\cite{b}\n\\end{verbatim}\n\\cite{c}", ["c"]),
    ],
)
def test_tex_cites(source: str, cited: list[str]) -> None:
    assert keys(source) == cited


def test_tex_cites_know_their_line() -> None:
    text = "% \\cite{no}\n\\section{One}\nSee \\citep[p.~2]{\n  liu2025thus,\n  su2024roformer}."
    assert tex_cites(text, "draft.tex") == [Cite("liu2025thus", "draft.tex:3"), Cite("su2024roformer", "draft.tex:3")]


def test_strip_comments_keeps_lines() -> None:
    assert strip_comments("a % x\nb \\% c % y\n\\\\%z") == "a \nb \\% c \n\\\\"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("text\n\\cite{a,b\n\nmore", "d.tex:2: \\cite: unbalanced braces: the '{' after it is never closed"),
        ("\\citep[see}{a}", "d.tex:1: \\citep: unbalanced braces: the '[' after it is never closed"),
        ("\\citep[see][p.~3]{a", "d.tex:1: \\citep[see][p.~3]: unbalanced braces: the '{' after it is never closed"),
    ],
)
def test_unbalanced_braces_are_an_input_error(source: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        tex_cites(source, "d.tex")
    assert str(caught.value) == message


def test_aux_cites_bibtex_and_biblatex_forms() -> None:
    text = (
        "\\relax\n\\citation{a,b}\n\\citation{c}\n\\bibstyle{plainnat}\n"
        "\\abx@aux@cite{0}{d}\n\\abx@aux@cite{e}\n\\abx@aux@segm{0}{0}{d}\n\\@input{ch1.aux}\n\\bibcite{z}{1}\n"
    )
    cites, inputs = aux_cites(text, "x.aux")
    assert [c.key for c in cites] == ["a", "b", "c", "d", "e"]
    assert cites[3].where == "x.aux:5"
    assert inputs == ["ch1.aux"]


def test_read_aux_follows_included_files_once(tmp_path: Path) -> None:
    (tmp_path / "main.aux").write_text("\\citation{a}\n\\@input{ch1.aux}\n", encoding="utf-8")
    (tmp_path / "ch1.aux").write_text("\\citation{b}\n\\@input{main.aux}\n", encoding="utf-8")
    assert [c.key for c in read_aux(tmp_path / "main.aux")] == ["a", "b"]


def test_read_aux_names_a_missing_included_file(tmp_path: Path) -> None:
    (tmp_path / "main.aux").write_text("\\@input{gone.aux}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"gone\.aux: no such file$"):
        read_aux(tmp_path / "main.aux")
