"""`wsw leaderboard build`: ranks, intervals, tie groups, the files it writes, and the score cache."""

from __future__ import annotations

import json
import shutil
import time

import numpy as np
import pytest
from jsonschema import Draft202012Validator

from whosaidwhat.core.problems import ProblemError
from whosaidwhat.leaderboard import build_leaderboard
from whosaidwhat.leaderboard.ranking import holm, rank_track
from whosaidwhat.scoring import score_submission

from ..conftest import REPO
from .conftest import SETTINGS
from .helpers import card, noisy_lines, write_system


def _schema(name: str) -> dict:
    return json.loads((REPO / "schema" / name).read_text(encoding="utf-8"))


def _rows(lb: dict, track: str) -> dict:
    return {r["system"]: r for r in lb["tracks"][track]["rows"]}


# -- leaderboard.json --------------------------------------------------------------------------------

def test_leaderboard_json_matches_its_schema(board):
    document = json.loads((board.site / "leaderboard.json").read_text(encoding="utf-8"))
    assert document == json.loads(json.dumps(board.lb))
    assert document["format"] == "whosaidwhat-leaderboard/1"
    errors = [f"{e.json_path}: {e.message[:200]}" for e in Draft202012Validator(_schema("leaderboard.schema.json"))
              .iter_errors(document)]
    assert errors == []


def test_every_row_carries_its_provenance(board):
    lb = board.lb
    assert lb["scorer"]["version"] and lb["scorer"]["metrics_version"]
    assert lb["gold"]["version"] == "0.0.1-fixture" and len(lb["gold"]["content_sha256"]) == 64
    systems = {s["id"]: s for s in lb["systems"]}
    for track in lb["tracks"].values():
        assert track["provenance"]["gold_content_sha256"] == lb["gold"]["content_sha256"]
        assert track["provenance"]["scorer_version"] == lb["scorer"]["version"]
        for row in track["rows"]:
            assert row["submission_sha256"] == systems[row["system"]]["submission"]["sha256"]
    assert "Holm" in lb["ranking"]["correction"] and lb["ranking"]["alpha"] == 0.05


def test_scores_are_wsw_scores_own_numbers(board, gold):
    expected = score_submission(gold.path, board.subs / "noisy-a" / "predictions.jsonl", SETTINGS)
    rows = {key: _rows(board.lb, key)["noisy-a"] for key in ("entities", "quotes", "claims")}
    assert rows["entities"]["score"] == expected["headline"]["entities.strict.f1"]
    assert rows["entities"]["macro_f1"] == expected["headline"]["entities.strict.macro_f1"]
    assert rows["quotes"]["score"] == expected["headline"]["quotes.attributed.f1"]
    assert rows["quotes"]["precision"] == expected["quotes"]["attributed"]["precision"]
    assert rows["claims"]["recall"] == expected["claims"]["attributed"]["recall"]


def test_every_ranked_score_has_an_interval_around_it(board):
    for track in board.lb["tracks"].values():
        for row in track["rows"]:
            s = row["score"]
            assert s["ci_low"] is not None and s["ci_low"] <= s["value"] <= s["ci_high"], (track["key"], row["system"])


# -- ranks and tie groups ----------------------------------------------------------------------------

def test_ranks_follow_the_scores_and_ties_share_a_rank(board):
    for track in board.lb["tracks"].values():
        values = [r["score"]["value"] for r in track["rows"]]
        assert values == sorted(values, reverse=True)
        assert track["rows"][0]["rank"] == 1 and track["rows"][0]["tie_group"] == 1
        assert track["rows"][0]["versus_above"] is None
    rows = _rows(board.lb, "quotes")
    assert rows["twin-a"]["score"] == rows["twin-b"]["score"]
    assert rows["twin-a"]["rank"] == rows["twin-b"]["rank"]  # identical predictions: one rank ("1224")
    assert rows["twin-a"]["tie_group"] == rows["twin-b"]["tie_group"]
    second = rows["twin-b"] if rows["twin-b"]["versus_above"]["system"] == "twin-a" else rows["twin-a"]
    assert second["versus_above"]["delta"] == 0 and second["versus_above"]["p"] == 1.0
    assert not second["versus_above"]["significant"]


