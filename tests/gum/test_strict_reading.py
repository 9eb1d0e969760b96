"""Record and data files are read by the strict JSON reader: FIFOs, binary files and duplicate keys are refused.

Before the shared reader, a FIFO named GUM_*.json was skipped without a word, a zip named .json was
"not valid JSON" and a key given twice in overrides.json silently kept its last value.
"""

from __future__ import annotations

import json
import os
import re
import shutil

from whosaidwhat.cli import main

from ..conftest import REPO
from .gumrec import LICENSE, M, record

DATA = REPO / "annotation" / "gum"


def _folder(tmp_path):
    folder = tmp_path / "gum_interview"
    folder.mkdir()
    text = "Biologist Nick Bos talks about ants\n\nNick Bos studies ants.\n\nAnts are clever."
    rec = record(text, [M("Nick Bos", "person", "e1", head="Nick")], doc_id="GUM_interview_ants",
                 turns=[("#NickBos", "Ants are clever.")], license=dict(LICENSE))
    (folder / "GUM_interview_ants.json").write_text(json.dumps(rec), encoding="utf-8")
    (folder / "README.md").write_text("notice\n", encoding="utf-8")
    return folder


def _run(capsys, tmp_path, folder, data=DATA) -> tuple[int, str, list[str]]:
    code = main(["import", "gum", str(folder), "--out", str(tmp_path / "corpus" / "documents"),
                 "--raw-dir", str(tmp_path / "corpus" / "raw" / "gum_interview"), "--data", str(data)])
    err = capsys.readouterr().err
    return code, err, re.findall(r"\[([A-Z0-9-]+)\]", err)


def test_a_fifo_named_like_a_record_is_refused_not_skipped_or_waited_on(capsys, tmp_path):
    folder = _folder(tmp_path)
    os.mkfifo(folder / "GUM_interview_pipe.json")
    code, err, rules = _run(capsys, tmp_path, folder)
    assert code == 1 and rules == ["FILE-NOT-REGULAR"]
    assert f"{folder / 'GUM_interview_pipe.json'}: [FILE-NOT-REGULAR]" in err
    assert not (tmp_path / "corpus").exists()


def test_a_zip_named_like_a_record_is_named_as_such(capsys, tmp_path):
    folder = _folder(tmp_path)
    (folder / "GUM_interview_zip.json").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))
    code, err, rules = _run(capsys, tmp_path, folder)
    assert code == 1 and rules == ["FILE-BINARY"] and "zip archive" in err


def test_a_duplicate_key_in_a_record_is_refused(capsys, tmp_path):
    folder = _folder(tmp_path)
    path = folder / "GUM_interview_ants.json"
    path.write_text(path.read_text(encoding="utf-8")[:-1] + ', "title": "Other"}', encoding="utf-8")
    code, err, rules = _run(capsys, tmp_path, folder)
    assert code == 1 and rules == ["JSON-DUPLICATE-KEY"] and f"{path}: $: [JSON-DUPLICATE-KEY]" in err


def _data(tmp_path) -> tuple:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DATA / "entity_types.json", data / "entity_types.json")
    return data, data / "overrides.json"


def test_a_duplicate_key_in_overrides_json_is_refused_not_the_last_one_kept(capsys, tmp_path):
    data, overrides = _data(tmp_path)
    overrides.write_text('{"version": "1", "documents": {}, "documents": {}}', encoding="utf-8")
    code, err, rules = _run(capsys, tmp_path, _folder(tmp_path), data)
    assert code == 1 and rules == ["JSON-DUPLICATE-KEY"] and str(overrides) in err


def test_a_fifo_as_overrides_json_is_refused(capsys, tmp_path):
    data, overrides = _data(tmp_path)
    os.mkfifo(overrides)
    code, err, rules = _run(capsys, tmp_path, _folder(tmp_path), data)
    assert code == 1 and rules == ["FILE-NOT-REGULAR"] and str(overrides) in err


def test_a_missing_data_file_names_the_option_to_pass(capsys, tmp_path):
    data, _ = _data(tmp_path)
    code, err, rules = _run(capsys, tmp_path, _folder(tmp_path), data)
    assert code == 1 and rules == ["FILE-READ"] and "--data" in err


def test_an_overrides_section_of_the_wrong_type_names_the_document_and_section(capsys, tmp_path):
    data, overrides = _data(tmp_path)
    overrides.write_text(json.dumps({"documents": {"GUM_interview_ants": {"mentions": []}}}), encoding="utf-8")
    code, err, rules = _run(capsys, tmp_path, _folder(tmp_path), data)
    assert code == 1 and rules == ["IMPORT-DATA-INVALID"]
    assert f"{overrides}: GUM_interview_ants: mentions: [IMPORT-DATA-INVALID]" in err
