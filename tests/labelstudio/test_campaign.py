"""Campaigns against a real Label Studio 1.23 server (started once per session by conftest.py).

These tests need the server: without it they fail (they never skip), see conftest.py.
"""

from __future__ import annotations

import json
import os
import stat

import pytest
from label_studio_sdk import LabelStudio

from whosaidwhat.core.resources import default_corpus_dir
from whosaidwhat.labelstudio.config import build_config
from whosaidwhat.labelstudio.convert import convert_export
from whosaidwhat.labelstudio.encode import encode_results
from whosaidwhat.labelstudio.pull import pull
from whosaidwhat.labelstudio.push import ensure_project, push, read_documents

from .campaign import ANNOTATOR_A, ANNOTATOR_B, DOCUMENTS, EXPECTED_A, EXPECTED_B, MINI, layers_of, load_doc, signup_annotator
from .conftest import TASK_PAGE_MAX

pytestmark = pytest.mark.labelstudio
DOC_IDS = sorted(p.stem for p in DOCUMENTS.glob("*.json"))


def env_for(label_studio) -> dict:
    """How a campaign lead passes credentials: the environment, never the command line."""
    return {"WSW_LABEL_STUDIO_URL": label_studio["url"], "WSW_LABEL_STUDIO_TOKEN": label_studio["token"]}


def sdk(label_studio, token=None) -> LabelStudio:
    return LabelStudio(base_url=label_studio["url"], api_key=token or label_studio["token"])


def task_ids(label_studio, project_id) -> dict:
    return {t.data["doc_id"]: t.id for t in sdk(label_studio).tasks.list(project=project_id)}


# -- the server wsw serves ------------------------------------------------------------------------
def test_serve_writes_private_credentials_and_never_prints_the_token(label_studio):
    creds = label_studio["creds"]
    assert stat.S_IMODE(os.stat(creds).st_mode) == 0o600
    assert label_studio["record"]["url"].startswith("http://127.0.0.1:")
    output = label_studio["serve_output"].read_text(encoding="utf-8")
    assert f"running at {label_studio['url']}" in output and str(creds) in output
    for secret in (label_studio["token"], label_studio["record"]["password"]):
        assert secret not in output
        assert secret not in label_studio["log"].read_text(encoding="utf-8", errors="replace")
    data_dir = label_studio["log"].parent  # the SQLite database in it holds the token: private (issue 10)
    assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(data_dir / "label_studio.sqlite3").st_mode) & 0o077 == 0


def test_generated_config_passes_the_servers_own_validation(client, project_title):
    project, created, differs = ensure_project(client, project_title)
    assert created and not differs
    client.call("validating", lambda ls: ls.projects.validate_label_config(id=project.id, label_config=build_config()))
    assert client.project(project.id).label_config.strip() == build_config().strip()


# -- push ------------------------------------------------------------------------------------------
def test_pushing_the_corpus_twice_adds_no_task_the_second_time(wsw, label_studio, project_title):
    first = wsw("labelstudio", "push", "--project", project_title, DOCUMENTS, env=env_for(label_studio))
    assert first.returncode == 0, first.stderr
    assert "(created): 3 task(s) imported, 0 already present" in first.stderr
    second = wsw("labelstudio", "push", "--project", project_title, DOCUMENTS, env=env_for(label_studio))
    assert second.returncode == 0, second.stderr
    assert ": 0 task(s) imported, 3 already present" in second.stderr
    project = sdk(label_studio).projects.list(title=project_title).items[0]
    assert sorted(task_ids(label_studio, project.id)) == DOC_IDS
    assert label_studio["token"] not in first.stdout + first.stderr + second.stdout + second.stderr


def test_push_imports_only_the_documents_that_are_missing(client, project_title):
    push(client, project_title, [(str(p), load_doc(p.stem)) for p in DOCUMENTS.glob("ls-mini*.json")])
    result = push(client, project_title, read_documents([DOCUMENTS]))
    assert (result.imported, result.already_present, result.duplicates) == (2, 1, {})


