"""The report contract: schema, JSON determinism, round-trips, text summary, atomic writes."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import stat
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndetect import __version__
from syndetect.errors import InputError
from syndetect.pipeline import scan
from syndetect.report import (
    SCHEMA_VERSION,
    from_dict,
    load_schema,
    render_table,
    to_dict,
    to_json,
    write_atomic,
)
from syndetect.types import (
    Boilerplate,
    Cluster,
    Document,
    DocumentSummary,
    Match,
    Member,
    PairDecision,
    Report,
    Span,
    Status,
)


def validate(data: dict[str, Any], schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schema).validate(data)


def reversed_report(report: Report) -> Report:
    """The same report with every unordered collection in the opposite order."""
    return dataclasses.replace(
        report,
        documents=report.documents[::-1],
        clusters=tuple(dataclasses.replace(c, matches=c.matches[::-1])
                       for c in report.clusters[::-1]),
        boilerplate=tuple(dataclasses.replace(b, documents=b.documents[::-1])
                          for b in report.boilerplate[::-1]),
        pairs=report.pairs[::-1],
        config=dict(reversed(list(report.config.items()))),
        stats=dict(reversed(list(report.stats.items()))),
    )


# --------------------------------------------------------------------------- schema


def test_schema_is_valid_draft_2020_12(report_schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(report_schema)
    assert report_schema["$schema"].endswith("2020-12/schema")
    assert report_schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_sample_report_validates(sample_report: Report, report_schema: dict[str, Any]) -> None:
    data = json.loads(to_json(sample_report))
    validate(data, report_schema)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["tool"] == {"name": "syndetect", "version": __version__}
    cluster = data["clusters"][0]
    assert [m["document"] for m in cluster["members"]] == ["a.txt", "b.txt", "c.txt"]
    assert len(cluster["matches"]) == 3


@pytest.mark.parametrize(
    "path, value",
    [
        (("documents", 0, "status"), "failed"),
        (("documents", 0, "n_paragraphs"), -1),
        (("documents", 0, "published_at"), "yesterday"),
        (("documents", 3, "reason"), None),  # a skipped document must say why
        (("clusters", 0, "members", 1, "role"), "copy"),
        (("clusters", 0, "members", 1, "derivation"), "most"),
        (("clusters", 0, "members", 1, "relation"), "paraphrase"),
        (("clusters", 0, "members", 0, "derived_from"), "b.txt"),  # an origin has no parent
        (("clusters", 0, "members", 1, "coverage"), 1.5),
        (("clusters", 0, "matches", 0, "kind"), "copy"),
        (("clusters", 0, "matches", 0, "a", "start"), -3),
        (("clusters", 0, "matches", 0, "similarity"), "high"),
        (("clusters", 0, "confidence"), 2),
        (("boilerplate", 0, "count"), 0),
        (("pairs", 0, "n_passages"), 1.5),
        (("schema_version",), 2),
        (("tool", "name"), "other"),
    ],
)
def test_schema_rejects_wrong_values(
    sample_report: Report, report_schema: dict[str, Any], path: tuple[Any, ...], value: Any
) -> None:
    data = to_dict(sample_report)
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        validate(data, report_schema)


@pytest.mark.parametrize(
    "where",
    [(), ("tool",), ("documents", 0), ("clusters", 0), ("clusters", 0, "members", 0),
     ("clusters", 0, "matches", 0), ("clusters", 0, "matches", 0, "b"), ("boilerplate", 0),
     ("pairs", 0)],
)
def test_schema_rejects_unknown_fields(
    sample_report: Report, report_schema: dict[str, Any], where: tuple[Any, ...]
) -> None:
    data = to_dict(sample_report)
    node: Any = data
    for key in where:
        node = node[key]
    node["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError, match="surprise"):
        validate(data, report_schema)


@pytest.mark.parametrize("field", ["id", "status", "reason", "published_at", "n_boilerplate"])
def test_schema_requires_document_fields(
    sample_report: Report, report_schema: dict[str, Any], field: str
) -> None:
    data = to_dict(sample_report)
    del data["documents"][0][field]
    with pytest.raises(jsonschema.ValidationError, match=field):
        validate(data, report_schema)


def test_shipped_schema_is_the_generated_one(repo_root: Path) -> None:
    from syndetect.report_schema import generate_schema, schema_text

    shipped = repo_root / "src" / "syndetect" / "schema" / "report.schema.json"
    assert load_schema() == generate_schema()
    assert shipped.read_text(encoding="utf-8") == schema_text(), (
        "regenerate: python -m syndetect.report_schema > src/syndetect/schema/report.schema.json"
    )


def test_report_models_read_what_to_dict_writes(sample_report: Report) -> None:
    import pydantic

    from syndetect.report_schema import Report as ReportModel

    data = to_dict(sample_report)
    assert ReportModel.model_validate(data).model_dump(exclude_unset=True) == data
    data["clusters"][0]["surprise"] = 1
    with pytest.raises(pydantic.ValidationError, match="surprise"):
        ReportModel.model_validate(data)


def test_load_schema_reads_the_packaged_file(repo_root: Path) -> None:
    packaged = repo_root / "src" / "syndetect" / "schema" / "report.schema.json"
    assert load_schema() == json.loads(packaged.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- to_dict / to_json


def test_to_dict_rounds_floats_and_keeps_derived_pairs_only(sample_report: Report) -> None:
    data = to_dict(sample_report)
    assert data["clusters"][0]["confidence"] == 0.8765
    sims = sorted(m["similarity"] for m in data["clusters"][0]["matches"])
    assert sims == [0.6123, 0.98, 1.0]
    assert [(p["a"], p["b"]) for p in data["pairs"]] == [("a.txt", "b.txt"), ("b.txt", "c.txt")]
    assert all(p["derived"] for p in data["pairs"])


def test_to_dict_drops_timings_unless_asked(sample_report: Report) -> None:
    assert to_dict(sample_report)["stats"] == {"documents": 4, "documents_ok": 3}
    assert to_dict(sample_report, timings=True)["stats"]["seconds_total"] == 0.123


def test_match_spans_index_the_document_text(
    sample_report: Report, sample_texts: dict[str, str]
) -> None:
    for match in to_dict(sample_report)["clusters"][0]["matches"]:
        for side in (match["a"], match["b"]):
            assert sample_texts[side["document"]][side["start"]:side["end"]] == side["text"]


def test_json_is_byte_identical_whatever_the_input_order(sample_report: Report) -> None:
    first = to_json(sample_report)
    assert first == to_json(sample_report)
    assert first == to_json(reversed_report(sample_report))
    assert first.endswith("\n")
    data = json.loads(first)
    assert [d["id"] for d in data["documents"]] == ["a.txt", "b.txt", "c.txt", "empty.txt"]


def test_report_methods_give_what_the_functions_give(sample_report: Report) -> None:
    assert sample_report.to_dict() == to_dict(sample_report)
    assert sample_report.to_dict(timings=True) == to_dict(sample_report, timings=True)
    assert sample_report.to_dict() != sample_report.to_dict(timings=True)
    assert sample_report.to_json() == to_json(sample_report)
    assert sample_report.to_json(indent=None, timings=True) == to_json(
        sample_report, indent=None, timings=True)
    assert "\n  " not in sample_report.to_json(indent=None)


def test_json_rejects_non_finite_numbers(sample_report: Report) -> None:
    broken = dataclasses.replace(sample_report, stats={"ratio": float("nan")})
    with pytest.raises(ValueError, match="finite"):
        to_json(broken)


def test_scan_twice_gives_identical_json() -> None:
    docs = [
        Document(id="one", text="Hangzhou is home to Alibaba.\n\nDOWNLOAD THE APP"),
        Document(id="two", text="Alibaba has its home in Hangzhou.\n\nDOWNLOAD THE APP"),
        Document(id="three", text=""),
    ]
    assert to_json(scan(docs)) == to_json(scan(list(reversed(docs))))


# --------------------------------------------------------------------------- from_dict


def test_round_trip_keeps_everything_the_json_holds(sample_report: Report) -> None:
    data = to_dict(sample_report)
    again = from_dict(json.loads(to_json(sample_report)))
    assert to_dict(again) == data
    assert again.clusters[0].members == sample_report.clusters[0].members
    # Pairs get their matches back from the clusters.
    pair = next(p for p in again.pairs if (p.a, p.b) == ("a.txt", "b.txt"))
    assert {m.a.text for m in pair.matches} == {"Liangzhu is a quiet suburb.",
                                                "Founders talk about AI"}


def test_from_dict_refuses_other_schema_versions(sample_report: Report) -> None:
    data = to_dict(sample_report)
    data["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(InputError, match="schema_version 2"):
        from_dict(data)


# Hypothesis: arbitrary reports (Unicode ids and texts, nested clusters) survive the trip.

ids = st.text(min_size=1, max_size=12).filter(lambda s: s.strip() == s and s != "")
texts = st.text(max_size=40)
optional_texts = st.none() | texts
units = st.floats(min_value=0, max_value=1, allow_nan=False)
counts = st.integers(min_value=0, max_value=10_000)


@st.composite
def spans(draw: st.DrawFn, doc_ids: list[str]) -> Span:
    text = draw(texts)
    start = draw(st.integers(min_value=0, max_value=10_000))
    return Span(draw(st.sampled_from(doc_ids)), start, start + len(text), text)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    doc_ids = draw(st.lists(ids, min_size=2, max_size=6, unique=True))
    documents = []
    for doc_id in doc_ids:
        statuses: list[Status] = ["ok", "skipped", "error"]
        status = draw(st.sampled_from(statuses))
        documents.append(DocumentSummary(
            id=doc_id, source=draw(optional_texts), title=draw(optional_texts),
            outlet=draw(optional_texts), byline=draw(optional_texts), url=draw(optional_texts),
            published_at=draw(st.none() | st.dates().map(lambda d: d.isoformat())),
            date_is_relative=draw(st.booleans()), status=status,
            reason=None if status == "ok" else draw(ids), message=draw(optional_texts),
            n_paragraphs=draw(counts), n_boilerplate=draw(counts),
        ))
    clusters = []
    for n in range(draw(st.integers(min_value=0, max_value=3))):
        member_ids = draw(st.lists(st.sampled_from(doc_ids), min_size=2, max_size=4, unique=True))
        members = [Member(member_ids[0], "origin", None, None, None, draw(units))]
        for i, doc_id in enumerate(member_ids[1:], start=1):
            members.append(Member(
                doc_id, "derivative",
                draw(st.sampled_from(member_ids[:i]) | st.none()),
                draw(st.sampled_from(["whole", "partial"])),
                draw(st.sampled_from(["verbatim", "near_verbatim", "rewrite"])),
                draw(units), tuple(draw(st.lists(ids, max_size=2))),
            ))
        matches = draw(st.lists(
            st.builds(Match, spans(member_ids), spans(member_ids), units,
                      st.sampled_from(["verbatim", "near_verbatim", "rewrite"])),
            max_size=4,
        ))
        clusters.append(Cluster(
            id=f"c{n}", origin=member_ids[0], confidence=draw(units),
            evidence=tuple(draw(st.lists(ids, max_size=2))), members=tuple(members),
            matches=tuple(matches), external_origin=draw(st.none() | ids),
        ))
    pairs = [
        PairDecision(a, b, draw(units), draw(st.booleans()), draw(units), draw(units),
                     draw(counts), draw(units), draw(counts), ())
        for a, b in itertools.pairwise(doc_ids)
    ]
    boilerplate = draw(st.lists(
        st.builds(Boilerplate, ids, st.lists(st.sampled_from(doc_ids), min_size=1, max_size=3,
                                             unique=True).map(tuple),
                  st.integers(min_value=1, max_value=50)),
        max_size=3, unique_by=lambda b: b.text,
    ))
    stats = draw(st.dictionaries(ids, counts | units, max_size=3))
    return Report(tuple(documents), tuple(clusters), tuple(boilerplate), tuple(pairs),
                  {"decision": {"threshold": draw(units)}}, stats)


def test_matches_with_the_same_spans_sort_by_similarity_too() -> None:
    """Two matches of the same spans and kind (a hand-made or merged report): the JSON
    is the same whichever order the cluster holds them in."""
    span_a, span_b = Span("a", 0, 5, "hello"), Span("b", 0, 5, "hello")
    low, high = Match(span_a, span_b, 0.0, "rewrite"), Match(span_a, span_b, 1.0, "rewrite")
    members = (Member("a", "origin", None, None, None, 1.0),
               Member("b", "derivative", "a", "whole", "rewrite", 1.0))
    docs = tuple(DocumentSummary(d, None, None, None, None, None, None, False, "ok", None,
                                 None, 1, 0) for d in "ab")

    def report(matches: tuple[Match, ...]) -> Report:
        cluster = Cluster("c0", "a", 1.0, (), members, matches)
        return Report(docs, (cluster,), (), (), {}, {})

    text = to_json(report((low, high)))
    assert to_json(report((high, low))) == text
    assert [m["similarity"] for m in json.loads(text)["clusters"][0]["matches"]] == [0.0, 1.0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_any_report_validates_and_round_trips(report: Report) -> None:
    schema = load_schema()
    text = to_json(report)
    data = json.loads(text)
    validate(data, schema)
    again = from_dict(data)
    assert to_json(again) == text
    assert to_json(reversed_report(report)) == text
    # Rounded values are a fixed point: a second trip changes nothing at all.
    assert from_dict(to_dict(again)) == again
    assert [d.id for d in again.documents] == sorted(d.id for d in report.documents)
    for before, after in zip(sorted(report.clusters, key=lambda c: c.id), again.clusters,
                             strict=True):
        assert [m.document for m in after.members] == [m.document for m in before.members]
        assert all(abs(m.coverage - n.coverage) <= 5e-5
                   for m, n in zip(before.members, after.members, strict=True))
        assert sorted(after.matches, key=repr) == sorted(
            (dataclasses.replace(m, similarity=after_sim(m.similarity)) for m in before.matches),
            key=repr,
        )


def after_sim(value: float) -> float:
    return round(value, 4) or 0.0


# --------------------------------------------------------------------------- render_table


def test_table_shows_summary_tree_boilerplate_and_failures(sample_report: Report) -> None:
    text = render_table(sample_report, console_width=90)
    assert text.startswith("syndetect ")  # the summary comes first
    for needle in ("a.txt", "b.txt", "c.txt", "Title b.txt", "The New York Times",
                   "Times of India", "2025-05-09", "Sponsored Links", "Boilerplate: 1 entry",
                   "Not processed: 1", "file is empty", "confidence 0.88",
                   'b.txt credits "The New York Times" 1 time', "covers 71%",
                   "3 documents ok, 1 not processed"):
        assert needle in text, needle
    assert "~2025-05-10" in text  # relative dates are marked
    assert "1 story cluster," in text
    assert all(len(line) <= 90 for line in text.splitlines())
    tree = [line for line in text.splitlines() if "── " in line]

    def indent(doc: str, cue: str) -> int:
        line = next(li for li in tree if f"{doc}  {cue}" in li)
        return line.index(doc)

    origin = indent("a.txt", "origin")
    child = indent("b.txt", "whole")
    grandchild = indent("c.txt", "partial")
    assert origin < child < grandchild  # a -> b -> c, not a star


def test_table_lists_only_documents_with_problems(sample_report: Report) -> None:
    text = render_table(sample_report, console_width=90)
    problems = text[text.index("Not processed"):]
    assert "empty.txt" in problems and "skipped (empty)" in problems
    assert not any(d in problems for d in ("a.txt", "b.txt", "c.txt"))


def test_table_shows_the_best_passage_pair_per_derivative(sample_report: Report) -> None:
    text = render_table(sample_report, console_width=120)
    # b.txt's strongest passage with its source a.txt is the verbatim one (1.0 x 22
    # characters beats the rewrite's 0.61 x 27); c.txt's is its only one, with b.txt.
    assert 'source “Founders talk about AI”' in text
    assert "Liangzhu is a quiet suburb" not in text
    assert text.count("best passage:") == 2  # one per derivative, none for the origin
    assert "best passage: verbatim, similarity 1.00" in text
    assert "best passage: verbatim, similarity 0.98" in text


def test_table_prints_no_evidence_twice() -> None:
    shared = "b credits the Times"
    docs = tuple(DocumentSummary(d, d, None, None, None, None, None, False, "ok", None, None,
                                 1, 0) for d in ("a", "b"))
    cluster = Cluster("c1", "a", 0.9, (shared, "a is older"), (
        Member("a", "origin", None, None, None, 1.0, ("a is older",)),
        Member("b", "derivative", "a", "whole", "verbatim", 1.0, (shared, "b is 90% a")),
    ), ())
    text = render_table(Report(docs, (cluster,), (), (), {}, {}), console_width=100)
    for line in (shared, "a is older", "b is 90% a"):
        assert text.count(line) == 1, line


def test_table_limit_shows_the_largest_clusters_first() -> None:
    ids = [f"d{i}" for i in range(7)]
    docs = tuple(DocumentSummary(d, d, None, None, None, None, None, False, "ok", None, None,
                                 1, 0) for d in ids)

    def cluster(cid: str, members: list[str]) -> Cluster:
        return Cluster(cid, members[0], 0.5, (), tuple(
            Member(m, "origin" if i == 0 else "derivative", None if i == 0 else members[0],
                   None if i == 0 else "whole", None if i == 0 else "verbatim", 1.0)
            for i, m in enumerate(members)), ())

    clusters = (cluster("c-a", ids[0:2]), cluster("c-b", ids[2:5]), cluster("c-c", ids[5:7]))
    text = render_table(Report(docs, clusters, (), (), {}, {}), limit=1)
    assert "cluster c-b" in text and "cluster c-a" not in text and "cluster c-c" not in text
    assert "(1 of 3)" in text and "2 more clusters" in text
    full = render_table(Report(docs, clusters, (), (), {}, {}), limit=0)
    assert all(f"cluster {c.id}" in full for c in clusters)


def test_table_handles_external_origin_and_markup_in_titles() -> None:
    docs = tuple(
        DocumentSummary(d, d, "[bold]x[/bold]", "[red]Outlet", None, None, None, False, "ok",
                        None, None, 1, 0)
        for d in ("p", "q")
    )
    cluster = Cluster("c1", None, 0.4, (), (
        Member("p", "derivative", None, "whole", "rewrite", 0.9),
        Member("q", "derivative", "p", "partial", "near_verbatim", 0.3),
    ), (), external_origin="Reuters")
    text = render_table(Report(docs, (cluster,), (), (), {}, {}), console_width=80)
    assert "origin outside corpus: Reuters" in text
    assert "[red]Outlet" in text  # printed as text, not interpreted as markup
    assert "source outside corpus" in text
    assert text.index("p  source outside corpus") < text.index("q  partial")


# --------------------------------------------------------------------------- write_atomic


def test_write_atomic_writes_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    write_atomic(target, "héllo\n")
    assert target.read_bytes() == "héllo\n".encode()
    write_atomic(target, "second\n")
    assert target.read_text(encoding="utf-8") == "second\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_write_atomic_new_file_gets_umask_mode_and_old_file_keeps_its_mode(
    tmp_path: Path,
) -> None:
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.json"
        write_atomic(fresh, "{}")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.json"
        kept.write_text("old")
        kept.chmod(0o600)
        write_atomic(kept, "new")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_write_atomic_failure_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    target.write_text("old report\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "lone surrogate \ud800 cannot be encoded")
    assert target.read_text(encoding="utf-8") == "old report\n"

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)  # fails after the temp file was written
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "new report\n")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_write_atomic_failed_rename_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    target.write_text("old report\n", encoding="utf-8")

    def refuse(src: str, dst: str) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="cross-device"):
        write_atomic(target, "new report\n")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_write_atomic_into_missing_directory_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "report.json", "x")
    assert list(tmp_path.iterdir()) == []
