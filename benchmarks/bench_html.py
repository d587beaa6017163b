"""Load time of the COUNTER HTML report in headless Chromium.

Scans the 1,200 COUNTER documents (read in place from ../shared/eval-data/counter,
never copied), writes the HTML report to a temporary file and opens it in headless
Chromium several times. Printed side by side:

- ``lazy``: the page as shipped (clusters drawn when opened): time from navigation
  start to the page being ready, and to the first cluster drawn;
- ``eager``: the same page with every cluster opened at once, the alternative the
  lazy drawing avoids.

    python benchmarks/bench_html.py [--data ../shared/eval-data/counter] [--runs 5]

Needs chromium, chromedriver (Debian: apt-get install chromium chromium-driver) and
selenium. The target is a load under 2 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from eval_data import eval_data

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = eval_data("counter")
TARGET_SECONDS = 2.0



def load_counter(data: Path) -> list:
    from syndetect import Document

    docs = []
    for line in (data / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        docs.append(Document(id=rec["id"], text=rec["text"], outlet=rec.get("outlet"),
                             published_at=rec.get("date"),
                             date_strength="metadata" if rec.get("date") else "none"))
    return docs


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "chromedriver"),
                            options=options)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not (args.data / "docs.jsonl").is_file():
        print(f"bench_html: no COUNTER corpus at {args.data}", file=sys.stderr)
        return 2

    from syndetect import scan
    from syndetect.report_html import render_html

    docs = load_counter(args.data)
    t0 = time.perf_counter()
    report = scan(docs)
    scan_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    page = render_html(report, {d.id: d.text for d in docs})
    render_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "counter.html"
        path.write_text(page, encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        driver = browser()
        lazy, first, eager = [], [], []
        try:
            for _ in range(args.runs):
                driver.get("about:blank")
                driver.get(path.as_uri())
                # Navigation start -> the script's last line (everything drawn).
                ready = driver.execute_script(
                    "return performance.getEntriesByType('navigation')[0].loadEventEnd")
                lazy.append(ready / 1000)
                first.append(driver.execute_script("""
                    const t = performance.now();
                    const d = document.querySelector('details.cluster'); d.open = true;
                    return new Promise(done => requestAnimationFrame(() =>
                        setTimeout(() => done((performance.now() - t) / 1000))));
                """))
                eager.append(driver.execute_script("""
                    const t = performance.now();
                    let more;
                    while ((more = document.querySelector('#clusters-section > div > button.more')))
                        more.click();
                    for (const d of document.querySelectorAll('details.cluster')) d.open = true;
                    return new Promise(done => requestAnimationFrame(() =>
                        setTimeout(() => done((performance.now() - t) / 1000 + arguments[0]))));
                """, ready / 1000))
        finally:
            driver.quit()
    med = statistics.median
    print(f"COUNTER: {len(docs)} documents, {len(report.clusters)} clusters; "
          f"scan {scan_s:.1f} s, render_html {render_s:.2f} s, page {size_mb:.1f} MB")
    print(f"{'':28}{'lazy (shipped)':>16}{'eager (all open)':>18}")
    print(f"{'load to ready, median s':28}{med(lazy):>16.2f}{med(eager):>18.2f}")
    print(f"{'load to ready, worst s':28}{max(lazy):>16.2f}{max(eager):>18.2f}")
    print(f"open one cluster, median s  {med(first):>16.3f}")
    verdict = "meets" if max(lazy) < TARGET_SECONDS else "MISSES"
    print(f"target: load under {TARGET_SECONDS:.0f} s in headless Chromium: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
