"""The Spark engine: ``scan`` on a cluster, with the same answer.

``scan_spark(spark, documents_df | paths, config)`` runs the stage functions
``scan`` runs (segmentation, boilerplate, candidate grains, verification, pair
decisions, clusters and provenance), distributed over a ``SparkSession``, and
returns a ``SparkReport``: the same ``Report`` as ``scan`` (its JSON is equal
apart from timings) and Parquet-ready tables. Needs the ``spark`` extra
(``pip install 'syndetect[spark]'``) and a Java 17+ runtime; see ``docs/spark.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

INSTALL_HINT = "pip install 'syndetect[spark]'"

if TYPE_CHECKING:
    from .engine import SparkReport


def require_pyspark() -> Any:
    """The ``pyspark`` module, or a ``SyndetectError`` naming the install command."""
    from ..errors import SyndetectError

    try:
        import pyspark
    except ImportError as exc:
        raise SyndetectError(
            f"the Spark engine needs PySpark 4 and a Java 17+ runtime; install it with "
            f"{INSTALL_HINT} (and a JRE, e.g. apt-get install openjdk-17-jre-headless)"
        ) from exc
    return pyspark


def scan_spark(*args: Any, **kwargs: Any) -> SparkReport:
    """See ``syndetect.spark.engine.scan_spark``."""
    require_pyspark()
    from .engine import scan_spark as run

    return run(*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name in ("SparkReport", "session"):
        require_pyspark()
        from . import engine

        return getattr(engine, name)
    raise AttributeError(name)


__all__ = ["INSTALL_HINT", "SparkReport", "require_pyspark", "scan_spark", "session"]
