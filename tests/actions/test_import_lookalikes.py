"""A list that names two papers with one title, and names one of them twice (diff-usion/Awesome-Diffusion-Models).

The real list has "Extracting Training Data from Diffusion Models" under two
arXiv ids, once with 2302.00860 and twice with 2301.13188.  The look-alikes are
two records marked distinct; the third entry is the second paper again and must
merge into it, not be written a second time beside it (which `lclm validate`
then rejects as two records with one arXiv id).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run
from lclm.store.load import load_store

ENTRY = """**Extracting Training Data from Diffusion Models** \\
*Nicholas Carlini, Jamie Hayes, Milad Nasr* \\
arXiv 2023. [[Paper](https://arxiv.org/abs/{id})] \\
{date}
"""


def test_a_copy_of_a_look_alike_merges_into_it_and_the_store_validates(tmp_path: Path) -> None:
    source = tmp_path / "list.md"
    source.write_text(
        "# Diffusion\n\n## Privacy\n\n" + ENTRY.format(id="2302.00860", date="2 Feb 2023") + "\n"
        + ENTRY.format(id="2301.13188", date="30 Jan 2023") + "\n## Miscellany\n\n"
        + ENTRY.format(id="2301.13188", date="30 Jan 2023"),
        encoding="utf-8",
    )
    papers = tmp_path / "papers"
    done = run("--papers", str(papers), "import", "markdown", str(source))
    assert done.exit_code == 0, done.stderr
    assert "all 3 entries of the source: 2 written, 1 merged, 0 set aside" in done.stdout
    records = sorted((p.arxiv, p.key, p.distinct, p.venue) for p in load_store(papers, use_cache=False).papers)
    assert records == [
        ("2301.13188", "carlini2023extractinga", ["carlini2023extracting"], "arXiv"),
        ("2302.00860", "carlini2023extracting", ["carlini2023extractinga"], "arXiv"),
    ]
    checked = run("--papers", str(papers), "validate", "--strict")
    assert checked.exit_code == 0, checked.stdout + checked.stderr


def test_a_paper_the_list_has_under_a_near_identical_title_is_already_present(tmp_path: Path) -> None:
    # Xnhyacinth/Awesome-LLM-Long-Context-Modeling lists S3Eval as "...for Large Language Models"; the committed
    # list has it from the ACL Anthology as "...for Large Language Model": one paper (validate says so too).
    from conftest import PAPERS

    papers = tmp_path / "papers"
    shutil.copytree(PAPERS, papers)
    source = tmp_path / "list.md"
    source.write_text(
        "# Benchmarks\n\n1. [**S3Eval: A Synthetic, Scalable, Systematic Evaluation Suite for Large Language Models.**]"
        "(https://arxiv.org/abs/2310.15147) _Fangyu Lei, Qian Liu, Yiming Huang, Shizhu He, Jun Zhao, Kang Liu._ NAACL 2024.\n",
        encoding="utf-8",
    )
    done = run("--papers", str(papers), "import", "markdown", str(source))
    assert "already in the store as lei2024s3eval" in done.stdout + done.stderr
    assert "all 1 entries of the source: 0 written, 1 merged, 0 set aside" in done.stdout
    assert run("--papers", str(papers), "validate", "--strict").exit_code == 0


def test_three_papers_on_one_link_are_each_told_apart_from_the_others(tmp_path: Path) -> None:
    # The seed gives CD-Pos the Focused Transformer's URL by mistake; with a third entry on the same link the
    # import marked each later one distinct from the first only, and validate then rejected the other pair.
    url = "https://proceedings.neurips.cc/paper_files/paper/2023/hash/8511d06d5590f4bda24d42087802cc81-Abstract-Conference.html"
    titles = ["Focused Transformer: Contrastive Training for Context Scaling", "CD-Pos: Long Context Position Extrapolation",
              "A Third Paper That Shares the Link"]
    source = tmp_path / "list.md"
    authors = ["Szymon Tworkowski", "Zhenyu He", "Ada Lovelace"]
    source.write_text(
        "# X\n\n" + "".join(f"* **[{t}.]({url})** {a}. NeurIPS, 2023\n" for t, a in zip(titles, authors, strict=True)),
        encoding="utf-8",
    )
    papers = tmp_path / "papers"
    done = run("--papers", str(papers), "import", "markdown", str(source))
    assert "2 look-alikes marked distinct" in done.stdout
    marks = {p.title: sorted(p.distinct) for p in load_store(papers, use_cache=False).papers}
    assert [len(marks[t]) for t in titles] == [2, 2, 2]  # every pair, both ways
    checked = run("--papers", str(papers), "validate", "--strict")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
