"""Small fixture gold (synthetic documents) and system folders for the leaderboard tests.

The corpus test split is being adjudicated while these tests are written, so they never read
corpus/: the gold here is generated (whosaidwhat.scoring.synthetic), seeded, 40 test and 12
validation documents, and each system's predictions are the gold with seeded, typical errors.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from whosaidwhat.scoring import submission_line
from whosaidwhat.scoring.synthetic import corpus as synthetic_corpus
from whosaidwhat.scoring.synthetic import predict

REPO = Path(__file__).resolve().parents[2]


def make_gold(root: Path, n_test: int = 40, n_validation: int = 12, seed: int = 7) -> tuple[Path, list[dict]]:
    """A corpus folder (documents/, splits.json, dataset.json); returns it and all its documents."""
    docs = [doc for doc, _ in synthetic_corpus(seed, n_test + n_validation, mentions=8, quotes=3, claims=2)]
    (root / "documents").mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (root / "documents" / f"{doc['id']}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    splits = {"train": [], "validation": [d["id"] for d in docs[n_test:]], "test": [d["id"] for d in docs[:n_test]]}
    (root / "splits.json").write_text(json.dumps({"version": "fixture-1", "rationale": "tests", "splits": splits}),
                                      encoding="utf-8")
    (root / "dataset.json").write_text(json.dumps({"version": "0.0.1-fixture"}), encoding="utf-8")
    return root, docs


def card(name: str, **overrides) -> dict:
    base = {"name": name, "version": "1.0", "team": "Fixture team", "url": "https://example.org/system",
            "description": f"{name}: a fixture system for the leaderboard tests.", "kind": "rules",
            "training_data": "none", "saw_test_texts": False, "license": "CC-BY-4.0", "date": "2026-01-15"}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not ...}


def noisy_lines(docs: list[dict], seed: int, keep_layers=("entities", "mentions", "quotes", "claims")) -> list[dict]:
    rng = random.Random(seed)
    lines = []
    for doc in docs:
        line = predict(rng, doc)
        lines.append({k: v for k, v in line.items() if k == "id" or k in keep_layers})
    return lines


def perfect_lines(docs: list[dict]) -> list[dict]:
    return [submission_line(doc) for doc in docs]


def write_system(parent: Path, system_id: str, card_data: dict | bytes | None, lines: list[dict] | bytes | None,
                 file_name: str = "predictions.jsonl") -> Path:
    folder = parent / system_id
    folder.mkdir(parents=True, exist_ok=True)
    if card_data is not None:
        data = card_data if isinstance(card_data, bytes) else json.dumps(card_data, ensure_ascii=False).encode("utf-8")
        (folder / "card.json").write_bytes(data)
    if lines is not None:
        if isinstance(lines, bytes):
            (folder / file_name).write_bytes(lines)
        elif file_name.endswith(".parquet"):
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pylist(lines), folder / file_name)
        else:
            (folder / file_name).write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
                                            encoding="utf-8")
    return folder


SCRIPT_NAME = "<script>window.__pwned = 1</script>Evil & Co"
IMG_TEAM = "<img src=x onerror=\"window.__pwned = 2\">"
BREAKOUT = "</td></tr></table><script>window.__pwned = 3</script><a href=\"javascript:window.__pwned=4\">x</a>"
MARKDOWN_NAME = "[click me](javascript:alert(1)) | ![img](http://example.invalid/x.png) `code`"


def make_good(parent: Path, docs: list[dict]) -> dict[str, Path]:
    """Two ordinary systems that must be ranked whatever the hostile ones do."""
    return {"good-a": write_system(parent, "good-a", card("Good A"), noisy_lines(docs, 11)),
            "good-b": write_system(parent, "good-b", card("Good B", kind="trained"), noisy_lines(docs, 12),
                                   "predictions.parquet")}


def make_hostile(parent: Path, docs: list[dict]) -> dict[str, tuple[str, str]]:
    """Hostile system folders: folder name -> (what must happen, a fragment of the reason or warning).

    "ranked" folders are accepted with their text escaped (or clipped); "refused" ones are refused
    with a reason containing the fragment; "skipped" ones are not system folders.
    """
    good_lines = noisy_lines(docs, 21)
    expect: dict[str, tuple[str, str]] = {}

    # 1. markup and script in every free-text field: escaped, and the system is still ranked
    write_system(parent, "script-in-name", card(SCRIPT_NAME, team=IMG_TEAM, description=BREAKOUT,
                                                training_data=BREAKOUT, version="<b>1</b>"), good_lines)
    expect["script-in-name"] = ("ranked", "")
    # 2. Markdown injection in the name: escaped in leaderboard.md
    write_system(parent, "markdown-name", card(MARKDOWN_NAME), noisy_lines(docs, 22))
    expect["markdown-name"] = ("ranked", "")
    # 3. a javascript: URL
    write_system(parent, "javascript-url", card("JS URL", url="javascript:window.__pwned=5"), good_lines)
    expect["javascript-url"] = ("refused", "$.url: [LB-CARD-SCHEMA]")
    # 4. path traversal through the card's predictions file name
    write_system(parent, "traversal", card("Traversal", predictions={"test": "../good-a/predictions.jsonl"}), good_lines)
    expect["traversal"] = ("refused", "$.predictions.test: [LB-CARD-SCHEMA]")
    # 5. a folder name that is not an id (markup, spaces, capitals)
    write_system(parent, "Evil <b>Folder", card("Bad folder"), good_lines)
    expect["Evil <b>Folder"] = ("refused", "[LB-SYSTEM-ID]")
    # 6. a predictions file that is a symbolic link out of the folder
    folder = write_system(parent, "symlink", card("Symlink"), None)
    (folder / "predictions.jsonl").symlink_to(Path("/etc/passwd"))
    expect["symlink"] = ("refused", "[LB-SYMLINK]")
    # 7. a megabyte-long name: refused by the schema, the message gives the length, not the name
    write_system(parent, "long-name", card("N" * 1_048_576), good_lines)
    expect["long-name"] = ("refused", "$.name: [LB-CARD-SCHEMA] longer than 120 characters (found 1,048,576)")
    # 8. a megabyte-long description: accepted, clipped, and the warning says so
    write_system(parent, "long-description", card("Long description", description="D" * 1_048_576), noisy_lines(docs, 23))
    expect["long-description"] = ("ranked", "$.description: [LB-CARD-CLIPPED] warning: truncated for display (found 1,048,576 characters")
    # 9. a card that is not UTF-8
    write_system(parent, "bad-utf8-card", b'{"name": "caf\xe9", "version": "1"}', good_lines)
    expect["bad-utf8-card"] = ("refused", "[FILE-ENCODING] not UTF-8 at byte 13")
    # 10. predictions that are not UTF-8
    raw = b"".join(json.dumps(x).encode() + b"\n" for x in good_lines[:3]) + b'{"id": "doc-03", "x": "\xff\xfe"}\n'
    write_system(parent, "bad-utf8-predictions", card("Bad bytes"), raw)
    expect["bad-utf8-predictions"] = ("refused", "[LB-SUBMISSION-INVALID]")
    # 11. predictions that fail the checks (a span past the end of the text)
    broken = [dict(x) for x in good_lines]
    broken[0] = {"id": broken[0]["id"], "mentions": [{"id": "m1", "start": 0, "end": 10_000_000, "type": "PER"}]}
    write_system(parent, "fails-checks", card("Fails checks"), broken)
    expect["fails-checks"] = ("refused", "[LB-SUBMISSION-INVALID]")
    # 12. a folder name that is not even UTF-8
    os.mkdir(os.fsencode(parent) + b"/caf\xe9")
    write_system(parent, os.fsdecode(b"caf\xe9"), card("Latin-1 folder"), good_lines)
    expect[os.fsdecode(b"caf\xe9")] = ("refused", "[LB-SYSTEM-ID] the folder name is not a valid system id (found caf\\xe9")
    # 13. terminal escape sequences in a field: refused by the schema (no control characters)
    write_system(parent, "ansi", card("ANSI", team="\x1b[31mred\x1b[0m"), good_lines)
    expect["ansi"] = ("refused", "$.team: [LB-CARD-SCHEMA]")
    # 14. a card too big to read
    write_system(parent, "huge-card", b'{"name": "' + b"x" * (5 * 1024 * 1024) + b'"}', good_lines)
    expect["huge-card"] = ("refused", "[LB-CARD-TOO-BIG]")
    # 15. a truncated card
    write_system(parent, "truncated-card", b'{"name": "Trunc', good_lines)
    expect["truncated-card"] = ("refused", "[JSON-SYNTAX]")
    # 16. no card at all: not a system folder
    write_system(parent, "no-card", None, good_lines)
    expect["no-card"] = ("skipped", "[LB-NO-CARD]")
    return expect
