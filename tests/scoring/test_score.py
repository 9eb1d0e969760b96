"""`wsw score` end to end: perfect and empty systems, gold from a corpus or a release, traceability."""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from whosaidwhat.cli import main
from whosaidwhat.scoring import CountTable, ScoreSettings, score_submission, submission_line, synthetic
from whosaidwhat.scoring.metrics import HEADLINE

from .helpers import load_fixture, write_corpus, write_jsonl

GOLD = load_fixture()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """40 synthetic documents and the mini-unicode fixture in test; a few in train."""
    root = tmp_path_factory.mktemp("corpus")
    docs = [doc for doc, _ in synthetic.corpus(3, 40)] + [GOLD]
    train = [doc for doc, _ in synthetic.corpus(4, 3, prefix="train")]
    return write_corpus(root, docs, others={"train": train}), docs


def all_values(result: dict):
    """Every {value, ci_low, ci_high} record of a result."""
    def walk(node):
        if isinstance(node, dict):
            if set(node) == {"value", "ci_low", "ci_high"}:
                yield node
            else:
                for child in node.values():
                    yield from walk(child)
    yield from walk({k: result[k] for k in ("headline", "entities", "quotes", "claims")})


def test_gold_against_itself_is_perfect_with_zero_width_intervals(corpus, tmp_path, capsys):
    root, docs = corpus
    pred = write_jsonl(tmp_path / "self.jsonl", [submission_line(d) for d in docs])
    out = tmp_path / "result.json"
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--format", "json", "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(out.read_text())
    values = list(all_values(printed))
    assert len(values) > 100
    for v in values:
        if v["value"] is not None:
            assert v["value"] == 1.0 and v["ci_low"] == v["ci_high"] == 1.0, v
    assert all(printed["headline"][name]["value"] == 1.0 for name in HEADLINE)
    assert printed["entities"]["schemes"]["strict"]["MIS"] == printed["entities"]["schemes"]["strict"]["SPU"] == 0


def test_an_empty_submission_has_zero_recall_and_is_reported_as_empty(corpus, tmp_path, capsys):
    root, _ = corpus
    pred = tmp_path / "empty.jsonl"
    pred.write_text("")
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--format", "json", "--resamples", "200",
                 "--allow-empty"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["submission"]["empty"] is True
    assert result["submission"]["missing_documents"] == 41
    assert any("empty" in note for note in result["notes"])
    for scheme in result["entities"]["schemes"].values():
        assert scheme["recall"]["value"] == 0.0 and scheme["f1"]["value"] == 0.0
        assert scheme["precision"]["value"] is None  # nothing predicted: undefined, not 0
    for name in HEADLINE:
        assert result["headline"][name]["value"] == 0.0
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "0", "--allow-empty"]) == 0
    assert "the submission is empty" in capsys.readouterr().out


def test_an_empty_submission_is_refused_without_allow_empty_and_never_overwrites_out(corpus, tmp_path, capsys):
    root, docs = corpus
    out = tmp_path / "result.json"
    full = write_jsonl(tmp_path / "full.jsonl", [submission_line(d) for d in docs])
    assert main(["score", "--gold", str(root), "--pred", str(full), "--resamples", "0", "--out", str(out)]) == 0
    before = out.read_bytes()
    capsys.readouterr()
    for lines in ([], [submission_line(doc) for doc, _ in synthetic.corpus(4, 3, prefix="train")]):  # none of the split
        pred = write_jsonl(tmp_path / "empty.jsonl", lines)
        assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "0", "--out", str(out)]) == 1
        out_text, err = capsys.readouterr()
        assert out_text == "" and err.startswith(f"wsw: error: {pred}: [SUB-EMPTY] ") and err.count("\n") == 1, err
        assert out.read_bytes() == before


def test_the_result_records_scorer_gold_settings_and_submission(corpus, tmp_path):
    root, docs = corpus
    pred = write_jsonl(tmp_path / "sys.jsonl", [line for _, line in synthetic.corpus(3, 40)])
    settings = ScoreSettings(resamples=100, seed=7, span_overlap=0.4, mention_kinds=("name", "nominal"))
    result = score_submission(root, pred, settings)
    assert result["scorer"]["name"] == "whosaidwhat" and result["scorer"]["metrics_version"] == "2.0"
    assert result["gold"]["kind"] == "corpus" and result["gold"]["version"] == "9.9.9"
    assert result["gold"]["splits_version"] == "splits-1" and result["gold"]["documents"] == 41
    assert len(result["gold"]["content_sha256"]) == 64
    assert result["submission"]["sha256"] == hashlib.sha256(pred.read_bytes()).hexdigest()
    assert result["submission"]["missing_documents"] == 1  # the fixture has no line
    s = result["settings"]
    assert (s["resamples"], s["seed"], s["span_overlap"], s["entity_overlap"]) == (100, 7, 0.4, 0.0)
    assert s["mention_kinds"] == ["name", "nominal"] and s["confidence"] == 0.95
    again = score_submission(root, pred, settings)
    assert again == result  # same inputs and seed, same numbers


