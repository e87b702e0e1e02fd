"""Web page figures (issue 13): `export html`, a 10,000-paper page in Chromium, screenshots.

Targets: `lclm export html` on the committed list under 1 s; in Chromium a
page of 10,000 papers interactive in under 1.5 s and each keystroke filtered
in under 100 ms, measured with the browser's Performance API.  Screenshots
(desktop and phone width, light and dark) go to bench/out/ for a person to
look at.  Needs Debian's chromium and chromium-driver (`make browser`).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
from pathlib import Path
from typing import Any

from common import (
    ENV,
    LCLM,
    PAPERS,
    ROOT,
    WORK,
    line,
    median_call_ms,
    median_ms,
    synthetic_store,
)

from lclm.store.load import load_store

OUT = ROOT / "bench" / "out"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run --disable-extensions --hide-scrollbars"
).split()
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
TYPED = "rotary position"
# Times the page's own work for each prefix of TYPED: the input handler plus the
# layout it causes (script + layout), and until the next frame is drawn.
KEYSTROKES_JS = """
const [typed, done] = [arguments[0], arguments[arguments.length - 1]];
const box = document.getElementById('lclm-q');
const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
(async () => {
  const out = [];
  for (let i = 1; i <= typed.length; i++) {
    const t0 = performance.now();
    box.value = typed.slice(0, i);
    box.dispatchEvent(new Event('input', {bubbles: true}));
    document.getElementById('lclm-results').offsetHeight;
    const t1 = performance.now();
    await frame();
    out.push([t1 - t0, performance.now() - t0, document.getElementById('lclm-status').textContent]);
  }
  done(out);
})();
"""


def _chrome() -> Any:
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager download a browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={tempfile.mkdtemp(prefix='lclm-bench-chromium-')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(60)
    return driver


def _export(store: Path, out: Path, *args: str) -> Path:
    import subprocess

    subprocess.run([*LCLM, "--papers", str(store), "export", "html", "-o", str(out), *args], env=ENV, check=True, capture_output=True)
    return out


def _cold_chart_ms(cmd: list[str], runs: int = 3) -> float:
    """Median wall time of ``cmd`` with the chart cache emptied before each run."""
    import subprocess
    import time

    times = []
    for _ in range(runs):
        shutil.rmtree(Path(ENV["XDG_CACHE_HOME"]) / "lclm" / "chart", ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(cmd, env=ENV, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _load_timings(driver: Any, url: str, runs: int = 3) -> dict[str, float]:
    """Median navigation timings (ms from navigation start) over fresh loads."""
    rows = []
    for _ in range(runs):
        driver.get("about:blank")
        driver.get(url)
        rows.append(
            driver.execute_script(
                "const n = performance.getEntriesByType('navigation')[0];"
                "const ready = performance.getEntriesByName('lclm-ready')[0];"
                "const paint = performance.getEntriesByName('first-contentful-paint')[0];"
                "return {interactive: ready ? ready.startTime : NaN, dom: n.domContentLoadedEventEnd,"
                " load: n.loadEventEnd, paint: paint ? paint.startTime : NaN};"
            )
        )
    # A figure the browser did not report (null from NaN) is left out of its median.
    return {k: statistics.median([r[k] for r in rows if r[k] is not None] or [float("nan")]) for k in rows[0]}


def _keystrokes(driver: Any, url: str) -> list[list[Any]]:
    driver.get(url)
    rows: list[list[Any]] = driver.execute_async_script(KEYSTROKES_JS, TYPED)
    return rows


def _screenshots(driver: Any, url: str) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    saved = []
    for (size, (width, height)), scheme, query in (
        (s, c, q) for s in SIZES.items() for c in ("light", "dark") for q in ("", "?q=rope")
    ):
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": size == "phone"}
        )
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        driver.get(url + query)
        name = OUT / f"page-{size}-{scheme}{'-search' if query else ''}.png"
        driver.save_screenshot(str(name))
        saved.append(name)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    return saved


def main() -> None:
    print("web page (issue 13): medians; whole process unless marked in-process")
    n = len(load_store(PAPERS).papers)
    site = WORK / "site"
    cmd = [*LCLM, "--papers", str(PAPERS), "export", "html", "-o", str(site)]
    line(f"lclm export html ({n}), chart from the cache", median_ms(cmd, runs=5), note="(target < 1000 ms)")
    line(f"lclm export html ({n}), chart drawn (SVG template)", _cold_chart_ms(cmd), note="(first export of a new chart)")
    line(f"lclm stats ({n})", median_ms([*LCLM, "--papers", str(PAPERS), "stats"], runs=5))
    line(f"lclm stats --svg ({n})", median_ms([*LCLM, "--papers", str(PAPERS), "stats", "--svg", str(WORK / "c.svg")], runs=5))

    from lclm.formats.html import render_page

    store = load_store(PAPERS)
    line(f"render_page ({n}, in-process, warm)", median_call_ms(lambda: render_page(store), runs=5))
    page = site / "index.html"
    line("page size", page.stat().st_size / 1024, "KiB")

    big_store = synthetic_store(10_000)
    big = _export(big_store, WORK / "site-10k")
    line("lclm export html (10,000)", median_ms([*LCLM, "--papers", str(big_store), "export", "html", "-o", str(big)], runs=3))
    line("page size (10,000)", (big / "index.html").stat().st_size / 1024 / 1024, "MiB")

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        print("  (no chromium/chromedriver: `make browser` installs them; browser figures skipped)")
        return
    driver = _chrome()
    try:
        for label, target in ((f"{n}", page), ("10,000", big / "index.html")):
            t = _load_timings(driver, target.as_uri())
            line(f"Chromium {label}: first contentful paint", t["paint"])
            line(f"Chromium {label}: interactive (script done)", t["interactive"], note="(target < 1500 ms)" if label == "10,000" else "")
            line(f"Chromium {label}: load event end", t["load"])
        rows = _keystrokes(driver, (big / "index.html").as_uri())
        work, frame = [r[0] for r in rows], [r[1] for r in rows]
        line(f"10,000: keystroke, script + layout (median of {len(rows)})", statistics.median(work))
        line("10,000: keystroke, script + layout (worst)", max(work), note="(target < 100 ms)")
        line("10,000: keystroke to next frame (worst)", max(frame))
        print(f"  typed {TYPED!r}: " + "; ".join(f"{TYPED[: i + 1]!r} {r[2]}" for i, r in enumerate(rows) if i in (0, 3, len(rows) - 1)))
        shots = _screenshots(driver, page.as_uri())
        print(f"  screenshots: {len(shots)} in {OUT.relative_to(ROOT)}/ ({', '.join(p.name for p in shots[:2])}, ...)")
    finally:
        driver.quit()
    shutil.rmtree(WORK / "site-10k", ignore_errors=True)


if __name__ == "__main__":
    main()
