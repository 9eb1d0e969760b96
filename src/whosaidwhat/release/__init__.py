"""Versioned releases of the corpus as Hugging Face datasets (Parquet, card, Croissant, checksums).

Modules, one job each: `features` (columns, keys and references of each config), `rows`
(document <-> rows), `flat` (the flat configs with Arrow compute), `parquet` (shard writer),
`summary` (statistics and facts per document), `sources` (the published sources documents come
from, and their citations), `facts` (agreement of the annotation passes, baseline results),
`metadata` (corpus/dataset.json), `card`, `croissant`, `datasheet` and `markdown` (generated
documents), `checksums`, `corpus` (reading a corpus), `study` (the disagreement configs: the
independent annotations, the adjudication decisions and the corrections), `target` (the output
folder: overlap check, lock, crash-safe install), `build`, `verify`, `rehydrate`, `read` (a
release back as documents), `synthetic` (generated documents for tests and benchmarks).
"""

from __future__ import annotations

__all__ = ["build_release", "verify_release", "rehydrate_release", "datasheet_for_corpus", "iter_release_documents"]


def __getattr__(name: str):
    """Import the entry points lazily, so `import whosaidwhat.release.rows` stays light."""
    if name == "build_release":
        from .build import build_release
        return build_release
    if name == "verify_release":
        from .verify import verify_release
        return verify_release
    if name == "rehydrate_release":
        from .rehydrate import rehydrate_release
        return rehydrate_release
    if name == "datasheet_for_corpus":
        from .datasheet import datasheet_for_corpus
        return datasheet_for_corpus
    if name == "iter_release_documents":
        from .read import iter_release_documents
        return iter_release_documents
    raise AttributeError(name)
