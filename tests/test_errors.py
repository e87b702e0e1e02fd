"""`lclm.errors`: where a problem is travels as fields, and reads as ``path:line:column: field: message``."""

from __future__ import annotations

from pathlib import Path

import pytest

from lclm.errors import LclmError, StoreError, YamlSyntaxError
from lclm.store.codec import parse_category


@pytest.mark.parametrize(
    "error, text",
    [
        (StoreError("no such file"), "no such file"),
        (StoreError("no such file", path=Path("papers/x.yaml")), "papers/x.yaml: no such file"),
        (StoreError("required field is missing", path="x.yaml", line=3, field="key"), "x.yaml:3: key: required field is missing"),
        (YamlSyntaxError("YAML syntax: bad", path="x.yaml", line=3, column=7), "x.yaml:3:7: YAML syntax: bad"),
    ],
)
def test_str_joins_the_fields(error: LclmError, text: str) -> None:
    assert str(error) == text


def test_a_store_error_carries_its_place(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    with pytest.raises(YamlSyntaxError) as caught:
        parse_category(path, "- key: a\n  title: [unclosed\n")
    assert (caught.value.path, caught.value.line > 1, caught.value.column > 0) == (str(path), True, True)
    assert str(caught.value).startswith(f"{path}:{caught.value.line}:{caught.value.column}: YAML syntax: ")
