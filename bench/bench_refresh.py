"""Cost of `lclm refresh` over the committed list (issue 14.7).

A local server answers arXiv, DBLP and Crossref from generated responses
(each arXiv id gets an entry, each DBLP title search a published record for
every third paper and the CoRR record otherwise, each DOI a small work).
Prints the requests a cold refresh makes per service, next to the targets
(at most 7 arXiv requests; DBLP only for papers whose venue is a preprint),
and the median time of a warm-cache run over the whole list (target < 2 s).
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
WARM_TARGET_MS = 2000.0
counts: Counter[str] = Counter()


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


class Handler(BaseHTTPRequestHandler):
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
            self._send(json.dumps(_dblp(query["q"][0])).encode(), "application/json")
        else:
            counts["Crossref"] += 1
            work = {"message": {"title": ["A Work"], "issued": {"date-parts": [[2020]]}, "type": "journal-article"}}
            self._send(json.dumps(work).encode(), "application/json")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
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
        "LCLM_ARXIV_DELAY": "0",
        "LCLM_DBLP_DELAY": "0",
        "XDG_CACHE_HOME": str(WORK / "refresh-cache"),
    }
    cmd = [*LCLM, "--papers", str(root), "refresh", "--json"]
    papers = load_store(root).papers
    preprints = sum(1 for p in papers if is_preprint_paper(p))
    start = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True, check=False)
    cold = (time.perf_counter() - start) * 1000
    line(f"refresh {len(papers)} papers: arXiv requests (target <= {ARXIV_TARGET})", counts["arXiv"], "req")
    line(f"refresh: DBLP requests ({preprints} papers known only as preprints)", counts["DBLP"], "req")
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
    server.shutdown()


if __name__ == "__main__":
    main()
