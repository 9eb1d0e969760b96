"""`push --annotator-from-provenance` and pull, against the real Label Studio server of conftest.py.

Annotators' work made outside Label Studio goes in as each annotator's own annotation (a
placeholder user per annotator) and comes back per annotator, equal to what was pushed, with
where it was in Label Studio added to its provenance.
"""

from __future__ import annotations

import json
import shutil

import pytest
from label_studio_sdk import LabelStudio

from whosaidwhat.core.document import text_sha256
from whosaidwhat.core.problems import ProblemError
from whosaidwhat.core.resources import default_corpus_dir
from whosaidwhat.labelstudio.annotators import Annotators, annotator_from_user, check_map, placeholder_email
from whosaidwhat.labelstudio.convert import convert_export
from whosaidwhat.labelstudio.push_annotators import lead_time_of

from .annotator_folders import (
    SOURCES,
    annotated_by,
    label_studio_lines,
    source_doc,
    two_annotators,
    without_label_studio,
    write_folder,
)
from .campaign import ANNOTATOR_B, FIXTURES, MINI
from .conftest import TASK_PAGE_MAX

pytestmark = pytest.mark.labelstudio


def env_for(label_studio) -> dict:
    return {"WSW_LABEL_STUDIO_URL": label_studio["url"], "WSW_LABEL_STUDIO_TOKEN": label_studio["token"]}


def sdk(label_studio) -> LabelStudio:
    return LabelStudio(base_url=label_studio["url"], api_key=label_studio["token"])


def push(wsw, label_studio, title, *folders):
    result = wsw("labelstudio", "push", "--project", title, "--annotator-from-provenance", *folders,
                 env=env_for(label_studio))
    assert result.returncode == 0, result.stderr
    return result.stderr


def pulled_docs(out) -> dict:
    return {(p.parent.name, p.stem): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((out / "annotators").rglob("*.json"))}


# -- the acceptance scenario -----------------------------------------------------------------------
def test_two_annotators_folders_come_back_per_annotator_as_pushed(wsw, label_studio, project_title, tmp_path):
    folders = two_annotators(tmp_path / "work")
    # one folder per command: the first imports the tasks with ann-x's annotations, the second adds ann-y's
    assert "3 annotation(s) created, 0 already present, 3 task(s) imported" in push(wsw, label_studio, project_title,
                                                                                     folders["ann-x"])
    assert "3 annotation(s) created, 0 already present, 0 task(s) imported" in push(wsw, label_studio, project_title,
                                                                                     folders["ann-y"])
    again = push(wsw, label_studio, project_title, folders["ann-x"], folders["ann-y"])
    assert "0 annotation(s) created, 6 already present, 0 task(s) imported" in again and "warning" not in again

    ls = sdk(label_studio)
    project = ls.projects.list(title=project_title).items[0]
    users = {u.id: u for u in ls.users.list()}
    tasks = {t.data["doc_id"]: t for t in ls.tasks.list(project=project.id, fields="all")}
    assert sorted(tasks) == sorted(SOURCES)
    for task in tasks.values():  # one annotation per annotator, by its own (placeholder) user, with its lead time
        by_user = {users[a["completed_by"]].email: a for a in task.annotations}
        assert sorted(by_user) == ["ann-x@annotators.invalid", "ann-y@annotators.invalid"]
        assert {users[a["completed_by"]].first_name for a in task.annotations} == {"ann-x", "ann-y"}
        assert (by_user["ann-x@annotators.invalid"]["lead_time"], by_user["ann-y@annotators.invalid"]["lead_time"]) == \
               (120.0, 120.0)  # one value when the layers agree, their sum when they differ

    out = tmp_path / "pull"
    pulled = wsw("labelstudio", "pull", "--project", project_title, "--out", out, env=env_for(label_studio))
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    docs = pulled_docs(out)
    assert sorted(docs) == sorted((a, d) for a in ("ann-x", "ann-y") for d in SOURCES)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    written = {(w["annotator"], w["doc_id"]): w for w in report["written"]}
    for (annotator, doc_id), doc in docs.items():
        pushed = json.loads((folders[annotator] / f"{doc_id}.json").read_text(encoding="utf-8"))
        assert without_label_studio(doc, pushed) == pushed  # layers, offsets, ids, item order, provenance
        entry = written[(annotator, doc_id)]
        task, annotation = tasks[doc_id], entry["annotation"]
        assert (entry["task"], entry["provenance"], entry["changed_in_label_studio"]) == (task.id, "pushed", [])
        user = next(u for u in users.values() if u.email == f"{annotator}@annotators.invalid")
        expected = (f"pulled from {label_studio['url']}, project {project.id}, task {task.id}, annotation {annotation}, "
                    f"completed_by user {user.id} <{annotator}@annotators.invalid>, unchanged since the push")
        for name, record in doc["provenance"]["layers"].items():
            producer = record["producers"][0]
            assert (producer["id"], producer["model"], producer["kind"]) == (annotator, "m", "agent")
            [line] = label_studio_lines(doc)[name]
            assert line.endswith(expected) and str(folders[annotator] / f"{doc_id}.json") in line
            if annotator == "ann-x":  # no workspace recorded: it is where the annotation is in Label Studio
                assert producer["workspace"] == f"{label_studio['url']}/projects/{project.id}/data?task={task.id}" \
                                                f"&annotation={annotation}"
            else:  # the annotator's own workspace is kept
                assert producer["workspace"] == "/work/annot/pass-2/ann-y"
    validated = wsw("validate", out / "annotators")
    assert validated.returncode == 0, validated.stdout

    # the raw export kept beside the pull converts to the same documents
    converted = wsw("labelstudio", "convert", out / "labelstudio-export.json", "--out", tmp_path / "converted")
    assert converted.returncode == 0, converted.stderr
    assert pulled_docs(tmp_path / "converted") == docs


