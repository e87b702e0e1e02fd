"""`import bibtex` at scale (issue 25.8): 5,000 and 20,000 entries into an empty category.

The .bib files are the synthetic stores' papers (``common.synthetic_store``:
the list's own records, each copy with other title words and its own arXiv
id) exported as BibTeX.  Each import is one whole ``lclm import bibtex``
process: parse, duplicate checks against the list and the file's earlier
entries, keys, the write.  Target: 20,000 entries in under 20 s, so the time
grows with the input, not with its square.
"""

from __future__ import annotations

from bench_scale import run_once
from common import ENV, LCLM, WORK, line, synthetic_store

from lclm.formats.bibtex import to_bibtex
from lclm.store.codec import dump_sections
from lclm.store.layout import Section
from lclm.store.load import load_store

SIZES = (5_000, 20_000)


def _bib(n: int) -> str:
    path = WORK / f"import-{n}.bib"
    if not path.exists():
        path.write_text(to_bibtex(load_store(synthetic_store(n), use_cache=False).papers), encoding="utf-8")
    return str(path)


def _empty(n: int) -> str:
    root = WORK / f"import-bibtex-{n}"
    root.mkdir()
    (root / "_sections.yaml").write_text(dump_sections([Section("Imported", "imported.yaml")]), encoding="utf-8")
    (root / "imported.yaml").write_text("", encoding="utf-8")
    return str(root)


def main() -> None:
    """Print the wall time and peak memory of each import."""
    print("import bibtex (issue 25.8): whole process into an empty category")
    times = {}
    for n in SIZES:
        bib = _bib(n)
        took, rss, note, _ = run_once([*LCLM, "--papers", _empty(n), "import", "bibtex", bib, "-c", "imported"], ENV)
        times[n] = took
        target = "(target < 20 s)" if n == 20_000 else ""
        line(f"{n:,} entries", took, "s", f"{rss:.0f} MB {target} {note}".strip())
    small, big = SIZES
    line(f"growth {small:,} -> {big:,} (x{big // small} entries)", times[big] / times[small], "x", "(linear: about 4x)")
