"""`lclm export html`: the page's file, and the page itself driven in a real browser.

The browser tests run Debian's chromium through its chromedriver (``make
browser`` installs both); Selenium is told where they are and never
downloads anything.  One browser serves the whole module.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import PAPERS, run


@pytest.fixture
def store(warm_store: Path) -> Path:
    """The committed list, with the caches earlier runs left: this module does not test the cache."""
    return warm_store


CHROMIUM = Path(os.environ.get("LCLM_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("LCLM_CHROMEDRIVER", "/usr/bin/chromedriver"))
BROWSER_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run --disable-extensions"
).split()
PHONE = (390, 844)
DESKTOP = (1280, 900)


# ---------------------------------------------------------------- helpers


def export_page(store: Path, out: Path, *args: str) -> Path:
    result = run("--papers", str(store), "export", "html", "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    return out / "index.html" if out.suffix != ".html" else out


def store_papers(store: Path) -> list[dict[str, Any]]:
    """The store's papers as `lclm export json` gives them."""
    result = run("--papers", str(store), "export", "json")
    assert result.exit_code == 0, result.stderr
    papers: list[dict[str, Any]] = json.loads(result.stdout)
    return papers


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", fold(text)) is not None


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


# ---------------------------------------------------------------- the file


def test_one_self_contained_page(store: Path, tmp_path: Path) -> None:
    page = export_page(store, tmp_path / "site")
    assert page == tmp_path / "site" / "index.html"
    text = page.read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(text)
    # Nothing is fetched to show the page: no external script, style sheet, image or font.
    for tag, attrs in parser.tags:
        assert not (tag == "script" and attrs.get("src")), attrs
        assert tag != "link" or attrs.get("rel") not in ("stylesheet", "preload", "icon"), attrs
        assert not (tag in ("img", "iframe", "source") and attrs.get("src")), attrs
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text)
    ids = [attrs["id"] for _, attrs in parser.tags if attrs.get("id")]
    assert len(ids) == len(set(ids)), "every id on the page is unique"
    papers = store_papers(store)
    assert {p["key"] for p in papers} <= set(ids), "every paper has its anchor"
    # The chart is inline SVG above the list, with its numbers as a table for screen readers.
    assert text.index('<svg class="lclm-chart" role="img" aria-label="Papers per year"') < text.index('id="lclm-list"')
    years = sorted({p["year"] for p in papers})
    rows = re.findall(r'<tr><th scope="row">(\d+)</th>.*?<td>(\d+)</td></tr>', text)
    assert [(int(y), int(n)) for y, n in rows] == [(y, sum(p["year"] == y for p in papers)) for y in years]


def test_output_file_stdout_title_and_language(store: Path, tmp_path: Path) -> None:
    page = export_page(store, tmp_path / "list.html", "--title", "Long-context <LLM> papers", "--lang", "zh")
    text = page.read_text(encoding="utf-8")
    assert "<title>Long-context &lt;LLM&gt; papers</title>" in text
    assert '<html lang="zh">' in text
    assert ">长度外推 <span class=\"count\">58</span></h3>" in text
    stdout = run("--papers", str(store), "export", "html").stdout
    assert stdout.startswith("<!doctype html>") and "<title>Paper list</title>" in stdout