def test_a_clearly_better_system_is_alone_in_the_first_tie_group(board):
    for track in board.lb["tracks"].values():
        first, second = track["rows"][0], track["rows"][1]
        assert first["system"] == "perfect"
        assert second["versus_above"]["significant"] and second["tie_group"] == 2


def test_tie_groups_follow_the_holm_adjusted_tests(board):
    alpha = board.lb["ranking"]["alpha"]
    for track in board.lb["tracks"].values():
        rows = track["rows"]
        raw = [None] + [r["versus_above"]["p"] for r in rows[1:]]
        assert [None] + [r["versus_above"]["p_adjusted"] for r in rows[1:]] == holm(raw)
        group = 1
        for row in rows[1:]:
            vs = row["versus_above"]
            assert vs["p_adjusted"] >= vs["p"]
            assert vs["p"] == vs["p_randomization"]  # the default test
            assert vs["significant"] == (vs["p_adjusted"] <= alpha)
            group += vs["significant"]
            assert row["tie_group"] == group


def test_holm_adjustment_by_hand():
    # p = (0.01, 0.04, 0.03) with m = 3: sorted 0.01*3 = 0.03, 0.03*2 = 0.06, max(0.06, 0.04*1) = 0.06
    assert holm([None, 0.01, 0.04, 0.03]) == pytest.approx([None, 0.03, 0.06, 0.06])
    assert holm([None, 0.5, 0.9]) == [None, 1.0, 1.0]
    assert holm([None]) == [None]


def test_bootstrap_can_decide_the_tie_groups_instead(board, gold):
    from whosaidwhat.core.inventory import load_inventory
    from whosaidwhat.leaderboard.ranking import TRACKS, Contender
    from whosaidwhat.leaderboard.scorer import score_entry

    contenders = []
    for system in ("noisy-a", "noisy-b", "perfect"):
        path = next((board.subs / system).glob("predictions.*"))
        from whosaidwhat.scoring import load_gold, open_gold

        gold_set = load_gold(open_gold(gold.path), "test", load_inventory())
        scored = score_entry(path, path.parent, gold_set, load_inventory(), SETTINGS, None)
        contenders.append(Contender(system, scored.result, scored.counts, scored.result["submission"]["layers_submitted"]))
    track = rank_track(TRACKS[1], contenders, load_inventory(), SETTINGS, 0.05, "bootstrap")
    for row in track["rows"][1:]:
        assert row["versus_above"]["p"] == row["versus_above"]["p_bootstrap"]


def test_predictions_for_none_of_the_split_are_scored_but_not_ranked(gold, tmp_path):
    subs = tmp_path / "submissions"
    write_system(subs, "validation-only", card("Validation only"), noisy_lines(gold.validation, 6))
    write_system(subs, "ordinary", card("Ordinary"), noisy_lines(gold.docs, 7))
    report = build_leaderboard([subs], gold.path, tmp_path / "site", SETTINGS)
    for track in report.leaderboard["tracks"].values():
        assert [r["system"] for r in track["rows"]] == ["ordinary"]
        assert track["not_ranked"] == [{"system": "validation-only",
                                        "reason": "predicts none of the 40 documents of split 'test'"}]
    assert any("[LB-PRED-NO-GOLD]" in w and "some of 40" in w for w in report.warnings)


def test_a_system_without_a_layer_is_not_in_that_track(board):
    for key in ("quotes", "claims"):
        assert "ner-only" not in _rows(board.lb, key)
        assert {"system": "ner-only", "reason": f"no line of the submission has a `{key}` field"} in \
            board.lb["tracks"][key]["not_ranked"]
    assert "ner-only" in _rows(board.lb, "entities")


# -- the files --------------------------------------------------------------------------------------

