"""Lists written in HTML inside the Markdown: tables, links, navigation bars.

A table of papers in HTML is read as a Markdown table is (its ``<th>`` cells, or
bold ``<td>`` cells, give the columns' roles); a table with no title column
(RUCAIBox/LLMSurvey's table of models, each with a "Paper" link) is set aside
with its rows, not read as papers titled "T5"; a line of links between
separators is the page's navigation.
"""

from __future__ import annotations

from conftest import DATA
from lclm.sources.markdown import parse_markdown

PAPERS_TABLE = """# Papers

<table>
  <thead><tr><th>Title</th><th>Authors</th><th>Venue</th></tr></thead>
  <tr><td><a href="https://arxiv.org/abs/1905.13678">Learning Sparse Networks Using Targeted Dropout</a></td>
      <td>Aidan N. Gomez, Ivan Zhang, Siddhartha Rao Kamalakara</td><td>arXiv 2019</td></tr>
  <tr><td><a href="https://arxiv.org/abs/1710.09412" target="_blank">[2018 ICLR] Mixup: Beyond empirical risk minimization</a></td>
      <td>Hongyi Zhang, Moustapha Cisse</td><td></td></tr>
</table>
"""


def test_an_html_table_of_papers_is_read_by_its_columns() -> None:
    parsed = parse_markdown(PAPERS_TABLE)
    assert [(e.line, e.title, e.authors, e.venue, e.year, e.arxiv) for e in parsed.entries()] == [
        (5, "Learning Sparse Networks Using Targeted Dropout", ["Aidan N. Gomez", "Ivan Zhang", "Siddhartha Rao Kamalakara"],
         "arXiv", 2019, "1905.13678"),
        (7, "Mixup: Beyond empirical risk minimization", ["Hongyi Zhang", "Moustapha Cisse"], "ICLR", 2018, "1710.09412"),
    ]


def test_an_html_table_without_a_title_column_is_set_aside_row_by_row() -> None:
    real = DATA / "lists_real" / "RUCAIBox__LLMSurvey.md"
    parsed = parse_markdown(real.read_text(encoding="utf-8"))
    (aside,) = [a for a in parsed.set_aside if a.reason.startswith("a row of a table with no title column")]
    assert (aside.heading, aside.count, aside.lines[:2]) == ("List of LLMs", 48, (189, 196))
    assert not [e for e in parsed.entries() if e.title in ("T5", "PanGu-α", "Publicly")]


def test_a_line_of_links_between_separators_is_navigation() -> None:
    parsed = parse_markdown(
        '# A list\n\n<a href="https://arxiv.org/abs/2503.17407">📝 Survey Paper</a> |\n'
        '<a href="#-papers">📄 Paper List</a> |\n<a href="https://github.com/x/y">⭐ GitHub</a>\n'
    )
    assert parsed.entries() == []
    assert [a.reason for a in parsed.set_aside] == ["a line of links between separators (the page's navigation), not a paper"]
