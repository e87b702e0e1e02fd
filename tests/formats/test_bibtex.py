"""BibTeX export: entry types, venues, escaping, capitals, the real bibtex program, the CLI."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import model
from bibtexparser.writer import BibtexFormat

from conftest import LANDMARK, PAPERS, QWQ, SPECIAL, T5, THUS, make_store, run
from lclm.formats.bibtex import (
    escape,
    needs_braces,
    protect,
    to_bibtex,
    to_entry,
    unescapable,
)
from lclm.latex import decode
from lclm.model import Paper
from lclm.store.load import load_store
from lclm.venues import VenueParts as Venue
from lclm.venues import parse_venue


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return make_store(tmp_path / "papers", {"surveys": [THUS, QWQ], "methods": [LANDMARK, T5, SPECIAL]})


# ---------------------------------------------------------------- pieces


@pytest.mark.parametrize(
    ("venue", "parts"),
    [
        ("Advances in Neural Information Processing Systems, 36, 54567--54585",
         Venue("Advances in Neural Information Processing Systems", "36", "", "54567--54585")),
        ("Journal of machine learning research, 21(140), 1--67", Venue("Journal of machine learning research", "21", "140", "1--67")),
        ("Neurocomputing, 568, 127063, Elsevier", Venue("Neurocomputing", "568", "", "127063", "Elsevier")),
        ("International Conference on Learning Representations", Venue("International Conference on Learning Representations")),
        ("International conference on machine learning, 5156--5165", Venue("International conference on machine learning", pages="5156--5165")),
        ("IEEE Micro, IEEE", Venue("IEEE Micro", publisher="IEEE")),
        # a comma inside the name is not a publisher, and "Volume 2" does not parse: kept whole
        ("Advancements In Medical Foundation Models: Explainability, Robustness, Security, and Beyond",
         Venue("Advancements In Medical Foundation Models: Explainability, Robustness, Security, and Beyond")),
        ("Proceedings of the 29th ACM ASPLOS, Volume 2, 450--466", Venue("Proceedings of the 29th ACM ASPLOS, Volume 2", pages="450--466")),
    ],
)
def test_parse_venue_splits_only_what_reads_back(venue: str, parts: Venue) -> None:
    assert parse_venue(venue) == parts
    assert parts.text() == venue


@pytest.mark.parametrize(
    ("venue", "entry_type", "container"),
    [
        ("Advances in Neural Information Processing Systems, 36, 54567--54585", "inproceedings", "booktitle"),
        ("International Conference on Learning Representations", "inproceedings", "booktitle"),
        ("Proceedings of the 62nd Annual Meeting of the ACL, 13615--13627", "inproceedings", "booktitle"),
        ("2021 IEEE Winter Conference on Applications of Computer Vision (WACV), 3530--3538", "inproceedings", "booktitle"),
        ("First Conference on Language Modeling", "inproceedings", "booktitle"),
        ("Journal of machine learning research, 21(140), 1--67", "article", "journal"),
        ("Neurocomputing, 568, 127063, Elsevier", "article", "journal"),
        ("IEEE Transactions on Pattern Analysis and Machine Intelligence, 45(2), 2208--2225, IEEE", "article", "journal"),
        ("Submitted to The Thirteenth International Conference on Learning Representations", "misc", "howpublished"),
        ("Meta AI.", "misc", "howpublished"),
    ],
)
def test_entry_type_follows_the_venue(venue: str, entry_type: str, container: str) -> None:
    entry = to_entry(Paper("x2024y", "T", 2024, ["A B"], venue=venue))
    assert entry.type == entry_type
    assert entry.field(container) == parse_venue(venue).container or entry.field(container) == venue


def test_arxiv_only_paper_is_misc_with_eprint_and_preprint_line() -> None:
    entry = to_entry(THUS)
    assert entry.type == "misc"
    assert entry.field("howpublished") == "arXiv preprint arXiv:2502.17129"
    assert (entry.field("eprint"), entry.field("archivePrefix"), entry.field("primaryClass")) == ("2502.17129", "arXiv", "")
    no_venue = to_entry(Paper("a2025b", "T", 2025, ["A B"], url="https://arxiv.org/abs/2502.17129", arxiv="2502.17129"))
    assert no_venue.field("howpublished") == "arXiv preprint arXiv:2502.17129"
    old = to_entry(Paper("a1999b", "T", 1999, ["A B"], arxiv="hep-th/9901001"))
    assert old.field("primaryClass") == "hep-th"  # the archive of an old-style id


def test_blog_without_venue_is_misc_with_url() -> None:
    entry = to_entry(QWQ)
    assert entry.type == "misc"
    assert entry.field("howpublished") == r"\url{https://qwenlm.github.io/blog/qwq-32b-preview/}"
    assert entry.field("url") == "https://qwenlm.github.io/blog/qwq-32b-preview/"
    assert entry.field("author") == "{Qwen Team}"


def test_paper_without_authors_gets_a_sort_key() -> None:
    entry = to_entry(Paper("anon2024index", "Index-1.9B Technical Report", 2024, url="https://github.com/x/y"))
    assert entry.field("key") == "Index-1.9B Technical Report"
    assert "author" not in dict(entry.fields)


@pytest.mark.parametrize(
    ("word", "braced"),
    [
        ("RoPE", True), ("LLaMA", True), ("GPT-4", True), ("KV", True), ("LLMs", True), ("Qwen2.5", True),
        ("FlashAttention-2", True), ("3D", True), ("Q-Former", True), ("I", True), ("ZeRO", True),
        ("Transformer", False), ("Long-Context", False), ("A", False), ("attention", False), ("2024", False),
        ("Don't", False), ("O'Brien", True),
    ],
)
def test_needs_braces_like_a_careful_author(word: str, braced: bool) -> None:
    assert needs_braces(word) is braced


def test_protect_braces_words_not_punctuation() -> None:
    assert protect("LongRoPE: extending (RoPE), LLaMA-2's GPT-4 via Long-Context") == (
        "{LongRoPE}: extending ({RoPE}), {LLaMA-2's} {GPT-4} via Long-Context"
    )
    assert protect("I think, so I am") == "I think, so {I} am"  # the first word keeps its capital anyway


def test_escape_specials_but_keep_unicode() -> None:
    assert escape(r"50% & $5 #1 a_b {x} ~ ^ \ é") == (
        r"50\% \& \$5 \#1 a\_b \textbraceleft{}x\textbraceright{} \textasciitilde{} \textasciicircum{} \textbackslash{} é"
    )


def test_urls_dois_and_eprints_are_not_escaped() -> None:
    entry = to_entry(SPECIAL)
    assert entry.field("url") == "https://openreview.net/forum?id=a_b%20c"
    assert entry.field("doi") == "10.1000/x_y"
    assert entry.field("title") == r"Lossless {KV} Cache Compression to 2\% with {GPT-4} \& {RoPE\_scaling}"
    assert entry.field("author") == "Piotr Miłoś and Christopher Ré and {Barnes, Noble}"


def test_ascii_writes_latex_escapes() -> None:
    assert escape("Miłoś Ré Françoise Øresund – “x” α", ascii=True) == (
        r"Mi{\l}o{\'s} R{\'e} Fran{\c{c}}oise {\O}resund \textendash{} \textquotedblleft{}x\textquotedblright{} $\alpha$"
    )
    # characters with no escape stay UTF-8, and are named so the command can warn
    assert escape("羊憶蓉 Назаренко ệ", ascii=True) == "羊憶蓉 Назаренко ệ"
    assert unescapable("羊憶蓉 Назаренко é ệ") == "羊憶蓉Назренкоệ"  # each character once
    # super- and subscripts as maths, which reads back as the same characters
    assert escape("SAC³ O(n²) H₂O", ascii=True) == "SAC$^{3}$ O(n$^{2}$) H$_{2}$O"
    assert decode(escape("SAC³ O(n²) H₂O", ascii=True)) == "SAC³ O(n²) H₂O"
    # near twins, seen in dair-ai/ML-Papers-of-the-Week: a black circle, the minus sign, maths letters
    assert escape("a ● b − c 𝖳𝖢 Non‑breaking ⟨x⟩", ascii=True) == r"a \textbullet{} b $-$ c TC Non-breaking $\langle$x$\rangle$"
    assert unescapable("a ● b − c 𝖳𝖢") == ""


# ---------------------------------------------------------------- the whole list


def test_layout_is_bibtexparsers_writer() -> None:
    papers = load_store(PAPERS).papers
    entries = [to_entry(p) for p in papers]
    library = bibtexparser.Library(
        [model.Entry(e.type, e.key, [model.Field(k, "{" + v + "}") for k, v in e.fields]) for e in entries]
    )
    layout = BibtexFormat()
    layout.indent, layout.block_separator = "  ", "\n"
    assert bibtexparser.write_string(library, unparse_stack=[], bibtex_format=layout) == to_bibtex(papers)


@pytest.mark.parametrize("ascii", [False, True])
def test_bibtexparser_reads_every_field_back_unchanged(ascii: bool) -> None:
    papers = load_store(PAPERS).papers
    library = bibtexparser.parse_string(to_bibtex(papers, ascii=ascii))
    assert library.failed_blocks == []
    assert len(library.entries) == len(papers)
    for read, paper in zip(library.entries, papers):
        written = to_entry(paper, ascii=ascii)
        assert (read.entry_type, read.key) == (written.type, written.key)
        assert [(f.key, f.value) for f in read.fields] == list(written.fields)


def _bibtex(workdir: Path, bib: Path, keys: list[str]) -> subprocess.CompletedProcess[str]:
    assert shutil.which("bibtex"), "bibtex is not installed (Debian: apt-get install --no-install-recommends texlive-latex-base)"
    shutil.copy(bib, workdir / "refs.bib")
    cites = "".join(f"\\citation{{{key}}}\n" for key in keys)
    (workdir / "draft.aux").write_text(f"\\relax\n{cites}\\bibstyle{{plainnat}}\n\\bibdata{{refs}}\n", encoding="utf-8")
    return subprocess.run(["bibtex", "draft"], cwd=workdir, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("ascii", [False, True])
def test_real_bibtex_takes_the_whole_list_without_a_warning(store: Path, tmp_path: Path, ascii: bool) -> None:
    bib = tmp_path / "refs.bib"
    result = run("--papers", str(store), "export", "bibtex", "-o", str(bib), *(["--ascii"] if ascii else []))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    keys = [p.key for p in load_store(store).papers]
    work = tmp_path / "tex"
    work.mkdir()
    done = _bibtex(work, bib, keys)
    log = (work / "draft.blg").read_text(encoding="utf-8")
    assert done.returncode == 0, done.stdout
    assert "Warning--" not in done.stdout + log
    assert "error message" not in log
    bbl = (work / "draft.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\bibitem") == len(keys)
    if ascii:
        assert bib.read_bytes().isascii()


def test_real_bibtex_prints_the_arxiv_line_and_keeps_capitals(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(to_bibtex([THUS, QWQ, Paper("su2024rope", "RoPE scaling for LLaMA models", 2024, ["Jianlin Su"], arxiv="2104.09864")]))
    work = tmp_path / "tex"
    work.mkdir()
    assert _bibtex(work, bib, ["liu2025thus", "su2024rope", "team2024qwq"]).returncode == 0
    bbl = " ".join((work / "draft.bbl").read_text(encoding="utf-8").split())
    assert "Thus spake long-context large language model. \\newblock arXiv preprint arXiv:2502.17129, 2025." in bbl
    assert "{RoPE} scaling for {LLaMA} models." in bbl
    assert "\\bibitem[Team(2024)]" not in bbl and "\\bibitem[{Qwen Team}(2024)]{team2024qwq}" in bbl


# ---------------------------------------------------------------- the command

EXPECTED = r"""@misc{liu2025thus,
  title = {Thus Spake Long-Context Large Language Model},
  author = {Xiaoran Liu and Ruixiao Li and others},
  howpublished = {arXiv preprint arXiv:2502.17129},
  year = {2025},
  eprint = {2502.17129},
  archivePrefix = {arXiv},
  url = {https://arxiv.org/abs/2502.17129}
}

@misc{team2024qwq,
  title = {{QwQ}: Reflect Deeply on the Boundaries of the Unknown},
  author = {{Qwen Team}},
  howpublished = {\url{https://qwenlm.github.io/blog/qwq-32b-preview/}},
  year = {2024},
  url = {https://qwenlm.github.io/blog/qwq-32b-preview/}
}

@inproceedings{mohtashami2023landmark,
  title = {Landmark Attention: Random-Access Infinite Context Length for Transformers},
  author = {Amirkeivan Mohtashami and Martin Jaggi},
  booktitle = {Advances in Neural Information Processing Systems},
  volume = {36},
  pages = {54567--54585},
  year = {2023},
  url = {https://proceedings.neurips.cc/paper/2023/landmark.pdf}
}

@article{raffel2020exploring,
  title = {Exploring the limits of transfer learning with a unified text-to-text transformer},
  author = {Colin Raffel and Peter J Liu},
  journal = {Journal of machine learning research},
  volume = {21},
  number = {140},
  pages = {1--67},
  year = {2020},
  url = {https://www.jmlr.org/papers/v21/20-074.html}
}
"""


def test_export_writes_store_order_to_stdout(sample: Path) -> None:
    result = run("--papers", str(sample), "export", "bibtex", "--keys", "raffel2020exploring,liu2025thus,team2024qwq,mohtashami2023landmark")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == EXPECTED
    assert result.stderr == ""


def test_export_to_a_file(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    result = run("--papers", str(sample), "export", "bibtex", "-o", str(out))
    assert (result.exit_code, result.stdout) == (0, "")
    assert out.read_text(encoding="utf-8") == to_bibtex([THUS, QWQ, LANDMARK, T5, SPECIAL])


def test_category_and_query_select(sample: Path) -> None:
    by_category = run("--papers", str(sample), "export", "bibtex", "--category", "method")
    assert [line for line in by_category.stdout.splitlines() if line.startswith("@")] == [
        "@inproceedings{mohtashami2023landmark,", "@article{raffel2020exploring,", "@inproceedings{milos2024lossless,"
    ]
    by_query = run("--papers", str(sample), "export", "bibtex", "--query", "unified")
    assert [line for line in by_query.stdout.splitlines() if line.startswith("@")] == ["@article{raffel2020exploring,"]
    both = run("--papers", str(sample), "export", "bibtex", "--category", "surveys", "--query", "transfer")
    assert (both.exit_code, both.stdout) == (1, "")
    assert both.stderr == "lclm: error: no paper selected by --category 'surveys' --query 'transfer'; nothing written\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--aux", "{tmp}/empty.aux"], "no paper selected by --aux {tmp}/empty.aux; nothing written"),
        (["--tex", "{tmp}/plain.tex"], "no paper selected by --tex {tmp}/plain.tex; nothing written"),
        (["--query", "zzzqqq"], "no paper selected by --query 'zzzqqq'; nothing written"),
    ],
)
def test_a_selection_of_nothing_writes_nothing(sample: Path, tmp_path: Path, args: list[str], message: str) -> None:
    """A draft that cites nothing (or a query that finds nothing) is not a reason to export the whole list."""
    (tmp_path / "empty.aux").write_text("\\relax\n\\bibstyle{plainnat}\n", encoding="utf-8")
    (tmp_path / "plain.tex").write_text("\\section{Intro}\nNo citations yet.\n", encoding="utf-8")
    out = tmp_path / "refs.bib"
    out.write_text("% the previous export\n", encoding="utf-8")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = run("--papers", str(sample), "export", "bibtex", *argv, "-o", str(out))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"lclm: error: {message.replace('{tmp}', str(tmp_path))}\n"
    assert out.read_text(encoding="utf-8") == "% the previous export\n"


def test_blank_keys_are_a_usage_error(sample: Path) -> None:
    for keys in ("", " , "):
        result = run("--papers", str(sample), "export", "bibtex", "--keys", keys)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.startswith("lclm: error: --keys: no key given")


def test_tex_and_aux_select_the_cited_papers(sample: Path, tmp_path: Path) -> None:
    tex = tmp_path / "draft.tex"
    tex.write_text("As \\citet{liu2025thus} show % \\cite{raffel2020exploring}\n\\nocite{team2024qwq}\n", encoding="utf-8")
    aux = tmp_path / "draft.aux"
    aux.write_text("\\relax\n\\abx@aux@cite{0}{mohtashami2023landmark}\n", encoding="utf-8")
    result = run("--papers", str(sample), "export", "bibtex", "--tex", str(tex), "--aux", str(aux))
    assert result.exit_code == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if line.startswith("@")] == [
        "@misc{liu2025thus,", "@misc{team2024qwq,", "@inproceedings{mohtashami2023landmark,"
    ]


def test_missing_keys_are_named_with_suggestions_and_exit_1(sample: Path, tmp_path: Path) -> None:
    tex = tmp_path / "draft.tex"
    tex.write_text("\\citep{liu2025thuss}\n\n\\cite{raffel2020exploring,nothing1999atall}\n", encoding="utf-8")
    out = tmp_path / "refs.bib"
    result = run("--papers", str(sample), "export", "bibtex", "--tex", str(tex), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"lclm: {tex}:1: liu2025thuss: not in the list; did you mean liu2025thus?",
        f"lclm: {tex}:3: nothing1999atall: not in the list",
        f"lclm: error: 2 cited keys not in the list; wrote the 1 it has to {out} (--allow-missing accepts this)",
    ]
    assert out.read_text(encoding="utf-8") == to_bibtex([T5])
    allowed = run("--papers", str(sample), "export", "bibtex", "--tex", str(tex), "--allow-missing")
    assert allowed.exit_code == 0
    assert allowed.stdout == to_bibtex([T5])
    assert len(allowed.stderr.splitlines()) == 2


def test_nocite_star_exports_everything(sample: Path, tmp_path: Path) -> None:
    tex = tmp_path / "draft.tex"
    tex.write_text("\\nocite{*}\n", encoding="utf-8")
    result = run("--papers", str(sample), "export", "bibtex", "--tex", str(tex))
    assert result.stdout == to_bibtex([THUS, QWQ, LANDMARK, T5, SPECIAL])


def test_ascii_warns_about_characters_it_cannot_escape(tmp_path: Path) -> None:
    cjk = Paper("yang1999ren", "人的素質提昇之重要性", 1999, ["羊憶蓉"], url="https://example.org/p")
    root = make_store(tmp_path / "papers", {"misc": [cjk, LANDMARK]})
    result = run("--papers", str(root), "export", "bibtex", "--ascii")
    assert result.exit_code == 0
    assert result.stderr == "lclm: warning: yang1999ren: no LaTeX escape for '人的素質提昇之重要性羊憶蓉'; kept as UTF-8\n"
    assert "title = {人的素質提昇之重要性}" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--aux", "{tmp}/missing.aux"], "lclm: error: {tmp}/missing.aux: no such file\n"),
        (["--tex", "{tmp}"], "lclm: error: {tmp}: is a directory, not a file\n"),
        (["--tex", "{tmp}/bad.tex"], "lclm: error: {tmp}/bad.tex:2: \\citep[p.~3]: unbalanced braces: the '{' after it is never closed\n"),
        (["--tex", "{tmp}/bad-optional.tex"], "lclm: error: {tmp}/bad-optional.tex:1: \\cite: unbalanced braces: the '[' after it is never closed\n"),
        (["-o", "{tmp}"], "lclm: error: {tmp}: cannot write: it is a directory\n"),
        (["-o", "{tmp}/no/such/dir/refs.bib"], "lclm: error: {tmp}/no/such/dir/refs.bib: cannot write: directory {tmp}/no/such/dir does not exist\n"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(sample: Path, tmp_path: Path, args: list[str], message: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "bad.tex").write_text("\\section{x}\n\\citep[p.~3]{liu2025thus,\n\nmore text\n", encoding="utf-8")
    (work / "bad-optional.tex").write_text("\\cite[see}{liu2025thus}\n", encoding="utf-8")
    before = sorted(work.rglob("*"))
    argv = [a.replace("{tmp}", str(work)) for a in args]
    result = run("--papers", str(sample), "export", "bibtex", *argv, *([] if "-o" in argv else ["-o", str(work / "refs.bib")]))
    assert result.exit_code == 1
    assert result.stderr == message.replace("{tmp}", str(work))
    assert result.stdout == ""
    assert sorted(work.rglob("*")) == before  # no output file, no temporary left behind


def test_an_edit_shows_in_the_next_export(sample: Path) -> None:
    """Entries come from the cache while their category is unchanged, and never after it changed."""
    first = run("--papers", str(sample), "export", "bibtex")
    assert first.stdout == to_bibtex(load_store(sample).papers)
    methods = sample / "methods.yaml"
    methods.write_text(methods.read_text(encoding="utf-8").replace("Landmark Attention", "Landmark Tokens"), encoding="utf-8")
    again = run("--papers", str(sample), "export", "bibtex")
    assert "title = {Landmark Tokens" in again.stdout and "Landmark Attention" not in again.stdout
    assert again.stdout == to_bibtex(load_store(sample).papers)
    ascii = run("--papers", str(sample), "export", "bibtex", "--ascii")
    assert ascii.stdout == to_bibtex(load_store(sample).papers, ascii=True)
