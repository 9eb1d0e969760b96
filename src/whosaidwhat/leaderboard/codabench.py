"""`wsw leaderboard codabench`: a Codabench competition bundle (competition.yaml version 2) of the benchmark.

Layout of the zip (Codabench's "Competition Bundle Structure" and "YAML Structure" pages):

    competition.yaml            version 2: pages, two phases, two tasks, a solution, a leaderboard
    logo.png, pages/*.md        the logo and the overview, evaluation, data and terms pages
    scoring_program/            metadata.yaml (command), score.py, the whosaidwhat package it runs
    reference_data/development  gold of the validation split (corpus folder + phase.json)
    reference_data/test         gold of the test split, hidden from participants
    public_data/                the input texts of both splits (JSONL: id, text, text_sha256, title)
    starting_kit/               README, a baseline submission (predictions.jsonl and its zip)
    solutions/baseline/         the same baseline, run by Codabench on both tasks
    docker/                     Dockerfile of the named image (Python 3.12, the scorer's dependencies)

Development phase = validation split, test phase = test split. Leaderboard column keys are the
keys of the scoring program's scores.json (`codabench_program.COLUMNS`, one list for both). The
reference folders keep every split's ids in splits.json (documents only for their own split), so
a predictions file with lines for both splits is scored on the phase's split and the other lines
are ignored, as `wsw score` does. Before the zip is written the scoring program is run on the
baseline for both phases, laid out as Codabench lays it out; a bundle that cannot score its own
baseline is never written.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from importlib import metadata
from pathlib import Path

import yaml

from .. import __version__
from ..core.atomic import atomic_open
from ..core.inventory import load_inventory
from ..core.jsonfile import read_json_object
from ..core.problems import fail
from ..core.resources import PACKAGE_DIR, schema_dir
from ..scoring import load_gold, open_gold
from ..scoring.gold import CorpusGold
from ..scoring.settings import METRICS_VERSION
from . import codabench_program
from .codabench_program import COLUMNS

PHASES = (("development", "Development", "validation"), ("test", "Test", "test"))
DEFAULT_IMAGE = f"whosaidwhat/codabench-scorer:{__version__}"
SCORER_REQUIREMENTS = ("click", "numpy", "pyarrow")
#: fixed timestamp of every zip entry, so the same inputs give the same bundle bytes
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _png(width: int = 64, height: int = 64) -> bytes:
    """A small logo: a blue square with a lighter band (PNG written by hand, no imaging library)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b""
    for y in range(height):
        colour = b"\x7f\xa8\xe6" if height // 3 <= y < 2 * height // 3 else b"\x1f\x5f\xbf"
        rows += b"\x00" + colour * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def _reference(gold: CorpusGold, root: Path, split: str, phase: str, target: Path) -> int:
    """A corpus folder holding the documents of `split` only, with every split's ids in splits.json."""
    ids = gold.split_ids(split)
    (target / "documents").mkdir(parents=True)
    for doc_id in ids:
        shutil.copyfile(root / "documents" / f"{doc_id}.json", target / "documents" / f"{doc_id}.json")
    splits = read_json_object(root / "splits.json", "the splits file")
    (target / "splits.json").write_text(json.dumps(splits, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if (root / "dataset.json").is_file():
        shutil.copyfile(root / "dataset.json", target / "dataset.json")
    (target / "phase.json").write_text(json.dumps({"phase": phase, "split": split, "score_options": []}, indent=1) + "\n",
                                       encoding="utf-8")
    return len(ids)


def _public_inputs(gold: CorpusGold, split: str, target: Path) -> tuple[int, int]:
    """The texts participants predict: one JSON line per document (id, text, text_sha256, title)."""
    written = withheld = 0
    with (target / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
        for _, doc in gold.documents(split):
            if doc.get("text") is None:
                withheld += 1
            written += 1
            fh.write(json.dumps({"id": doc["id"], "text": doc.get("text"), "text_sha256": doc.get("text_sha256"),
                                 "title": (doc.get("metadata") or {}).get("title")}, ensure_ascii=False) + "\n")
    return written, withheld


def _vendor_package(target: Path) -> None:
    """The installed whosaidwhat package (code and schemas) beside score.py: the exact scorer of this bundle."""
    shutil.copytree(PACKAGE_DIR, target / "whosaidwhat", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_schema"))
    shutil.copytree(schema_dir(), target / "whosaidwhat" / "_schema", ignore=shutil.ignore_patterns("__pycache__"))


def _requirements() -> str:
    lines = []
    for name in SCORER_REQUIREMENTS:
        try:
            lines.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:  # pragma: no cover - they are dependencies of this package
            lines.append(name)
    return "\n".join(lines) + "\n"


def _baseline(gold_path: Path, system_name: str, out: Path) -> str:
    from ..systems.inputs import iter_input_documents
    from ..systems.registry import load_system
    from ..systems.runner import predict_file

    system = load_system(system_name, {})
    predict_file(system, iter_input_documents([gold_path], ("validation", "test")), out)
    return f"{system.name} {system.version} ({system.kind})"


def _competition_yaml(title: str, docker_image: str, start: _dt.date, dev_days: int, counts: dict) -> dict:
    dev_start = _dt.datetime.combine(start, _dt.time())
    dev_end = dev_start + _dt.timedelta(days=dev_days)
    stamp = "%Y-%m-%d %H:%M:%S"
    return {
        "version": 2,
        "title": title,
        "description": "Who said what in the news: find named entities, quotes with their speakers, and claims with "
                       "their claimants, in news articles. Scored by `wsw score` (WhoSaidWhat).",
        "image": "logo.png",
        "terms": "pages/terms.md",
        "docker_image": docker_image,
        "registration_auto_approve": True,
        "enable_detailed_results": True,
        "make_programs_available": True,
        "make_input_data_available": False,
        "pages": [{"title": "Overview", "file": "pages/overview.md"},
                  {"title": "Evaluation", "file": "pages/evaluation.md"},
                  {"title": "Data", "file": "pages/data.md"},
                  {"title": "Terms", "file": "pages/terms.md"}],
        "phases": [
            {"index": 0, "name": "Development",
             "description": f"Scored on the validation split ({counts['validation']} documents). Submit as often as "
                            "you like to check your format and tune your system.",
             "start": dev_start.strftime(stamp), "end": dev_end.strftime(stamp),
             "max_submissions_per_day": 5, "max_submissions": 100, "execution_time_limit": 600,
             "accepts_only_result_submissions": True,
             "starting_kit": "starting_kit", "public_data": "public_data", "tasks": [0]},
            {"index": 1, "name": "Test",
             "description": f"Scored on the test split ({counts['test']} documents), whose gold annotations are hidden.",
             "start": dev_end.strftime(stamp),
             "max_submissions_per_day": 2, "max_submissions": 10, "execution_time_limit": 600,
             "accepts_only_result_submissions": True,
             "starting_kit": "starting_kit", "public_data": "public_data", "tasks": [1]},
        ],
        "tasks": [
            {"index": 0, "name": "WhoSaidWhat (validation split)",
             "description": "Predictions for the validation documents, scored against their gold annotations.",
             "reference_data": "reference_data/development", "scoring_program": "scoring_program"},
            {"index": 1, "name": "WhoSaidWhat (test split)",
             "description": "Predictions for the test documents, scored against their hidden gold annotations.",
             "reference_data": "reference_data/test", "scoring_program": "scoring_program"},
        ],
        "solutions": [{"index": 0, "path": "solutions/baseline", "tasks": [0, 1]}],
        "leaderboards": [{
            "index": 0, "title": "Results", "key": "main", "submission_rule": "Force_Last",
            "columns": [{"title": title_, "key": key, "index": i, "sorting": "desc", "precision": 4}
                        for i, (key, title_, *_rest) in enumerate(COLUMNS)],
        }],
    }


def _pages(target: Path, counts: dict, baseline: str, docker_image: str) -> None:
    columns = "\n".join(f"| `{key}` | {title} |" for key, title, *_ in COLUMNS)
    pages = {
        "overview.md": f"""# WhoSaidWhat: who said what in the news

Systems read news articles and predict three layers: **named entity mentions** (typed spans),
**quotes** (content, cue, speaker) and **claims** (claim, claimant, check-worthiness). The
development phase scores the validation split ({counts['validation']} documents), the test phase
the test split ({counts['test']} documents).

Download the starting kit: it holds the input texts, a baseline submission ({baseline}) and the
instructions. A submission is a zip holding one predictions file (JSONL or Parquet, one line per
document).
""",
        "evaluation.md": f"""# Evaluation

The scoring program runs `wsw score` (WhoSaidWhat {__version__}, metrics {METRICS_VERSION}) on your
predictions and the gold annotations of the phase's split. Every definition (matching rules, truth
tables, intervals) is in `eval/METRICS.md` of the WhoSaidWhat repository; the scoring program is
downloadable with this competition.

* Quotes: a predicted quote matches a gold quote when their contents overlap with IoU >= 0.5
  (one-to-one, order-independent); it counts as correct when its speaker resolves to the gold
  speaker. Claims likewise with the claimant.
* Entities: name mentions, strict scheme (same boundaries and type).
* 95% intervals: percentile bootstrap over documents (1,000 resamples, seed 12345).

| column key | meaning |
|---|---|
{columns}

In `scores.json` an undefined value (e.g. precision when nothing was predicted) is 0; the detailed
results page says n/a.
""",
        "data.md": """# Data

The input texts are in the public data (`validation.jsonl`, `test.jsonl`: `id`, `text`,
`text_sha256`, `title`). Offsets in your predictions are Unicode code points into `text`,
half-open `[start, end)` (Python `text[start:end]`). The format of a predictions line is
`schema/submission.schema.json` of WhoSaidWhat; the starting kit has an example.
""",
        "terms.md": """# Terms

The corpus texts keep their own licenses (see the dataset card of WhoSaidWhat); the annotations
are CC BY 4.0. By submitting you agree that your predictions and the system card you give are
shown on the leaderboard. Do not train or tune on the test texts or annotations; say so in your
system description if a model you use may have seen them.
""",
    }
    (target / "pages").mkdir()
    for name, text in pages.items():
        (target / "pages" / name).write_text(text, encoding="utf-8")
    (target / "docker").mkdir()
    (target / "docker" / "requirements.txt").write_text(_requirements(), encoding="utf-8")
    (target / "docker" / "Dockerfile").write_text(
        "# The image competition.yaml names: Python 3.12 and the scorer's dependencies (the scorer itself\n"
        "# is the whosaidwhat package inside scoring_program/). Build and push it before uploading the bundle:\n"
        f"#   docker build -t {docker_image} docker/ && docker push {docker_image}\n"
        "FROM python:3.12-slim-bookworm\n"
        "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1\n"
        "COPY requirements.txt /tmp/requirements.txt\n"
        "RUN python -m pip install -r /tmp/requirements.txt\n"
        "CMD [\"python3\"]\n", encoding="utf-8")
    (target / "README.md").write_text(f"""# WhoSaidWhat Codabench bundle

Made by `wsw leaderboard codabench` (whosaidwhat {__version__}). Upload this zip on Codabench
(Benchmarks > Management > Upload). Before that, build and push the Docker image it names:

    docker build -t {docker_image} docker/
    docker push {docker_image}

(or pass `--docker-image` to name another image with Python >= 3.10 and the packages of
docker/requirements.txt). To score a submission locally exactly as Codabench does:

    mkdir -p app/input/res app/output && cp -r scoring_program app/program
    cp -r reference_data/development app/input/ref && cp starting_kit/predictions.jsonl app/input/res/
    python3 app/program/score.py app/input app/output && cat app/output/scores.json
""", encoding="utf-8")


def _zip_folder(folder: Path, out: Path) -> None:
    with atomic_open(out, "wb") as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_dir():
                continue
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if path.suffix == ".py" else 0o644) << 16
            archive.writestr(info, path.read_bytes())


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def run_like_codabench(bundle: Path, task_index: int, submission_zip: Path, app: Path) -> subprocess.CompletedProcess:
    """Run the bundle's scoring program as Codabench's compute worker does, with /app at `app`.

    /app/program = the scoring program, /app/input/ref = the task's reference data,
    /app/input/res = the unzipped submission, /app/output = empty; the command of metadata.yaml,
    with /app replaced by `app` and python3 by this interpreter, runs with /app/program as its
    working directory.
    """
    spec = yaml.safe_load((bundle / "competition.yaml").read_text(encoding="utf-8"))
    task = next(t for t in spec["tasks"] if t["index"] == task_index)
    program = app / "program"
    shutil.copytree(bundle / task["scoring_program"], program)
    shutil.copytree(bundle / task["reference_data"], app / "input" / "ref")
    (app / "input" / "res").mkdir(parents=True)
    with zipfile.ZipFile(submission_zip) as archive:
        archive.extractall(app / "input" / "res")
    (app / "output").mkdir()
    command = yaml.safe_load((program / "metadata.yaml").read_text(encoding="utf-8"))["command"].split()
    command = [sys.executable if part == "python3" else part.replace("/app", str(app), 1) for part in command]
    return subprocess.run(command, cwd=program, capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=600, check=False)


def _phase_counts(source, gold_path: Path) -> tuple[dict, dict]:
    """(documents, content SHA-256) of each phase's split; every document read and checked."""
    inventory = load_inventory()
    counts, checksums = {}, {}
    for _, _, split in PHASES:
        gold = load_gold(source, split, inventory)  # reads and checks every document of the split
        if not gold.doc_ids:
            fail("LB-SPLIT-EMPTY", "the split has no documents; a phase needs some", file=str(gold_path), found=split)
        counts[split], checksums[split] = len(gold.doc_ids), gold.content_sha256
    return counts, checksums


def _check_bundle(root: Path, spec: dict) -> list[dict]:
    """Run the bundle's scoring program on the baseline of every task, as Codabench would."""
    checked = []
    submission = root / "starting_kit" / "baseline_submission.zip"
    for task in spec["tasks"]:
        with tempfile.TemporaryDirectory(prefix="wsw-codabench-app-") as app:
            done = run_like_codabench(root, task["index"], submission, Path(app))
            scores_path = Path(app) / "output" / "scores.json"
            if done.returncode != 0 or not scores_path.is_file():
                fail("LB-BUNDLE-CHECK", f"the bundle's scoring program failed on the baseline for task {task['index']} "
                     f"({task['name']}); nothing was written", found=done.stderr.strip()[-2000:])
            scores = read_json_object(scores_path, "the scoring program's scores.json")
            if sorted(scores) != sorted(key for key, *_ in COLUMNS):
                fail("LB-BUNDLE-CHECK", "the scoring program's scores.json keys differ from the leaderboard columns",
                     found=", ".join(sorted(scores)), expected=", ".join(sorted(key for key, *_ in COLUMNS)))
            checked.append({"task": task["name"], "scores": scores})
    return checked


def build_codabench_bundle(gold_path: str | Path, out: str | Path, *, title: str = "WhoSaidWhat: who said what in the news",
                           docker_image: str = DEFAULT_IMAGE, start: _dt.date | None = None, dev_days: int = 182,
                           baseline: str | Path | None = None, baseline_system: str = "rules",
                           check: bool = True) -> dict:
    """Write the bundle zip to `out`; returns a summary (phases, documents, baseline, checks run)."""
    gold_path, out = Path(gold_path), Path(out)
    source = open_gold(gold_path)
    if not isinstance(source, CorpusGold):
        fail("PATH-MISSING", "--gold: a Codabench bundle is built from a corpus folder, not a release",
             file=str(gold_path), expected="documents/ and splits.json")
    if out.suffix.lower() != ".zip":
        fail("OPTION-INVALID", "--out: give the name of a .zip file", file=str(out), found=out.suffix or "(no suffix)",
             expected=".zip")
    counts, checksums = _phase_counts(source, gold_path)
    start = start or _dt.date.today()
    with tempfile.TemporaryDirectory(prefix="wsw-codabench-") as tmp:
        root = Path(tmp) / "bundle"
        root.mkdir()
        (root / "logo.png").write_bytes(_png())
        program = root / "scoring_program"
        program.mkdir()
        shutil.copyfile(Path(codabench_program.__file__), program / "score.py")
        (program / "metadata.yaml").write_text("command: python3 /app/program/score.py /app/input /app/output\n",
                                               encoding="utf-8")
        (program / "requirements.txt").write_text(_requirements(), encoding="utf-8")
        _vendor_package(program)
        for key, _, split in PHASES:
            _reference(source, gold_path, split, key, root / "reference_data" / key)
        (root / "public_data").mkdir()
        withheld = sum(_public_inputs(source, split, root / "public_data")[1] for _, _, split in PHASES)
        kit = root / "starting_kit"
        kit.mkdir()
        predictions = kit / "predictions.jsonl"
        if baseline is not None:
            shutil.copyfile(baseline, predictions)
            made_by = f"the predictions file {Path(baseline).name}"
        else:
            made_by = f"`wsw predict --system {baseline_system}` ({_baseline(gold_path, baseline_system, predictions)})"
        (kit / "baseline_submission.zip").write_bytes(_zip_bytes({"predictions.jsonl": predictions.read_bytes()}))
        shutil.copytree(root / "public_data", kit / "inputs")
        (kit / "README.md").write_text(f"""# Starting kit

* `inputs/validation.jsonl`, `inputs/test.jsonl`: the documents to predict (id, text, text_sha256, title).
* `predictions.jsonl`: a baseline submission made by {made_by}, for both splits
  (lines of the other split are ignored by each phase).
* `baseline_submission.zip`: the same, zipped as Codabench expects: submit it to see the format work.

A submission is a zip holding one `.jsonl` (one JSON object per line) or `.parquet` file. Each line
is one document's predictions: `id`, and any of `entities`, `mentions`, `quotes`, `claims`, with
offsets in Unicode code points into the document's `text` (see `schema/submission.schema.json` and
`eval/submissions/README.md` of WhoSaidWhat). Check a file before submitting with

    wsw score --gold <a corpus with the validation gold> --pred predictions.jsonl --split validation
""", encoding="utf-8")
        (root / "solutions" / "baseline").mkdir(parents=True)
        shutil.copyfile(predictions, root / "solutions" / "baseline" / "predictions.jsonl")
        _pages(root, counts, made_by, docker_image)
        spec = _competition_yaml(title, docker_image, start, dev_days, counts)
        (root / "competition.yaml").write_text(
            "# Codabench competition bundle (version 2), made by `wsw leaderboard codabench`.\n"
            "# Leaderboard column keys = the keys of scoring_program/score.py's scores.json.\n"
            + yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
        checked = _check_bundle(root, spec) if check else []
        _zip_folder(root, out)
    return {"out": str(out), "phases": {key: {"split": split, "documents": counts[split], "gold_sha256": checksums[split]}
                                        for key, _, split in PHASES},
            "withheld_texts": withheld, "baseline": made_by, "docker_image": docker_image, "checked": checked}
