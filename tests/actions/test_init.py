"""`lclm init`: a list started from a real README (or empty), its hooks, workflow and CONTRIBUTING.md.

The last test is the whole adoption as a new user does it: init from a real list's README, commit,
two `lclm add` and a hand edit reviewed with `lclm diff`, a README edit taken back with `lclm absorb`,
and the generated workflow checked by a real schema checker and its lclm commands run here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from adopt_helpers import KV_README, commit_all, git, snapshot
from conftest import run

BIN = Path(sys.executable).parent
MADE = ["papers/_sections.yaml", "papers/README.md", ".pre-commit-config.yaml", ".github/workflows/lclm.yml", "CONTRIBUTING.md"]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty directory, the cwd."""
    folder = tmp_path / "list"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_an_empty_list(here: Path) -> None:
    result = run("init", "--title", "Long-context papers")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        *(f"made {name}" for name in MADE),
        "'Long-context papers': 0 papers in 1 category.",
        "next: lclm validate --strict && git add -A && git commit -m 'Keep the list with lclm'",
    ]
    assert (here / "papers" / "_sections.yaml").read_text(encoding="utf-8").endswith("sections:\n- name: Papers\n  file: papers.yaml\n")
    assert (here / "papers" / "README.md").read_text(encoding="utf-8").startswith("# Long-context papers\n")
    assert "LIST_TITLE: \"Long-context papers\"" in (here / ".github" / "workflows" / "lclm.yml").read_text(encoding="utf-8")
    assert run("validate", "--strict").exit_code == 0


