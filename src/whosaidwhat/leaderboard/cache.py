"""Scores cached by what they depend on, so a rebuild scores only what changed.

A score depends on the submission's bytes, the gold data, the scorer and its settings, and on
nothing else (not on the card, the folder name or the other systems). The cache key is the
SHA-256 of exactly those: the submission's SHA-256, the gold content checksum and split, the
scorer, metrics and label-inventory versions, and the settings (thresholds, mention kinds,
resamples, seed, confidence). One entry is a folder holding `result.json` (the `wsw score
--format json` result), `counts.parquet` (its per-document counts, which the paired tests need)
and `mistakes.json`; or `refused.json` for a submission that failed the checks, so a bad
submission is not re-checked either. The paired tests between two systems depend on the two
scores' keys and the metric only, so they are cached too (`pairs/<key>.json`): a rebuild with
nothing new runs no test either. Entries are written to a temporary folder and renamed into
place, so an interrupted build never leaves half an entry; an unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..core.atomic import write_text
from ..scoring.counts import CountTable
from ..scoring.settings import METRICS_VERSION, ScoreSettings

CACHE_FORMAT = 1


def cache_key(submission_sha256: str, gold_sha256: str, split: str, settings: ScoreSettings,
              inventory_version: str) -> str:
    """The key of one score: SHA-256 over everything the numbers depend on."""
    material = {"cache_format": CACHE_FORMAT, "submission_sha256": submission_sha256,
                "gold_content_sha256": gold_sha256, "split": split, "scorer_version": __version__,
                "metrics_version": METRICS_VERSION, "inventory_version": inventory_version,
                "settings": settings.as_dict()}
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass
class Cached:
    """A cache entry: a score (result, counts, mistakes) or a refusal (problem lines)."""

    result: dict | None = None
    counts: CountTable | None = None
    mistakes: dict | None = None
    refused: list[str] | None = None


class ScoreCache:
    """Folder `root/<key>/` per entry; `root` is created on first write."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _folder(self, key: str) -> Path:
        return self.root / key

    def load(self, key: str) -> Cached | None:
        folder = self._folder(key)
        try:
            if (folder / "refused.json").is_file():
                lines = json.loads((folder / "refused.json").read_text(encoding="utf-8"))["problems"]
                if isinstance(lines, list) and all(isinstance(x, str) for x in lines):
                    return Cached(refused=lines)
                return None
            if not (folder / "result.json").is_file():
                return None
            result = json.loads((folder / "result.json").read_text(encoding="utf-8"))
            mistakes = json.loads((folder / "mistakes.json").read_text(encoding="utf-8"))
            counts = CountTable.read_parquet(folder / "counts.parquet")
        except (OSError, ValueError, KeyError, TypeError):
            return None  # damaged or partial: score again
        except Exception:  # noqa: BLE001 - pyarrow raises several types for a damaged Parquet file
            return None
        return Cached(result, counts, mistakes)

    def _store(self, key: str, files: dict[str, object]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key[:12]}.", dir=self.root))
        try:
            for name, content in files.items():
                if isinstance(content, CountTable):
                    content.write_parquet(tmp / name)
                else:
                    write_text(tmp / name, json.dumps(content, ensure_ascii=False) + "\n")
            target = self._folder(key)
            if target.exists():
                shutil.rmtree(target)
            os.replace(tmp, target)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    def store(self, key: str, result: dict, counts: CountTable, mistakes: dict) -> None:
        self._store(key, {"result.json": result, "counts.parquet": counts, "mistakes.json": mistakes})

    def store_refusal(self, key: str, problems: list[str]) -> None:
        self._store(key, {"refused.json": {"problems": problems}})

    @staticmethod
    def pair_key(key_a: str, key_b: str, metric: str) -> str:
        """Key of the paired tests of system A (score key) against system B on one metric."""
        return hashlib.sha256(f"{CACHE_FORMAT}|{key_a}|{key_b}|{metric}".encode()).hexdigest()

    def load_pair(self, key: str) -> dict | None:
        try:
            value = json.loads((self.root / "pairs" / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def store_pair(self, key: str, tests: dict) -> None:
        write_text(self.root / "pairs" / f"{key}.json", json.dumps(tests) + "\n")
