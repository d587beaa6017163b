"""Results do not depend on document names or input order (ids are labels only).

Property: renaming the documents and shuffling them gives the same report up to the
renaming: the same clusters, origins, confidences, trees, passages and pair
decisions. Run on the seed pages (a real story, its rewrites and two unrelated pages
on the same topic) plus a wire story carried verbatim by two more sites.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from syndetect import load_documents, scan
from syndetect.types import Document, Report

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

WIRE = """\
BEIRUT (Reuters) - Lebanon's parliament failed on Thursday for the twelfth time to elect \
a president, extending a vacuum at the top of the state that has lasted for more than \
seven months as the country struggles with a deep financial crisis.

Neither of the two main candidates, former minister Suleiman Frangieh and IMF official \
Jihad Azour, secured the 86 votes needed to win in the first round, and lawmakers loyal \
to Hezbollah and its allies walked out before a second round could be held.

Parliament speaker Nabih Berri did not set a date for another session. The presidency \
has been empty since Michel Aoun's term ended in October."""


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    docs = load_documents([SEEDS])
    docs.append(Document(id="wire-a", text=f"Beacon Daily | World\n\n{WIRE}", outlet="Beacon Daily"))
    docs.append(Document(id="wire-b", text=f"Harbor Times | World\n\n{WIRE}\n\nShare this story",
                         outlet="Harbor Times"))
    return docs


@pytest.fixture(scope="module")
def baseline(corpus) -> Report:
    return scan(corpus)


def canonical(report: Report, label: dict[str, str]) -> dict:
    """The report with every id replaced by ``label[id]``; orders made id-free."""
    pattern = re.compile("|".join(re.escape(k) for k in sorted(label, key=len, reverse=True)))

    def text(s: str) -> tuple[str, ...]:
        # A sentence's words, as a sorted bag: lists of members in a sentence ("a, b
        # credit X") are in label order, which renaming changes.
        return tuple(sorted(pattern.sub(lambda m: label[m.group()], s).replace(",", " ").split()))

    def match(m) -> tuple:
        a = (label[m.a.document], m.a.start, m.a.end)
        b = (label[m.b.document], m.b.start, m.b.end)
        return (min(a, b), max(a, b), m.kind, m.similarity)

    clusters = sorted(
        (
            c.origin and label[c.origin],
            c.confidence,
            c.external_origin,
            tuple(sorted(text(e) for e in c.evidence)),
            tuple(sorted(
                (label[m.document], m.role, m.derived_from and label[m.derived_from],
                 m.derivation, m.relation, m.coverage, tuple(sorted(text(e) for e in m.evidence)))
                for m in c.members
            )),
            tuple(sorted(match(m) for m in c.matches)),
        )
        for c in report.clusters
    )
    pairs = sorted(
        (
            tuple(sorted((label[p.a], label[p.b]))),
            p.score, p.derived, p.n_passages,
            tuple(sorted(((label[p.a], p.coverage_a), (label[p.b], p.coverage_b)))),
            tuple(sorted(match(m) for m in p.matches)),
        )
        for p in report.pairs
    )
    return {"clusters": clusters, "pairs": pairs}


def test_the_corpus_has_both_kinds_of_cluster(baseline) -> None:
    # The property below is only worth something if there is provenance to vary.
    sizes = sorted(len(c.members) for c in baseline.clusters)
    assert sizes == [2, 3]


@settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_renaming_and_reordering_changes_nothing_but_labels(corpus, baseline, data) -> None:
    names = data.draw(st.lists(
        st.from_regex(r"[a-z0-9]{1,6}(\.txt)?", fullmatch=True),
        min_size=len(corpus), max_size=len(corpus), unique=True,
    ))
    order = data.draw(st.permutations(range(len(corpus))))
    new_id = {d.id: f"n-{name}" for d, name in zip(corpus, names, strict=True)}
    renamed = [replace(corpus[k], id=new_id[corpus[k].id]) for k in order]
    report = scan(renamed)
    # Labels: each document's original id, read through the renaming.
    old_of = {v: k for k, v in new_id.items()}
    assert canonical(report, old_of) == canonical(baseline, {k: k for k in new_id})
