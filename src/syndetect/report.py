"""The report contract: ``Report`` -> versioned JSON, and a text summary.

``to_dict`` gives the JSON-ready form described by the packaged JSON Schema
(``load_schema()``; ``syndetect schema`` prints it). The output is deterministic:
lists whose order carries no meaning are sorted, floats are rounded to
``FLOAT_DIGITS`` decimals, and wall-clock timings are left out unless asked for,
so the same input and config give byte-identical JSON.

>>> from syndetect.types import Report
>>> empty = Report(documents=(), clusters=(), boilerplate=(), pairs=(), config={}, stats={})
>>> to_dict(empty)["schema_version"]
1
>>> from_dict(to_dict(empty)) == empty
True
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import secrets
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import InputError
from .types import (
    Boilerplate,
    Cluster,
    DocumentSummary,
    Match,
    Member,
    PairDecision,
    Report,
    Span,
)

SCHEMA_VERSION = 1
"""Bumped whenever a field of the JSON report changes meaning or disappears."""

FLOAT_DIGITS = 4
"""Decimals kept for every float in the JSON report."""

TOOL_NAME = "syndetect"


# --------------------------------------------------------------------------- to JSON


def _round(value: Any) -> Any:
    """Round floats (recursively) so the JSON does not depend on float noise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"report values must be finite numbers, got {value!r}")
        rounded = round(value, FLOAT_DIGITS)
        return 0.0 if rounded == 0 else rounded  # no "-0.0"
    if isinstance(value, Mapping):
        return {str(k): _round(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    return value


def _is_timing(key: str) -> bool:
    return key.startswith("seconds") or key.endswith("_seconds")


def _span(span: Span) -> dict[str, Any]:
    return {"document": span.document, "start": span.start, "end": span.end, "text": span.text}


def _match(m: Match) -> dict[str, Any]:
    return {"a": _span(m.a), "b": _span(m.b), "similarity": _round(float(m.similarity)),
            "kind": m.kind}


def _match_key(m: Match) -> tuple[Any, ...]:
    """A total order of a cluster's matches: two with the same spans and kind (which a
    report read back from elsewhere may hold) still sort by what the JSON writes."""
    return (m.a.document, m.a.start, m.a.end, m.b.document, m.b.start, m.b.end, m.kind,
            _round(float(m.similarity)))


def _fields(obj: Any, *names: str) -> dict[str, Any]:
    """``{name: obj.name}`` for fields the JSON carries as they are."""
    return {name: getattr(obj, name) for name in names}


def _member(m: Member) -> dict[str, Any]:
    return {
        **_fields(m, "document", "role", "derived_from", "derivation", "relation"),
        "coverage": _round(float(m.coverage)),
        "evidence": list(m.evidence),
    }


def _cluster(c: Cluster) -> dict[str, Any]:
    return {
        "id": c.id,
        "origin": c.origin,
        "external_origin": c.external_origin,
        "confidence": _round(float(c.confidence)),
        "evidence": list(c.evidence),
        # Member order is meaningful (origin first, then lineage order) and kept.
        "members": [_member(m) for m in c.members],
        "matches": [_match(m) for m in sorted(c.matches, key=_match_key)],
    }


def _document(d: DocumentSummary) -> dict[str, Any]:
    return _fields(d, "id", "source", "title", "outlet", "byline", "url", "published_at",
                   "date_is_relative", "status", "reason", "message", "n_paragraphs",
                   "n_boilerplate", "site")


def _boilerplate(b: Boilerplate) -> dict[str, Any]:
    return {"text": b.text, "documents": sorted(set(b.documents)), "count": b.count}


def _pair(p: PairDecision) -> dict[str, Any]:
    out = _fields(p, "a", "b", "score", "derived", "coverage_a", "coverage_b", "n_passages",
                  "ordered", "rare_shared", "decided_by")
    for name in ("score", "coverage_a", "coverage_b", "ordered"):
        out[name] = _round(float(out[name]))
    return out


def to_dict(report: Report, *, timings: bool = False) -> dict[str, Any]:
    """The JSON-ready form of ``report`` (see ``load_schema()`` for the contract).

    Only derived pairs are listed under ``pairs``; their matches live in the
    clusters. Stats whose key names a wall-clock time (``seconds*`` or
    ``*_seconds``) are dropped unless ``timings=True``, since they would make two
    runs over the same input differ.

    >>> from syndetect.types import Report, Boilerplate
    >>> r = Report(documents=(), clusters=(), pairs=(), config={"k": 0.123456},
    ...            boilerplate=(Boilerplate("Sponsored", ("b", "a"), 2),),
    ...            stats={"documents": 0, "seconds_total": 1.5})
    >>> d = to_dict(r)
    >>> d["boilerplate"], d["stats"], d["config"]
    ([{'text': 'Sponsored', 'documents': ['a', 'b'], 'count': 2}], {'documents': 0}, {'k': 0.1235})
    """
    stats = {k: v for k, v in report.stats.items() if timings or not _is_timing(str(k))}
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "config": _round(dict(report.config)),
        "stats": _round(stats),
        "documents": [_document(d) for d in sorted(report.documents, key=lambda d: d.id)],
        "clusters": [_cluster(c) for c in sorted(report.clusters, key=lambda c: c.id)],
        "boilerplate": [
            _boilerplate(b)
            for b in sorted(report.boilerplate, key=lambda b: (-b.count, b.text))
        ],
        "pairs": [_pair(p) for p in sorted(report.pairs, key=lambda p: (p.a, p.b)) if p.derived],
    }


def to_json(report: Report, *, indent: int | None = 2, timings: bool = False) -> str:
    """``to_dict(report)`` as JSON text ending in a newline; byte-stable for the same report.

    >>> from syndetect.types import Report
    >>> r = Report(documents=(), clusters=(), boilerplate=(), pairs=(), config={}, stats={})
    >>> to_json(r, indent=None)[:40]
    '{"boilerplate": [], "clusters": [], "con'
    """
    return json.dumps(
        to_dict(report, timings=timings),
        indent=indent,
        sort_keys=True,
        ensure_ascii=False,
        allow_nan=False,
    ) + "\n"


# --------------------------------------------------------------------------- from JSON


def _span_from(d: Mapping[str, Any]) -> Span:
    return Span(document=d["document"], start=int(d["start"]), end=int(d["end"]), text=d["text"])


def _match_from(d: Mapping[str, Any]) -> Match:
    return Match(a=_span_from(d["a"]), b=_span_from(d["b"]),
                 similarity=float(d["similarity"]), kind=d["kind"])


def from_dict(data: Mapping[str, Any]) -> Report:
    """Rebuild a ``Report`` from ``to_dict`` output (or parsed ``to_json`` output).

    Pairs get back the cluster matches between their two documents (the JSON keeps
    matches only inside clusters); non-derived pairs are not in the JSON at all.

    >>> from syndetect.types import Report
    >>> r = Report(documents=(), clusters=(), boilerplate=(), pairs=(), config={}, stats={})
    >>> from_dict({**to_dict(r), "schema_version": 99})
    Traceback (most recent call last):
    ...
    syndetect.errors.InputError: report has schema_version 99, this syndetect reads 1; \
re-run `syndetect scan` with this version to regenerate it
    """
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise InputError(
            f"report has schema_version {version!r}, this syndetect reads {SCHEMA_VERSION}; "
            "re-run `syndetect scan` with this version to regenerate it"
        )
    documents = tuple(
        DocumentSummary(
            id=d["id"], source=d["source"], title=d["title"], outlet=d["outlet"],
            byline=d["byline"], url=d["url"], published_at=d["published_at"],
            date_is_relative=bool(d["date_is_relative"]), status=d["status"],
            reason=d["reason"], message=d["message"], n_paragraphs=int(d["n_paragraphs"]),
            n_boilerplate=int(d["n_boilerplate"]), site=d.get("site"),
        )
        for d in data["documents"]
    )
    clusters = tuple(
        Cluster(
            id=c["id"],
            origin=c["origin"],
            confidence=float(c["confidence"]),
            evidence=tuple(c["evidence"]),
            members=tuple(
                Member(
                    document=m["document"], role=m["role"], derived_from=m["derived_from"],
                    derivation=m["derivation"], relation=m["relation"],
                    coverage=float(m["coverage"]), evidence=tuple(m["evidence"]),
                )
                for m in c["members"]
            ),
            matches=tuple(_match_from(m) for m in c["matches"]),
            external_origin=c.get("external_origin"),
        )
        for c in data["clusters"]
    )
    by_pair: dict[frozenset[str], list[Match]] = {}
    for cluster in clusters:
        for m in cluster.matches:
            by_pair.setdefault(frozenset((m.a.document, m.b.document)), []).append(m)
    pairs = tuple(
        PairDecision(
            a=p["a"], b=p["b"], score=float(p["score"]), derived=bool(p["derived"]),
            coverage_a=float(p["coverage_a"]), coverage_b=float(p["coverage_b"]),
            n_passages=int(p["n_passages"]), ordered=float(p["ordered"]),
            rare_shared=int(p["rare_shared"]),
            matches=tuple(by_pair.get(frozenset((p["a"], p["b"])), ())),
            decided_by=str(p.get("decided_by", "")),
        )
        for p in data["pairs"]
    )
    boilerplate = tuple(
        Boilerplate(text=b["text"], documents=tuple(b["documents"]), count=int(b["count"]))
        for b in data["boilerplate"]
    )
    return Report(
        documents=documents, clusters=clusters, boilerplate=boilerplate, pairs=pairs,
        config=dict(data["config"]), stats=dict(data["stats"]),
    )


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``to_dict`` output, shipped in the package.

    >>> load_schema()["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    True
    """
    text = resources.files("syndetect").joinpath("schema/report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


# --------------------------------------------------------------------------- text summary


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _date_cell(d: DocumentSummary) -> str:
    """The date as a reader wants it: the day, plus the time when the page gives one."""
    if not d.published_at:
        return "-"
    shown = d.published_at
    if len(shown) > 10 and shown[10] in "T ":
        time_of_day = shown[11:16]
        shown = shown[:10] if time_of_day in ("", "00:00") else f"{shown[:10]} {time_of_day}"
    return f"~{shown}" if d.date_is_relative else shown


def _triage_key(c: Cluster) -> tuple[Any, ...]:
    """Largest stories first, then the surest: the order a reader triages in."""
    return (-len(c.members), -c.confidence, c.id)


def _best_match(cluster: Cluster, doc: str, partner: str | None) -> Match | None:
    """The passage that best shows ``doc``'s reuse: long and close, with ``partner`` if any."""
    best: tuple[float, Match] | None = None
    for m in cluster.matches:
        pair = {m.a.document, m.b.document}
        if doc not in pair or (partner is not None and partner not in pair):
            continue
        weight = float(m.similarity) * min(m.a.end - m.a.start, m.b.end - m.b.start)
        if best is None or weight > best[0]:
            best = (weight, m)
    return best[1] if best else None


def _member_label(m: Member) -> Any:
    from rich.text import Text

    label = Text(m.document, style="bold")
    if m.role == "origin":
        label.append("  origin", style="green")
        return label
    parts: list[str] = [p for p in (m.derivation, m.relation) if p]
    parts.append(f"coverage {m.coverage:.2f}")
    if m.derived_from is None:
        parts.insert(0, "source outside corpus")
    label.append("  " + " · ".join(parts), style="cyan")
    return label


def _cluster_tree(
    cluster: Cluster, rows: Mapping[str, DocumentSummary], *, max_evidence: int, width: int
) -> Any:
    from rich.text import Text
    from rich.tree import Tree

    head = Text(f"cluster {cluster.id}", style="bold")
    if cluster.origin is not None:
        head.append(f"  origin {cluster.origin}")
    elif cluster.external_origin:
        head.append(f"  origin outside corpus: {cluster.external_origin}")
    else:
        head.append("  origin unknown")
    head.append(f"  confidence {cluster.confidence:.2f}  "
                f"{_plural(len(cluster.members), 'document')}, "
                f"{_plural(len(cluster.matches), 'match', 'matches')}")
    tree = Tree(head)
    shown = set(cluster.evidence[:max_evidence])
    for line in cluster.evidence[:max_evidence]:
        tree.add(Text(f"evidence: {line}", style="dim"))
    if len(cluster.evidence) > max_evidence:
        tree.add(Text(f"evidence: … {len(cluster.evidence) - max_evidence} more", style="dim"))

    ids = {m.document for m in cluster.members}
    children: dict[str | None, list[Member]] = {}
    for m in cluster.members:
        # A parent outside the cluster hangs the member at the top of the tree.
        parent = m.derived_from if m.derived_from in ids and m.role != "origin" else None
        children.setdefault(parent, []).append(m)

    seen: set[str] = set()

    # Each tree level indents by 4 columns; the member's own lines sit one level below it.
    def about(member: Member, depth: int) -> Text:
        row = rows.get(member.document)
        where = f" · {(row.outlet if row else None) or 'no outlet'} · " + (
            _date_cell(row) if row else "-")
        title = row.title if row and row.title else "(no title)"
        room = max(width - 4 * (depth + 2) - len(where), 20)
        return Text(_clip(title, room) + where, style="italic")

    def passage(node: Any, member: Member, depth: int) -> None:
        if member.role == "origin":
            return
        partner = member.derived_from if member.derived_from in ids else None
        m = _best_match(cluster, member.document, partner)
        if m is None:
            return
        own, other = (m.a, m.b) if m.a.document == member.document else (m.b, m.a)
        room = max(width - 4 * (depth + 2) - 10, 20)
        kind = m.kind.replace("_", "-")
        best = node.add(Text(f"best passage: {kind}, similarity {m.similarity:.2f}",
                             style="dim"))
        best.add(Text(f"source “{_clip(other.text, room)}”"))
        best.add(Text(f"here   “{_clip(own.text, room)}”"))

    def add(node: Any, member: Member, depth: int) -> None:
        seen.add(member.document)
        branch = node.add(_member_label(member))
        branch.add(about(member, depth))
        passage(branch, member, depth)
        fresh = [line for line in member.evidence if line not in shown]
        for line in fresh[:max_evidence]:
            shown.add(line)
            branch.add(Text(line, style="dim"))
        for child in children.get(member.document, []):
            if child.document not in seen:
                add(branch, child, depth + 1)

    roots = children.get(None, [])
    for member in sorted(roots, key=lambda m: m.role != "origin"):
        add(tree, member, 1)
    for member in cluster.members:  # members caught in a derived_from cycle
        if member.document not in seen:
            add(tree, member, 1)
    return tree


def render_table(
    report: Report,
    *,
    console_width: int = 100,
    limit: int | None = None,
    max_boilerplate: int = 5,
    max_evidence: int = 5,
) -> str:
    """A text summary that answers first: counts, story clusters, then problems.

    Clusters come largest first, each as its lineage tree with titles, outlets,
    dates, relation, coverage and the best shared passage per derivative; ``limit``
    caps how many are shown (``None`` or 0: all). Documents get a row only when they
    were skipped or failed; the rest are counted. No evidence line is printed twice.

    >>> from syndetect.types import Report, DocumentSummary
    >>> row = DocumentSummary("a.txt", "a.txt", "T", "Mint", None, None, "2025-05-09",
    ...                       True, "ok", None, None, 3, 1)
    >>> text = render_table(Report((row,), (), (), (), {}, {}), console_width=60)
    >>> "No story clusters" in text and "1 document ok" in text
    True
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer, width=console_width, color_system=None, force_terminal=False,
        highlight=False, emoji=False, markup=False, soft_wrap=False,
    )
    docs = sorted(report.documents, key=lambda d: d.id)
    rows = {d.id: d for d in docs}
    ok = sum(1 for d in docs if d.status == "ok")
    console.print(
        Text(f"syndetect {__version__}: {_plural(len(docs), 'document')} ({ok} ok), "
             f"{_plural(len(report.clusters), 'story cluster')}, "
             f"{_plural(sum(1 for p in report.pairs if p.derived), 'derived pair')}, "
             f"{_plural(len(report.boilerplate), 'boilerplate entry', 'boilerplate entries')}")
    )

    console.print()
    clusters = sorted(report.clusters, key=_triage_key)
    shown = clusters[:limit] if limit else clusters
    if clusters:
        console.print(Text(f"Story clusters, largest first"
                           f"{f' ({len(shown)} of {len(clusters)})' if len(shown) < len(clusters) else ''}",
                           style="bold"))
        for cluster in shown:
            console.print(_cluster_tree(cluster, rows, max_evidence=max_evidence,
                                        width=console_width))
        if len(shown) < len(clusters):
            console.print(Text(f"… {len(clusters) - len(shown)} more clusters "
                               "(--limit 0 shows all; --format html shows them side by side)"))
    else:
        console.print(Text("No story clusters."))

    console.print()
    entries = sorted(report.boilerplate, key=lambda b: (-b.count, b.text))
    console.print(Text(f"Boilerplate: {_plural(len(entries), 'entry', 'entries')}", style="bold"))
    for b in entries[:max_boilerplate]:
        console.print(Text(f"  {b.count}x in {_plural(len(set(b.documents)), 'doc')}: "
                           f"{_clip(b.text, max(console_width - 24, 20))}"))
    if len(entries) > max_boilerplate:
        console.print(Text(f"  … and {len(entries) - max_boilerplate} more"))

    console.print()
    failed = [d for d in docs if d.status != "ok"]
    if failed:
        table = Table(title=f"Not processed: {len(failed)}", title_justify="left", expand=False)
        table.add_column("document", overflow="fold")
        table.add_column("status", no_wrap=True)
        table.add_column("reason", overflow="fold")
        for d in failed:
            table.add_row(Text(d.id), Text(f"{d.status} ({d.reason or '?'})"),
                          Text(d.message or ""))
        console.print(table)
    console.print(Text(f"{_plural(ok, 'document')} ok" +
                       (f", {len(failed)} not processed (listed above)" if failed else "")))
    if any(d.date_is_relative for d in docs):
        console.print(Text("~ date resolved from a relative date on the page"))
    # Rich pads table rows to the console width; trailing blanks only add noise.
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


# --------------------------------------------------------------------------- writing


def _create_temp(directory: Path, name: str) -> tuple[int, str]:
    """A new file beside the target; mode 0o666 less the umask, like any new file."""
    for _ in range(100):
        candidate = directory / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), str(candidate)
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file in {directory}")


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so readers see the old file or the new one.

    The text goes to a temporary file in the same directory, is flushed to disk and
    then renamed over ``path``; on any failure the temporary file is removed and an
    existing ``path`` is left untouched. A new file gets the usual mode (0o666 less
    the umask); an existing file keeps its mode.
    """
    target = Path(path)
    directory = target.parent
    data = text.encode("utf-8")  # fail before touching the disk if the text cannot be encoded
    fd, tmp_name = _create_temp(directory, target.name)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp_name, os.stat(target).st_mode & 0o7777)
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    # Make the rename itself durable; not every platform can open a directory.
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


__all__ = [
    "FLOAT_DIGITS",
    "SCHEMA_VERSION",
    "from_dict",
    "load_schema",
    "render_table",
    "to_dict",
    "to_json",
    "write_atomic",
]
