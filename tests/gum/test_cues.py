"""Which attributions are quotes: the speech-verb list, the non-speech list, and a verb in neither."""

import re

from whosaidwhat.core.rules.importing import RULES as IMPORT_TABLE
from whosaidwhat.importers.gum import convert_record, summary_table
from whosaidwhat.importers.gum_overrides import empty_data
from whosaidwhat.importers.gum_quotes import ATTRIBUTION_RULES, NON_SPEECH_VERBS, SPEECH_VERBS, TURN_RULES

from ..conftest import REPO
from .gumrec import A, M, record

DOC = REPO / "annotation" / "GUM_IMPORT.md"


def convert(verb):
    rec = record(f"Title\n\nJohn Key {verb} the flag would change.", [M("John Key", "person", "e1")],
                 [A("the flag would change.", f"John Key {verb}", source="John Key", cue=verb)])
    return convert_record(rec, empty_data())


def test_a_speech_verb_the_news_documents_never_used_is_a_cue():
    doc, _ = convert("remarked")
    assert [(q["cue"]["text"], q["type"]) for q in doc["quotes"]] == [("remarked", "indirect")]


def test_a_verb_in_neither_list_drops_the_attribution_with_a_warning_naming_it():
    doc, report = convert("squawked")
    assert doc["quotes"] == []
    assert report.counts["attributions:drop:unknown-predicate"] == 1
    [warning] = report.problems
    assert (warning.rule, warning.level, warning.path, warning.found) == (
        "GUM-CUE-UNKNOWN", "warning", "attributions.a1.cue", "'squawked'")
    assert "| attributions:drop:unknown-predicate | 1 |" in summary_table([doc], [report])


def test_a_finding_is_not_a_quote():
    doc, report = convert("calculated")
    assert doc["quotes"] == [] and report.counts["attributions:drop:non-speech-predicate"] == 1


def test_the_summary_lists_every_rule_also_when_it_dropped_nothing():
    doc, report = convert("said")
    table = summary_table([doc], [report])
    for rule in ATTRIBUTION_RULES:
        assert f"| attributions:{rule} |" in table
    for rule in TURN_RULES:
        assert f"| turns:{rule} |" in table


def _block(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.DOTALL)
    assert match, f"GUM_IMPORT.md lacks the {name} block"
    return match.group(1)


def test_gum_import_md_lists_the_speech_and_non_speech_verbs_the_importer_uses():
    for name, table in (("gum-speech-verbs", SPEECH_VERBS), ("gum-non-speech-verbs", NON_SPEECH_VERBS)):
        listed = dict(re.findall(r"^\s*\| `([^`]+)` \| ([^|]+) \|$", _block(name), re.MULTILINE))
        assert {k: v.strip() for k, v in listed.items()} == table, f"GUM_IMPORT.md block {name} is out of date"


def test_gum_import_md_documents_every_rule_and_problem_id():
    text = DOC.read_text(encoding="utf-8")
    for key in list(ATTRIBUTION_RULES) + [f"turns:{k}" for k in TURN_RULES] + [rule.id for rule in IMPORT_TABLE]:
        assert f"`{key}`" in text, f"GUM_IMPORT.md does not document {key}"