def test_a_document_changed_in_label_studio_keeps_its_pushed_provenance_and_says_what_changed(
        wsw, label_studio, project_title, tmp_path):
    folders = two_annotators(tmp_path / "work")
    push(wsw, label_studio, project_title, folders["ann-x"])
    ls = sdk(label_studio)
    project = ls.projects.list(title=project_title).items[0]
    task = next(t for t in ls.tasks.list(project=project.id, fields="all") if t.data["doc_id"] == MINI)
    [annotation] = task.annotations
    # a reviewer unticks check-worthiness in the browser: only the claims layer changes
    ls.annotations.update(id=annotation["id"], result=[r for r in annotation["result"] if r.get("from_name") != "check_worthy"])

    again = push(wsw, label_studio, project_title, folders["ann-x"])
    assert "0 annotation(s) created, 3 already present" in again
    assert f"annotator ann-x already has annotation {annotation['id']} of {MINI}" in again and "differs in claims" in again

    out = tmp_path / "pull"
    assert wsw("labelstudio", "pull", "--project", project_title, "--out", out, env=env_for(label_studio)).returncode == 0
    doc = pulled_docs(out)[("ann-x", MINI)]
    pushed = json.loads((folders["ann-x"] / f"{MINI}.json").read_text(encoding="utf-8"))
    layers = doc["provenance"]["layers"]
    for name in ("mentions", "quotes"):
        assert without_label_studio(doc, pushed)["provenance"]["layers"][name] == pushed["provenance"]["layers"][name]
    claims = layers["claims"]
    assert [c["check_worthy"] for c in doc["claims"]] == [False]
    assert claims["status"] == "draft" and claims["producers"][0]["id"] == "ann-x"
    assert claims["producers"][1]["role"] == "corrected" and claims["producers"][1]["id"].startswith("ls-user-")
    assert any(c.startswith("changed in Label Studio after the push") for c in claims["changes"])
    written = json.loads((out / "report.json").read_text(encoding="utf-8"))["written"]
    assert {w["doc_id"]: w["changed_in_label_studio"] for w in written} == {
        "gum-news-stampede": [], "gum-news-worship": [], MINI: ["claims"]}