# -- lossless round trips -----------------------------------------------------------------------------
def test_round_trip_through_predictions_gives_back_the_documents(client, project_title, tmp_path):
    push(client, project_title, read_documents([DOCUMENTS]), mode="predictions")
    converted = pull(client, project_title, tmp_path / "pull", include_predictions=True)
    assert converted.report["problems"] == []
    pulled = {doc["id"]: doc for path, doc in converted.documents.items()}
    assert sorted(pulled) == ["ls-attribution-kinds", MINI]  # the text-only document has no prediction
    for doc_id, doc in pulled.items():
        assert layers_of(doc) == layers_of(load_doc(doc_id))
        assert doc["provenance"] == load_doc(doc_id)["provenance"]


@pytest.mark.parametrize("export_kind", ["snapshot", "sync"])
def test_round_trip_through_annotations_gives_back_the_same_layers(client, project_title, tmp_path, export_kind):
    push(client, project_title, read_documents([DOCUMENTS]), mode="annotations")
    if export_kind == "snapshot":
        converted = pull(client, project_title, tmp_path / "pull")
    else:
        project = client.find_project(project_title)
        converted = convert_export(json.loads(client.export_sync(project.id)))
    assert converted.report["problems"] == []
    pulled = {doc["id"]: doc for doc in converted.documents.values()}
    assert sorted(pulled) == ["ls-attribution-kinds", MINI]
    for doc_id, doc in pulled.items():
        assert layers_of(doc) == layers_of(load_doc(doc_id))
    assert {s["doc_id"]: s["reason"] for s in converted.report["skipped"]}["ls-text-only"] == "no annotations yet"


# -- the acceptance scenario ------------------------------------------------------------------------------
def test_two_annotators_on_one_task_pull_as_two_attributed_valid_documents(wsw, label_studio, project_title, tmp_path):
    corpus = default_corpus_dir() / "documents"  # the real corpus, plus the Unicode fixtures
    total = len(list(corpus.glob("*.json"))) + len(DOC_IDS)
    for _ in range(2):
        pushed = wsw("labelstudio", "push", "--project", project_title, corpus, DOCUMENTS, env=env_for(label_studio))
        assert pushed.returncode == 0, pushed.stderr
    assert f": 0 task(s) imported, {total} already present" in pushed.stderr
    admin = sdk(label_studio)
    second = sdk(label_studio, signup_annotator(label_studio["url"], label_studio["token"], "annotator.b@example.com",
                                                "b-password-123"))
    project = admin.projects.list(title=project_title).items[0]
    task = task_ids(label_studio, project.id)[MINI]
    admin.annotations.create(id=task, result=ANNOTATOR_A, lead_time=42.5)
    second.annotations.create(id=task, result=ANNOTATOR_B, lead_time=90.0)
    a_id, b_id = admin.users.whoami().id, second.users.whoami().id

    out = tmp_path / "pull"
    pulled = wsw("labelstudio", "pull", "--project", project_title, "--out", out, env=env_for(label_studio))
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    files = sorted(str(p.relative_to(out / "annotators")) for p in (out / "annotators").rglob("*.json"))
    assert files == [f"ls-user-{a_id}/{MINI}.json", f"ls-user-{b_id}/{MINI}.json"]
    for user, expected, lead in ((a_id, EXPECTED_A, 42.5), (b_id, EXPECTED_B, 90.0)):
        doc = json.loads((out / "annotators" / f"ls-user-{user}" / f"{MINI}.json").read_text(encoding="utf-8"))
        for key in ("entities", "mentions", "quotes", "claims"):
            assert sorted(doc[key], key=lambda i: i["id"]) == sorted(expected[key], key=lambda i: i["id"]), key
        record = doc["provenance"]["layers"]["quotes"]
        assert record["producers"][0]["id"] == f"ls-user-{user}" and record["lead_time_seconds"] == lead
    validated = wsw("validate", out / "annotators")
    assert validated.returncode == 0, validated.stdout
    assert (out / "labelstudio-export.json").is_file()  # the raw export is kept beside the documents


