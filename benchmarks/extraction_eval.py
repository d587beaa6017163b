"""Article extraction: what syndetect's HTML loader hands the detector, against gold bodies.

The ScrapingHub article-extraction benchmark (181 real news and blog pages with
human-checked article bodies, MIT licence) is read in place from
``../shared/eval-data/article-extraction/``; the project's own older table-layout
pages (``tests/data/pages/*.html`` with ``*.gold.txt``) are scored the same way.
For each page, word-bag precision, recall and F1 (lower-cased ``\\w+`` tokens,
multiset intersection) of:

* ``syndetect``: the text of ``syndetect.load.html.html_document``;
* ``syn-matched``: that text less what boilerplate labels on the page alone (notices,
  tool rows, menus, teasers: the single-page rules), i.e. what reaches matching;
* ``trafilatura``: plain ``trafilatura.extract(html)`` (default options);
* ``precision``: ``trafilatura.extract(html, favor_precision=True)``.

Scores are means over pages (the benchmark's own convention), with the micro
(pooled) figures beside them, all from one run.

    python benchmarks/extraction_eval.py [--data DIR] [--limit N] [--json OUT]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from eval_data import eval_data

HERE = Path(__file__).resolve().parent
OWN_PAGES = HERE.parent / "tests" / "data" / "pages"
_WORD = re.compile(r"\w+")
AS_OF = datetime(2030, 1, 1, tzinfo=timezone.utc)


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text or ""))


def scores(pred: str, gold: str) -> tuple[float, float, float, int, int, int]:
    """(precision, recall, F1, matched, predicted, gold) over word bags."""
    p, g = words(pred), words(gold)
    hit = sum((p & g).values())
    n_p, n_g = sum(p.values()), sum(g.values())
    prec = hit / n_p if n_p else (1.0 if not n_g else 0.0)
    rec = hit / n_g if n_g else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, hit, n_p, n_g


def syndetect_text(html: bytes, url: str | None) -> str:
    from syndetect.load.html import html_document

    doc = html_document(html, doc_id="x", source="x", as_of=AS_OF, url=url)
    return doc.text if doc.status == "ok" else ""


def syndetect_matched_text(html: bytes, url: str | None) -> str:
    from syndetect.boilerplate import detect_boilerplate
    from syndetect.config import BoilerplateConfig
    from syndetect.segment import segment

    text = syndetect_text(html, url)
    labelled, _ = detect_boilerplate({"x": segment("x", text)}, BoilerplateConfig())
    return "\n".join(s.text for s in labelled["x"] if not s.boilerplate)


def trafilatura_text(**options: object) -> Callable[[bytes, str | None], str]:
    import trafilatura

    def run(html: bytes, url: str | None) -> str:
        return trafilatura.extract(html, url=url, **options) or ""

    return run


def load_benchmark(data: Path, limit: int | None) -> list[tuple[str, bytes, str | None, str]]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        html = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
        pages.append((key, html, truth[key].get("url"), truth[key]["articleBody"]))
    return pages


def load_own() -> list[tuple[str, bytes, str | None, str]]:
    pages = []
    for path in sorted(OWN_PAGES.glob("*.html")):
        gold = path.with_suffix(".gold.txt")
        if gold.exists():
            url_file = path.with_suffix(".url")
            url = url_file.read_text().strip() if url_file.exists() else None
            pages.append((path.name, path.read_bytes(), url, gold.read_text(encoding="utf-8")))
    return pages


def evaluate(pages, systems) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, run in systems.items():
        t0 = time.perf_counter()
        per_page = []
        pooled = [0, 0, 0]
        for _key, html, url, gold in pages:
            prec, rec, f1, hit, n_p, n_g = scores(run(html, url), gold)
            per_page.append((prec, rec, f1))
            pooled = [pooled[0] + hit, pooled[1] + n_p, pooled[2] + n_g]
        n = len(per_page) or 1
        mp, mr = pooled[0] / (pooled[1] or 1), pooled[0] / (pooled[2] or 1)
        out[name] = {
            "precision": sum(p for p, _, _ in per_page) / n,
            "recall": sum(r for _, r, _ in per_page) / n,
            "f1": sum(f for _, _, f in per_page) / n,
            "micro_precision": mp,
            "micro_recall": mr,
            "micro_f1": 2 * mp * mr / (mp + mr) if mp + mr else 0.0,
            "seconds": time.perf_counter() - t0,
        }
    return out


def show(title: str, results: dict[str, dict[str, float]], n_pages: int) -> None:
    print(f"\n{title} ({n_pages} pages)")
    print(f"{'system':<14}{'P':>7}{'R':>7}{'F1':>7}   {'microP':>7}{'microR':>7}{'microF1':>8}  s")
    for name, r in results.items():
        print(
            f"{name:<14}{r['precision']:7.3f}{r['recall']:7.3f}{r['f1']:7.3f}   "
            f"{r['micro_precision']:7.3f}{r['micro_recall']:7.3f}{r['micro_f1']:8.3f}"
            f"  {r['seconds']:.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    data = args.data or eval_data("article-extraction")
    systems = {
        "syndetect": syndetect_text,
        "syn-matched": syndetect_matched_text,
        "trafilatura": trafilatura_text(),
        "precision": trafilatura_text(favor_precision=True),
    }
    report: dict[str, object] = {}
    if data is None or not (data / "ground-truth.json").exists():
        print("article-extraction data not found; scoring the project's own pages only")
    else:
        pages = load_benchmark(data, args.limit)
        report["benchmark"] = evaluate(pages, systems)
        show("ScrapingHub article-extraction benchmark", report["benchmark"], len(pages))
    own = load_own()
    if own:
        report["table_layout"] = evaluate(own, systems)
        show("Older table-layout pages (tests/data/pages)", report["table_layout"], len(own))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
