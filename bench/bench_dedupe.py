"""Dedupe figures (issue 6): precision and recall on planted duplicates, speed, memory,
and how many of an exhaustive scan's pairs the blocking keeps."""

from __future__ import annotations

import json
import random
import re
import subprocess
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from common import ENV, LCLM, PYTHON, ROOT, WORK, line, median_ms, synthetic_store
from dupgen import DUPLICATE_KINDS, NEAR_MISS_KINDS, Planted, plant

from lclm.duplicates import dedupe
from lclm.duplicates.dedupe import DEFAULT_THRESHOLD, find_duplicates
from lclm.store.layout import SECTIONS_FILE, Store
from lclm.store.load import load_store
from lclm.store.transaction import save_store

Pair = tuple[int, int]
SEED = ROOT / "tests" / "data" / "lists" / "thus-spake-readme.md"
SECOND = ROOT / "tests" / "data" / "lists" / "xnhyacinth_awesome-llm-long-context-modeling_README.md"


def _pairs(groups: Iterable[Iterable[int]]) -> set[Pair]:
    out: set[Pair] = set()
    for group in groups:
        members = sorted(group)
        out.update((a, b) for n, a in enumerate(members) for b in members[n + 1 :])
    return out


def _closure(pairs: set[Pair]) -> set[Pair]:
    """Every pair of the groups that ``pairs`` join (the truth is transitive)."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.get(i, i) != i:
            i = parent[i]
        return i

    for a, b in pairs:
        parent[root(a)] = root(b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in {x for pair in pairs for x in pair}:
        groups[root(i)].append(i)
    return _pairs(groups.values())


def _own_duplicates(store: Store) -> set[Pair]:
    """The base store's own duplicates: records with the same arXiv id or normalised title."""
    seen: dict[tuple[str, str], int] = {}
    pairs = set()
    for i, p in enumerate(store.papers):
        for key in (("t", dedupe.comparable_title(p.title)), ("a", dedupe.paper_identities(p).get("arxiv", ""))):
            if key[1] and key in seen:
                pairs.add((seen[key], i))
            seen.setdefault(key, i)
    return pairs


def planted_store(n: int, duplicates: int, near_misses: int, numbered: bool = True) -> tuple[Path, Planted, set[Pair]]:
    """``synthetic_store(n)`` with planted records, saved in its own directory, and the true pairs.

    ``numbered=False`` drops the unique number ``synthetic_store`` ends each
    made-up title with: every title then shares words with ~150 others made
    from the same real title, which makes blocks big (a harder case).
    """
    base = load_store(synthetic_store(n))
    if not numbered:
        for p in base.papers:
            if re.search(r"x\d+$", p.key):
                p.title = re.sub(r" \d+$", "", p.title)
    own = _own_duplicates(base)
    planted = plant(base, duplicates, near_misses, avoid={i for pair in own for i in pair})
    dest = WORK / f"planted-{n}-{duplicates}-{near_misses}-{numbered}"
    if not dest.exists():
        dest.mkdir()
        (dest / SECTIONS_FILE).write_bytes((base.root / SECTIONS_FILE).read_bytes())
        save_store(Store(dest, base.sections, planted.store.papers))
    # Saving files records by category: follow each to its new place by key.
    store = load_store(dest)
    at = {p.key: i for i, p in enumerate(store.papers)}
    new = [at[p.key] for p in planted.store.papers]
    assert len(at) == len(new), "keys must be unique"
    truth = _closure({(min(new[a], new[b]), max(new[a], new[b])) for a, b in own | _pairs(planted.true_groups)})
    kinds = {new[i]: k for i, k in planted.kinds.items()}
    sources = {new[i]: new[s] for i, s in planted.sources.items()}
    return dest, Planted(store, [], kinds, sources), truth


def _share(name: str, hit: int, total: int, note: str = "") -> None:
    line(name, 100 * hit / max(total, 1), "%", f"{hit}/{total} {note}".rstrip())


def _quality(n: int, duplicates: int, near_misses: int, numbered: bool = True) -> None:
    _, planted, truth = planted_store(n, duplicates, near_misses, numbered)
    start = time.perf_counter()
    report = find_duplicates(planted.store)
    took = time.perf_counter() - start
    found = _pairs(g.members for g in report.groups)
    hit = found & truth
    what = "" if numbered else ", titles without their unique number (big blocks)"
    print(f"  {len(planted.store.papers):,} records: {duplicates} planted duplicates, {near_misses} planted "
          f"near-misses, threshold {DEFAULT_THRESHOLD:.0f}{what}")
    _share("precision (reported pairs that are true)", len(hit), len(found), "(target >= 99%)")
    _share("recall (true pairs reported)", len(hit), len(truth), "(target >= 99%)")
    line("find_duplicates, in-process", took * 1000)
    group_of = {i: set(g.members) for g in report.groups for i in g.members}
    for kind in DUPLICATE_KINDS:
        made = [i for i, k in planted.kinds.items() if k == kind]
        _share(f"  found, {kind}", sum(planted.sources[i] in group_of.get(i, ()) for i in made), len(made))
    for kind in NEAR_MISS_KINDS:
        made = [i for i, k in planted.kinds.items() if k == kind]
        wrong = sum(planted.sources[i] in group_of.get(i, ()) for i in made)
        line(f"  wrongly grouped, {kind}", wrong, "", f"of {len(made)}")
    for a, b in sorted(truth - found)[:5]:
        print(f"    missed: {planted.store.papers[a].title[:60]!r} ~ {planted.store.papers[b].title[:60]!r}")
    for a, b in sorted(found - truth)[:5]:
        print(f"    wrong:  {planted.store.papers[a].title[:60]!r} ~ {planted.store.papers[b].title[:60]!r}")