def test_server_stores_wrong_offsets_unchecked_and_pull_reports_them(client, label_studio, project_title, tmp_path):
    push(client, project_title, [("mini", load_doc(MINI))], mode="none")
    project = client.find_project(project_title)
    out = tmp_path / "pull"
    assert pull(client, project_title, out).ok  # nothing annotated yet: a good (empty) pull
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    task = task_ids(label_studio, project.id)[MINI]
    bad = encode_results(load_doc(MINI))
    for item in bad:
        if item.get("id") == "m3" and item["from_name"] == "mention":
            item["value"]["start"] += 2  # the server accepts this with 201
    sdk(label_studio).annotations.create(id=task, result=bad)
    converted = pull(client, project_title, out)
    assert converted.documents == {}
    assert any(p["region"] == "m3" and "does not match text[128, 135)" in p["message"]
               for p in converted.report["problems"])
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before  # the failed pull cost nothing
    report = json.loads((tmp_path / "pull.failed" / "report.json").read_text(encoding="utf-8"))
    assert report["problem_count"] == len(converted.report["problems"])
    exported = json.loads((tmp_path / "pull.failed" / "labelstudio-export.json").read_text(encoding="utf-8"))
    assert [t["data"]["doc_id"] for t in exported] == [MINI]  # the export that failed is kept for inspection


@pytest.mark.parametrize("page_size", [1, 2, 3])
def test_listing_doc_ids_survives_every_page_boundary(client, page_size, request):
    title = f"paging-{page_size}"
    push(client, title, read_documents([DOCUMENTS]), mode="none")
    project = client.find_project(title)
    listed = client.task_doc_ids(project.id, page_size=page_size)
    assert sorted(listed) == DOC_IDS and all(len(ids) == 1 for ids in listed.values())


# -- issue 10: page sizes, our own predictions, other configs ------------------------------------------------------
def test_the_corpus_pushed_twice_on_a_server_that_cuts_pages_has_no_duplicates_and_pulls_with_predictions(
        client, project_title, tmp_path):
    corpus = sorted((default_corpus_dir() / "documents").glob("*.json"))
    assert len(corpus) > TASK_PAGE_MAX  # the session's server serves at most TASK_PAGE_MAX tasks per page
    first = push(client, project_title, read_documents([default_corpus_dir() / "documents"]))
    second = push(client, project_title, read_documents([default_corpus_dir() / "documents"]))
    assert (first.imported, second.imported, second.already_present) == (len(corpus), 0, len(corpus))
    listed = client.task_doc_ids(first.project_id)
    assert sorted(listed) == sorted(p.stem for p in corpus) and all(len(ids) == 1 for ids in listed.values())
    converted = pull(client, project_title, tmp_path / "pull", include_predictions=True)  # default model versions
    assert converted.ok, converted.report["problems"][:3]
    predicted = [path for path in converted.documents if path.startswith("predictions/")]
    assert len(predicted) == len(corpus)


OTHER_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Labels name="label" toName="text"><Label value="PERSON"/></Labels>
</View>"""


def test_pull_of_a_project_with_another_labeling_config_says_so(client, project_title, tmp_path):
    project = client.create_project(project_title, OTHER_CONFIG, "not made by wsw")
    result = [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": 0, "end": 3, "text": "Zoe", "labels": ["PERSON"]}}]
    client.import_tasks(project.id, [{"data": {"text": "Zoe said so."}, "annotations": [{"result": result}]}])
    converted = pull(client, project_title, tmp_path / "pull")
    assert not converted.ok
    assert converted.report["problems"][0]["rule"] == "LS-CONFIG-FOREIGN"  # was: "tasks must be pushed with wsw"
    assert "labeling config" in converted.report["problems"][0]["message"]