def test_the_site_has_a_page_a_score_file_and_a_copy_per_system(board):
    ids = {s["id"] for s in board.lb["systems"]}
    assert ids == {"perfect", "noisy-a", "noisy-b", "twin-a", "twin-b", "ner-only"}
    assert {p.name for p in (board.site / "systems").iterdir()} == {f"{i}.html" for i in ids} | {f"{i}.score.json" for i in ids}
    assert (board.site / "predictions" / "ner-only.parquet").read_bytes() == (board.subs / "ner-only" / "test.parquet").read_bytes()
    index = (board.site / "index.html").read_text(encoding="utf-8")
    for i in ids:
        assert f'href="systems/{i}.html"' in index
    assert index.count('<svg class="chart"') == 3
    page = (board.site / "systems" / "noisy-a.html").read_text(encoding="utf-8")
    for heading in ("System card", "Entities per type", "Missed quotes", "Spurious quotes", "Misattributed quotes",
                    "Missed claims", "Spurious claims"):
        assert heading in page


def test_leaderboard_markdown_has_one_table_per_track(board):
    text = (board.site / "leaderboard.md").read_text(encoding="utf-8")
    for track in board.lb["tracks"].values():
        assert f"## {track['title']}" in text
        assert f"Ranked by `{track['metric']}`." in text
    top = board.lb["tracks"]["quotes"]["rows"][0]
    assert f"| 1 | 1 | Perfect 1.0 (`perfect`) | trained | yes | {top['score']['value']:.4f} [" in text


def test_a_card_without_recommended_fields_is_ranked_and_says_not_stated(board):
    system = next(s for s in board.lb["systems"] if s["id"] == "noisy-b")
    assert system["card"]["saw_test_texts"] is None and system["card"]["team"] is None
    assert set(system["card"]["missing"]) == {"saw_test_texts", "team"}
    assert any("[LB-CARD-NOT-STATED]" in w and "found team, saw_test_texts" in w for w in system["warnings"])
    assert "not stated" in (board.site / "systems" / "noisy-b.html").read_text(encoding="utf-8")


def test_a_build_is_deterministic(board, gold, tmp_path):
    again = build_leaderboard([board.subs], gold.path, tmp_path / "site", SETTINGS)
    assert again.scored  # its own empty cache
    for name in ("leaderboard.json", "leaderboard.md", "index.html", "systems/noisy-a.html"):
        assert (tmp_path / "site" / name).read_bytes() == (board.site / name).read_bytes(), name


# -- errors on the system pages ----------------------------------------------------------------------

def test_listed_mistakes_add_up_to_the_scorers_counts(board):
    for system in board.lb["systems"]:
        record = json.loads((board.site / "systems" / f"{system['id']}.score.json").read_text(encoding="utf-8"))
        result, mistakes = record["score"], record["mistakes"]
        for track, _item in (("quotes", "quote"), ("claims", "claim")):
            counts, totals = result[track]["counts"], mistakes[track]["totals"]
            assert totals["missed"] == counts["gold"] - counts["matched"], (system["id"], track)
            assert totals["spurious"] == counts["pred"] - counts["matched"], (system["id"], track)
            assert totals["misattributed"] == counts["matched"] - counts["source_ok"], (system["id"], track)
            assert len(mistakes[track]["missed"]) == totals["missed"]


def test_listed_mistakes_quote_the_gold_text(board, gold):
    texts = {d["id"]: d["text"] for d in gold.docs}
    record = json.loads((board.site / "systems" / "noisy-a.score.json").read_text(encoding="utf-8"))
    items = [i for track in ("quotes", "claims") for kind in ("missed", "spurious", "misattributed")
             for i in record["mistakes"][track][kind]]
    assert items
    for item in items:
        assert item["text"] == " … ".join(texts[item["doc"]][s:e] for s, e in item["spans"])
    perfect = json.loads((board.site / "systems" / "perfect.score.json").read_text(encoding="utf-8"))
    assert all(v == 0 for track in ("quotes", "claims") for v in perfect["mistakes"][track]["totals"].values())