def test_intervals_bracket_the_estimate_and_shrink_with_confidence(corpus, tmp_path):
    root, _ = corpus
    pred = write_jsonl(tmp_path / "sys.jsonl", [line for _, line in synthetic.corpus(3, 40)])
    wide = score_submission(root, pred, ScoreSettings(resamples=300, confidence=0.99))
    narrow = score_submission(root, pred, ScoreSettings(resamples=300, confidence=0.5))
    for name in HEADLINE:
        w, n = wide["headline"][name], narrow["headline"][name]
        assert w["ci_low"] <= n["ci_low"] <= n["value"] <= n["ci_high"] <= w["ci_high"]
        assert w["ci_low"] < w["ci_high"]


def write_release(root, docs, withhold: set, version: str = "0.1.0"):
    """A release folder in the layout of `wsw release`: data/documents/<split>-00000-of-00001.parquet."""
    rows = []
    for doc in docs:
        row = copy.deepcopy(doc)
        if doc["id"] in withhold:
            row["text"] = None
            for m in row["mentions"]:
                m["text"] = None
            for item in row["quotes"] + row["claims"]:
                for f in item["fragments"]:
                    f["text"] = None
                if item.get("cue"):
                    item["cue"]["text"] = None
        rows.append({k: row[k] for k in ("id", "text", "text_sha256", "metadata", "provenance", "entities", "mentions",
                                         "quotes", "claims")})
    folder = root / "data" / "documents"
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows), folder / "test-00000-of-00001.parquet")
    pq.write_table(pa.Table.from_pylist(rows[:0], schema=pa.Table.from_pylist(rows).schema),
                   folder / "train-00000-of-00001.parquet")
    (root / "release.json").write_text(json.dumps({"version": version, "corpus": {"splits_version": "splits-1"}}))
    return root


def test_a_release_with_withheld_texts_scores_like_the_corpus(corpus, tmp_path):
    root, docs = corpus
    release = write_release(tmp_path / "release", docs, withhold={GOLD["id"], docs[0]["id"]})
    pred = write_jsonl(tmp_path / "sys.jsonl", [line for _, line in synthetic.corpus(3, 40)] + [submission_line(GOLD)])
    settings = ScoreSettings(resamples=100)
    from_corpus = score_submission(root, pred, settings)
    from_release = score_submission(release, pred, settings)
    for key in ("headline", "entities", "quotes", "claims"):
        assert from_release[key] == from_corpus[key]
    assert from_release["gold"]["content_sha256"] == from_corpus["gold"]["content_sha256"]
    assert from_release["gold"]["kind"] == "release" and from_release["gold"]["version"] == "0.1.0"
    assert from_release["gold"]["withheld_texts"] == 2
    assert from_release["submission"]["offsets_not_range_checked"] == 2
    assert any("withheld" in note for note in from_release["notes"])


def test_a_changed_annotation_changes_the_gold_checksum(corpus, tmp_path):
    root, docs = corpus
    changed = copy.deepcopy(docs)
    changed[0]["mentions"][0]["type"] = "ORG" if changed[0]["mentions"][0]["type"] != "ORG" else "PER"
    for e in changed[0]["entities"]:
        if e["id"] == changed[0]["mentions"][0]["entity"]:
            e["type"] = changed[0]["mentions"][0]["type"]
    other = write_corpus(tmp_path / "changed", changed)
    pred = write_jsonl(tmp_path / "p.jsonl", [])
    a = score_submission(root, pred, ScoreSettings(resamples=0))["gold"]["content_sha256"]
    b = score_submission(other, pred, ScoreSettings(resamples=0))["gold"]["content_sha256"]
    assert a != b