def test_a_document_without_a_producer_id_is_one_error_line_and_nothing_is_pushed(wsw, label_studio, project_title,
                                                                                   tmp_path):
    folders = two_annotators(tmp_path / "work")
    doc = json.loads((folders["ann-y"] / "gum-news-worship.json").read_text(encoding="utf-8"))
    for record in doc["provenance"]["layers"].values():
        record["producers"] = []
    (folders["ann-y"] / "gum-news-worship.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = wsw("labelstudio", "push", "--project", project_title, "--annotator-from-provenance",
                 folders["ann-x"], folders["ann-y"], env=env_for(label_studio))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("wsw: error: ")
    assert "gum-news-worship.json: $.provenance.layers.mentions.producers[0].id: [LS-PRODUCER-ID] no annotator" in result.stderr
    assert "nothing was pushed" in result.stderr and "Traceback" not in result.stderr
    assert not sdk(label_studio).projects.list(title=project_title).items  # not even the project


def test_an_annotation_of_another_text_is_refused_before_anything_changes(wsw, label_studio, project_title, tmp_path):
    folders = two_annotators(tmp_path / "work")
    push(wsw, label_studio, project_title, folders["ann-x"])
    doc = json.loads((folders["ann-y"] / f"{MINI}.json").read_text(encoding="utf-8"))
    doc["text"] += " An added sentence."
    doc["text_sha256"] = text_sha256(doc["text"])
    (folders["ann-y"] / f"{MINI}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = wsw("labelstudio", "push", "--project", project_title, "--annotator-from-provenance", folders["ann-y"],
                 env=env_for(label_studio))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "[LS-PUSH-TEXT-DIFFERS]" in result.stderr and f"the text of document {MINI} differs" in result.stderr
    project = sdk(label_studio).projects.list(title=project_title).items[0]
    assert sum(len(t.annotations) for t in sdk(label_studio).tasks.list(project=project.id, fields="all")) == 3


def test_more_than_a_page_of_tasks_is_listed_and_pushed_once(wsw, label_studio, project_title, tmp_path, client):
    corpus = sorted((default_corpus_dir() / "documents").glob("*.json"))
    assert len(corpus) > TASK_PAGE_MAX
    docs = [annotated_by(json.loads(p.read_text(encoding="utf-8")), "ann-page", dict.fromkeys(
        ("mentions", "quotes", "claims"), 10.0)) for p in corpus]
    folder = write_folder(tmp_path / "ann-page", docs)
    first = push(wsw, label_studio, project_title, folder)
    assert f"{len(corpus)} annotation(s) created, 0 already present, {len(corpus)} task(s) imported" in first
    project = client.find_project(project_title)
    page = sdk(label_studio).tasks.list(project=project.id, page=1, page_size=500)
    assert len(page.items) == TASK_PAGE_MAX  # the server really cuts pages short
    listed = client.task_doc_ids(project.id)
    assert sorted(listed) == sorted(p.stem for p in corpus) and all(len(ids) == 1 for ids in listed.values())
    second = push(wsw, label_studio, project_title, folder)
    assert f"0 annotation(s) created, {len(corpus)} already present, 0 task(s) imported" in second
    plain = wsw("labelstudio", "push", "--project", project_title, default_corpus_dir() / "documents",
                env=env_for(label_studio))  # the plain push lists past the first page too
    assert f": 0 task(s) imported, {len(corpus)} already present" in plain.stderr, plain.stderr


# -- annotator ids ------------------------------------------------------------------------------------
def test_annotator_map_keys_that_are_emails_are_applied_on_pull(wsw, label_studio, client, project_title, tmp_path):
    folders = two_annotators(tmp_path / "work")
    push(wsw, label_studio, project_title, folders["ann-x"])
    jane = client.create_user("jane.doe@example.org", "Jane")  # a real person, annotating in the browser
    ls = sdk(label_studio)
    project = ls.projects.list(title=project_title).items[0]
    task = next(t for t in ls.tasks.list(project=project.id) if t.data["doc_id"] == MINI)
    ls.annotations.create(id=task.id, result=ANNOTATOR_B, completed_by=jane.id, lead_time=5.0)
    mapping = tmp_path / "annotators.json"
    mapping.write_text(json.dumps({"Jane.Doe@example.org": "annotator-04", "ann-x@annotators.invalid": "annotator-01"}))
    out = tmp_path / "pull"
    pulled = wsw("labelstudio", "pull", "--project", project_title, "--out", out, "--annotators", mapping,
                 env=env_for(label_studio))
    assert pulled.returncode == 0, pulled.stderr
    docs = pulled_docs(out)
    assert sorted(docs) == sorted([("annotator-04", MINI)] + [("annotator-01", d) for d in SOURCES])
    renamed = docs[("annotator-01", MINI)]["provenance"]["layers"]["quotes"]
    assert renamed["producers"][0]["id"] == "annotator-01" and renamed["producers"][0]["model"] == "m"
    assert "annotator id ann-x mapped to annotator-01 by the annotator map" in renamed["changes"]
    assert "jane.doe" not in json.dumps(list(docs.values())).lower()  # a real e-mail address is never written
    assert docs[("annotator-04", MINI)]["provenance"]["layers"]["quotes"]["producers"][0]["workspace"].startswith(
        f"{label_studio['url']}/projects/{project.id}/data?task={task.id}&annotation=")


