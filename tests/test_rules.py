"""`lclm.rules`: one rule table for input and `validate`; nothing add or an import writes fails validate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import run
from lclm.keys import make_key
from lclm.rules import MAX_CHARS


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.glob("*.yaml"))}


def clean(root: Path) -> bool:
    result = run("--papers", str(root), "validate", "--strict")
    return result.exit_code == 0


# ---------------------------------------------------------------- hostile input is refused or written clean

HOSTILE_HAND = {
    "year-1850": (["--title", "Old paper", "--year", "1850"], "--year: 1850 is not between 1900 and"),
    "year-3000": (["--title", "Future paper", "--year", "3000"], "--year: 3000 is not between 1900 and"),
    "title-3000": (["--title", "word " * 600, "--year", "2024"], "--title: 2999 characters (at most 1000)"),
    "author-without-letters": (["--title", "A paper", "--year", "2024", "--author", "::"], "--author: author 1 '::' has no letter"),
    "ftp-url": (["--title", "A paper", "--year", "2024", "--url", "ftp://x.org/p"], "--url: 'ftp://x.org/p' is not an http(s) URL"),
    "one-long-word": (["--title", "x" * 900, "--year", "2024", "--author", "Y" * 200 + " Z" * 1], ""),
    "invisible-and-latex": (["--title", "Mod\u200b{\\`e}les\u00a0de  r{\\'e}f{\\'e}rence.", "--year", "2024"], ""),
    "control-characters": (["--title", "Tab\there", "--year", "2024", "--venue", "A\x07venue"], "--venue:"),
}


@pytest.mark.parametrize("name", HOSTILE_HAND)
def test_hostile_hand_input_is_refused_with_validates_message_or_written_clean(small: Path, name: str) -> None:
    args, refusal = HOSTILE_HAND[name]
    before = snapshot(small)
    result = run("--papers", str(small), "add", *args, "-c", "survey")
    if refusal:
        assert result.exit_code == 1
        assert result.stderr.startswith(f"lclm: error: {refusal}")
        assert snapshot(small) == before
    else:
        assert result.exit_code == 0, result.stderr
        assert clean(small)


def test_a_key_is_built_from_a_bounded_prefix() -> None:
    key = make_key(["Someone " + "Y" * 3000], 2024, "x" * 3000, set())
    assert len(key) <= MAX_CHARS["key"]
    assert key == "y" * 24 + "2024" + "x" * 24


HOSTILE_BIB = r"""@article{old1850,
  title = {A paper from 1850},
  author = {Ada Lovelace},
  year = {1850}
}

@article{long2024,
  title = {""" + "Long " * 400 + r"""},
  author = {A. Author},
  year = {2024}
}

@article{averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongkey2024x,
  title = {A fine paper with a long key},
  author = {B. Author},
  year = {2024}
}

