"""Triggers of the `document` rules: `wsw validate` and the validator on the smallest bad document.

Most start from the valid fixture (tests/fixtures/valid/mini-unicode.json) and break one thing;
the rules across documents and file names run the real command on a folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from whosaidwhat.validation import validate_document

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "mini-unicode.json"


def _doc() -> dict:
    return json.loads(VALID.read_text(encoding="utf-8"))


def _broken(change: Callable[[dict], object]) -> Callable[..., list[str]]:
    def trigger(tmp_path, request) -> list[str]:
        doc = _doc()
        change(doc)
        return [p.rule for p in validate_document(doc, "doc.json")]
    return trigger


def _validate(request, *paths) -> list[str]:
    from whosaidwhat.cli import main

    capsys = request.getfixturevalue("capsys")
    main(["validate", *map(str, paths)])
    return re.findall(r"\[([A-Z0-9-]+)\]", capsys.readouterr().out)


def _file_name(tmp_path, request):
    (tmp_path / "wrong-name.json").write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    return _validate(request, tmp_path / "wrong-name.json")


def _doc_id_duplicate(tmp_path, request):
    line = json.dumps(_doc(), ensure_ascii=False)
    (tmp_path / "docs.jsonl").write_text(line + "\n" + line + "\n", encoding="utf-8")
    return _validate(request, tmp_path / "docs.jsonl")


def _mention(field: str, value: object) -> Callable[[dict], object]:
    return lambda doc: doc["mentions"][0].__setitem__(field, value)


def _withheld(doc: dict) -> None:
    doc["text"] = None  # the license allows redistribution: the text may not be withheld
    for mention in doc["mentions"]:
        mention["text"] = None
    for item in doc["quotes"] + doc["claims"]:
        for fragment in item["fragments"]:
            fragment["text"] = None
        if item.get("cue"):
            item["cue"]["text"] = None


def _split_flag(doc: dict) -> None:
    """A flag (two regional indicators) cut in half by a mention's end (a grapheme cluster, not a combining mark)."""
    flag = "\U0001F1EB\U0001F1F7"
    start = len(doc["text"])
    doc["text"] += " Paris" + flag
    doc["text_sha256"] = __import__("hashlib").sha256(doc["text"].encode("utf-8")).hexdigest()
    doc["mentions"].append({"id": "m-flag", "start": start + 1, "end": start + 7, "text": doc["text"][start + 1:start + 7],
                            "type": doc["mentions"][0]["type"], "kind": doc["mentions"][0]["kind"],
                            "entity": doc["mentions"][0]["entity"]})


def _rehash(doc: dict) -> None:
    doc["text_sha256"] = "0" * 64


def _absent(doc: dict) -> None:
    doc["provenance"]["layers"]["quotes"]["status"] = "absent"


def _whitespace(doc: dict) -> None:
    mention = doc["mentions"][0]
    mention["start"] -= 1
    mention["text"] = doc["text"][mention["start"]:mention["end"]]


def _splits_word(doc: dict) -> None:
    mention = doc["mentions"][0]
    mention["end"] -= 1
    mention["text"] = doc["text"][mention["start"]:mention["end"]]


def _unused_entity(doc: dict) -> None:
    doc["entities"].append({"id": "e-lonely", "type": "PER", "name": "Nobody"})


def _mention_type(doc: dict) -> None:
    entity = next(e for e in doc["entities"] if e["id"] == doc["mentions"][0]["entity"])
    other = "ORG" if entity["type"] != "ORG" else "PER"
    doc["mentions"][0]["type"] = other


def _fragments_overlap(doc: dict) -> None:
    quote = next(q for q in doc["quotes"] if len(q["fragments"]) > 1)
    first, second = quote["fragments"][:2]
    second["start"] = first["start"]
    second["text"] = doc["text"][second["start"]:second["end"]]


TRIGGERS = {
    "SCHEMA": _broken(lambda doc: doc.__setitem__("id", "mini-unicode\n")),
    "FILE-NAME": _file_name,
    "DOC-ID-DUPLICATE": _doc_id_duplicate,
    "TEXT-HASH": _broken(_rehash),
    "TEXT-MISSING": _broken(_withheld),
    "DATE-INVALID": _broken(lambda doc: doc["metadata"].__setitem__("published", "2024-02-30")),
    "SPAN-OFFSET-TYPE": _broken(_mention("start", 6.0)),
    "SPAN-EMPTY": _broken(lambda doc: doc["mentions"][0].__setitem__("end", doc["mentions"][0]["start"])),
    "SPAN-RANGE": _broken(lambda doc: doc["mentions"][0].__setitem__("end", len(doc["text"]) + 1)),
    "SPAN-TEXT": _broken(_mention("text", "something else")),
    "SPAN-SPLITS-CHAR": _broken(_split_flag),
    "SPAN-WHITESPACE": _broken(_whitespace),
    "SPAN-SPLITS-WORD": _broken(_splits_word),
    "FRAGMENT-ORDER": _broken(_fragments_overlap),
    "ID-DUPLICATE": _broken(lambda doc: doc["quotes"][0].__setitem__("id", doc["mentions"][0]["id"])),
    "REF-DANGLING": _broken(lambda doc: doc["claims"][0].__setitem__("quote", "q-none")),
    "REF-SHAPE": _broken(lambda doc: doc["quotes"][0].__setitem__("speaker", {"kind": "unknown", "entity": "e1"})),
    "LABEL-UNKNOWN": _broken(lambda doc: doc["quotes"][0].__setitem__("type", "verbatim")),
    "MENTION-TYPE": _broken(_mention_type),
    "ENTITY-UNUSED": _broken(_unused_entity),
    "KB-ID-FORMAT": _broken(lambda doc: doc["entities"][0].__setitem__("kb_id", "Almería")),
    "LAYER-ABSENT": _broken(_absent),
}
