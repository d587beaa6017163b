"""The public names of ``syndetect`` are pinned: adding or dropping one is a decision."""

from __future__ import annotations

import inspect

import syndetect

PUBLIC = {
    # configuration
    "Config", "SegmentConfig", "BoilerplateConfig", "MinHashConfig", "CandidateConfig",
    "AlignConfig", "DecisionConfig", "ClusterConfig", "ProvenanceConfig",
    # data
    "Document", "Segment", "Span", "Match", "PairDecision", "Member", "Cluster", "Boilerplate",
    "DocumentSummary", "Report",
    # functions
    "scan", "load_documents", "to_dict", "to_json", "from_dict",
    # the streaming index
    "Index",
    # errors
    "SyndetectError", "ConfigError", "InputError", "IndexFormatError", "MissingExtraError",
    "BackendError",
    # constants
    "SCHEMA_VERSION", "__version__",
}


def test_all_is_pinned() -> None:
    assert sorted(syndetect.__all__) == sorted(PUBLIC)
    assert len(syndetect.__all__) == len(set(syndetect.__all__))


def test_every_public_name_resolves_and_is_documented() -> None:
    for name in syndetect.__all__:
        obj = getattr(syndetect, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"
            assert obj.__module__.startswith("syndetect."), name


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from syndetect import *", namespace)  # noqa: S102
    assert set(namespace) - {"__builtins__"} == PUBLIC


def test_load_documents_is_the_loader() -> None:
    from syndetect.load import load_documents

    assert syndetect.load_documents is load_documents
    assert list(inspect.signature(load_documents).parameters)[:2] == ["paths", "as_of"]
    assert inspect.signature(load_documents).parameters["as_of"].kind is (
        inspect.Parameter.KEYWORD_ONLY
    )


def test_errors_form_one_tree() -> None:
    for name in ("ConfigError", "InputError", "IndexFormatError", "MissingExtraError",
                 "BackendError"):
        assert issubclass(getattr(syndetect, name), syndetect.SyndetectError)
    assert issubclass(syndetect.ConfigError, ValueError)
    assert issubclass(syndetect.MissingExtraError, ImportError)


def test_version_matches_package_metadata() -> None:
    from importlib.metadata import version

    assert syndetect.__version__ == version("syndetect")


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        syndetect.no_such_name  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("syndetect.no_such_name should not exist")


def test_index_opens_from_the_package_root(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from syndetect.index import Index

    assert syndetect.Index is Index
    with syndetect.Index.open(tmp_path / "news.db") as index:
        index.add(syndetect.Document(id="a", text="The harbour reopened on Monday after repairs."))
        assert index.ids() == ["a"]
