"""How `lclm watch` does (issue 28): category suggestion, ranking precision, speed.

- Leave-one-out on the committed list: each paper's suggested category
  (its nearest listed papers voting, itself left out), top-1 and top-3
  (targets 75 % and 90 %).
- The same on a real list that has abstracts (ContinualAI's Zotero library,
  tests/data/watch/continualai), titles alone and with abstracts: what
  abstracts would do for ours, which has none yet.
- Ranking: long-context papers that are not on the list (a real list,
  tests/data/watch/long_context_not_listed.tsv) mixed with papers from real
  lists on agents, retrieval and vision that the model never saw
  (tests/data/watch/other_topics.tsv); precision among the top 50 (target
  0.8), with the long-context papers a minority (every 12th, about 100 of
  550) and with all of them.
- A 2,000-candidate Atom feed ranked by a whole `lclm watch --from FEED
  --json` process (target under 10 s).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ENV, LCLM, PAPERS, ROOT, WORK, line

DATA = ROOT / "tests" / "data" / "watch"


def _rows(name: str) -> list[list[str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [row.split("\t") for row in text.splitlines() if row and not row.startswith("#")]


def _feed(titles: list[str]) -> bytes:
    entries = "".join(
        f"<entry><id>http://arxiv.org/abs/2612.{n:05d}v1</id><published>2026-12-01T00:00:00Z</published>"
        f"<title>{escape(t)}</title><summary>An abstract.</summary><author><name>Ada Lovelace</name></author></entry>"
        for n, t in enumerate(titles)
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'.encode()


def main() -> None:
    """Print the figures."""
    from lclm.model import Paper
    from lclm.store.load import load_store
    from lclm.watch.quality import leave_one_out, precision_at
    from lclm.watch.ranking import background, rank, train

    print("watch (issue 28)")
    store = load_store(PAPERS)
    top1, top3 = leave_one_out(store.papers)
    line(f"category leave-one-out top-1 ({len(store.papers)} papers)", 100 * top1, "%", "target >= 75 %")
    line("category leave-one-out top-3", 100 * top3, "%", "target >= 90 %")
    sys.path.insert(0, str(ROOT / "tests"))
    from watch.library import continualai, without_abstracts

    library, _ = continualai()  # a real list whose papers carry abstracts, as ours would after refresh --fields abstract
    plain = leave_one_out(without_abstracts(library))
    full = leave_one_out(library)
    line(f"  a real list with abstracts ({len(library)} papers): top-1, titles", 100 * plain[0], "%", "ContinualAI's library")
    line("  the same, with its abstracts", 100 * full[0], "%", f"top-3 {100 * plain[1]:.1f} -> {100 * full[1]:.1f} %")

    long_context = [row[0] for row in _rows("long_context_not_listed.tsv")]
    others = [row[1] for row in _rows("other_topics.tsv")]
    model = train(store.papers)
    for wanted in (long_context[::12], long_context):
        candidates = [Paper(key="", title=t, year=0) for t in wanted + others]
        start = time.perf_counter()
        ranked, _ = rank(model, candidates)
        took = time.perf_counter() - start
        line(f"ranking precision@50, {len(wanted)} long-context + {len(others)} other", 100 * precision_at(ranked, set(wanted)), "%", "target >= 80 %")
        line(f"  ranked {len(candidates)} in-process", 1000 * took, "ms")

    titles = (long_context + others + [p.title for p in background()])[:2000]
    feed = WORK / "feed.xml"
    feed.write_bytes(_feed(titles))
    start = time.perf_counter()
    done = subprocess.run([*LCLM, "--papers", str(PAPERS), "watch", "--from", str(feed), "--json"], env=ENV, capture_output=True)
    took = time.perf_counter() - start
    line(f"lclm watch --from a {len(titles)}-entry feed --json (exit {done.returncode})", took, "s", "target < 10 s")
