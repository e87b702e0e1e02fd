"""Start-up figures (issue 15.4): each command against the interpreter's own start-up.

Targets on the committed list (warm caches): ``export bibtex`` at most 5x
``python -c pass``, ``search rope`` with its output piped at most 8x, and
``validate`` at most 3x ``python -c 'import yaml'``.  Each ratio comes from
pairs run back to back (the floor, then the command), so a busy machine
slows both alike; the figure is the median of the pairs' ratios.
"""

from __future__ import annotations

import statistics
import subprocess
import time

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


def main() -> None:
    """Print the three start-up ratios."""
    print(f"start-up (issue 15.4): medians of {PAIRS} back-to-back pairs on the committed list, caches warm")
    for name, (floor, args, target) in RATIOS.items():
        base, took, times = ratio(floor, [*LCLM, "--papers", str(PAPERS), *args])
        line(name, times, "x", f"({took:.0f} ms vs {base:.0f} ms; target <= {target:g}x)")


if __name__ == "__main__":
    main()
