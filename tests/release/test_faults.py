"""Faults a careless or hostile user finds in `wsw release --out` (issue 10): output inside the input, a deeply
nested splits.json, two runs on one folder, a kill between the final renames, left-over build folders, and
worker processes outliving a killed build."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tests.conftest import REPO, run_wsw
from whosaidwhat.core.problems import ProblemError
from whosaidwhat.release.build import build_release
from whosaidwhat.release.target import target_lock
from whosaidwhat.release.verify import verify_release


def test_an_output_folder_inside_the_corpus_is_refused_and_nothing_is_written(corpus):
    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*"))
    done = run_wsw("release", "--out", corpus / "release", "--corpus", corpus, "--workers", "1")
    assert done.returncode == 2 and f"{corpus / 'release'}: [OUT-OVERLAPS-INPUT]" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    with pytest.raises(ProblemError) as error:  # the folder holding the corpus, replaced with --force, too
        build_release(corpus, corpus.parent, force=True)
    assert error.value.rules == ["OUT-OVERLAPS-INPUT"]
    assert sorted(p.relative_to(corpus) for p in corpus.rglob("*")) == before


def test_a_deeply_nested_splits_json_is_one_line_not_a_traceback(corpus, tmp_path):
    (corpus / "splits.json").write_text('{"splits": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    done = run_wsw("release", "--out", tmp_path / "out", "--corpus", corpus)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"wsw: error: {corpus / 'splits.json'}: $: [JSON-SYNTAX] "), lines


def test_a_second_run_on_a_folder_being_written_is_refused_and_the_first_is_not_disturbed(corpus, tmp_path):
    out = tmp_path / "out"
    with target_lock(out):  # a first run holds the folder
        done = run_wsw("release", "--out", out, "--corpus", corpus, "--workers", "1")
        assert done.returncode == 1 and f"{out}: [REL-OUT-BUSY]" in done.stderr, done.stderr
        assert not out.exists()
    assert run_wsw("release", "--out", out, "--corpus", corpus, "--workers", "1").returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]  # the lock file went with the run


def test_two_concurrent_runs_on_one_folder_never_both_succeed(corpus, tmp_path):
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "whosaidwhat.cli", "release", "--out", str(out), "--corpus", str(corpus),
            "--workers", "1", "--force"]
    first, second = (subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2))
    results = [(p.wait(timeout=300), p.stderr.read()) for p in (first, second)]
    codes = sorted(code for code, _ in results)
    # either one was refused while the other wrote, or they ran one after the other: never a lost build
    assert codes in ([0, 0], [0, 1]), results
    if codes == [0, 1]:
        assert any("[REL-OUT-BUSY]" in err for code, err in results if code == 1)
    assert verify_release(out, deep=False) == []


def _interrupted_install(corpus, tmp_path, keep_new: bool):
    """A release at out, and the state a kill leaves between install's two renames (old moved aside)."""
    out = tmp_path / "out"
    build_release(corpus, out, workers=1)
    new = tmp_path / ".out.k1.partial"
    build_release(corpus, tmp_path / "next", workers=1)
    os.rename(tmp_path / "next", new)
    (tmp_path / ".out.install").write_text(json.dumps({"new": new.name, "old": ".out.k2.old"}))
    os.rename(out, tmp_path / ".out.k2.old")
    if not keep_new:
        import shutil

        shutil.rmtree(new)
    return out


def test_a_kill_between_the_final_renames_is_finished_by_the_next_run(corpus, tmp_path):
    out = _interrupted_install(corpus, tmp_path, keep_new=True)
    assert not out.exists()  # what the kill left: no release at all
    build_release(corpus, out, workers=1, force=True)  # the same command again
    assert verify_release(out, deep=False) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]


def test_a_kill_between_the_final_renames_never_loses_the_release_even_without_force(corpus, tmp_path):
    out = _interrupted_install(corpus, tmp_path, keep_new=False)
    with pytest.raises(ProblemError) as error:  # the old release is back, so a new folder is needed (or --force)
        build_release(corpus, out, workers=1)
    assert error.value.rules == ["OUT-EXISTS"]
    assert verify_release(out, deep=False) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]


def test_stale_build_folders_of_killed_runs_are_removed_by_the_next_run(corpus, tmp_path):
    for name in (".out.abc123.partial", ".out.def456.old"):
        (tmp_path / name / "data").mkdir(parents=True)
        (tmp_path / name / "data" / "big.parquet").write_bytes(b"x" * 1000)
    (tmp_path / ".other.zzz.partial").mkdir()  # another target's build: not ours to touch
    build_release(corpus, tmp_path / "out", workers=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.zzz.partial", "corpus", "out"]


WORKER_SCRIPT = textwrap.dedent("""
    import os, sys, time
    from whosaidwhat.release.build import worker_pool

    if __name__ == "__main__":
        pool = worker_pool(1)
        print(pool.submit(os.getpid).result(), flush=True)
        time.sleep(600)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 semantics")
def test_shard_workers_die_with_a_killed_build(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(WORKER_SCRIPT)
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        worker = int(parent.stdout.readline())
        os.kill(worker, 0)  # the worker runs
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _alive(worker):
            time.sleep(0.2)
        assert not _alive(worker), "the worker outlived its parent"
    finally:
        parent.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[1].split()[0] != "Z"  # a zombie is dead, waiting to be reaped
    except (FileNotFoundError, IndexError):
        return False