def test_hide_errors_publishes_no_gold_items(board, gold, tmp_path):
    build_leaderboard([board.subs], gold.path, tmp_path / "site", SETTINGS, show_errors=False,
                      cache_dir=board.report.cache)
    page = (tmp_path / "site" / "systems" / "noisy-a.html").read_text(encoding="utf-8")
    assert "Missed quotes" not in page and "--hide-errors" in page
    record = json.loads((tmp_path / "site" / "systems" / "noisy-a.score.json").read_text(encoding="utf-8"))
    assert "mistakes" not in record
    assert json.loads((tmp_path / "site" / "leaderboard.json").read_text(encoding="utf-8"))["errors_shown"] is False


# -- the cache ----------------------------------------------------------------------------------------

def test_a_rebuild_scores_only_what_changed(gold, tmp_path):
    subs, site = tmp_path / "submissions", tmp_path / "site"
    for i in range(4):
        write_system(subs, f"system-{i}", card(f"System {i}"), noisy_lines(gold.docs, 100 + i))

    started = time.perf_counter()
    first = build_leaderboard([subs], gold.path, site, SETTINGS)
    cold = time.perf_counter() - started
    assert sorted(first.scored) == [f"system-{i}" for i in range(4)] and first.cached == []
    before = (site / "leaderboard.json").read_bytes()

    started = time.perf_counter()
    second = build_leaderboard([subs], gold.path, site, SETTINGS)
    warm = time.perf_counter() - started
    assert second.scored == [] and len(second.cached) == 4
    assert (site / "leaderboard.json").read_bytes() == before
    print(f"\n4 systems: cold build {cold:.2f} s, rebuild from the cache {warm:.2f} s")

    # one new folder: only it is scored
    write_system(subs, "newcomer", card("Newcomer"), noisy_lines(gold.docs, 200))
    third = build_leaderboard([subs], gold.path, site, SETTINGS)
    assert third.scored == ["newcomer"] and len(third.cached) == 4
    assert "newcomer" in {s["id"] for s in third.leaderboard["systems"]}

    # new predictions in one folder: only it is scored again
    write_system(subs, "system-2", None, noisy_lines(gold.docs, 300))
    fourth = build_leaderboard([subs], gold.path, site, SETTINGS)
    assert fourth.scored == ["system-2"]

    # a new card only: nothing is scored, the page shows the new name
    write_system(subs, "system-1", card("System One, renamed"), None)
    fifth = build_leaderboard([subs], gold.path, site, SETTINGS)
    assert fifth.scored == [] and "System One, renamed" in (site / "systems" / "system-1.html").read_text(encoding="utf-8")

    # a system that leaves: its files leave the site
    shutil.rmtree(subs / "system-3")
    sixth = build_leaderboard([subs], gold.path, site, SETTINGS)
    assert sixth.scored == [] and not (site / "systems" / "system-3.html").exists()
    assert not (site / "predictions" / "system-3.jsonl").exists()

    # other settings or other gold: everything is scored again
    seventh = build_leaderboard([subs], gold.path, site, SETTINGS.__class__(resamples=100))
    assert len(seventh.scored) == 4
    changed = tmp_path / "gold"
    shutil.copytree(gold.path, changed)
    doc_path = changed / "documents" / f"{gold.test[0]['id']}.json"
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    doc["claims"] = doc["claims"][:-1]
    doc_path.write_text(json.dumps(doc), encoding="utf-8")
    eighth = build_leaderboard([subs], changed, site, SETTINGS)
    assert len(eighth.scored) == 4


def test_the_cache_is_kept_beside_the_site_not_in_it(board):
    assert board.report.cache == board.site.parent / ".site-cache"
    assert any(board.report.cache.iterdir())
    published = [p for p in board.site.rglob("*") if p.is_file()]
    assert not any("mistakes" in p.name or p.suffix == ".parquet" and p.parent.name != "predictions" for p in published)


