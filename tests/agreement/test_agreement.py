"""`wsw agreement`: independent annotations compared item by item, chance-corrected, with intervals."""

from __future__ import annotations

import json
import random

import krippendorff
import numpy as np
import pytest

from whosaidwhat.agreement import measure
from whosaidwhat.agreement.chance import cohen_kappa, krippendorff_alpha_nominal
from whosaidwhat.agreement.independence import dependence
from whosaidwhat.core.problems import ProblemError
from whosaidwhat.validation import ERROR, validate_document

from .helpers import annotation, disagreeing_pair, write


def test_the_fixture_documents_are_valid():
    for doc in (*disagreeing_pair(), annotation("x")):
        assert [p.line() for p in validate_document(doc) if p.level == ERROR] == []


def test_identical_independent_annotations_agree_one_everywhere():
    result = measure({"A": {"d": annotation("ann-a")}, "B": {"d": annotation("ann-b")}}, resamples=0)
    figures = result["pairs"][0]["figures"]
    assert all(f["value"] == 1.0 for name, f in figures.items() if "F1" in name)
    # kappa is 1 where labels vary, and undefined (None) where every item has the same label (p_e = 1)
    assert {name: f["value"] for name, f in figures.items() if "kappa" in name} == {
        "entity type: Cohen's kappa": 1.0, "quote type: Cohen's kappa": 1.0, "speaker: Cohen's kappa": 1.0,
        "check-worthiness: Cohen's kappa": None, "claimant: Cohen's kappa": 1.0}
    assert all(record["value"] in (1.0, None) for record in result["alpha"].values())


def test_each_disagreement_lowers_the_figure_of_its_layer():
    a, b = disagreeing_pair()
    figures = measure({"A": {"d": a}, "B": {"d": b}}, resamples=0)["pairs"][0]["figures"]
    assert figures["quote content: exact F1"]["value"] == pytest.approx(2 * 1 / 4)       # q1 boundary differs
    assert figures["quote content: overlap F1 (IoU >= 0.5)"]["value"] == 1.0
    assert figures["quotes: attributed F1 (overlap, same speaker)"]["value"] == pytest.approx(2 * 1 / 4)
    assert figures["claims: overlap F1 (IoU >= 0.5)"]["value"] == pytest.approx(2 * 2 / 5)  # c3 missed by B
    assert figures["names: strict F1 (span and type)"]["value"] == 1.0                     # the union is nominal
    assert figures["all mentions: strict F1"]["value"] == pytest.approx(2 * 5 / 12)


def test_a_shared_producer_or_having_seen_the_other_annotation_is_not_independent():
    a, b = annotation("ann-a"), annotation("ann-a")
    assert "shared producer ann-a" in dependence(a, b)
    b = annotation("ann-b")
    b["provenance"]["layers"]["mentions"]["producers"][0]["shown"] = ["text", "pre-annotation: ann-a's draft"]
    assert "shown" in dependence(a, b)
    with pytest.raises(ProblemError) as caught:
        measure({"A": {"d": a}, "B": {"d": b}}, resamples=0)
    assert caught.value.rules == ["AGREE-NOTHING-SHARED"] and "d (" in caught.value.problems[0].message


def test_annotations_of_different_texts_are_refused_naming_the_document():
    a, b = annotation("ann-a"), annotation("ann-b")
    b["text_sha256"] = "0" * 64
    with pytest.raises(ProblemError) as caught:
        measure({"A": {"d": a}, "B": {"d": b}}, resamples=0)
    problem = caught.value.problems[0]
    assert (problem.rule, problem.doc_id, problem.path, problem.found) == ("AGREE-TEXT-DIFFERS", "d", "$.text_sha256", "0" * 64)
    assert caught.value.exit_code == 1


def test_intervals_come_from_resampling_documents_and_bracket_the_value():
    docs_a, docs_b = {}, {}
    for i in range(6):
        a, b = disagreeing_pair() if i % 2 else (annotation("ann-a"), annotation("ann-b"))
        docs_a[f"d{i}"], docs_b[f"d{i}"] = a, b
    figure = measure({"A": docs_a, "B": docs_b}, resamples=300)["pairs"][0]["figures"]["claims: overlap F1 (IoU >= 0.5)"]
    assert figure["ci_low"] < figure["value"] < figure["ci_high"]


