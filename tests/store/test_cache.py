"""The one cache scheme (``lclm.store.cache``) and the caches on it: HTTP answers here, the parsed store in test_store."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from conftest import DATA, run
from lclm.store.cache import cache_file, make_stamp, read_json, write_json

STAMP = make_stamp("test", 1)


def test_cache_files_are_named_by_kind_and_store(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "papers", tmp_path / "b" / "papers"
    assert cache_file(a, "search", "index.idx").parent.parent == tmp_path / "cache" / "lclm" / "search"
    assert cache_file(a, "search", "index.idx") != cache_file(b, "search", "index.idx")
    assert cache_file(None, "http", "x.txt") == tmp_path / "cache" / "lclm" / "http" / "x.txt"


def test_a_stores_cache_copied_under_another_stores_name_serves_it(warm_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries are keyed by the bytes they were made from, not by where the store is: what conftest's
    ``warm_store`` relies on (a cache made once per session, copied per test) to spare the suite's time."""
    from conftest import yaml_reads
    from lclm.checks import file
    from lclm.search import index

    read = yaml_reads(monkeypatch)
    built: list[str] = []
    segment, check = index.build_segment, file.check_category
    monkeypatch.setattr(index, "build_segment", lambda *a, **k: built.append("index") or segment(*a, **k))
    monkeypatch.setattr(file, "check_category", lambda *a, **k: built.append("check") or check(*a, **k))
    assert run("--papers", str(warm_store), "search", "rope", "--limit", "1").stdout.startswith("su2024roformer\t")
    assert run("--papers", str(warm_store), "validate").exit_code == 0
    assert (read, built) == ([], [])


def test_what_is_written_reads_back_under_its_stamp_only(tmp_path: Path) -> None:
    path = tmp_path / "c" / "entry.json"
    write_json(path, STAMP, {"rows": [[1, "ü"]]})
    assert read_json(path, STAMP) == {"rows": [[1, "ü"]]}
    assert read_json(path, make_stamp("test", 2)) is None
    assert read_json(tmp_path / "absent.json", STAMP) is None


@pytest.mark.parametrize("damage", [lambda b: b[:-1], lambda b: b[:-2] + b"9]", lambda b: b"\n" + b, lambda b: b"x" * 10])
def test_a_damaged_entry_reads_as_absent(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "entry.json"
    write_json(path, STAMP, [1, 2, 3])
    path.write_bytes(damage(path.read_bytes()))
    assert read_json(path, STAMP) is None


def test_a_cache_that_cannot_be_written_costs_nothing_but_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    write_json(blocker / "below" / "entry.json", STAMP, [1])  # no error
    assert read_json(blocker / "below" / "entry.json", STAMP) is None


# ---------------------------------------------------------------- the HTTP cache


@pytest.fixture
def kv(tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LCLM_ARXIV_URL", httpserver.url_for("/api/query"))
    monkeypatch.setenv("LCLM_ARXIV_DELAY", "0")
    root = tmp_path / "papers"
    root.mkdir()
    (root / "_sections.yaml").write_text("sections:\n- name: KV Cache\n  file: kv-cache.yaml\n")
    (root / "kv-cache.yaml").write_text("")
    body = (DATA / "arxiv" / "new_idlist_1605.08386_simple_two_categories.xml").read_bytes()
    httpserver.expect_request("/api/query").respond_with_data(body, content_type="application/atom+xml")
    return root


def http_entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "lclm" / "http").iterdir())


@pytest.mark.parametrize(
    "damage", [lambda b: b[: len(b) // 2], lambda b: b[:-20] + bytes([b[-20] ^ 1]) + b[-19:], lambda b: b""]
)
def test_a_damaged_http_answer_is_dropped_and_fetched_again(  # type: ignore[no-untyped-def]
    kv: Path, tmp_path: Path, httpserver: HTTPServer, damage
) -> None:
    first = run("--papers", str(kv), "add", "--arxiv", "1605.08386", "-c", "kv", "--dry-run")
    assert first.exit_code == 0 and len(httpserver.log) == 1
    (entry,) = http_entries(tmp_path)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    again = run("--papers", str(kv), "add", "--arxiv", "1605.08386", "-c", "kv", "--dry-run")
    assert again.exit_code == 0, again.stderr
    assert "would add stanley2016heat" in again.stdout
    assert len(httpserver.log) == 2  # fetched again
    assert entry.read_bytes() == good  # and stored whole again
    run("--papers", str(kv), "add", "--arxiv", "1605.08386", "-c", "kv", "--dry-run")
    assert len(httpserver.log) == 2  # then served from the cache


def test_the_code_stamp_covers_every_file_of_the_package(tmp_path: Path) -> None:
    import os
    import shutil

    import lclm
    from lclm.store.cache import code_stamp, tree_stamp

    package = Path(lclm.__file__).parent
    copy = tmp_path / "lclm"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert tree_stamp(str(copy)) != "" and code_stamp() == tree_stamp(str(package))
    before = tree_stamp(str(copy))
    # A module no hand-kept list named (the dedupe rules decide validate's results too).
    identity = copy / "duplicates" / "identity.py"
    os.utime(identity, ns=(identity.stat().st_atime_ns, identity.stat().st_mtime_ns + 1))
    edited = tree_stamp(str(copy))
    assert edited != before
    (copy / "formats" / "templates" / "extra.html").write_text("<p>new</p>")
    templates = tree_stamp(str(copy))
    assert templates != edited
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    assert tree_stamp(str(copy)) == templates  # compiled files are no source
