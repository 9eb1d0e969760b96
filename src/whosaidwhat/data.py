"""The corpus and its releases as the data structures researchers work with.

    >>> import whosaidwhat
    >>> quotes = whosaidwhat.load("releases/whosaidwhat-1.0.0", "quotes")   # datasets.DatasetDict, checked first
    >>> counts = whosaidwhat.counts("releases/whosaidwhat-1.0.0")           # pandas.DataFrame, one row per document

`load` reads a release's Parquet files as listed in its release.json, with the `datasets` Features
of the config, after checking the folder (checksums, schemas, row counts and card; `verify=False`
skips that). `counts` gives the per-document numbers `wsw stats` adds up, for a release or a corpus
folder, as a pandas DataFrame. `datasets` and `pandas` are imported only when these are called.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from .core.problems import Problem, ProblemError, fail


def load(path: str | Path, config: str = "documents", split: str | None = None, *, verify: bool = True,
         cache_dir: str | Path | None = None):
    """A config of a release folder as a `datasets.DatasetDict` of its splits (a `datasets.Dataset` with `split`).

    Raises ProblemError when the folder does not verify (`verify=False` skips the check) or the config or
    split does not exist. Nothing is fetched from the network: the files are the release's own.
    """
    from .release.features import CONFIGS, SPLITS, features
    from .release.manifest import load_manifest
    from .release.verify import verify_release

    root = Path(path)
    if config not in CONFIGS:
        fail("DATA-UNKNOWN", "unknown config", found=repr(config), expected=f"one of {', '.join(CONFIGS)}")
    _check_split(split, SPLITS)
    if verify:
        problems = verify_release(root, deep=False)
        if problems:
            _not_verified(root, problems)
    manifest, problems = load_manifest(root)
    if manifest is None:
        _not_verified(root, problems)
    if config not in manifest["configs"]:
        fail("DATA-UNKNOWN", f"this release (format {manifest.get('format_version')}) has no such config",
             file=str(root), found=repr(config), expected=f"one of {', '.join(manifest['configs'])}")
    import datasets

    files = {name: [str(root / item["path"]) for item in manifest["configs"][config][name]["files"]]
             for name in ([split] if split else SPLITS)}
    loaded = datasets.load_dataset("parquet", data_files=files, features=features(config),
                                   cache_dir=None if cache_dir is None else str(cache_dir))
    return loaded[split] if split else loaded


def _check_split(split: str | None, splits) -> None:
    if split is not None and split not in splits:
        fail("DATA-UNKNOWN", "unknown split", found=repr(split), expected=f"one of {', '.join(splits)}")


def _not_verified(root: Path, problems: list) -> NoReturn:
    """Stop: the release's own problems (Problems, or lines of text) as DATA-NOT-VERIFIED."""
    lines = [p.line() if isinstance(p, Problem) else str(p) for p in problems]
    raise ProblemError([Problem("DATA-NOT-VERIFIED", f"the release does not verify, so it is not loaded (`wsw release "
                                f"--verify {root}` lists every problem; pass verify=False to load it anyway)",
                                file=str(root), found=lines[0] if lines else None, extra={"problems": problems})],
                       total=max(1, len(problems)))


def _documents(root: Path, split: str | None):
    """(split name, document) of a release or corpus folder."""
    from .stats import iter_corpus_documents, load_splits

    if (root / "release.json").is_file():
        from .release.features import SPLITS
        from .release.read import iter_release_documents

        _check_split(split, SPLITS)
        return ((name, doc) for name in ([split] if split else SPLITS) for doc in iter_release_documents(root, name))
    if (root / "documents").is_dir():
        owner = load_splits(root)
        pairs = ((owner.get(doc["id"], "unassigned"), doc) for doc in iter_corpus_documents(root))
        return pairs if split is None else ((name, doc) for name, doc in pairs if name == split)
    fail("DATA-NOT-RELEASE", "neither a release folder (release.json) nor a corpus folder (documents/)", file=str(root))


def _frame(rows: list[dict]):
    import pandas as pd

    from .stats import _stat_keys

    keys = [k for k in _stat_keys() if k != "documents"]
    frame = pd.DataFrame(rows, columns=["doc_id", "split", "title"] + keys)
    extra = sorted({k for row in rows for k in row} - set(frame.columns) - {"documents"})
    if extra:
        frame = pd.concat([frame, pd.DataFrame(rows, columns=extra)], axis=1)
    numeric = [c for c in frame.columns if c not in ("doc_id", "split", "title")]
    withheld = frame["tokens"].isna() if len(frame) else frame["tokens"]
    frame[numeric] = frame[numeric].fillna(0).astype("int64")
    for column in ("tokens", "characters"):
        frame[column] = frame[column].astype("Int64").mask(withheld)
    return frame


def counts(path: str | Path, split: str | None = None):
    """Per-document counts (the numbers `wsw stats` adds up) as a `pandas.DataFrame`, one row per document.

    `path` is a release folder (release.json) or a corpus folder (documents/ and splits.json). Columns:
    `doc_id`, `split`, `title`, then every count (`tokens`, `mentions`, `mentions.type.PER`, `quotes`,
    `claims.check_worthy`, ...; 0 where a document has none). Withheld texts have no token count (NA).
    """
    from .stats import document_counts

    rows = []
    for name, doc in _documents(Path(path), split):
        row = {"doc_id": doc["id"], "split": name, "title": (doc.get("metadata") or {}).get("title")}
        row.update(document_counts(doc))
        if doc.get("text") is None:
            row["tokens"] = row["characters"] = None
        rows.append(row)
    return _frame(rows)