@pytest.mark.parametrize("seed", range(12))
def test_alpha_equals_the_krippendorff_package_on_random_data(seed):
    rng = random.Random(seed)
    coders, units = rng.randint(2, 4), rng.randint(5, 40)
    labels = ["x", "y", "z"][: rng.randint(2, 3)]
    data = [[rng.choice(labels + [None]) for _ in range(units)] for _ in range(coders)]
    codes = {label: i for i, label in enumerate(labels)}
    reference = np.array([[np.nan if v is None else codes[v] for v in row] for row in data], dtype=float)
    expected = krippendorff.alpha(reliability_data=reference, level_of_measurement="nominal")
    ours = krippendorff_alpha_nominal([[row[u] for row in data] for u in range(units)])
    if np.isnan(expected):  # undefined (a single label value): both say so
        assert ours is None
    else:
        assert ours == pytest.approx(expected, abs=1e-9)


def test_kappa_on_a_textbook_table():
    # 2x2 table a=20 b=5 c=10 d=15 (Cohen 1960 style): p_o = 0.7, p_e = 0.5, kappa = 0.4
    pairs = [(1, 1)] * 20 + [(1, 0)] * 5 + [(0, 1)] * 10 + [(0, 0)] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([]) is None and cohen_kappa([(1, 1), (1, 1)]) is None


def test_the_cli_prints_every_pair_with_intervals_and_json(tmp_path, wsw):
    a, b = disagreeing_pair()
    write(tmp_path / "A", a)
    write(tmp_path / "B", b)
    table = wsw("agreement", tmp_path / "A", tmp_path / "B", "--resamples", "50")
    assert table.returncode == 0, table.stderr
    assert "check-worthiness: Cohen's kappa" in table.stdout and "Krippendorff" in table.stdout
    result = json.loads(wsw("agreement", tmp_path / "A", tmp_path / "B", "--format", "json", "--resamples", "0").stdout)
    assert result["pairs"][0]["documents"] == ["ford-jobs"]


def test_a_missing_folder_is_one_usage_line(tmp_path, wsw):
    result = wsw("agreement", tmp_path / "nope", tmp_path / "nope2")
    assert result.returncode == 2 and "not a folder" in result.stderr and "Traceback" not in result.stderr


def test_unitizing_alpha_on_a_hand_worked_example():
    """Ten code points; A marks [0,4), B marks [0,6). Worked by hand from the |cu-alpha definition (METRICS.md 8):
    coincidences uu=8, gg=8, ug=gu=2 (total 20); own weights u=4^2+6^2=52, g=6+4=10; expected agreement
    20*((10*10-52)+(10*10-10))/(400-62) = 1380/169; alpha = 1 - 4/(20-1380/169) = 1 - 676/2000 = 0.662."""
    from whosaidwhat.agreement.unitizing import segmentation, unitizing_alpha

    a, b = segmentation([(0, 4)], 10), segmentation([(0, 6)], 10)
    assert unitizing_alpha({"A": a, "B": b}) == pytest.approx(0.662, abs=1e-12)
    assert unitizing_alpha({"A": a, "B": segmentation([(0, 4)], 10)}) == pytest.approx(1.0)
    assert segmentation([(2, 5), (4, 8)], 10) == [("", 0, 2), ("span", 2, 8), ("", 8, 10)]


def test_unitizing_alpha_is_reported_per_layer_with_an_interval():
    docs_a, docs_b = {}, {}
    for i in range(5):
        a, b = disagreeing_pair() if i % 2 else (annotation("ann-a"), annotation("ann-b"))
        docs_a[f"d{i}"], docs_b[f"d{i}"] = a, b
    figures = measure({"A": docs_a, "B": docs_b}, resamples=200)["pairs"][0]["figures"]
    quote = figures["quote content: unitizing alpha (code points)"]
    assert quote["ci_low"] <= quote["value"] < 1.0 and figures["names: unitizing alpha (code points)"]["value"] == 1.0


def test_the_report_leaves_out_folders_with_no_document_in_common_and_names_differing_guidelines():
    from whosaidwhat.agreement.tables import format_report

    def under(doc: dict, version: str, doc_id: str) -> dict:
        doc = json.loads(json.dumps(doc))
        doc["id"] = doc_id
        for layer in doc["provenance"]["layers"].values():
            layer["guidelines_version"] = version
        return doc

    folders = {"A": {"d": under(annotation("ann-a"), "1.1", "d"), "e": under(annotation("ann-a"), "1.1", "e")},
               "B": {"d": under(annotation("ann-b"), "1.1", "d")},
               "C": {"e": under(annotation("ann-c"), "1.4", "e")}}
    result = measure(folders, resamples=0)
    assert result["guidelines"] == {"A": ["1.1"], "B": ["1.1"], "C": ["1.4"]}
    heads = [line for line in format_report(result, markdown=True).splitlines() if " vs " in line]
    assert [h.split(":")[0] for h in heads] == ["A vs B", "A vs C"]  # B and C share no document
    assert "guidelines" not in heads[0] and "guidelines 1.1 and 1.4" in heads[1]
