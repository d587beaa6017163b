"""Seeds: the share of matched passages that lie outside the story text.

The five seed pages are scraped page text: story paragraphs among aggregator chrome
(ad blocks, "Related Articles" teasers, app banners). ``seeds_story.json`` marks, by
hand, the lines of each page that belong to its story (title and body, read as a
reader would). A scan of the seeds reports the aligned passages of derived pairs;
this script counts how many of those passage spans lie mostly (more than half their
characters) outside story lines, and the share of matched characters outside them.

    python benchmarks/seeds_story_share.py [--seeds seeds/]

Target (issue 10): at most 10% of matched passages outside the story text.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANNOTATION = HERE / "seeds_story.json"


def story_mask(text: str, ranges: list[list[int]]) -> list[bool]:
    """Per character: True inside the annotated (1-based, inclusive) story lines."""
    mask: list[bool] = []
    for number, line in enumerate(text.split("\n"), start=1):
        inside = any(lo <= number <= hi for lo, hi in ranges)
        mask.extend([inside] * (len(line) + 1))
    return mask[: len(text)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=HERE.parent / "seeds")
    args = ap.parse_args(argv)
    from syndetect import Config, load_documents, scan

    annotation = json.loads(ANNOTATION.read_text(encoding="utf-8"))
    docs = load_documents([args.seeds])
    report = scan(docs, Config())
    texts = {d.id: d.text for d in docs}
    masks = {}
    for doc_id, text in texts.items():
        key = doc_id.split("_")[0]
        masks[doc_id] = story_mask(text, annotation.get(key, []))
    spans = [
        span for pair in report.pairs if pair.derived for m in pair.matches for span in (m.a, m.b)
    ]
    outside = 0
    chars_out = chars_all = 0
    rows = []
    for span in spans:
        mask = masks[span.document][span.start : span.end]
        n_out = sum(1 for inside in mask if not inside)
        chars_out += n_out
        chars_all += len(mask)
        if n_out * 2 > len(mask):
            outside += 1
            rows.append(f"  outside: {span.document}: {span.text[:90]!r}")
    n = len(spans)
    print(f"derived pairs: {sum(1 for p in report.pairs if p.derived)}, "
          f"clusters: {len(report.clusters)}")
    for c in report.clusters:
        tree = ", ".join(f"{m.document.split('_')[0]}<-{(m.derived_from or '-').split('_')[0]}"
                         for m in c.members)
        print(f"cluster {c.id}: origin {(c.origin or '-').split('_')[0]}; {tree}")
    print(f"matched passage spans: {n}; mostly outside the story: {outside} "
          f"({outside / max(n, 1):.1%}); matched characters outside: "
          f"{chars_out / max(chars_all, 1):.1%}")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