def test_documents_whose_gold_layer_is_absent_take_no_part_in_that_track(tmp_path):
    gold = copy.deepcopy(GOLD)
    gold["claims"] = []
    gold["provenance"]["layers"]["claims"]["status"] = "absent"
    root = write_corpus(tmp_path / "gold", [gold])
    line = submission_line(GOLD)  # still predicts the claim
    result = score_submission(root, write_jsonl(tmp_path / "p.jsonl", [line]), ScoreSettings(resamples=0))
    assert result["claims"]["counts"]["pred"] == 0 and result["claims"]["counts"]["gold"] == 0
    assert result["claims"]["attributed"]["f1"]["value"] is None
    assert result["quotes"]["attributed"]["f1"]["value"] == 1.0
    assert any("do not annotate claims" in note for note in result["notes"])


def test_all_mention_kinds_can_be_scored(tmp_path):
    root = write_corpus(tmp_path / "gold", [GOLD])
    pred = write_jsonl(tmp_path / "p.jsonl", [submission_line(GOLD)])
    names = score_submission(root, pred, ScoreSettings(resamples=0))
    everything = score_submission(root, pred, ScoreSettings(resamples=0, mention_kinds=("name", "nominal", "pronoun")))
    n_names = sum(m["kind"] == "name" for m in GOLD["mentions"])
    assert names["entities"]["schemes"]["strict"]["POS"] == n_names
    assert everything["entities"]["schemes"]["strict"]["POS"] == len(GOLD["mentions"]) > n_names


def test_per_document_counts_are_written_and_add_up(corpus, tmp_path, capsys):
    root, docs = corpus
    pred = write_jsonl(tmp_path / "sys.jsonl", [line for _, line in synthetic.corpus(3, 40)])
    counts = tmp_path / "counts.parquet"
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--per-doc", str(counts), "--format", "json",
                 "--resamples", "0"]) == 0
    result = json.loads(capsys.readouterr().out)
    table = CountTable.read_parquet(counts)
    assert len(table) == 41 and set(table.doc_ids) == {d["id"] for d in docs}
    sums = table.sums()
    strict = result["entities"]["schemes"]["strict"]
    assert (sums["ent.A"], sums["ent.C"], sums["ent.gold"], sums["ent.pred"]) == (strict["COR"], strict["INC"],
                                                                                  strict["POS"], strict["ACT"])
    meta = json.loads(pq.read_schema(counts).metadata[b"whosaidwhat_score"])
    assert meta["submission"]["sha256"] == result["submission"]["sha256"]
    halves = CountTable.concat([CountTable(table.doc_ids[:20], table.names, table.values[:20]),
                                CountTable(table.doc_ids[20:], table.names, table.values[20:])])
    assert halves.sums() == sums


def test_the_text_report_names_what_was_scored(corpus, tmp_path, capsys):
    root, _ = corpus
    pred = write_jsonl(tmp_path / "sys.jsonl", [line for _, line in synthetic.corpus(3, 40)])
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "100", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    for text in ("version 9.9.9", "split test: 41 documents", "sha256", "entity match: any shared code point",
                 "quote/claim match: IoU >= 0.5", "100 resamples, seed 3", "strict", "ent_type", "attributed",
                 "1 document(s) of split 'test' have no line"):
        assert text in out, text


def test_usage_errors_exit_2(corpus, tmp_path, capsys):
    root, _ = corpus
    pred = write_jsonl(tmp_path / "p.jsonl", [])
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--mention-kinds", "names"]) == 2
    assert "--mention-kinds" in capsys.readouterr().err
    assert main(["score", "--gold", str(tmp_path / "nowhere"), "--pred", str(pred)]) == 2
    assert f"{tmp_path / 'nowhere'}: [PATH-MISSING] --gold" in capsys.readouterr().err
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "-1"]) == 2
    assert "--resamples" in capsys.readouterr().err
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--split", "dev"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"wsw: error: {root / 'splits.json'}: $.splits: [GOLD-SPLIT-UNKNOWN] ") and "found dev" in err


def test_undefined_values_are_null_not_nan(corpus, tmp_path, capsys):
    root, _ = corpus
    pred = tmp_path / "empty.jsonl"
    pred.write_text("")
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--format", "json", "--resamples", "10",
                 "--allow-empty"]) == 0
    text = capsys.readouterr().out
    assert "NaN" not in text
    assert all(v["value"] is None or math.isfinite(v["value"]) for v in all_values(json.loads(text)))


