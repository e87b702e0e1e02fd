"""Start-up figures (issue 15.4), and what installing lclm costs (issue 26).

Start-up: each command against the interpreter's own start-up.

Targets on the committed list (warm caches): ``export bibtex`` at most 5x
``python -c pass``, ``search rope`` with its output piped at most 8x, and
``validate`` at most 3x ``python -c 'import yaml'``.  Each ratio comes from
pairs run back to back (the floor, then the command), so a busy machine
slows both alike; the figure is the median of the pairs' ratios.

Install: ``pip install .`` into a new virtual environment (what a
contributor's pre-commit does to run ``validate``), measured as the size of
its site-packages without the environment's own pip and setuptools
(target: at most 60 MB).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ENV, LCLM, PAPERS, PYTHON, line

PAIRS = 21
# name -> (floor command, lclm arguments, target ratio)
RATIOS: dict[str, tuple[list[str], list[str], float]] = {
    "export bibtex / python -c pass": ([PYTHON, "-c", "pass"], ["export", "bibtex"], 5.0),
    "search rope (piped) / python -c pass": ([PYTHON, "-c", "pass"], ["search", "rope"], 8.0),
    "validate / python -c 'import yaml'": ([PYTHON, "-c", "import yaml"], ["validate"], 3.0),
}


def _ms(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # stdout is a pipe
    return (time.perf_counter() - start) * 1000


def ratio(floor: list[str], cmd: list[str], pairs: int = PAIRS) -> tuple[float, float, float]:
    """Median floor ms, median command ms, and the median of the pairs' ratios."""
    for _ in range(2):  # caches warm, bytecode written
        _ms(floor), _ms(cmd)
    floors, cmds = [], []
    for _ in range(pairs):
        floors.append(_ms(floor))
        cmds.append(_ms(cmd))
    ratios = [c / f for f, c in zip(floors, cmds, strict=True)]
    return statistics.median(floors), statistics.median(cmds), statistics.median(ratios)


# The environment's own tools, not what lclm installs.
TOOLS = ("pip", "setuptools", "pkg_resources", "_distutils_hack", "distutils-precedence.pth")
INSTALL_TARGET_MB = 60


def install_mb() -> tuple[float, float]:
    """MB of site-packages after ``pip install .`` into a new venv: lclm and its dependencies, and in all."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as work:
        source, venv = Path(work) / "lclm", Path(work) / "venv"
        # A copy of the package's sources: building in the tree would leave build/ behind.
        shutil.copytree(root, source, ignore=shutil.ignore_patterns(".venv", ".git", "tests", "bench", "build", "*.egg-info"))
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(source)], check=True, capture_output=True)
        site = next(venv.glob("lib/python*/site-packages"))
        sizes = {entry.name: _size(entry) for entry in site.iterdir()}
    everything = sum(sizes.values())
    ours = sum(n for name, n in sizes.items() if not name.startswith(TOOLS))
    return ours / 1e6, everything / 1e6


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(os.stat(os.path.join(d, f)).st_size for d, _, files in os.walk(path) for f in files)


def main() -> None:
    """Print the three start-up ratios and the install size."""
    print(f"start-up (issue 15.4): medians of {PAIRS} back-to-back pairs on the committed list, caches warm")
    for name, (floor, args, target) in RATIOS.items():
        base, took, times = ratio(floor, [*LCLM, "--papers", str(PAPERS), *args])
        line(name, times, "x", f"({took:.0f} ms vs {base:.0f} ms; target <= {target:g}x)")
    ours, everything = install_mb()
    line("pip install . (site-packages without pip/setuptools)", ours, "MB",
         f"({everything:.0f} MB with them; target <= {INSTALL_TARGET_MB} MB)")


if __name__ == "__main__":
    main()