def test_a_damaged_cache_entry_is_scored_again(gold, tmp_path):
    subs = tmp_path / "submissions"
    write_system(subs, "only", card("Only"), noisy_lines(gold.docs, 5))
    build_leaderboard([subs], gold.path, tmp_path / "site", SETTINGS)
    entry = next(p for p in (tmp_path / ".site-cache").iterdir() if p.is_dir() and p.name != "pairs")
    (entry / "counts.parquet").write_bytes(b"not parquet")
    again = build_leaderboard([subs], gold.path, tmp_path / "site", SETTINGS)
    assert again.scored == ["only"]


def test_a_refused_submission_is_not_checked_twice(gold, tmp_path):
    subs = tmp_path / "submissions"
    write_system(subs, "broken", card("Broken"), [{"id": "no-such-document"}])
    first = build_leaderboard([subs], gold.path, tmp_path / "site", SETTINGS)
    second = build_leaderboard([subs], gold.path, tmp_path / "site", SETTINGS)
    assert first.refused == second.refused and "[SUB-DOC-UNKNOWN]" in first.refused[0]["reasons"][0]
    assert second.cached == ["broken"]


def test_cache_entries_are_keyed_by_submission_gold_scorer_and_settings(gold):
    from whosaidwhat.leaderboard.cache import cache_key

    base = cache_key("a" * 64, "b" * 64, "test", SETTINGS, "1.0")
    assert base == cache_key("a" * 64, "b" * 64, "test", SETTINGS, "1.0")
    assert len({base, cache_key("c" * 64, "b" * 64, "test", SETTINGS, "1.0"),
                cache_key("a" * 64, "c" * 64, "test", SETTINGS, "1.0"),
                cache_key("a" * 64, "b" * 64, "validation", SETTINGS, "1.0"),
                cache_key("a" * 64, "b" * 64, "test", SETTINGS.__class__(seed=1), "1.0"),
                cache_key("a" * 64, "b" * 64, "test", SETTINGS, "2.0")}) == 6


# -- usage ---------------------------------------------------------------------------------------------

def test_an_output_folder_that_is_not_a_site_is_not_overwritten(board, gold, tmp_path):
    (tmp_path / "mine.txt").write_text("precious")
    with pytest.raises(ProblemError) as error:
        build_leaderboard([board.subs], gold.path, tmp_path, SETTINGS)
    assert error.value.rules == ["OUT-EXISTS"] and error.value.exit_code == 2
    assert (tmp_path / "mine.txt").read_text() == "precious"


def test_cli_build_prints_a_summary_and_a_json_report(wsw, board, gold, tmp_path):
    done = wsw("leaderboard", "build", board.subs, "--gold", gold.path, "--out", tmp_path / "site", "--resamples", "200",
               "--cache", board.report.cache)
    assert done.returncode == 0, done.stderr
    assert "6 system(s) scored, 0 refused" in done.stdout and "from cache 6" in done.stdout
    assert done.stderr.count("wsw: cached ") == 6
    done = wsw("leaderboard", "build", board.subs, "--gold", gold.path, "--out", tmp_path / "site", "--resamples", "200",
               "--cache", board.report.cache, "--format", "json")
    report = json.loads(done.stdout)
    assert sorted(report["ranked"]) == sorted(s["id"] for s in board.lb["systems"]) and report["scored"] == []


def test_cli_usage_errors_are_one_line(wsw, gold, tmp_path):
    done = wsw("leaderboard", "build", tmp_path / "nowhere", "--gold", gold.path, "--out", tmp_path / "site")
    assert done.returncode == 2 and "[PATH-MISSING]" in done.stderr and "Traceback" not in done.stderr
    done = wsw("leaderboard", "build", "--gold", gold.path, "--out", tmp_path / "site")
    assert done.returncode == 2 and "[LB-NO-SUBMISSIONS]" in done.stderr


def test_intervals_of_a_perfect_system_have_zero_width(board):
    row = _rows(board.lb, "claims")["perfect"]
    assert row["score"] == {"value": 1.0, "ci_low": 1.0, "ci_high": 1.0}
    assert np.isclose(row["precision"]["value"], 1.0)
