"""Export figures: BibTeX, JSON and CSL-JSON, whole process and in-process (issue 7).

The start-up target (`lclm export bibtex` at most 5x `python -c pass`) is
measured by bench_startup.py, in back-to-back pairs.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from common import (
    ENV,
    LCLM,
    PAPERS,
    PYTHON,
    WORK,
    line,
    median_call_ms,
    median_ms,
    synthetic_store,
)

from lclm.formats.bibtex import to_bibtex, to_entry
from lclm.formats.csl import to_csl_json
from lclm.model import Paper
from lclm.store.codec import dump_sections
from lclm.store.layout import Section
from lclm.store.load import load_store


def _import_ms(module: str) -> float:
    """Cumulative import time of ``module`` in a fresh interpreter (python -X importtime), in ms."""
    done = subprocess.run([PYTHON, "-X", "importtime", "-c", f"import {module}"], env=ENV, capture_output=True, text=True)
    times = [int(m[1]) for m in re.finditer(r"^import time:\s+\d+ \|\s+(\d+) \| (\S+)$", done.stderr, re.M) if m[2] == module]
    return times[-1] / 1000 if times else float("nan")


def _bibtexparser_writer(papers: list[Paper]) -> str:
    """The same text through bibtexparser's model and writer: the road not taken."""
    from bibtexparser import model
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library
    from bibtexparser.writer import BibtexFormat

    entries = [to_entry(p) for p in papers]
    library = Library([model.Entry(e.type, e.key, [model.Field(k, "{" + v + "}") for k, v in e.fields]) for e in entries])
    layout = BibtexFormat()  # type: ignore[no-untyped-call]
    layout.indent, layout.block_separator = "  ", "\n"
    return write_string(library, unparse_stack=[], bibtex_format=layout)


def _empty_store() -> Path:
    root = Path(tempfile.mkdtemp(prefix="import-", dir=WORK))  # removed with WORK when the bench ends
    (root / "_sections.yaml").write_text(dump_sections([Section("Imported", "imported.yaml")]), encoding="utf-8")
    (root / "imported.yaml").write_text("", encoding="utf-8")
    return root


def main() -> None:
    print("export (issue 7): medians; whole process unless marked in-process")
    papers = load_store(PAPERS).papers
    n = len(papers)
    base = median_ms([PYTHON, "-c", "pass"])
    line("python -c pass", base)
    line("lclm --version (start-up floor: typer + lclm)", median_ms([*LCLM, "--version"]))
    bib = median_ms([*LCLM, "--papers", str(PAPERS), "export", "bibtex"])
    line(f"lclm export bibtex ({n})", bib, note="(the ratio to python -c pass: see start-up, measured in pairs)")
    line(f"lclm export bibtex --ascii ({n})", median_ms([*LCLM, "--papers", str(PAPERS), "export", "bibtex", "--ascii"]))
    line(f"lclm export json ({n})", median_ms([*LCLM, "--papers", str(PAPERS), "export", "json"]))
    line(f"lclm export csl-json ({n})", median_ms([*LCLM, "--papers", str(PAPERS), "export", "csl-json"]))
    with tempfile.TemporaryDirectory() as tmp:
        tex = Path(tmp) / "draft.tex"
        tex.write_text("".join(f"\\citep{{{p.key}}}\n" for p in papers[::10]), encoding="utf-8")
        line(f"lclm export bibtex --tex (cites {len(papers[::10])})", median_ms(
            [*LCLM, "--papers", str(PAPERS), "export", "bibtex", "--tex", str(tex)]
        ))
    big = synthetic_store(10_000)
    line("lclm export bibtex (10,000)", median_ms([*LCLM, "--papers", str(big), "export", "bibtex"], runs=3))
    line("lclm export csl-json (10,000)", median_ms([*LCLM, "--papers", str(big), "export", "csl-json"], runs=3))

    print("  where the time goes")
    line("import lclm.cli.main (python -X importtime, cumulative)", _import_ms("lclm.cli.main"))
    line("import typer", _import_ms("typer"))
    line("import bibtexparser (not imported by export)", _import_ms("bibtexparser"))
    line(f"in-process: to_bibtex ({n})", median_call_ms(lambda: to_bibtex(papers)))
    line(f"in-process: same text via bibtexparser model+writer ({n})", median_call_ms(lambda: _bibtexparser_writer(papers)))
    line(f"in-process: to_csl_json ({n})", median_call_ms(lambda: to_csl_json(papers)))

    print("  import")
    with tempfile.TemporaryDirectory() as tmp:
        exported = Path(tmp) / "all.bib"
        exported.write_text(to_bibtex(papers), encoding="utf-8")
        stores = iter([_empty_store() for _ in range(4)])
        line(f"lclm import bibtex ({n} entries into an empty store)", median_ms(
            [*LCLM, "--papers", str(next(stores)), "import", "bibtex", str(exported), "-c", "imported", "--dry-run"], runs=3
        ))


if __name__ == "__main__":
    main()
