"""Content words in any language: curated lists for English, Spanish and Urdu, the
stopwords-iso list of each other document's own language, chosen per document."""

from __future__ import annotations

import textwrap
from pathlib import Path

from syndetect import Config, Document, scan
from syndetect.segment import segment
from syndetect.table import SentenceTable
from syndetect.terms import document_language

HERE = Path(__file__).resolve().parent
DE, EN = HERE / "data_de", HERE / "data_en"


def _words(table: SentenceTable, doc_id: str) -> set[str]:
    rows = table.doc_rows[doc_id]
    return {w for k in rows for w in table.words[k]}


def _table(texts: dict[str, str]) -> SentenceTable:
    return SentenceTable.build({d: segment(d, t) for d, t in texts.items()})


def test_function_words_of_an_uncurated_language_are_not_content_words() -> None:
    text = (DE / "local_de.txt").read_text(encoding="utf-8")
    table = _table({"de": text})
    assert table.doc_language == ["de"]
    words = _words(table, "de")
    assert not {"der", "die", "und", "nicht", "sich", "dem", "eine"} & words
    assert {"gemeinderat", "windpark", "bürgermeister", "genehmigung"} <= words


def test_english_keeps_the_words_news_is_made_of() -> None:
    # stopwords-iso's English list holds "million", "group", "world": the curated list is used.
    table = _table({"en": (EN / "wire_rates.txt").read_text(encoding="utf-8"),
                    "en2": (EN / "local_housing.txt").read_text(encoding="utf-8")})
    assert table.doc_language == ["en", "en"]
    assert {"bank", "england", "interest", "inflation"} <= _words(table, "en")
    assert not {"the", "and", "said"} & _words(table, "en")


def test_a_document_gets_the_same_words_alone_and_in_a_mixed_corpus() -> None:
    de = (DE / "local_de.txt").read_text(encoding="utf-8")
    texts = {"de": de, "en": (EN / "wire_rates.txt").read_text(encoding="utf-8")}
    alone, mixed = _table({"de": de}), _table(texts)
    assert _words(alone, "de") == _words(mixed, "de")
    assert mixed.doc_language == ["de", "en"]


def test_text_without_function_words_has_no_language() -> None:
    assert document_language(["hangzhou", "deepseek", "liangzhu", "zhejiang"]) is None
    assert document_language([]) is None


def test_a_passage_lifted_into_a_wrapped_text_in_another_language_is_found() -> None:
    wire = (DE / "wire_de.txt").read_text(encoding="utf-8")
    local = (DE / "local_de.txt").read_text(encoding="utf-8")
    local = "\n\n".join(textwrap.fill(p, 100) for p in local.split("\n\n"))
    docs = [Document(id="dpa", text=wire, outlet="dpa"),
            Document(id="lokal", text=local, outlet="Kreisblatt")]
    docs += [Document(id=p.stem, text=p.read_text(encoding="utf-8"), outlet=p.stem)
             for p in sorted(EN.glob("*.txt"))[:4]]
    report = scan(docs, Config())
    (pair,) = [p for p in report.pairs if {p.a, p.b} == {"dpa", "lokal"}]
    assert pair.derived and pair.decided_by == "verbatim_passage"
    (m,) = pair.matches
    span = m.a if m.a.document == "lokal" else m.b
    assert span.text.startswith("Das Kabinett beschloss am Mittwoch")
    assert span.text.endswith("auf eine Genehmigung.")
    assert local[span.start:span.end] == span.text
    assert not [p for p in report.pairs if p.derived and "dpa" in (p.a, p.b)
                and "lokal" not in (p.a, p.b)]


def test_language_counts_by_bit_pattern_equal_one_count_per_language(monkeypatch) -> None:
    # Counting tokens per (document, set of languages) and spreading the sets over
    # their languages must give the per-language counts exactly, in blocks too.
    import numpy as np

    import syndetect.table as table_module

    rng = np.random.default_rng(7)
    for cells in (1 << 22, 7):
        monkeypatch.setattr(table_module, "_LANGUAGE_CELLS", cells)
        for _ in range(30):
            n_docs, n_langs = int(rng.integers(1, 40)), int(rng.integers(1, 60))
            doc = np.repeat(np.arange(n_docs), rng.integers(0, 25, n_docs))
            bits = rng.integers(0, 1 << min(n_langs, 62), len(doc), dtype=np.int64)
            bits[rng.random(len(doc)) < 0.5] = 0  # most tokens are no function word
            expected = np.stack([np.bincount(doc, weights=(bits >> li) & 1, minlength=n_docs)
                                 for li in range(n_langs)], axis=1)
            got = table_module._language_counts(doc, bits, n_docs, n_langs)
            assert got.shape == expected.shape and (got == expected).all()
