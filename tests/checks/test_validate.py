"""`lclm validate`: every rule, collisions across files, bad input, the cache, the README."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import HAND_EDITS, PAPERS, run, yaml_reads
from lclm.checks import file as validate_file
from lclm.checks.validate import RULES
from lclm.store.load import load_store


def add(path: Path, text: str) -> int:
    """Append a record to a category file; the line it starts on."""
    old = path.read_text(encoding="utf-8")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)
    return old.count("\n") + 2


def line_of(path: Path, text: str) -> int:
    """The line of ``path`` on which ``text`` first appears."""
    content = path.read_text(encoding="utf-8")
    return content.count("\n", 0, content.index(text)) + 1


def check(store: Path, *args: str) -> tuple[int, list[str]]:
    result = run("--papers", str(store), "validate", *args)
    assert result.stderr == ""
    return result.exit_code, result.stdout.splitlines()


# ---------------------------------------------------------------- clean lists


def test_committed_list_is_clean(store: Path) -> None:
    papers = len(load_store(store).papers)
    files = len(list(store.glob("*.yaml")))
    for args in ((), ("--strict",)):
        code, out = check(store, *args)
        assert (code, out) == (0, [f"{files} files, {papers} papers checked: no problems"])


def test_small_store_is_clean(small: Path) -> None:
    assert check(small) == (0, ["3 files, 5 papers checked: no problems"])


# ---------------------------------------------------------------- one paper

# (record appended to survey.yaml, expected problem lines with {p} = the file, {n} = the record's line)
CASES = [
    (
        "- key: smith2024autors\n  title: Autors\n  autors:\n  - A B\n  year: 2024\n",
        ["{p}:{n2}: smith2024autors: autors: unknown field; did you mean 'authors'? [unknown-field]"],
    ),
    (
        "- title: No key\n",
        [
            "{p}:{n}: key: required field is missing [required]",
            "{p}:{n}: year: required field is missing [required]",
        ],
    ),
    (
        "- key: smith2024types\n  title: Types\n  year: '2024'\n  authors: A B\n",
        [
            "{p}:{n2}: smith2024types: year: must be a whole number, not '2024' [type]",
            "{p}:{n3}: smith2024types: authors: must be a list, not str 'A B' [type]",
        ],
    ),
    (
        "- key: smith2099future\n  title: Future\n  year: 2099\n",
        ["{p}:{n2}: smith2099future: year: 2099 is not between 1900 and {next_year} [year-range]"],
    ),
    (
        "- key: Smith_2024\n  title: Key\n  year: 2024\n",
        ["{p}:{n}: Smith_2024: key: 'Smith_2024' is not surnameYEARword (lower-case letters and digits around a 4-digit year) [key-format]"],
    ),
    (
        "- key: smith2024arxiv\n  title: Arxiv\n  year: 2024\n  arxiv: 2502.17129v2\n",
        ["{p}:{n3}: smith2024arxiv: arxiv: '2502.17129v2' has a version suffix; write '2502.17129' [arxiv-format]"],
    ),
    (
        "- key: smith2024arxiv\n  title: Arxiv\n  year: 2024\n  arxiv: '2502.1712'\n",
        ["{p}:{n3}: smith2024arxiv: arxiv: '2502.1712' is not an arXiv id: ids of 25/02 have 5 digits after the dot [arxiv-format]"],
    ),
    (
        "- key: smith2024arxiv\n  title: Arxiv\n  year: 2024\n  arxiv: arXiv 2502\n",
        ["{p}:{n3}: smith2024arxiv: arxiv: 'arXiv 2502' is not an arXiv id (2502.17129 or hep-th/9901001) [arxiv-format]"],
    ),
    (
        "- key: smith2024arxiv\n  title: Arxiv\n  year: 2024\n  arxiv: '2413.00001'\n",
        ["{p}:{n3}: smith2024arxiv: arxiv: '2413.00001' is not an arXiv id: month 13 does not exist [arxiv-format]"],
    ),
    (
        "- key: smith1999old\n  title: Old style\n  year: 1999\n  url: https://arxiv.org/abs/hep-th/9901001v3\n  arxiv: hep-th/9901001\n",
        [],
    ),
    (
        "- key: smith2024url\n  title: Url\n  year: 2024\n  url: https://arxiv.org/pdf/2502.17130\n  arxiv: '2502.17129'\n",
        ["{p}:{n3}: smith2024url: url: 'https://arxiv.org/pdf/2502.17130' is arXiv 2502.17130, but arxiv is 2502.17129 [id-mismatch]"],
    ),
    (
        "- key: smith2024venue\n  title: Venue\n  year: 2024\n  venue: arXiv preprint arXiv:2502.17130\n  url: https://arxiv.org/abs/2502.17129\n",
        ["{p}:{n3}: smith2024venue: venue: 'arXiv preprint arXiv:2502.17130' names arXiv 2502.17130, but url is 2502.17129 [id-mismatch]"],
    ),
    (
        "- key: smith2024doi\n  title: Doi\n  year: 2024\n  doi: https://doi.org/10.1145/3184558.3186235\n",
        ["{p}:{n3}: smith2024doi: doi: 'https://doi.org/10.1145/3184558.3186235' is not a bare DOI (10.NNNN/...); write '10.1145/3184558.3186235' [doi-format]"],
    ),
    (
        "- key: smith2024ftp\n  title: Ftp\n  year: 2024\n  url: ftp://example.org/paper.pdf\n",
        ["{p}:{n3}: smith2024ftp: url: 'ftp://example.org/paper.pdf' is not an http(s) URL [url-format]"],
    ),
    (
        "- key: smith2024space\n  title: Space\n  year: 2024\n  url: https://example.org/a paper\n",
        ["{p}:{n3}: smith2024space: url: 'https://example.org/a paper' is not a well-formed URL [url-format]"],
    ),
    (
        "- key: smith2024hygiene\n  title: ' Two  spaces.'\n  authors:\n  - ''\n  - René Zero\u200bWidth\n  - ':'\n  year: 2024\n",
        [
            "{p}:{n1}: smith2024hygiene: title: ' Two  spaces.' has leading or trailing space [whitespace, warning]",
            "{p}:{n1}: smith2024hygiene: title: ' Two  spaces.' ends with a period [title-period, warning]",
            "{p}:{n2}: smith2024hygiene: authors: author 1 is empty [empty-author]",
            "{p}:{n2}: smith2024hygiene: authors: author 2 'René Zero\\u200bWidth' has U+200B at column 10 [invisible-char]",
            "{p}:{n2}: smith2024hygiene: authors: author 3 ':' has no letter (punctuation from a citation export?) [empty-author]",
        ],
    ),
    (
        "- key: smith2024latex\n  title: Cost \\$5 {\\'e}t{\\'e}\n  year: 2024\n  venue: 'Proc.  of X'\n",
        [
            "{p}:{n1}: smith2024latex: title: \"Cost \\\\$5 {{\\\\'e}}t{{\\\\'e}}\" has LaTeX markup; write 'Cost $5 été' [latex]",
            "{p}:{n3}: smith2024latex: venue: 'Proc.  of X' has a doubled space [whitespace, warning]",
        ],
    ),
    (
        "- key: smith2024twice\n  title: Twice\n  year: 2023\n  year: 2024\n",
        ["{p}:{n3}: smith2024twice: year: given again (first on line {n2}); YAML keeps only this one [duplicate-field]"],
    ),
    (
        "- key: smith2024long\n  title: " + "x" * 1001 + "\n  year: 2024\n",
        ["{p}:{n1}: smith2024long: title: 1001 characters (at most 1000) [too-long]"],
    ),
]


@pytest.mark.parametrize(("record", "expected"), CASES, ids=[c[0].split("\n")[0] for c in CASES])
def test_paper_rules(small: Path, record: str, expected: list[str]) -> None:
    import datetime

    path = small / "survey.yaml"
    n = add(path, record)
    lines = {f"n{i}": n + i for i in range(5)}
    wanted = [e.format(p=path, n=n, next_year=datetime.date.today().year + 1, **lines) for e in expected]
    code, out = check(small)
    assert [line for line in out[:-1] if "[canonical" not in line] == wanted
    assert code == (1 if any(not line.endswith("warning]") for line in wanted) else 0)


def test_every_rule_has_an_explanation() -> None:
    result = run("validate", "--explain")
    assert result.exit_code == 0
    out = result.stdout.splitlines()
    assert len(out) == len(RULES)
    width = max(map(len, RULES))
    assert out[0] == f"{'encoding':<{width}}  error    Every file is UTF-8 text."
    assert [line.split()[:2] for line in out] == [[r.id, r.severity] for r in RULES.values()]


# ---------------------------------------------------------------- across the store


def test_same_ids_and_titles_name_both_places(small: Path) -> None:
    # Files are taken in name order, so retrieval.yaml's papers come first.
    survey, retrieval = small / "survey.yaml", small / "retrieval.yaml"
    a = add(survey, "- key: copy2024arxiv\n  title: 'LongRAG: Enhancing Retrieval-Augmented Generation'\n  year: 2024\n  arxiv: '2406.15319'\n")
    b = add(survey, "- key: copy2024doi\n  title: Copy B\n  year: 2024\n  doi: 10.1234/AbC\n")
    c = add(retrieval, "- key: copy2024doi2\n  title: Copy C\n  year: 2024\n  doi: 10.1234/abc\n")
    d = add(retrieval, "- key: copy2024url\n  title: Copy D\n  year: 2024\n  url: http://www.arxiv.org/pdf/2311.12351v2\n")
    e = add(retrieval, "- key: copy2024title\n  title: GPT-4 technical report!\n  year: 2024\n")
    f = add(retrieval, "- key: jiang2024longrag\n  title: Other\n  year: 2024\n")
    huang, gpt, longrag = line_of(survey, "arxiv: '2311"), line_of(survey, "title: GPT-4"), line_of(retrieval, "arxiv: '2406")
    code, out = check(small)
    assert code == 1
    assert out == [
        f"{retrieval}:{f}: jiang2024longrag: key: same key as jiang2024longrag ({retrieval}:1) [key-unique]",
        f"{survey}:{huang}: huang2023advancing: arxiv: "
        f"same arXiv id 2311.12351 as copy2024url ({retrieval}:{d + 3}), but the titles and authors differ: check the id [id-conflict]",
        f"{survey}:{gpt}: openai2023gpt: title: same title as copy2024title ({retrieval}:{e + 1}) [same-title]",
        f"{survey}:{a + 3}: copy2024arxiv: arxiv: same arXiv id 2406.15319 as jiang2024longrag "
        f"({retrieval}:{longrag}) [same-id]",
        f"{survey}:{b + 3}: copy2024doi: doi: same DOI 10.1234/abc as copy2024doi2 ({retrieval}:{c + 3}) [same-id]",
        "3 files, 11 papers checked: 5 errors, 0 warnings",
    ]


def test_distinct_marks_look_alike_titles_as_different_papers(small: Path) -> None:
    retrieval = small / "retrieval.yaml"
    record = "- key: liu2024longgenbench\n  title: 'LongGenBench: Benchmarking long-form generation in long context LLMs'\n  year: 2024\n"
    n = add(retrieval, record)
    code, out = check(small)
    first = line_of(retrieval, "title: 'LongGenBench")
    assert (code, out[0]) == (1, f"{retrieval}:{n + 1}: liu2024longgenbench: title: same title as wu2024longgenbench ({retrieval}:{first}) [same-title]")
    text = retrieval.read_text(encoding="utf-8")
    retrieval.write_text(text + "  distinct:\n  - wu2024longgenbench\n  - nobody2024x\n", encoding="utf-8")
    code, out = check(small)
    assert (code, out[:-1]) == (1, [f"{retrieval}:{n + 3}: liu2024longgenbench: distinct: no paper has key 'nobody2024x' [distinct-key]"])
    retrieval.write_text(text + "  distinct:\n  - wu2024longgenbench\n", encoding="utf-8")
    assert check(small) == (0, ["3 files, 6 papers checked: no problems"])


def test_a_site_url_is_no_identity_and_distinct_never_excuses_a_shared_arxiv_id(small: Path) -> None:
    survey = small / "survey.yaml"
    add(survey, "- key: team2024stepa\n  title: Step-1V\n  year: 2024\n  url: https://www.stepfun.com/#step1v\n")
    add(survey, "- key: team2024stepb\n  title: Step-2\n  year: 2024\n  url: https://www.stepfun.com/#step2\n")
    add(survey, "- key: team2024code\n  title: Step-3\n  year: 2024\n  url: https://github.com/stepfun-ai/Step3\n")
    add(survey, "- key: team2024codea\n  title: Step-3 Audio\n  year: 2024\n  url: https://github.com/stepfun-ai/Step3\n")
    assert check(small) == (0, ["3 files, 9 papers checked: no problems"])
    c = add(survey, "- key: openai2023gpta\n  title: GPT-4 System Card\n  year: 2023\n  arxiv: '2303.08774'\n  distinct:\n  - openai2023gpt\n")
    gpt = line_of(survey, "arxiv: '2303.08774'")
    assert check(small)[1][0] == (
        f"{survey}:{c + 3}: openai2023gpta: arxiv: same arXiv id 2303.08774 as openai2023gpt ({survey}:{gpt}), "
        "but they are marked distinct: one id is wrong [id-conflict]"
    )


def test_a_shared_url_of_one_paper(small: Path) -> None:
    survey, url = small / "survey.yaml", "https://proceedings.neurips.cc/paper/2023/hash/8511d06d-Abstract.html"
    a = add(survey, f"- key: tworkowski2023focused\n  title: Focused transformer\n  authors:\n  - Szymon Tworkowski\n  year: 2023\n  url: {url}\n")
    b = add(survey, f"- key: hu2023cd\n  title: CD-Pos\n  authors:\n  - Zhiyuan Hu\n  year: 2023\n  url: {url}\n")
    assert check(small) == (1, [
        f"{survey}:{b + 5}: hu2023cd: url: same URL {url[8:]} as tworkowski2023focused ({survey}:{a + 5}), "
        "but no author in common; if they are different papers, mark them distinct [look-alike]",
        "3 files, 7 papers checked: 1 error, 0 warnings",
    ])
    survey.write_text(survey.read_text(encoding="utf-8") + "  distinct:\n  - tworkowski2023focused\n", encoding="utf-8")
    assert check(small)[0] == 0


def test_only_given_files_are_reported_but_checked_against_the_store(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    survey, retrieval = small / "survey.yaml", small / "retrieval.yaml"
    n = add(retrieval, "- key: copy2024gpt\n  title: Copy\n  year: 2024\n  arxiv: '2303.08774'\n  doi: 10.1234/x y\n")
    gpt = line_of(survey, "arxiv: '2303.08774'")
    monkeypatch.chdir(small.parent)
    code, out = check(Path("papers"), "papers/retrieval.yaml")
    assert (code, out) == (1, [
        f"papers/retrieval.yaml:{n + 3}: copy2024gpt: arxiv: same arXiv id 2303.08774 as openai2023gpt (papers/survey.yaml:{gpt})"
        ", but the titles and authors differ: check the id [id-conflict]",
        f"papers/retrieval.yaml:{n + 4}: copy2024gpt: doi: '10.1234/x y' is not a bare DOI (10.NNNN/...) [doi-format]",
        "1 file, 3 papers checked: 2 errors, 0 warnings",
    ])
    # Given only the earlier paper's file, the collision is reported there, naming the later one.
    code, out = check(Path("papers"), "papers/survey.yaml")
    assert (code, out) == (1, [
        f"papers/survey.yaml:{gpt}: openai2023gpt: arxiv: same arXiv id 2303.08774 as copy2024gpt (papers/retrieval.yaml:{n + 3})"
        ", but the titles and authors differ: check the id [id-conflict]",
        "1 file, 3 papers checked: 1 error, 0 warnings",
    ])


def test_files_outside_the_store_are_usage_errors(small: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("[]\n", encoding="utf-8")
    result = run("--papers", str(small), "validate", str(other))
    assert (result.exit_code, result.stderr) == (2, f"lclm: error: {other}: not a YAML file of the paper store {small} (choose the store with --papers)\n")
    result = run("--papers", str(small), "validate", str(small / "nope.yaml"))
    assert (result.exit_code, result.stderr) == (2, f"lclm: error: {small / 'nope.yaml'}: no such file\n")
    result = run("--papers", str(tmp_path / "none"), "validate")
    assert result.exit_code == 1
    assert result.stderr == f"lclm: error: {tmp_path / 'none'}: paper store does not exist (use --papers DIR or set LCLM_PAPERS)\n"


def test_sections_list_every_category_file(small: Path) -> None:
    (small / "retrieval.yaml").rename(small / "retrieval2.yaml")
    sections = small / "_sections.yaml"
    code, out = check(small)
    assert (code, out) == (1, [
        f"{sections}:14: file: retrieval.yaml is listed but does not exist [missing-file]",
        f"{small / 'retrieval2.yaml'}:1: not listed in _sections.yaml, so no command reads it [unlisted-file]",
        "3 files, 5 papers checked: 2 errors, 0 warnings",
    ])
    text = sections.read_text(encoding="utf-8")
    sections.write_text(text.replace("file: retrieval.yaml", "file: survey.yaml"), encoding="utf-8")
    code, out = check(small)
    assert out[0] == f"{sections}:14: file: survey.yaml is listed twice (first on line 6) [sections]"


# ---------------------------------------------------------------- output, severity


def test_warnings_fail_only_with_strict(small: Path) -> None:
    path = small / "survey.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\n\n", "\n"), encoding="utf-8")
    line = f"{path}:19: not in canonical form from line 19; `lclm fmt` rewrites it [canonical, warning]"
    assert check(small) == (0, [line, "3 files, 5 papers checked: 0 errors, 1 warning (warnings fail only with --strict)"])
    assert check(small, "--strict") == (1, [line, "3 files, 5 papers checked: 0 errors, 1 warning"])


def test_canonical_warning_names_comments_fmt_would_drop(small: Path) -> None:
    path = small / "survey.yaml"
    path.write_text("# curated by hand\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    code, out = check(small)
    assert out[0] == (
        f"{path}:1: not in canonical form from line 1; `lclm fmt` rewrites it; "
        "its comments (line 1) would be lost, move them into a note [canonical, warning]"
    )


def test_json_gives_the_same_problems_as_data(small: Path) -> None:
    path = small / "survey.yaml"
    n = add(path, "- key: smith2024x\n  title: X.\n  year: 1800\n")
    result = run("--papers", str(small), "validate", "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert {k: data[k] for k in ("ok", "errors", "warnings", "files", "papers")} == {
        "ok": False, "errors": 1, "warnings": 1, "files": 3, "papers": 6,
    }
    assert data["problems"] == [
        {"path": str(path), "line": n + 1, "column": 0, "key": "smith2024x", "field": "title", "rule": "title-period",
         "severity": "warning", "message": "'X.' ends with a period"},
        {"path": str(path), "line": n + 2, "column": 0, "key": "smith2024x", "field": "year", "rule": "year-range",
         "severity": "error", "message": f"1800 is not between 1900 and {__import__('datetime').date.today().year + 1}"},
    ]


# ---------------------------------------------------------------- bad input


BAD_FILES = {
    "not YAML": (b"- key: a2024b\n  title: [unclosed\n", "{p}:3:1: YAML syntax: did not find expected ',' or ']' [yaml-syntax]"),
    "top level a mapping": (b"key: a2024b\ntitle: T\n", "{p}:1: top level must be a list of papers (- key: ...) [file-shape]"),
    "paper a string": (b"- just a title\n", "{p}:1: a paper must be a mapping (key: value), not 'just a title' [file-shape]"),
    "not UTF-8": (b"- key: a2024b\n  title: caf\xe9\n  year: 2024\n", "{p}:2: not UTF-8 (byte 0xe9 at offset 26) [encoding]"),
    "alias bomb": (
        b"- &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + b"".join(b"- &%c [%s]\n" % (c, b", ".join([b"*" + bytes([c - 1])] * 9)) for c in range(ord("b"), ord("j")))
        + b"- key: a2024b\n  title: [*i, *i, *i, *i, *i, *i, *i, *i, *i]\n  year: 2024\n",
        "{p}:2:7: YAML aliases (*a) are not allowed in a paper store [yaml-syntax]",
    ),
    "10 MB title": (
        b"- key: a2024big\n  title: " + b"x" * 10_000_000 + b"\n  year: 2024\n",
        "{p}:2: a2024big: title: 10000000 characters (at most 1000) [too-long]",
    ),
    "python tag": (b"- !!python/object:os.system\n  key: a2024b\n", "{p}:1:3: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system' [yaml-syntax]"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_input_is_reported_never_changed(small: Path, case: str) -> None:
    content, expected = BAD_FILES[case]
    path = small / "retrieval.yaml"
    path.write_bytes(content)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in small.iterdir()}
    code, out = check(small)
    assert code == 1
    assert out[0] == expected.format(p=path)
    assert out[-1].startswith("3 files, ")
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in small.iterdir()} == before


def test_a_broken_sections_file_is_one_problem(small: Path) -> None:
    sections = small / "_sections.yaml"
    sections.write_text("sections:\n- name: Survey\n  file: survey.yaml\n  translations: zh\n", encoding="utf-8")
    code, out = check(small)
    assert (code, out[0]) == (1, f"{sections}:4: Survey: every 'translations' must map a language to text [sections]")
    sections.write_text("- Survey\n", encoding="utf-8")
    code, out = check(small)
    assert (code, out[0]) == (1, f"{sections}:1: must be a mapping with a 'sections:' list [sections]")


# ---------------------------------------------------------------- the cache


def test_unchanged_files_come_from_the_cache(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = small / "survey.yaml"
    n = add(path, "- key: smith2024x\n  title: X\n  year: 1800\n")
    first = check(small)

    def no_parse(*args: object) -> None:
        raise AssertionError("parsed an unchanged file")

    monkeypatch.setattr(validate_file, "check_category", no_parse)
    monkeypatch.setattr(validate_file, "check_sections", no_parse)
    assert check(small) == first
    monkeypatch.undo()
    # An edited file is parsed again: the cache is never trusted over the files.
    path.write_text(path.read_text(encoding="utf-8").replace("year: 1800", "year: 1801"), encoding="utf-8")
    code, out = check(small)
    assert out[0] == f"{path}:{n + 2}: smith2024x: year: 1801 is not between 1900 and {__import__('datetime').date.today().year + 1} [year-range]"


def test_after_hand_edits_a_file_gets_the_result_a_fresh_check_gives() -> None:
    """The result for a file's old bytes is reused block by block; it must equal checking the file afresh."""
    path = PAPERS / "unanswered-question.yaml"
    original = path.read_text(encoding="utf-8")
    first = validate_file.check_category(path, original.encode())
    assert len(first.blocks) == len(first.papers) == original.count("\n- key: ") + 1
    for name_a, (edit_a, _) in HAND_EDITS.items():
        text_a = edit_a(original).encode()
        result_a = validate_file.check_category(path, text_a, first)
        assert result_a == validate_file.check_category(path, text_a), name_a
        assert bool(result_a.blocks) == HAND_EDITS[name_a][1], name_a
        for name_b, (edit_b, _) in HAND_EDITS.items():
            text_b = edit_b(text_a.decode("utf-8-sig")).encode()
            assert validate_file.check_category(path, text_b, result_a) == validate_file.check_category(path, text_b), (name_a, name_b)