def test_unknown_language_is_a_usage_error(store: Path, tmp_path: Path) -> None:
    result = run("--papers", str(store), "export", "html", "--lang", "fr", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert result.stderr == "lclm: error: --lang fr: the list has headings in en, zh\n"
    assert not (tmp_path / "x.html").exists()


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip(f"no {CHROMIUM} and {CHROMEDRIVER}: `make browser` installs Debian's chromium and chromium-driver")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download a browser
    profile = tempfile.mkdtemp(prefix="lclm-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*BROWSER_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    browser.set_window_size(*DESKTOP)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The page of the frozen fixture list, and what `lclm export json` says the list holds."""
    root = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        page = export_page(PAPERS, root / "site")
        papers = store_papers(PAPERS)
    return {"url": page.as_uri(), "papers": papers}


def wait(driver: Any) -> Any:
    """Up to 5 s for a condition, checked every 50 ms (Selenium's default, 500 ms, costs the suite seconds)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 5, poll_frequency=0.05)


def open_page(driver: Any, url: str, size: tuple[int, int] = DESKTOP) -> None:
    driver.set_window_size(*size)
    driver.get(url)
    driver.get_log("browser")  # start each test with an empty console log
    # A fresh load: the script has run once it has marked the page.
    assert driver.execute_script("return window.lclmPage && window.lclmPage.ready")


def type_query(driver: Any, text: str) -> None:
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "lclm-q")
    box.clear()
    box.send_keys(text)


def result_keys(driver: Any) -> list[str]:
    keys: list[str] = driver.execute_script(
        "return Array.from(document.querySelectorAll('#lclm-result-list > li')).map(li => li.dataset.key)"
    )
    return keys


def show_all_results(driver: Any) -> list[str]:
    driver.execute_script("const m = document.getElementById('lclm-more'); while (!m.hidden) m.click();")
    return result_keys(driver)


def scroll_to(driver: Any, element: Any) -> None:
    """Bring ``element`` to the middle of the window (twice: papers drawn on the way change height)."""
    for _ in range(2):
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        driver.execute_script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def status_text(driver: Any) -> str:
    text: str = driver.execute_script("return document.getElementById('lclm-status').textContent")
    return text


def console_problems(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_page_loads_cleanly_and_shows_every_paper(driver: Any, site: dict[str, Any]) -> None:
    driver.get(site["url"])
    assert console_problems(driver) == []
    shown = driver.execute_script(
        "return Array.from(document.querySelectorAll('#lclm-list li.paper'))"
        ".filter(li => li.getClientRects().length).map(li => li.id)"
    )
    assert len(shown) == len(site["papers"]) == 641
    assert set(shown) == {p["key"] for p in site["papers"]}
    # Each category's papers in the curator's order.
    for category in {p["category"] for p in site["papers"]}:
        want = [p["key"] for p in site["papers"] if p["category"] == category]
        assert [k for k in shown if k in set(want)] == want


def test_rope_finds_the_rope_papers_first(driver: Any, site: dict[str, Any]) -> None:
    open_page(driver, site["url"])
    type_query(driver, "rope")
    keys = show_all_results(driver)
    by_key = {p["key"]: p for p in site["papers"]}

    def in_title(key: str) -> bool:
        paper = by_key[key]
        return has_word(" ".join([paper["title"], *paper.get("aka", [])]), "rope")

    haystacks = {
        p["key"]: fold(" ".join([p["title"], *p.get("aka", []), *p.get("authors", []), p.get("venue", ""), p["key"]]))
        for p in site["papers"]
    }
    assert sorted(keys) == sorted(k for k, text in haystacks.items() if "rope" in text)
    named = [in_title(k) for k in keys]
    assert sum(named) >= 8
    assert named == sorted(named, reverse=True), "every paper with RoPE as a word in its title or names comes first"
    assert status_text(driver) == f"{len(keys)} of 641 papers match."
    assert driver.execute_script("return document.querySelector('#lclm-list li.paper').checkVisibility() === false")
    assert "su2024roformer" in keys[: sum(named)], "RoFormer is known as RoPE (its aka)"
    marks = driver.execute_script(
        "return Array.from(document.querySelectorAll('#lclm-result-list > li .head mark')).map(m => m.textContent)"
    )
    assert len(marks) >= sum(named) and {m.lower() for m in marks} == {"rope"}
    assert console_problems(driver) == []


def test_section_year_and_kind_filters_combine(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    open_page(driver, site["url"])
    Select(driver.find_element(By.ID, "lclm-section")).select_by_value("sec-length-extrapolation")
    section = [p for p in site["papers"] if p["category"] == "length-extrapolation"]
    assert show_all_results(driver) == [p["key"] for p in section]
    driver.find_element(By.ID, "lclm-from").send_keys("2023")
    driver.find_element(By.ID, "lclm-to").send_keys("2023")
    in_2023 = [p["key"] for p in section if p["year"] == 2023]
    assert in_2023 and show_all_results(driver) == in_2023
    # A group of sections holds its categories' papers; with a query, all three filters apply.
    Select(driver.find_element(By.ID, "lclm-section")).select_by_value("sec-architecture")
    type_query(driver, "attention")
    architecture = {"length-extrapolation", "kv-cache-optimization", "memory-management", "architecture-innovation"}
    want = {
        p["key"]
        for p in site["papers"]
        if p["category"] in architecture and p["year"] == 2023 and "attention" in fold(p["title"] + " " + p.get("venue", ""))
    }
    got = set(show_all_results(driver))
    assert want and want <= got
    assert all(p["category"] in architecture and p["year"] == 2023 for p in site["papers"] if p["key"] in got)
    # Sorted newest first, without a query, by year.
    type_query(driver, "")
    Select(driver.find_element(By.ID, "lclm-section")).select_by_value("")
    driver.find_element(By.ID, "lclm-from").clear()
    driver.find_element(By.ID, "lclm-to").clear()
    Select(driver.find_element(By.ID, "lclm-sort")).select_by_value("newest")
    Select(driver.find_element(By.ID, "lclm-status-filter")).select_by_value("preprint")
    keys = show_all_results(driver)
    years = [p["year"] for k in keys for p in site["papers"] if p["key"] == k]
    assert years == sorted(years, reverse=True) and len(keys) > 100
    preprint = re.compile(r"arxiv|preprint|submitted to|under review|openreview", re.I)
    assert all(preprint.search(p.get("venue", "arXiv")) for p in site["papers"] if p["key"] in set(keys))


def test_the_url_restores_a_search(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    open_page(driver, site["url"])
    type_query(driver, "kv cache")
    Select(driver.find_element(By.ID, "lclm-section")).select_by_value("sec-kv-cache-optimization")
    driver.find_element(By.ID, "lclm-from").send_keys("2024")
    wait(driver).until(lambda d: "from=2024" in d.current_url)
    shared, before = driver.current_url, show_all_results(driver)
    assert "q=kv+cache" in shared and "section=sec-kv-cache-optimization" in shared
    driver.get(site["url"])  # somewhere else first
    open_page(driver, shared)
    assert driver.find_element(By.ID, "lclm-q").get_attribute("value") == "kv cache"
    assert driver.find_element(By.ID, "lclm-from").get_attribute("value") == "2024"
    assert before and show_all_results(driver) == before
    # Clearing the search gives the plain address back.
    driver.find_element(By.ID, "lclm-clear").click()
    wait(driver).until(lambda d: "?" not in d.current_url)


def test_copy_bibtex_gives_the_exporters_text(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    open_page(driver, site["url"])
    # Headless clipboards are unreliable: record what the page asks to copy.
    driver.execute_script(
        "window.copied = [];"
        "navigator.clipboard.writeText = t => { window.copied.push(t); return Promise.resolve(); };"
    )
    wanted = ["su2024roformer", "raffel2020exploring", site["papers"][-1]["key"]]
    accented = next(p["key"] for p in site["papers"] if any(ord(c) > 127 for c in "".join(p.get("authors", []))))
    for key in [*wanted, accented]:
        button = driver.find_element(By.CSS_SELECTOR, f'li[id="{key}"] button.copy')
        scroll_to(driver, button)
        button.click()
    copied = driver.execute_script("return window.copied")
    for key, text in zip([*wanted, accented], copied):
        assert text == run("--papers", str(PAPERS), "export", "bibtex", "--keys", key).stdout
    assert len(copied) == 4
    # From a search result too.
    type_query(driver, "roformer")
    driver.find_element(By.CSS_SELECTOR, "#lclm-result-list button.copy").click()
    assert driver.execute_script("return window.copied[4]") == copied[0]


def test_a_permalink_scrolls_to_its_paper(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    driver.get(site["url"])
    order = driver.execute_script("return Array.from(document.querySelectorAll('#lclm-list li.paper')).map(li => li.id)")
    key = order[len(order) * 2 // 3]  # far down, but not so near the end that it cannot reach the top
    open_page(driver, f"{site['url']}#{key}")

    def top_of(key: str) -> float:
        top: float = driver.execute_script(f"return document.getElementById('{key}').getBoundingClientRect().top")
        return top

    # Just below the sticky search bar, not hidden under it.
    bar = driver.execute_script("return document.getElementById('lclm-toolbar').getBoundingClientRect().bottom")
    wait(driver).until(lambda d: bar - 1 <= top_of(key) < bar + 40)
    assert driver.execute_script("return window.scrollY") > 10_000
    assert driver.execute_script(f"return document.getElementById('{key}').matches(':target')")
    # A result's permalink leaves the search and goes to the paper in the list.
    driver.execute_script("window.scrollTo(0, 0)")
    type_query(driver, "longrope")
    link = driver.find_element(By.CSS_SELECTOR, "#lclm-result-list li:first-child .permalink")
    target = link.get_attribute("href").rsplit("#", 1)[1]
    link.click()
    wait(driver).until(lambda d: d.execute_script("return document.querySelector('#lclm-list li.paper').checkVisibility()"))
    wait(driver).until(lambda d: bar - 1 <= top_of(target) < bar + 40)
    assert driver.find_element(By.ID, "lclm-q").get_attribute("value") == ""
    assert driver.current_url.endswith(f"#{target}")


def test_phone_width(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 2, "mobile": True}
    )
    try:
        open_page(driver, site["url"], PHONE)
        width = "return [document.documentElement.scrollWidth, window.innerWidth]"
        scroll, inner = driver.execute_script(width)
        assert inner == PHONE[0] and scroll <= inner, "no sideways scrolling"
        box = driver.find_element(By.ID, "lclm-q")
        assert box.size["width"] > 200
        type_query(driver, "rope")
        assert result_keys(driver)
        scroll, inner = driver.execute_script(width)
        assert scroll <= inner
        # The section list folds away on a phone, so the search comes first.
        assert driver.execute_script("return document.getElementById('lclm-toc').open") is False
        assert console_problems(driver) == []
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_slash_focuses_search_and_empty_results_say_so(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    open_page(driver, site["url"])
    driver.find_element(By.TAG_NAME, "body").click()
    ActionChains(driver).send_keys("/").perform()
    assert driver.switch_to.active_element.get_attribute("id") == "lclm-q"
    ActionChains(driver).send_keys("zzqxv").perform()
    assert status_text(driver) == "No papers match."
    assert result_keys(driver) == []
    assert driver.find_element(By.ID, "lclm-q").get_attribute("value") == "zzqxv"  # the "/" was not typed


def test_long_author_lists_fold_and_expand(driver: Any, site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    open_page(driver, site["url"])
    paper = driver.find_element(By.CSS_SELECTOR, 'li[id="raffel2020exploring"]')
    rest = paper.find_element(By.CSS_SELECTOR, ".rest")
    button = paper.find_element(By.CSS_SELECTOR, "button.expand")
    scroll_to(driver, paper)
    assert not rest.is_displayed() and button.get_attribute("aria-expanded") == "false"
    assert button.text == "+3 more"
    button.click()
    assert rest.is_displayed() and button.get_attribute("aria-expanded") == "true"
    assert "Peter J Liu" in paper.find_element(By.CSS_SELECTOR, ".authors").text


def test_dark_theme_follows_the_system(driver: Any, site: dict[str, Any]) -> None:
    background = "return getComputedStyle(document.body).backgroundColor"
    try:
        for scheme, colour in (("light", "rgb(255, 255, 255)"), ("dark", "rgb(13, 17, 23)")):
            driver.execute_cdp_cmd(
                "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
            )
            open_page(driver, site["url"])
            assert driver.execute_script(background) == colour
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_names_match_and_markup_in_data_stays_text(driver: Any, store: Path, tmp_path: Path) -> None:
    """Names (``aka``) are searched; a title holding HTML or ``</script>`` is shown as written."""
    file = store / "length-extrapolation.yaml"
    text = file.read_text(encoding="utf-8")
    hostile = "A </script><img src=x onerror=alert(1)> & <!-- title"
    text = text.replace("  title: Scaling laws of rope-based extrapolation\n", f"  title: '{hostile}'\n", 1)
    text = text.replace("  url: https://arxiv.org/abs/2310.05209\n", "  url: javascript:alert(1)\n  code: 'data:text/html,<b>x</b>'\n", 1)
    file.write_text(text, encoding="utf-8")
    page = export_page(store, tmp_path / "site")
    open_page(driver, page.as_uri())
    type_query(driver, "rotary position embedding")
    assert result_keys(driver)[0] == "su2024roformer"  # by its name "Rotary Position Embedding"
    type_query(driver, "onerror")
    assert len(result_keys(driver)) == 1
    shown = driver.execute_script("return document.querySelector('#lclm-result-list .title').textContent")
    assert shown == hostile
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    # A link the record gives that is not a web address is not made; the arXiv one stands in.
    assert driver.execute_script("return document.querySelectorAll('a[href^=\"javascript\"], a[href^=\"data\"]').length") == 0
    assert driver.execute_script("return document.querySelector('#lclm-result-list a.title').href") == "https://arxiv.org/abs/2310.05209"
    assert console_problems(driver) == []