def test_surface_texts_are_checked_against_release_texts_read_back_on_demand(tmp_path, capsys):
    release = write_release(tmp_path / "release", [GOLD], withhold=set())
    line = submission_line(GOLD)
    first = GOLD["mentions"][0]
    line["mentions"][0]["text"] = first["text"]
    good = write_jsonl(tmp_path / "good.jsonl", [line])
    assert score_submission(release, good, ScoreSettings(resamples=0))["submission"]["documents_scored"] == 1
    line["mentions"][0]["text"] = first["text"][::-1]
    bad = write_jsonl(tmp_path / "bad.jsonl", [line])
    assert main(["score", "--gold", str(release), "--pred", str(bad)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"\[(SUB-)?SPAN-TEXT\]", err) and err.count("\n") == 1, err


def test_a_malformed_release_row_is_named(tmp_path, capsys):
    broken = copy.deepcopy(GOLD)
    broken["mentions"][0]["type"] = "PERSON"
    release = write_release(tmp_path / "release", [broken], withhold=set())
    pred = write_jsonl(tmp_path / "p.jsonl", [])
    assert main(["score", "--gold", str(release), "--pred", str(pred)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"wsw: error: {release / 'data' / 'documents' / 'test-00000-of-00001.parquet'}: mini-unicode: "
                          "$.mentions[0].type: [GOLD-INVALID] gold breaks rule LABEL-UNKNOWN: ") and "found 'PERSON'" in err


def test_an_empty_split_scores_as_undefined(tmp_path, capsys):
    root = write_corpus(tmp_path / "gold", [GOLD], split="train")
    pred = write_jsonl(tmp_path / "p.jsonl", [submission_line(GOLD)])
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--split", "test", "--format", "json",
                 "--allow-empty"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["gold"]["documents"] == 0 and result["submission"]["other_split_documents"] == 1
    assert all(v["value"] is None for v in result["headline"].values())


# -- hostile gold data and output paths -------------------------------------------------------------
@pytest.mark.parametrize("content", ['{"id": "mini-unicode", "text": "tr', "[" * 100_000 + "]" * 100_000,
                                     '{"id": "mini-unicode", "n": ' + "9" * 5000 + "}", '{"id": NaN}'],
                         ids=["truncated", "nested-100000-deep", "integer-of-5000-digits", "NaN"])
def test_an_unreadable_gold_document_is_an_error_naming_the_file(tmp_path, capsys, content):
    root = write_corpus(tmp_path / "gold", [GOLD])
    path = root / "documents" / f"{GOLD['id']}.json"
    path.write_text(content, encoding="utf-8")
    pred = write_jsonl(tmp_path / "p.jsonl", [])
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"wsw: error: {path}: ") and "Traceback" not in err
    assert re.search(r"\[(JSON-SYNTAX|JSON-CONSTANT)\] cannot read gold data", err), err


def test_a_document_listed_in_two_splits_is_an_error_naming_splits_json_the_id_and_both_splits(tmp_path, capsys):
    root = write_corpus(tmp_path / "gold", [GOLD])
    (root / "splits.json").write_text(json.dumps({"splits": {"train": [GOLD["id"]], "test": [GOLD["id"]]}}))
    pred = write_jsonl(tmp_path / "p.jsonl", [submission_line(GOLD)])
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "0"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"wsw: error: {root / 'splits.json'}: ") and "$.splits.test: " in err and GOLD["id"] in err
    assert "in split 'train' and in split 'test'" in err and re.search(r"\[[A-Z-]+DUPLICATE\]", err), err


def test_a_release_holding_a_document_in_two_splits_is_an_error(tmp_path):
    from whosaidwhat.core.problems import ProblemError
    from whosaidwhat.scoring.gold import ReleaseGold

    docs = tmp_path / "release" / "data" / "documents"
    docs.mkdir(parents=True)
    table = pa.table({"id": ["a-doc"]})
    for split in ("train", "test"):
        pq.write_table(table, docs / f"{split}-00000-of-00001.parquet")
    with pytest.raises(ProblemError) as caught:
        ReleaseGold(tmp_path / "release").known_ids()
    problem = caught.value.problems[0]
    assert (problem.rule, problem.doc_id) == ("GOLD-DOC-DUPLICATE", "a-doc")
    assert re.fullmatch(r"in split '(train|test)' and in split '(train|test)'", problem.found)


@pytest.mark.parametrize("option, target", [("--out", "folder"), ("--per-doc", "folder"),
                                            ("--out", "file.jsonl/x.json"), ("--per-doc", "file.jsonl/a/b.parquet")],
                         ids=["out-folder", "per-doc-folder", "out-under-a-file", "per-doc-under-a-file"])