@pytest.mark.parametrize("edit", HAND_EDITS)
def test_near_duplicates_after_an_edit_equal_a_fresh_check(
    edit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a hand edit, near-duplicate pairs are worked out only around the edit; the report equals a fresh one."""
    import dataclasses

    from conftest import make_store
    from lclm.duplicates import dedupe

    papers = [p for p in load_store(PAPERS).papers if p.category == "unanswered-question"][:6]
    copies = [  # retyped copies (a letter dropped) of the first four, in another file
        dataclasses.replace(p, key=f"{p.key}copy", title=p.title.replace("e", "", 1), url="", arxiv="", doi="", category="")
        for p in papers[:4]
    ]
    root = make_store(tmp_path / "papers", {"unanswered-question": papers, "copies": copies})
    first = check(root)[1]
    assert sum("[near-duplicate" in line for line in first) == 8
    path = root / "unanswered-question.yaml"
    path.write_text(HAND_EDITS[edit][0](path.read_text(encoding="utf-8")), encoding="utf-8")

    def whole(*args: object) -> None:
        raise AssertionError("searched the whole store again")

    monkeypatch.setattr(dedupe, "near_titles", whole)
    after = check(root)
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh-cache"))
    assert after == check(root)


def test_an_edit_checks_only_the_edited_paper_again(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(store)
    path = store / "unanswered-question.yaml"
    text = HAND_EDITS["add an author to the first (later lines move)"][0](path.read_text(encoding="utf-8"))
    path.write_text(HAND_EDITS["a year out of range in the third"][0](text), encoding="utf-8")
    read = yaml_reads(monkeypatch)
    code, out = check(store)
    assert len(set(read)) == 2 and not any("\n- key: " in block for block in read)  # the two edited papers only
    line = line_of(path, "year: 18")
    assert code == 1 and any(row.startswith(f"{path}:{line}: ") and "[year-range]" in row for row in out)
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(store.parent / "fresh-cache"))
    assert check(store) == (code, out)


def test_a_corrupt_cache_is_rebuilt_silently(small: Path, tmp_path: Path) -> None:
    first = check(small)
    caches = list((tmp_path / "cache" / "lclm" / "validate").rglob("*.json"))
    assert len(caches) == 1
    for junk in ("{not json", '{"stamp": 1, "files": []}', "[]"):
        caches[0].write_text(junk, encoding="utf-8")
        assert check(small) == first
    check(small)  # rewrites the cache: a header line, then the JSON body
    head, body = caches[0].read_text(encoding="utf-8").split("\n", 1)
    data = json.loads(body)
    for entry in data["files"].values():
        entry[1] = [["bad"]]
    caches[0].write_text(head + "\n" + json.dumps(data), encoding="utf-8")
    assert check(small) == first


# ---------------------------------------------------------------- README


def test_a_readme_with_markers_must_be_up_to_date(small: Path) -> None:
    readme = small / "README.md"
    readme.write_text("# List\n\n<!-- lclm:start -->\nold\n<!-- lclm:end -->\n", encoding="utf-8")
    plain = small.parent / "README.md"
    plain.write_text("Run lclm to rewrite between <!-- lclm:start --> and <!-- lclm:end -->.\n", encoding="utf-8")
    code, out = check(small)
    assert (code, out) == (1, [
        f"{readme}:4: out of date from line 4; run `lclm export markdown --readme {readme}` [readme]",
        "3 files, 5 papers checked: 1 error, 0 warnings",
    ])
    assert run("--papers", str(small), "export", "markdown", "--readme", str(readme)).exit_code == 0
    assert check(small) == (0, ["3 files, 5 papers checked: no problems"])
    zh = small / "README_zh.md"
    zh.write_text(readme.read_text(encoding="utf-8"), encoding="utf-8")
    code, out = check(small)
    assert out[0] == f"{zh}:4: out of date from line 4; run `lclm export markdown --readme {zh} --lang zh` [readme]"
    # A data change makes both stale; the cached verdict does not hide it.
    assert run("--papers", str(small), "export", "markdown", "--readme", str(zh), "--lang", "zh").exit_code == 0
    assert check(small)[0] == 0
    survey = small / "survey.yaml"
    survey.write_text(survey.read_text(encoding="utf-8").replace("GPT-4 Technical Report", "GPT-4 Report"), encoding="utf-8")
    code, out = check(small)
    assert [line.split(":")[0] for line in out[:-1]] == [str(readme), str(zh)]


def test_validate_never_writes_the_store(store: Path) -> None:
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in store.iterdir()}
    check(store)
    check(store)  # from the cache
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in store.iterdir()} == before


def test_a_byte_order_mark_is_named_as_such_and_fmt_removes_it(store: Path) -> None:
    path = store / "memory-management.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run("--papers", str(store), "validate", "--strict")
    assert result.exit_code == 1
    assert f"{path}:1: starts with a byte-order mark; `lclm fmt` removes it [canonical, warning]" in result.stdout.splitlines()
    assert run("--papers", str(store), "fmt").exit_code == 0
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert run("--papers", str(store), "validate", "--strict").exit_code == 0


# ---------------------------------------------------------------- one answer with dedupe


def test_a_yaml_error_in_one_file_gives_no_false_distinct_key_in_another(small: Path) -> None:
    survey, retrieval = small / "survey.yaml", small / "retrieval.yaml"
    marked = add(survey, "- key: other2024x\n  title: Other\n  authors:\n  - A B\n  year: 2024\n  distinct:\n  - jiang2024longrag\n")
    assert marked
    retrieval.write_text(retrieval.read_text(encoding="utf-8").replace("  year: 2024\n", "  year: [2024\n", 1), encoding="utf-8")
    code, out = check(small)
    assert code == 1
    assert [line for line in out if "[distinct-key" in line] == []
    assert any(line.startswith(f"{retrieval}:") and "[yaml-syntax]" in line for line in out)


def test_a_near_duplicate_dedupe_finds_is_a_warning_at_both_records(small: Path) -> None:
    survey, retrieval = small / "survey.yaml", small / "retrieval.yaml"
    first = line_of(retrieval, "- key: wu2024longgenbench")
    copy = add(survey, (
        "- key: wu2024longgenbencha\n  title: 'LongGenBench: Benchmarking Long-Form Generaton in Long Context LLMs'\n"
        "  authors:\n  - Yuhao Wu\n  year: 2024\n"
    ))
    assert run("--papers", str(small), "dedupe").exit_code == 1  # dedupe finds them
    advice = "`lclm dedupe --merge` merges them, or mark them distinct [near-duplicate, warning]"
    expected = [
        f"{retrieval}:{first + 1}: wu2024longgenbench: title: near-identical title to wu2024longgenbencha"
        f" ({survey}:{copy + 1}): title 99% similar, shared author Wu; {advice}",
        f"{survey}:{copy + 1}: wu2024longgenbencha: title: near-identical title to wu2024longgenbench"
        f" ({retrieval}:{first + 1}): title 99% similar, shared author Wu; {advice}",
    ]
    for _ in range(2):  # computed, then from the cache
        code, out = check(small)
        assert code == 0  # a warning: --strict fails on it
        assert [line for line in out if "[near-duplicate" in line] == expected
    assert check(small, "--strict")[0] == 1
    # Marked distinct, they are two papers for both commands.
    text = survey.read_text(encoding="utf-8")
    survey.write_text(text + "  distinct:\n  - wu2024longgenbench\n", encoding="utf-8")
    assert run("--papers", str(small), "dedupe").exit_code == 0
    assert [line for line in check(small)[1] if "[near-duplicate" in line] == []
