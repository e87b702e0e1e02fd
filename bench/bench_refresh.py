"""Cost of `lclm refresh` and `lclm verify` over the committed list (issues 14.7, 23.3).

A local server answers arXiv, Semantic Scholar, DBLP and Crossref from
generated responses (each arXiv id gets an entry, Semantic Scholar a record
placing every third paper at ICLR with a DBLP key, each DOI a small work)
and, for DBLP, the Anubis bot-check page DBLP serves today (HTTP 500).
Prints the requests a cold refresh makes per service, next to the targets
(arXiv and Semantic Scholar together at most 10; DBLP stops at its first
bot-check page), the median time of a warm-cache run over the whole list
(target < 2 s), and the requests and time of a cold and an offline verify.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ENV, LCLM, PAPERS, WORK, line

ARXIV_TARGET = 7
BATCHED_TARGET = 10  # arXiv and Semantic Scholar together, for the whole list (issue 23.3)
BOT_PAGE = Path(__file__).resolve().parent.parent / "tests" / "data" / "botwall" / "dblp_anubis_challenge_search_publ_api_CONSTRUCTED.html"
WARM_TARGET_MS = 2000.0
counts: Counter[str] = Counter()
BOT_WALL = True  # DBLP answers with its bot-check page, as since 2026-09


def _entry(ident: str) -> str:
    return (
        f"<entry><id>http://arxiv.org/abs/{ident}v1</id><published>2023-05-01T00:00:00Z</published>"
        f"<title>Generated Title for {escape(ident)}</title><summary>An abstract.</summary>"
        "<author><name>Ada Lovelace</name></author><author><name>Alan Turing</name></author></entry>"
    )


def _dblp(query: str) -> dict[str, object]:
    published = hash(query) % 3 == 0
    info = {
        "authors": {"author": [{"@pid": "0/1", "text": "Ada Lovelace"}]},
        "title": f"{query}.",
        "venue": "ICLR" if published else "CoRR",
        "year": "2024",
        "key": "conf/iclr/X24" if published else "journals/corr/abs-0000-00000",
        "ee": "https://openreview.net/forum?id=x",
    }
    return {"result": {"hits": {"@total": "1", "hit": [{"info": info}]}}}


def _s2(ident: str) -> dict[str, object] | None:
    if hash(ident) % 3:
        return None if hash(ident) % 7 == 0 else {"title": f"Generated Title for {ident}", "venue": "arXiv.org", "year": 2023,
                                                   "externalIds": {"ArXiv": ident.removeprefix("ARXIV:")}}
    return {"title": f"Generated Title for {ident}", "venue": "International Conference on Learning Representations",
            "year": 2024, "externalIds": {"DBLP": "conf/iclr/X24"}, "authors": [{"name": "Ada Lovelace"}]}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        counts["Semantic Scholar"] += 1
        ids = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["ids"]
        self._send(json.dumps([_s2(i) for i in ids]).encode(), "application/json")

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path == "/api/query":
            counts["arXiv"] += 1
            ids = query["id_list"][0].split(",")
            body = '<feed xmlns="http://www.w3.org/2005/Atom">' + "".join(map(_entry, ids)) + "</feed>"
            self._send(body.encode(), "application/atom+xml")
        elif parts.path == "/search/publ/api":
            counts["DBLP"] += 1
            if BOT_WALL:
                self._send(BOT_PAGE.read_bytes(), "text/html; charset=utf-8", status=500)
            else:
                self._send(json.dumps(_dblp(query["q"][0])).encode(), "application/json")
        else:
            counts["Crossref"] += 1
            work = {"message": {"title": ["A Work"], "issued": {"date-parts": [[2020]]}, "type": "journal-article"}}
            self._send(json.dumps(work).encode(), "application/json")

    def _send(self, body: bytes, kind: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def main() -> None:
    """Print the request counts of a cold refresh and the time of a warm one."""
    from lclm.store.load import load_store
    from lclm.venues import is_preprint_paper

    root = WORK / "refresh-papers"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(PAPERS, root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    env = ENV | {
        "LCLM_ARXIV_URL": f"{base}/api/query",
        "LCLM_DBLP_URL": f"{base}/search/publ/api",
        "LCLM_CROSSREF_URL": f"{base}/works",
        "LCLM_S2_URL": f"{base}/graph/v1",
        "LCLM_ARXIV_DELAY": "0",
        "LCLM_DBLP_DELAY": "0",
        "LCLM_S2_DELAY": "0",
        "XDG_CACHE_HOME": str(WORK / "refresh-cache"),
    }
    cmd = [*LCLM, "--papers", str(root), "refresh", "--json"]
    papers = load_store(root).papers
    preprints = sum(1 for p in papers if is_preprint_paper(p))
    start = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True, check=False)
    cold = (time.perf_counter() - start) * 1000
    line(f"refresh {len(papers)} papers: arXiv requests (target <= {ARXIV_TARGET})", counts["arXiv"], "req")
    line("refresh: Semantic Scholar requests", counts["Semantic Scholar"], "req")
    line(f"refresh: arXiv + Semantic Scholar (target <= {BATCHED_TARGET})", counts["arXiv"] + counts["Semantic Scholar"], "req")
    line(f"refresh: DBLP requests ({preprints} preprints; DBLP behind its bot check)", counts["DBLP"], "req")
    line("refresh: Crossref requests (papers with a DOI)", counts["Crossref"], "req")
    line("refresh: cold run against the local server (no delays)", cold)
    counts.clear()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=False)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    note = f"target < {WARM_TARGET_MS:.0f} ms; {sum(counts.values())} requests"
    line("refresh: warm-cache run over the whole list (median of 3)", times[1], note=note)
    for label, extra in (("cold", []), ("offline", ["--offline"])):
        counts.clear()
        env["XDG_CACHE_HOME"] = str(WORK / "verify-cache")
        start = time.perf_counter()
        subprocess.run([*LCLM, "--papers", str(root), "verify", "--json", *extra], env=env, capture_output=True, check=False)
        took = (time.perf_counter() - start) * 1000
        line(f"verify {len(papers)} papers, {label}: requests", sum(counts.values()), "req")
        line(f"verify, {label}: time against the local server", took)
    server.shutdown()


if __name__ == "__main__":
    main()
