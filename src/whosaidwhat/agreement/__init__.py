"""Inter-annotator agreement: independent annotations compared item by item, with chance correction and intervals.

`report.measure` is the multi-annotator computation behind `wsw agreement`; `scores.compare_annotations`
compares two annotations with the scorer itself (annotator A as gold, B as a system).
"""

from .report import measure
from .scores import Agreement, compare_annotations, format_table

__all__ = ["Agreement", "compare_annotations", "format_table", "measure"]
