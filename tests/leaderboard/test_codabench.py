"""`wsw leaderboard codabench`: the bundle follows Codabench's documented format, and its scoring program scores.

The bundle is unpacked and its scoring program run exactly as Codabench's compute worker lays
out a scoring step (documented in Codabench's "Submission Docker Container Layout" and done in
compute_worker.py): the program at /app/program (also the working folder), the task's reference
data at /app/input/ref, the unzipped submission at /app/input/res, an empty /app/output, and the
`command` of the program's metadata.yaml. Here /app is a tmp folder and `python3` this test's
interpreter; everything else is as on the platform.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from whosaidwhat.leaderboard import build_codabench_bundle
from whosaidwhat.leaderboard.codabench_program import COLUMNS, scores_from_result

from .helpers import noisy_lines


@pytest.fixture(scope="module")
def bundle(gold, tmp_path_factory):
    root = tmp_path_factory.mktemp("codabench")
    baseline = root / "baseline.jsonl"
    baseline.write_text("".join(json.dumps(x) + "\n" for x in noisy_lines(gold.docs, 31)), encoding="utf-8")
    summary = build_codabench_bundle(gold.path, root / "bundle.zip", baseline=baseline,
                                     docker_image="example/wsw-scorer:test")
    unpacked = root / "unpacked"
    with zipfile.ZipFile(root / "bundle.zip") as archive:
        archive.extractall(unpacked)
    spec = yaml.safe_load((unpacked / "competition.yaml").read_text(encoding="utf-8"))
    return type("Bundle", (), {"root": root, "dir": unpacked, "spec": spec, "summary": summary, "baseline": baseline})


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def run_scoring_step(bundle_dir: Path, spec: dict, phase_index: int, submission_zip: Path, app: Path):
    """One Codabench scoring step of the task of phase `phase_index`, with /app at `app`."""
    import shutil

    phase = next(p for p in spec["phases"] if p["index"] == phase_index)
    task = next(t for t in spec["tasks"] if t["index"] == phase["tasks"][0])
    shutil.copytree(bundle_dir / task["scoring_program"], app / "program")
    shutil.copytree(bundle_dir / task["reference_data"], app / "input" / "ref")
    (app / "input" / "res").mkdir(parents=True)
    with zipfile.ZipFile(submission_zip) as archive:
        archive.extractall(app / "input" / "res")
    (app / "output").mkdir()
    metadata = yaml.safe_load((app / "program" / "metadata.yaml").read_text(encoding="utf-8"))
    command = [sys.executable if word == "python3" else word.replace("/app/", f"{app}/", 1)
               for word in shlex.split(metadata["command"])]
    return subprocess.run(command, cwd=app / "program", capture_output=True, text=True, encoding="utf-8", timeout=600,
                          env={"PATH": "/usr/bin:/bin", "PYTHONUNBUFFERED": "1"}, check=False)


# -- the bundle's shape ----------------------------------------------------------------------------------

def test_competition_yaml_is_version_2_with_everything_codabench_requires(bundle):
    spec, root = bundle.spec, bundle.dir
    assert spec["version"] == 2 and spec["title"]
    assert (root / spec["image"]).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (root / spec["terms"]).read_text(encoding="utf-8").strip()
    for page in spec["pages"]:
        assert page["title"] and (root / page["file"]).read_text(encoding="utf-8").strip()
    assert spec["docker_image"] == "example/wsw-scorer:test"
    assert spec["enable_detailed_results"] is True


def test_development_phase_is_validation_and_test_phase_is_test(bundle, gold):
    spec, root = bundle.spec, bundle.dir
    dev, test = sorted(spec["phases"], key=lambda p: p["index"])
    assert dev["name"] == "Development" and test["name"] == "Test"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", dev["start"]) and dev["end"] == test["start"]
    assert "end" not in test  # the last phase may run forever
    tasks = {t["index"]: t for t in spec["tasks"]}
    for phase, split, docs in ((dev, "validation", gold.validation), (test, "test", gold.test)):
        task = tasks[phase["tasks"][0]]
        ref = root / task["reference_data"]
        assert json.loads((ref / "phase.json").read_text(encoding="utf-8"))["split"] == split
        assert sorted(p.stem for p in (ref / "documents").glob("*.json")) == sorted(d["id"] for d in docs)
        splits = json.loads((ref / "splits.json").read_text(encoding="utf-8"))["splits"]
        assert sorted(splits["test"] + splits["validation"]) == sorted(d["id"] for d in gold.docs)
        assert (root / task["scoring_program"] / "metadata.yaml").is_file()
        assert (root / phase["starting_kit"]).is_dir() and (root / phase["public_data"]).is_dir()


def test_leaderboard_column_keys_are_the_keys_of_scores_json(bundle):
    (board,) = bundle.spec["leaderboards"]
    keys = [c["key"] for c in sorted(board["columns"], key=lambda c: c["index"])]
    assert keys == [key for key, *_ in COLUMNS] and len(set(keys)) == len(keys)
    assert board["key"] and board["title"]
    for checked in bundle.summary["checked"]:
        assert list(checked["scores"]) == keys


def test_the_scoring_program_runs_wsw_score_and_the_image_has_python_310_or_later(bundle):
    program = bundle.dir / "scoring_program"
    metadata = yaml.safe_load((program / "metadata.yaml").read_text(encoding="utf-8"))
    assert metadata["command"] == "python3 /app/program/score.py /app/input /app/output"
    assert '"whosaidwhat.cli", "score"' in (program / "score.py").read_text(encoding="utf-8")
    assert (program / "whosaidwhat" / "cli.py").is_file() and (program / "whosaidwhat" / "_schema" / "labels.json").is_file()
    dockerfile = (bundle.dir / "docker" / "Dockerfile").read_text(encoding="utf-8")
    version = re.search(r"^FROM python:3\.(\d+)", dockerfile, re.MULTILINE)
    assert version and int(version.group(1)) >= 10
    requirements = (bundle.dir / "docker" / "requirements.txt").read_text(encoding="utf-8").split()
    assert {r.split("==")[0] for r in requirements} == {"click", "numpy", "pyarrow"}


def test_starting_kit_and_solution_hold_the_baseline_submission(bundle, gold):
    kit = bundle.dir / "starting_kit"
    assert (kit / "predictions.jsonl").read_bytes() == bundle.baseline.read_bytes()
    with zipfile.ZipFile(kit / "baseline_submission.zip") as archive:
        assert archive.namelist() == ["predictions.jsonl"]
    (solution,) = bundle.spec["solutions"]
    assert solution["tasks"] == [0, 1] and (bundle.dir / solution["path"] / "predictions.jsonl").is_file()
    inputs = [json.loads(line) for line in (kit / "inputs" / "test.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [i["id"] for i in inputs] == sorted(d["id"] for d in gold.test) and all(i["text"] for i in inputs)


# -- the scoring program, run as Codabench runs it -------------------------------------------------------

@pytest.mark.parametrize("phase_index,split", [(0, "validation"), (1, "test")])
def test_scores_equal_wsw_score_on_the_baseline(bundle, gold, wsw, tmp_path, phase_index, split):
    submission = _zip(tmp_path / "submission.zip", {"predictions.jsonl": bundle.baseline.read_bytes()})
    done = run_scoring_step(bundle.dir, bundle.spec, phase_index, submission, tmp_path / "app")
    assert done.returncode == 0, done.stderr
    output = tmp_path / "app" / "output"
    scores = json.loads((output / "scores.json").read_text(encoding="utf-8"))
    reference = wsw("score", "--gold", gold.path, "--pred", bundle.baseline, "--split", split, "--format", "json")
    assert reference.returncode == 0, reference.stderr
    expected = scores_from_result(json.loads(reference.stdout))
    assert scores == expected
    assert scores["quotes_f1"] > 0.5 and scores["quotes_f1_ci_low"] <= scores["quotes_f1"] <= scores["quotes_f1_ci_high"]
    leaderboard_keys = {c["key"] for c in bundle.spec["leaderboards"][0]["columns"]}
    assert set(scores) == leaderboard_keys
    assert "WhoSaidWhat scores" in (output / "detailed_results.html").read_text(encoding="utf-8")
    assert json.loads((output / "score.json").read_text(encoding="utf-8"))["gold"]["split"] == split


def test_a_broken_submission_fails_with_wsw_scores_message(bundle, tmp_path):
    lines = [json.loads(x) for x in bundle.baseline.read_text(encoding="utf-8").splitlines()]
    lines[0] = {"id": lines[0]["id"], "mentions": [{"id": "m1", "start": 5, "end": 99_999, "type": "PER"}]}
    submission = _zip(tmp_path / "broken.zip", {"preds/broken.jsonl": "".join(json.dumps(x) + "\n" for x in lines)})
    done = run_scoring_step(bundle.dir, bundle.spec, 1, submission, tmp_path / "app")
    assert done.returncode == 1
    assert "SPAN-RANGE]" in done.stderr and "$.mentions[0]" in done.stderr
    output = tmp_path / "app" / "output"
    assert not (output / "scores.json").exists()
    assert "SPAN-RANGE]" in (output / "detailed_results.html").read_text(encoding="utf-8")


def test_a_submission_without_a_predictions_file_fails_clearly(bundle, tmp_path):
    submission = _zip(tmp_path / "empty.zip", {"README.txt": b"oops"})
    done = run_scoring_step(bundle.dir, bundle.spec, 0, submission, tmp_path / "app")
    assert done.returncode == 1 and "holds no .jsonl or .parquet file" in done.stderr


def test_the_default_baseline_is_the_rules_system_and_the_cli_prints_both_phases(wsw, gold, tmp_path):
    done = wsw("leaderboard", "codabench", "--gold", gold.path, "--out", tmp_path / "bundle.zip", "--start", "2027-01-04")
    assert done.returncode == 0, done.stderr
    assert "development: validation (12 documents), test: test (40 documents)" in done.stdout
    assert "wsw predict --system rules" in done.stdout and "checked on the baseline for both phases" in done.stdout
    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        spec = yaml.safe_load(archive.read("competition.yaml"))
        lines = archive.read("starting_kit/predictions.jsonl").decode("utf-8").splitlines()
    assert spec["phases"][0]["start"] == "2027-01-04 00:00:00"
    assert len(lines) == len(gold.docs)


def test_a_release_or_a_folder_is_refused_as_gold_for_a_bundle(wsw, tmp_path):
    (tmp_path / "release" / "data" / "documents").mkdir(parents=True)
    done = wsw("leaderboard", "codabench", "--gold", tmp_path / "nowhere", "--out", tmp_path / "b.zip")
    assert done.returncode == 2 and "[PATH-MISSING]" in done.stderr
    done = wsw("leaderboard", "codabench", "--gold", tmp_path / "release", "--out", tmp_path / "b.zip")
    assert done.returncode != 0 and "Traceback" not in done.stderr


def test_the_scoring_program_uses_the_scorer_shipped_with_it(bundle):
    program = bundle.dir / "scoring_program"
    probe = "import whosaidwhat, whosaidwhat.core.resources as r; print(whosaidwhat.__file__); print(r.schema_dir())"
    done = subprocess.run([sys.executable, "-c", probe], env={"PYTHONPATH": str(program), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, check=False)
    module, schemas = done.stdout.split()
    assert Path(module).is_relative_to(program) and Path(schemas) == program / "whosaidwhat" / "_schema"
