"""The HTML report in a real browser (headless Chromium driven by Selenium).

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them) and
``selenium`` (the ``test`` extra). Without them the tests are skipped, unless
``SYNDETECT_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns the skip into a failure.
``SYNDETECT_SCREENSHOT=FILE`` saves the screenshot the README shows.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from syndetect import Document, scan
from syndetect.load import load_documents
from syndetect.report_html import render_html
from syndetect.types import Report

from .conftest import SAMPLE_TEXTS, make_sample_report
from .test_report_html import HOSTILE, wire_story

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def _missing(reason: str) -> None:
    if os.environ.get("SYNDETECT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (SYNDETECT_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed: pip install -e '.[test]'")
    if not CHROMIUM or not CHROMEDRIVER:
        _missing("chromium and chromedriver are needed: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--hide-scrollbars"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def open_report(driver: Any, tmp_path: Path, report: Report, texts: dict[str, str]) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(report, texts), encoding="utf-8")
    driver.get(page.as_uri())
    assert driver.execute_script("return document.body.dataset.ready") == "1"


def open_every_pair(driver: Any) -> None:
    """Open every cluster and draw every side-by-side view (buttons included)."""
    driver.execute_script("""
        for (const d of document.querySelectorAll('details.cluster')) d.open = true;
        // The toggle event that draws a cluster fires after this task.
        return new Promise(done => setTimeout(() => {
            for (const b of document.querySelectorAll('.cbody button.more')) b.click();
            done();
        }, 50));
    """)


HIGHLIGHTS_JS = """
const out = [];
for (const pair of document.querySelectorAll('.pair')) {
  const ids = new Set();
  for (const m of pair.querySelectorAll('mark[data-m]'))
    for (const i of m.dataset.m.split(' ')) ids.add(i);
  for (const i of ids) {
    const side = s => [...pair.querySelectorAll('.col[data-side="' + s + '"] mark')]
      .filter(m => m.dataset.m.split(' ').includes(i)).map(m => m.textContent).join('');
    out.push({cluster: pair.closest('details').id, index: Number(i),
              left: pair.querySelector('.col[data-side="left"] .text').dataset.doc,
              right: pair.querySelector('.col[data-side="right"] .text').dataset.doc,
              leftText: side('left'), rightText: side('right')});
  }
}
return out;
"""


def sorted_matches(report: Report) -> dict[str, list[Any]]:
    key = lambda m: (m.a.document, m.a.start, m.a.end, m.b.document, m.b.start, m.b.end)  # noqa: E731
    return {c.id: sorted(c.matches, key=key) for c in report.clusters}


def test_every_seed_match_is_highlighted_with_its_exact_text(
    browser: Any, tmp_path: Path, seeds_dir: Path
) -> None:
    docs = load_documents([str(seeds_dir)])
    report = scan(docs)
    open_report(browser, tmp_path, report, {d.id: d.text for d in docs})
    open_every_pair(browser)
    shown = browser.execute_script(HIGHLIGHTS_JS)
    matches = sorted_matches(report)
    seen = set()
    for row in shown:
        m = matches[row["cluster"]][row["index"]]
        by_doc = {m.a.document: m.a.text, m.b.document: m.b.text}
        assert row["leftText"] == by_doc[row["left"]]
        assert row["rightText"] == by_doc[row["right"]]
        seen.add((row["cluster"], row["index"]))
    assert seen == {(c, i) for c, ms in matches.items() for i in range(len(ms))}


def test_clicking_a_passage_scrolls_its_counterpart_into_view(
    browser: Any, tmp_path: Path, seeds_dir: Path
) -> None:
    docs = load_documents([str(seeds_dir)])
    report = scan(docs)
    open_report(browser, tmp_path, report, {d.id: d.text for d in docs})
    browser.execute_script("document.querySelector('details.cluster').open = true;"
                           "return new Promise(done => setTimeout(done, 50))")
    # A passage whose right-hand side lies below the fold of its column; its left-hand
    # piece carries that passage only, so a click on it means that passage.
    found = browser.execute_script("""
        const pair = document.querySelector('.pair');
        const box = pair.querySelector('.col[data-side="right"] .text');
        box.scrollTop = 0;
        for (const r of [...box.querySelectorAll('mark')].reverse()) {
          if (r.offsetTop - box.offsetTop < box.clientHeight) break;
          for (const id of r.dataset.m.split(' ')) {
            const left = pair.querySelector('.col[data-side="left"] mark[data-m="' + id + '"]');
            if (left) return [id, left];
          }
        }
        return null;
    """)
    assert found is not None, "the test needs a counterpart below the fold"
    match_id, left = found
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", left)
    left.click()  # a real mouse click at the element's centre
    visible = browser.execute_script("""
        const id = arguments[0];
        const pair = document.querySelector('.pair');
        const right = pair.querySelector('.col[data-side="right"] mark[data-m~="' + id + '"]');
        const box = right.closest('.text').getBoundingClientRect();
        const r = right.getBoundingClientRect();
        return {inBox: r.top >= box.top - 1 && r.bottom <= box.bottom + 1,
                inWindow: r.top >= 0 && r.top < window.innerHeight,
                on: right.classList.contains('on') && arguments[1].classList.contains('on')};
    """, match_id, left)
    assert visible == {"inBox": True, "inWindow": True, "on": True}
    shot = os.environ.get("SYNDETECT_SCREENSHOT")
    if shot:
        browser.set_window_size(1400, 1300)
        browser.execute_script("document.querySelector('details.cluster').scrollIntoView();"
                               "window.scrollBy(0, -56)")
        browser.save_screenshot(shot)
        browser.set_window_size(1400, 1000)


def test_hostile_titles_and_texts_stay_text(browser: Any, tmp_path: Path) -> None:
    docs = [
        Document(id=f"x{i}.html", title=HOSTILE, outlet=f"{HOSTILE} {i}",
                 text=wire_story(f"Agency {i}", HOSTILE), published_at=f"2025-01-0{i + 1}")
        for i in range(2)
    ]
    report = scan(docs)
    assert report.clusters
    open_report(browser, tmp_path, report, {d.id: d.text for d in docs})
    open_every_pair(browser)
    state = browser.execute_script("""
        return {pwned: window.__pwned === undefined ? null : window.__pwned,
                images: document.querySelectorAll('img').length,
                scripts: document.querySelectorAll('script').length,
                title: document.querySelector('details.cluster .ctitle').textContent,
                text: document.querySelector('.pair .text').textContent};
    """)
    assert state["pwned"] is None and state["images"] == 0 and state["scripts"] == 2
    assert state["title"] == HOSTILE
    assert state["text"] == docs[0].text


def test_filters_by_outlet_relation_confidence_and_status(browser: Any, tmp_path: Path) -> None:
    report = make_sample_report()
    open_report(browser, tmp_path, report, dict(SAMPLE_TEXTS))

    def counts(**values: Any) -> list[int]:
        return browser.execute_script("""
            const v = arguments[0];
            const set = (id, value, ev) => { const e = document.getElementById(id);
                e.value = value; e.dispatchEvent(new Event(ev)); };
            set('f-outlet', v.outlet || '', 'change');
            set('f-relation', v.relation || '', 'change');
            set('f-conf', v.conf || 0, 'input');
            set('f-status', v.status || '', 'change');
            return new Promise(done => setTimeout(() => done([
                document.querySelectorAll('#clusters details.cluster').length,
                document.querySelectorAll('#documents tbody tr').length]), 200));
        """, values)

    n_docs = len(report.documents)
    assert counts() == [1, n_docs]
    assert counts(outlet="Times of India") == [1, 1]
    assert counts(relation="verbatim") == [1, 1]   # c.txt copies b.txt verbatim
    assert counts(conf=0.9) == [0, 0]              # the cluster's confidence is 0.88
    assert counts(status="skipped") == [1, 1]
    assert counts() == [1, n_docs]
