"""DATASHEET.md is generated from corpus/dataset.json and the documents, never typed by hand."""

from tests.conftest import REPO, run_wsw
from whosaidwhat.release.datasheet import datasheet_for_corpus
from whosaidwhat.release.markdown import stats_table


def test_the_committed_datasheet_is_what_the_generator_makes_from_the_corpus():
    committed = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    assert committed == datasheet_for_corpus(REPO / "corpus"), (
        "DATASHEET.md is out of date: run `wsw release --datasheet DATASHEET.md` and commit the result")


def test_check_mode_fails_on_a_stale_datasheet_and_passes_once_regenerated(corpus, tmp_path):
    target = tmp_path / "DATASHEET.md"
    target.write_text("# typed by hand\n", encoding="utf-8")
    stale = run_wsw("release", "--datasheet", target, "--check", "--corpus", corpus)
    assert stale.returncode == 1 and f"{target}: [REL-DATASHEET-STALE]" in stale.stderr and "+# Datasheet: WhoSaidWhat" in stale.stdout
    assert target.read_text(encoding="utf-8") == "# typed by hand\n"
    assert run_wsw("release", "--datasheet", target, "--corpus", corpus).returncode == 0
    fresh = run_wsw("release", "--datasheet", target, "--check", "--corpus", corpus)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr


def test_the_datasheet_and_the_card_print_the_same_statistics(built):
    corpus, release = built
    import json

    summary = json.loads((release / "release.json").read_text(encoding="utf-8"))["summary"]
    table = stats_table(summary)
    assert table in datasheet_for_corpus(corpus)
    assert table in (release / "README.md").read_text(encoding="utf-8")


def test_documents_without_a_split_are_counted_apart_and_called_out(corpus):
    splits = corpus / "splits.json"
    splits.unlink()
    text = datasheet_for_corpus(corpus)
    assert "| statistic | train | validation | test | unassigned | total |" in text
    assert "14 document(s) are in no split yet" in text
