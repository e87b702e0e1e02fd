"""The quick YAML paths (records built from nodes, papers written as nodes, the quick resolve) give PyYAML's own answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PAPERS
from lclm.store import yamlio
from lclm.store.codec import dump_paper, dump_papers
from lclm.store.load import load_store

OPTIONS: dict[str, Any] = {
    "allow_unicode": True, "sort_keys": False, "default_flow_style": False, "width": 1 << 30, "indent": 2,
}
STORE_FILES = sorted(PAPERS.glob("*.yaml"))
# Values whose YAML is anything but plain text: each must read and write exactly as PyYAML has it.
TRICKY = (
    "a: 1\nb: 012\nc: 0x1f\nd: 1_000\ne: +5\nf: -3\ng: 1.5\nh: null\ni: true\nj: 2020-01-01\n"
    "k: [1, '2', ~, 0, '0', 00]\nl: !!str 5\nm: 1:30\nn: '012'\no: Yes\np: .inf\nq: ''\nr: []\ns: {}\n"
)
TEXTS = [
    "", "a", "1", "012", "0x1F", "1.5", ".inf", "null", "Null", "~", "true", "Yes", "no", "ON", "off", "y", "n",
    "2020-01-01", "<<", "=", "+1", "-", "- a", "-a", "1:30", "1_000", "YaRN: Efficient", "a #b", "é", "Rivière",
    " lead", "trail ", "x\ny", "x\n- y\n\n- z", "'q'", '"d"', "\u200b", "\x07", "[a]", "{a: b}", "!x", "&a", "*a", "%x",
]


def safe_construct(node: Any) -> Any:
    return yaml.constructor.SafeConstructor().construct_document(node)


@pytest.mark.parametrize("path", STORE_FILES, ids=lambda p: p.stem)
def test_a_store_file_reads_as_pyyaml_reads_it(path: Path) -> None:
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    assert repr(yamlio.construct(node)) == repr(safe_construct(node))


def test_values_other_than_text_read_as_pyyaml_reads_them() -> None:
    for text in (TRICKY, "<<: {a: 1}\nb: 2\n", "a: 1\na: 2\n", "- [[[1]]]\n- {x: [y, 2]}\n"):
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        assert repr(yamlio.construct(node)) == repr(safe_construct(node)), text


def test_every_paper_and_odd_values_write_as_pyyaml_writes_them() -> None:
    papers = load_store(PAPERS, use_cache=False).papers
    for data in [[p.to_dict()] for p in papers]:
        assert yamlio.dump_yaml(data) == yaml.dump(data, Dumper=yaml.SafeDumper, **OPTIONS)
    shared = ["s"]
    odd: list[Any] = [
        {"t": TEXTS}, [{"k": text} for text in TEXTS], {"a": [1, True, None, 1.5, 0, -7]}, {3: "number key"},
        {"a": shared, "b": shared},  # one list twice: an anchor and an alias
        {"nested": {"m": [[], {}, [["x"]]]}},
    ]
    for data in odd:
        assert yamlio.dump_yaml(data) == yaml.dump(data, Dumper=yaml.SafeDumper, **OPTIONS), data


@pytest.mark.parametrize("text", TEXTS)
def test_text_reads_back_with_the_tag_pyyaml_gives_it(text: str) -> None:
    for quick, base in ((yamlio.loader_class(), yaml.SafeLoader), (yamlio.quick_resolve(yaml.SafeDumper), yaml.SafeDumper)):
        for implicit in ((True, False), (False, True), (True, True), (False, False)):
            mine = quick.resolve(quick.__new__(quick), yaml.ScalarNode, text, implicit)
            assert mine == base.resolve(base.__new__(base), yaml.ScalarNode, text, implicit), (text, implicit)


def test_a_category_file_written_in_one_go_has_each_papers_block() -> None:
    store = load_store(PAPERS, use_cache=False)
    for category in store.categories():
        papers = store.in_category(category.slug)
        assert dump_papers(papers) == "\n".join(dump_paper(p) for p in papers)
    # An abstract whose lines start like list items stays inside its paper's block.
    first, second = papers[0], papers[1]
    first.abstract = "Points:\n- one\n\n- two\n-\n"
    assert dump_papers([first, second]) == dump_paper(first, last=False) + dump_paper(second)