def test_email_keys_an_export_cannot_resolve_are_reported_not_ignored():
    export = json.loads((FIXTURES / "export-sync.json").read_text(encoding="utf-8"))  # users by id only
    converted = convert_export(export, annotators=Annotators({"1": "annotator-01", "b@example.com": "annotator-02"}))
    assert not converted.ok
    assert any(p["rule"] == "LS-ANNOTATOR-UNKNOWN" and "e-mail keys cannot be applied" in p["message"]
               and p["annotator"] is None for p in converted.report["problems"])
    assert all("annotators/annotator-01/" in path for path in converted.documents)


def test_placeholder_users_stand_for_annotator_ids():
    assert placeholder_email("ann-x") == "ann-x@annotators.invalid"
    assert placeholder_email("Team:A.1") == "team_a.1@annotators.invalid"
    assert annotator_from_user("team_a.1@annotators.invalid", "Team:A.1") == "Team:A.1"  # the first name is exact
    assert annotator_from_user("ann-x@annotators.invalid", "") == "ann-x"
    assert annotator_from_user("jane@example.org", "Jane") is None  # a real person keeps a pseudonym
    assert Annotators(users={7: ("ann-x@annotators.invalid", "ann-x")}).resolve(7) == ("ann-x", None)
    assert Annotators(users={8: ("jane@example.org", "Jane")}).resolve(8) == ("ls-user-8", None)
    with pytest.raises(ProblemError, match="neither a Label Studio user id") as err:
        check_map({"ls-user-7": "x"}, "map.json")
    assert err.value.rules == ["LS-MAP-INVALID"] and err.value.problems[0].file == "map.json"


def test_lead_time_is_one_value_when_layers_agree_else_their_sum():
    doc = annotated_by(source_doc(MINI), "a", {"mentions": 30.0, "quotes": 30.0, "claims": 30.0})
    assert lead_time_of(doc) == 30.0
    doc["provenance"]["layers"]["quotes"]["lead_time_seconds"] = 10.0
    assert lead_time_of(doc) == 70.0
    for record in doc["provenance"]["layers"].values():
        record["lead_time_seconds"] = None
    assert lead_time_of(doc) is None


def test_the_option_is_checked_before_any_request(wsw, tmp_path):
    folder = two_annotators(tmp_path)["ann-x"]
    env = {"WSW_LABEL_STUDIO_TOKEN": "t" * 40}
    dead = ("--url", "http://127.0.0.1:9", "--retries", "1")
    wrong = wsw("labelstudio", "push", "--project", "p-x", "--annotator-from-provenance", "--as", "predictions",
                *dead, folder, env=env)
    assert wrong.returncode == 2 and "[OPTION-INVALID]" in wrong.stderr and "--as predictions" in wrong.stderr
    shutil.copy(folder / f"{MINI}.json", tmp_path / "again.json")
    twice = wsw("labelstudio", "push", "--project", "p-x", "--annotator-from-provenance", *dead, folder,
                tmp_path / "again.json", env=env)
    assert twice.returncode == 1 and "[LS-PUSH-DUPLICATE-DOC]" in twice.stderr
    assert f"document id '{MINI}' of annotator ann-x also in" in twice.stderr