def _speed(n: int, duplicates: int, near_misses: int, runs: int, numbered: bool = True) -> None:
    root, planted, _ = planted_store(n, duplicates, near_misses, numbered)
    cmd = [*LCLM, "--papers", str(root), "dedupe", "--json"]
    label = f"{len(planted.store.papers):,} records" + ("" if numbered else ", big blocks")
    took = median_ms(cmd, runs=runs)
    line(f"whole process: lclm dedupe --json, {label} (cache warm)", took, note="(target < 3 s at 10k, < 20 s at 100k)")
    load = f"from pathlib import Path; from lclm.store.load import load_store; load_store(Path({str(root)!r}))"
    line("  of which: start Python and load the store from its cache", median_ms([PYTHON, "-c", load], runs=runs))
    line("  peak memory (max RSS)", _max_rss_mb(cmd), "MB", "(target < 1024 MB)")


def _max_rss_mb(cmd: list[str]) -> float:
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([PYTHON, "-c", probe, *cmd], env=ENV, capture_output=True, text=True, check=True)
    return int(out.stdout) / 1024


def _blocking(n: int, duplicates: int, near_misses: int, sample_size: int, numbered: bool = True) -> None:
    """Title pairs found with blocking vs an exhaustive scan of a sample of the same store.

    Both use the same scoring and vetoes; only which pairs are scored differs.
    (``process.cdist`` needs numpy, which lclm does not depend on; the scan
    scores every pair of the sample with ``process.extract``, skipping only
    pairs whose lengths alone rule the threshold out, an exact bound.)
    """
    _, planted, _ = planted_store(n, duplicates, near_misses, numbered)
    store = planted.store
    r = dedupe._Records(store, [])
    start = time.perf_counter()
    blocked = {p for p in dedupe._title_scores(r, DEFAULT_THRESHOLD) if not r.veto(*p)}
    took = time.perf_counter() - start
    # The sample: every planted record and its source, filled up at random.
    sample = set(planted.kinds) | set(planted.sources.values())
    rest = sorted(set(range(len(store.papers))) - sample)
    sample |= set(random.Random(3).sample(rest, max(0, sample_size - len(sample))))
    start = time.perf_counter()
    reference = {p for p in dedupe._title_scores(r, DEFAULT_THRESHOLD, [sorted(sample)]) if not r.veto(*p)}
    scan = time.perf_counter() - start
    kept = {p for p in blocked if p[0] in sample and p[1] in sample}
    blocks = dedupe.blocks(r)
    sizes = Counter(len(m) for m in blocks.values())
    print(f"  blocking vs exhaustive scan: {len(store.papers):,} records, sample of {len(sample):,}")
    line("title pairs found with blocking, whole store", len(blocked), "", f"in {took:.1f} s; {len(blocks):,} blocks, "
         f"largest {max(sizes)}, {sizes[1]:,} of one title")
    line("title pairs an exhaustive scan of the sample finds", len(reference), "", f"in {scan:.1f} s")
    _share("of those, found with blocking", len(kept & reference), len(reference), "(target >= 99%)")


def _seed() -> None:
    """The seed list imported into an empty store: the groups and notes dedupe reports."""
    root = WORK / "seed"
    if not root.exists():
        subprocess.run([*LCLM, "--papers", str(root), "import", "markdown", str(SEED)], env=ENV, check=True, capture_output=True)
    out = subprocess.run([*LCLM, "--papers", str(root), "dedupe", "--json"], env=ENV, capture_output=True, text=True)
    data = json.loads(out.stdout)
    print(f"  seed list imported into an empty store ({len(load_store(root).papers)} records): exit {out.returncode}")
    for group in data["groups"]:
        print("    group: " + " = ".join(r["key"] for r in group["records"]) + f"  ({group['links'][0]['reason']})")
    for note in data["notes"]:
        print(f"    note:  {note['a']} / {note['b']}: {note['reason']}; not grouped: {note['veto']}")
    line("whole process: lclm dedupe on it", median_ms([*LCLM, "--papers", str(root), "dedupe"], runs=5))


def _two_lists() -> None:
    """The seed and a second real list imported into one store (the import skips what it sees as
    present): the cross-list duplicates dedupe still finds, which a reader can check by eye."""
    root = WORK / "two-lists"
    if not root.exists():
        for src in (SEED, SECOND):
            cmd = [*LCLM, "--papers", str(root), "import", "markdown", str(src)]
            subprocess.run(cmd, env=ENV, check=True, capture_output=True)
    store = load_store(root)
    for threshold in (DEFAULT_THRESHOLD, 88.0):
        report = find_duplicates(store, threshold)
        print(f"  seed + second list ({len(store.papers):,} records), threshold {threshold:.0f}: {len(report.groups)} groups")
        for group in report.groups:
            titles = " = ".join(repr(store.papers[i].title[:45]) for i in group.members)
            print(f"    {titles}  ({group.links[0].evidence.describe()})")


def main() -> None:
    """Print the dedupe figures."""
    print("dedupe (issue 6): quality on planted duplicates, speed; medians of whole processes")
    _seed()
    _two_lists()
    _quality(10_000, duplicates=540, near_misses=300)
    _speed(10_000, 540, 300, runs=3)
    _quality(100_000, duplicates=900, near_misses=500)
    _speed(100_000, 900, 500, runs=1)
    _blocking(100_000, 900, 500, sample_size=10_000)
    _quality(100_000, 900, 500, numbered=False)
    _speed(100_000, 900, 500, runs=1, numbered=False)
    _blocking(100_000, 900, 500, sample_size=10_000, numbered=False)


if __name__ == "__main__":
    main()