def test_the_hooks_are_lclms_own_and_pre_commit_reads_the_config(here: Path) -> None:
    from conftest import ROOT

    run("init")
    checked = subprocess.run([str(BIN / "pre-commit"), "validate-config", ".pre-commit-config.yaml"], cwd=here, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    config = yaml.safe_load((here / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    ours = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert [hook["id"] for hook in config["repos"][0]["hooks"]] == ["lclm-validate", "lclm-readme"]
    assert ours >= {"lclm-validate", "lclm-readme"}


def test_into_another_directory_titled_from_the_readme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text(
        "# [Awesome Long Context](https://x.org) ![badge](b.svg)\n\n## RoPE\n\n"
        "* **[RoFormer: Enhanced Transformer with Rotary Position Embedding.](https://arxiv.org/abs/2104.09864)** "
        "Jianlin Su, Yu Lu. arXiv, 2021\n",
        encoding="utf-8",
    )
    result = run("init", "new", "--from", str(readme))
    assert result.exit_code == 0, result.output
    assert "'Awesome Long Context': 1 paper in 1 category." in result.stdout
    assert result.stdout.endswith("next: cd new && lclm validate --strict && git add -A && git commit -m 'Keep the list with lclm'\n")
    assert sorted(snapshot(tmp_path / "new")) == sorted([*MADE, "papers/rope.yaml"])
    assert run("--papers", "new/papers", "validate", "--strict").exit_code == 0


def test_existing_files_are_refused_and_nothing_is_written(here: Path) -> None:
    (here / "CONTRIBUTING.md").write_text("ours\n", encoding="utf-8")
    (here / ".github" / "workflows").mkdir(parents=True)
    (here / ".github" / "workflows" / "lclm.yml").write_text("name: ours\n", encoding="utf-8")
    before = snapshot(here)
    result = run("init", "--from", str(KV_README), "--partial")
    assert result.exit_code == 2
    assert result.stderr == (
        "lclm: error: .: already has .github/workflows/lclm.yml, CONTRIBUTING.md; nothing written "
        "(--force overwrites the generated files)\n"
    )
    assert snapshot(here) == before
    assert run("init", "--force").exit_code == 0
    assert (here / "CONTRIBUTING.md").read_text(encoding="utf-8").startswith("# Contributing to list\n")


def test_a_readme_that_cannot_be_read_whole_writes_nothing(here: Path) -> None:
    shutil.copy(KV_README, here / "README.md")
    before = snapshot(here)
    result = run("init", "--from", "README.md")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "lclm: error: README.md: read 161 of 164 entries; nothing written: 2 entries that look like papers could not be read or written "
        "(listed above; --report FILE writes the whole account), fix them or give --partial to import what was read"
    )
    assert snapshot(here) == before


def run_workflow_commands(where: Path, base: str) -> str:
    """Run the lclm steps of the generated workflow here, as the runner would; the job summary."""
    workflow = yaml.safe_load((where / ".github" / "workflows" / "lclm.yml").read_text(encoding="utf-8"))
    summary = where.parent / "summary.md"
    env = {**os.environ, **workflow["env"], "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "GITHUB_STEP_SUMMARY": str(summary)}
    ran = []
    for job in ("check", "build"):
        for step in workflow["jobs"][job]["steps"]:
            command = step.get("run", "")
            if not command.startswith("lclm "):
                continue  # checkout, setup-python, pip install: the runner's business
            step_env = {name: (base if "base.sha" in value else value) for name, value in step.get("env", {}).items()}
            done = subprocess.run(["bash", "-e", "-c", command], cwd=where, env={**env, **step_env}, capture_output=True, text=True)
            assert done.returncode == 0, f"{command}: {done.stderr}"
            ran.append(command)
    assert ran == [
        "lclm validate --strict",
        "lclm export markdown --readme papers/README.md --check",
        'lclm diff --markdown "$BASE" >> "$GITHUB_STEP_SUMMARY"',
        "lclm validate --strict",
        'lclm export html -o site/ --title "$LIST_TITLE"',
    ]
    assert (where / "site" / "index.html").is_file()
    return summary.read_text(encoding="utf-8")


def test_the_new_users_whole_adoption(here: Path) -> None:
    shutil.copy(KV_README, here / "README.md")
    # 1. init from the real README (one entry is only a code repository: --partial), then commit.
    result = run("init", "--from", "README.md", "--partial")
    assert result.exit_code == 0, result.output
    assert "read 161 of 164 entries, 3 set aside (listed above); added 160 papers in 10 categories (10 new)" in result.stdout
    assert result.stdout.splitlines()[-7:-2] == [f"made {name}" for name in MADE]
    assert run("validate", "--strict").exit_code == 0
    commit_all(here, "Keep the list with lclm")
    base = git(here, "rev-parse", "HEAD").strip()
    # 2. two papers added with lclm add, one record edited by hand into another paper's duplicate.
    assert run("add", "--title", "A Fresh Look at KV Cache Eviction", "--author", "Ada Lovelace", "--year", "2025", "-c", "pruning").exit_code == 0
    assert run("add", "--title", "Quantizing Caches Twice", "--author", "Alan Turing", "--year", "2024", "--venue", "ICLR 2024", "-c", "quantization").exit_code == 0
    quant = here / "papers" / "5-quantization.yaml"
    text = quant.read_text(encoding="utf-8")
    quant.write_text(text.replace("url: https://arxiv.org/abs/2402.18096\n  arxiv: '2402.18096'", "url: https://arxiv.org/abs/2405.14256\n  arxiv: '2405.14256'"), encoding="utf-8")
    result = run("diff")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"papers: against the merge base with main ({base[:10]}): 2 added, 0 removed, 1 changed, 0 moved, 0 renamed (159 unchanged)"
    assert "! papers/5-quantization.yaml:15: yang2024no: duplicate: is the same paper as he2024zipcache at papers/5-quantization.yaml:1 (same arXiv id 2405.14256)" in lines
    # 3. the hand edit undone; a contributor adds a line to the generated README in the section's own shape.
    quant.write_text(text, encoding="utf-8")
    readme = here / "papers" / "README.md"
    lines = readme.read_text(encoding="utf-8").splitlines()
    at = lines.index("#### 5️⃣ Quantization") + 2
    lines.insert(at, "* **[Thus Spake Long-Context Large Language Model.](https://arxiv.org/abs/2502.17129)** Xiaoran Liu, Ruixiao Li, others. arXiv, 2025")
    readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("absorb")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"papers/README.md:{at + 1}: added liu2025thus to '5️⃣ Quantization': Thus Spake Long-Context Large Language Model"
    assert "- key: liu2025thus\n  title: Thus Spake Long-Context Large Language Model\n" in quant.read_text(encoding="utf-8")
    assert run("export", "markdown", "--readme", "papers/README.md", "--check").exit_code == 0
    assert run("validate", "--strict").exit_code == 0
    # 4. the generated workflow passes GitHub's schema, and its lclm commands pass here.
    checked = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", ".github/workflows/lclm.yml"],
        cwd=here, capture_output=True, text=True,
    )
    assert checked.returncode == 0, checked.stdout
    summary = run_workflow_commands(here, base)
    assert f"Against {base} ({base[:10]}): **3 added, 0 removed, 0 changed, 0 moved, 0 renamed (160 unchanged)**." in summary
    # 5. bad input: init again, absorb a README without markers: one line each, nothing changed.
    before = snapshot(here)
    result = run("init", "--from", "README.md")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    result = run("absorb", "README.md")
    assert result.exit_code == 1
    assert result.stderr == "lclm: error: README.md: no '<!-- lclm:start -->' ... '<!-- lclm:end -->' marker lines: not a README lclm generates\n"
    assert snapshot(here) == before


def test_the_workflow_checker_catches_a_broken_workflow(here: Path) -> None:
    run("init")
    workflow = here / ".github" / "workflows" / "lclm.yml"
    workflow.write_text(workflow.read_text(encoding="utf-8").replace("runs-on:", "run-on:"), encoding="utf-8")
    checked = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)], capture_output=True, text=True
    )
    assert checked.returncode == 1


def test_a_contents_heading_is_no_title(here: Path) -> None:
    (here / "README.md").write_text(
        "# Contents\n\n- [RoPE](#rope)\n\n# Awesome RoPE\n\n## RoPE\n\n"
        "* **[RoFormer: Enhanced Transformer with Rotary Position Embedding.](https://arxiv.org/abs/2104.09864)** Jianlin Su, Yu Lu. arXiv, 2021\n",
        encoding="utf-8",
    )
    result = run("init", "--from", "README.md")
    assert result.exit_code == 0, result.output
    assert "'Awesome RoPE': 1 paper in 1 category." in result.stdout
