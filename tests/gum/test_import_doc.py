"""annotation/GUM_IMPORT.md shows the importer's own counts, so the documentation cannot drift."""

import json
import re

from whosaidwhat.importers.gum import convert_record, summary_table
from whosaidwhat.importers.gum_overrides import load_data

from ..conftest import REPO

DOC = REPO / "annotation" / "GUM_IMPORT.md"
BLOCK = re.compile(r"<!-- gum-import-counts:start -->\n(.*?)<!-- gum-import-counts:end -->", re.S)


def current_summary() -> str:
    data = load_data(REPO / "annotation" / "gum", "annotation/gum")
    results = [convert_record(json.loads(p.read_text(encoding="utf-8")), data)
               for p in sorted((REPO / "corpus" / "raw" / "gum_news").glob("GUM_*.json"))]
    return summary_table([d for d, _ in results], [r for _, r in results])


def test_the_counts_in_gum_import_md_are_the_importers_counts():
    block = BLOCK.search(DOC.read_text(encoding="utf-8"))
    assert block, "GUM_IMPORT.md lacks the gum-import-counts block"
    assert block.group(1) == current_summary(), (
        "GUM_IMPORT.md is out of date: paste the output of `wsw import gum corpus/raw/gum_news --check --summary`")