@misc{badurl2024,
  title = {A paper with a bad link},
  author = {C. Author},
  year = {2024},
  url = {ftp://example.org/paper.pdf}
}

@article{latex2024,
  title = {{\"U}ber {L}ong {C}ontext: A {$\alpha$}-study.},
  author = {Rivi{\`e}re, Morgane and {Qwen Team}},
  year = {2024},
  doi = {https://doi.org/10.1234/ABC}
}
"""


def test_whatever_a_bibtex_import_accepts_validates_clean(small: Path, tmp_path: Path) -> None:
    bib = tmp_path / "hostile.bib"
    bib.write_text(HOSTILE_BIB, encoding="utf-8")
    result = run("--papers", str(small), "import", "bibtex", str(bib), "-c", "survey")
    assert result.exit_code in (0, 1), result.stderr
    assert "old1850: year: 1850 is not between 1900 and" in result.stdout
    assert "long2024: title: 1999 characters (at most 1000)" in result.stdout
    assert "badurl2024: url: 'ftp://example.org/paper.pdf' is not an http(s) URL" in result.stdout
    keys = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("  + ")] or result.stdout
    assert clean(small), (keys, run("--papers", str(small), "validate").stdout)


# ---------------------------------------------------------------- the new fields' rules


def add_record(root: Path, text: str) -> int:
    path = root / "survey.yaml"
    old = path.read_text(encoding="utf-8")
    path.write_text(old + "\n" + text, encoding="utf-8")
    return old.count("\n") + 2


@pytest.mark.parametrize(
    "fields, rule, message",
    [
        ("  aka:\n  - Test paper\n", "aka", "'Test paper' is the title again"),
        ("  code: github.com/org/repo\n", "url-format", "'github.com/org/repo' is not an http(s) URL"),
        ("  pinned:\n  - colour\n", "pinned", "item 1 'colour' is not a field a refresh could change"),
        ("  abstract: We <b>show</b> it.\n", "abstract", "has HTML markup '<b>'; write plain text"),
        ("  ids:\n  - test2024paper\n", "former-key", "'test2024paper' is the paper's own key"),
    ],
)
def test_new_field_rules(small: Path, fields: str, rule: str, message: str) -> None:
    add_record(small, "- key: test2024paper\n  title: Test paper\n  year: 2024\n" + fields)
    data = json.loads(run("--papers", str(small), "validate", "--json").stdout)
    assert [(p["rule"], p["message"]) for p in data["problems"] if p["rule"] != "canonical"] == [(rule, message)]


def test_two_papers_share_an_aka_only_when_marked_distinct(small: Path) -> None:
    first = add_record(small, "- key: liu2024ring\n  title: Ring attention\n  aka:\n  - RA\n  year: 2024\n")
    second = add_record(small, "- key: roe2024rapid\n  title: Rapid adapters\n  aka:\n  - RA\n  year: 2024\n")
    result = run("--papers", str(small), "validate")
    survey = small / "survey.yaml"
    assert result.stdout.splitlines()[0] == (
        f"{survey}:{second + 2}: roe2024rapid: aka: aka 'RA' is also an aka of liu2024ring ({survey}:{first + 2}); "
        "if they are different papers, mark them distinct [aka]"
    )
    survey.write_text(survey.read_text(encoding="utf-8") + "  distinct:\n  - liu2024ring\n", encoding="utf-8")
    assert run("--papers", str(small), "validate").exit_code == 0


def test_a_percent_encoded_doi_url_names_the_doi_field(small: Path) -> None:
    # Crossref's BibTeX writes the DOI's slash as %2F in the URL.
    add_record(small, "- key: godel1931uber\n  title: Über formal unentscheidbare Sätze\n  year: 1931\n"
                      "  url: https://doi.org/10.1007%2Fbf01700692\n  doi: 10.1007/BF01700692\n")
    assert clean(small)


def test_markup_in_a_title_or_name_is_flagged_and_maths_is_not(small: Path) -> None:
    from lclm.rules import check_record

    def rules_of(**fields: object) -> list[str]:
        data = {"key": "a2024b", "title": "T", "year": 2024, **fields}
        return [finding[0] for finding in check_record(data)]

    assert "markup" in rules_of(title="Attention](https://evil.example) is all")
    assert "markup" in rules_of(title="Nice <img src=x onerror=alert(1)> title")
    assert "markup" in rules_of(authors=["A [B](javascript:alert(1))"])
    assert "markup" in rules_of(aka=["<script>x</script>"])
    assert "markup" not in rules_of(title="When a<b and c>d: bounds [for] (all) of them")
    category = small / "survey.yaml"
    category.write_text(category.read_text(encoding="utf-8").replace("\n  title: ", "\n  title: 'Pwned](https://evil.example)'\n  note: ", 1), encoding="utf-8")
    result = run("--papers", str(small), "validate")
    assert result.exit_code == 1
    assert re.search(r"survey\.yaml:\d+: \w+: title: .*has markup '\]\('; write plain text \[markup\]", result.stdout)