def test_an_output_path_that_cannot_be_a_file_is_a_usage_error_before_scoring(corpus, tmp_path, capsys, option, target):
    root, docs = corpus
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.jsonl").write_text("keep me\n")
    pred = write_jsonl(tmp_path / "p.jsonl", [submission_line(d) for d in docs])
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "0", option,
                 str(tmp_path / target)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"wsw: error: {tmp_path / target}: [PATH-MISSING] {option}") and "Traceback" not in err
    assert (tmp_path / "file.jsonl").read_text() == "keep me\n" and list((tmp_path / "folder").iterdir()) == []


def test_the_result_is_never_written_over_the_submission(corpus, tmp_path, capsys):
    root, docs = corpus
    pred = write_jsonl(tmp_path / "p.jsonl", [submission_line(d) for d in docs])
    before = pred.read_bytes()
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "0", "--out", str(pred)]) == 2
    assert f"{pred}: [OUT-OVERLAPS-INPUT] --out is the --pred input" in capsys.readouterr().err
    assert pred.read_bytes() == before


def _hostile(change):
    doc = copy.deepcopy(GOLD)
    change(doc)
    return json.dumps(doc)  # ensure_ascii: a lone surrogate is written as the escape \ud83d


@pytest.mark.parametrize("content", [
    _hostile(lambda d: d.update(text=["not", "a", "string"])),
    _hostile(lambda d: d.update(text=d["text"] + "\ud83d")),
    _hostile(lambda d: d.update(id=["mini-unicode"])),
    _hostile(lambda d: d["mentions"][0].update(start=10 ** 30)),
    _hostile(lambda d: d.update(text_sha256="\ud83d" * 64)),
], ids=["text-a-list", "text-with-a-lone-surrogate", "id-a-list", "offset-beyond-64-bits", "hash-not-hex"])
def test_a_malformed_gold_document_is_an_error_naming_the_file(tmp_path, capsys, content):
    root = write_corpus(tmp_path / "gold", [GOLD])
    path = root / "documents" / f"{GOLD['id']}.json"
    path.write_text(content, encoding="utf-8")
    pred = write_jsonl(tmp_path / "p.jsonl", [])
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"wsw: error: {path}: ") and "Traceback" not in err, err
    assert "[GOLD-INVALID] gold breaks rule " in err or "[FILE-ENCODING] cannot read gold data" in err, err


def test_paths_may_be_file_urls_and_other_urls_are_refused(corpus, tmp_path, capsys):
    root, docs = corpus
    pred = write_jsonl(tmp_path / "self.jsonl", [submission_line(d) for d in docs])
    out = tmp_path / "result.json"
    assert main(["score", "--gold", root.as_uri(), "--pred", pred.as_uri(), "--format", "json", "--out", out.as_uri()]) == 0
    assert json.loads(out.read_text())["headline"]["entities.strict.f1"]["value"] == 1.0
    capsys.readouterr()
    assert main(["score", "--gold", str(root), "--pred", "s3://bucket/pred.jsonl"]) == 2
    assert "[ENGINE-URL]" in capsys.readouterr().err
    assert main(["validate", "gs://bucket/docs"]) == 2
    assert "[ENGINE-URL]" in capsys.readouterr().err


def test_the_text_report_keeps_every_count_a_separate_column_however_large(corpus, tmp_path, capsys):
    from whosaidwhat.scoring.report import format_text

    root, _ = corpus
    pred = write_jsonl(tmp_path / "sys.jsonl", [line for _, line in synthetic.corpus(3, 40)])
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "10", "--out", str(tmp_path / "r.json")]) == 0
    result = json.loads((tmp_path / "r.json").read_text())
    for k, row in enumerate(result["entities"]["schemes"].values()):
        row.update({c: 10**9 + k for c in ("COR", "INC", "PAR", "MIS", "SPU")})
    for k, row in enumerate(result["entities"]["per_type"].values()):
        row["strict"].update({"POS": 244325 + k, "ACT": 249694 + k})
    lines = format_text(result).splitlines()
    for k, scheme in enumerate(result["entities"]["schemes"]):
        row = next(line.split() for line in lines if line.split()[:1] == [scheme])
        assert row[1:6] == [str(10**9 + k)] * 5
    for k, name in enumerate(result["entities"]["per_type"]):
        row = next(line.split() for line in lines if line.split()[:1] == [name])
        assert row[1:3] == [str(244325 + k), str(249694 + k)]
