"""Scorer settings: every choice that changes a number, recorded with every result."""

from __future__ import annotations

from dataclasses import asdict, dataclass

#: Version of the metric definitions (eval/METRICS.md). Bump the major when a number can change.
METRICS_VERSION = "2.0"

DEFAULT_SEED = 12345


@dataclass(frozen=True)
class ScoreSettings:
    """How to score; the defaults are the benchmark's official settings."""

    split: str = "test"
    #: mention kinds scored by the entity track; ("name",) is NER-style
    mention_kinds: tuple[str, ...] = ("name",)
    #: minimum overlap ratio |g ∩ p| / |g ∪ p| for entity, cue and source matching; 0 = any shared code point
    entity_overlap: float = 0.0
    #: minimum overlap ratio of quote and claim contents for a match
    span_overlap: float = 0.5
    resamples: int = 1000
    seed: int = DEFAULT_SEED
    confidence: float = 0.95

    def __post_init__(self):
        if not 0.0 <= self.entity_overlap <= 1.0:
            raise ValueError(f"entity_overlap must be in [0, 1], got {self.entity_overlap}")
        if not 0.0 <= self.span_overlap <= 1.0:
            raise ValueError(f"span_overlap must be in [0, 1], got {self.span_overlap}")
        if not 0.0 < self.confidence < 1.0:
            raise ValueError(f"confidence must be in (0, 1), got {self.confidence}")
        if self.resamples < 0:
            raise ValueError(f"resamples must be >= 0, got {self.resamples}")
        if not self.mention_kinds:
            raise ValueError("mention_kinds must name at least one kind")

    def as_dict(self) -> dict:
        record = asdict(self)
        record["mention_kinds"] = list(self.mention_kinds)
        record["metrics_version"] = METRICS_VERSION
        record["overlap_measure"] = "|gold ∩ pred| / |gold ∪ pred| in code points (IoU); 0 means any shared code point"
        record["interval"] = "percentile, document-level bootstrap, numpy PCG64"
        return record
