"""The fast submission reader (pyarrow + vectorised checks) against the per-line path, differentially.

`read_submission` parses JSONL blocks with pyarrow.json (Parquet batches directly) and checks every
rule with pyarrow compute and numpy; a line it cannot vouch for goes through the per-line path,
which alone writes problem messages. `read_submission(..., fast=False)` is the per-line path on
every line. For every input here both must give exactly the same problems (rule, file:line,
document id, JSON path, message, found, expected; same order, same total under the cap) or, for a
clean input, the same layers (every numpy column, in the same order) and the same record.

Inputs: the bad-input cases of test_submission.py, hand-written strict-JSON cases (duplicate
keys, NaN, Infinity, lone surrogates, ...), and submissions corrupted at random (seeded) at the
byte level and at the object level, in JSONL and in Parquet, read in small blocks so that block
boundaries fall everywhere.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import random

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from whosaidwhat.core.inventory import load_inventory
from whosaidwhat.scoring import SubmissionError, load_gold, open_gold, read_submission, submission_line, synthetic
from whosaidwhat.scoring import submission as submission_module

from .helpers import load_fixture, write_corpus
from .test_submission import CASES, _mutations, write_lines

INVENTORY = load_inventory()
GOLD = load_fixture()
OTHER = {**copy.deepcopy(GOLD), "id": "other-doc"}
DOCS = [doc for doc, _ in synthetic.corpus(11, 30)]
PREDICTIONS = [line for _, line in synthetic.corpus(11, 30)]


@pytest.fixture(scope="module")
def gold(tmp_path_factory):
    root = write_corpus(tmp_path_factory.mktemp("gold"), [GOLD, *DOCS], others={"train": [OTHER]})
    return load_gold(open_gold(root), "test", INVENTORY)


def with_texts(line: dict, doc: dict) -> dict:
    """A line carrying every span's surface text (checked against the gold text)."""
    line = copy.deepcopy(line)
    text = doc["text"]
    for mention in line.get("mentions", []):
        mention["text"] = text[mention["start"]:mention["end"]]
    for item in line.get("quotes", []) + line.get("claims", []):
        for fragment in item["fragments"]:
            fragment["text"] = text[fragment["start"]:fragment["end"]]
        if item.get("cue"):
            item["cue"]["text"] = text[item["cue"]["start"]:item["cue"]["end"]]
    return line


def clean_lines() -> list[dict]:
    lines = [with_texts(submission_line(GOLD), GOLD), submission_line(OTHER)]
    for k, (line, doc) in enumerate(zip(PREDICTIONS, DOCS)):
        lines.append(with_texts(line, doc) if k % 3 == 0 else copy.deepcopy(line))
    return lines


def columns(layers) -> dict:
    out = {"n_docs": layers.n_docs, "n_entities": layers.n_entities, "entity_doc": layers.entity_doc}
    for name in ("mentions", "quotes", "claims"):
        for f in dataclasses.fields(getattr(layers, name)):
            out[f"{name}.{f.name}"] = getattr(getattr(layers, name), f.name)
    out.update({f"annotated.{k}": v for k, v in layers.annotated.items()})
    return out


def outcome(path, gold, fast: bool, max_problems: int = 50):
    try:
        layers, info = read_submission(path, gold, INVENTORY, max_problems=max_problems, fast=fast)
    except SubmissionError as error:
        return "problems", [p.as_dict() for p in error.problems], error.total
    return "clean", columns(layers), dataclasses.asdict(info)


def assert_same(path, gold, max_problems: int = 50) -> str:
    fast, exact = outcome(path, gold, True, max_problems), outcome(path, gold, False, max_problems)
    assert fast[0] == exact[0], (fast, exact)
    if fast[0] == "problems":
        assert fast[1:] == exact[1:]
    else:
        assert fast[1].keys() == exact[1].keys()
        for name in fast[1]:
            assert np.array_equal(fast[1][name], exact[1][name]), name
        assert fast[2] == exact[2]
    return fast[0]


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of a few lines, so that block boundaries fall everywhere."""
    monkeypatch.setattr(submission_module, "_BLOCK", 4096)
    monkeypatch.setattr(submission_module, "_PARQUET_BATCH", 7)


# -- clean input: the fast path alone, same layers -----------------------------------------------

def test_a_clean_submission_gives_the_same_layers_and_never_takes_the_per_line_path(gold, tmp_path, monkeypatch):
    path = write_lines(tmp_path / "pred.jsonl", clean_lines())
    assert assert_same(path, gold) == "clean"
    calls = []
    monkeypatch.setattr(submission_module._Reading, "take", lambda *args: calls.append(args))
    read_submission(path, gold, INVENTORY)
    assert calls == []


def test_a_clean_parquet_submission_gives_the_same_layers(gold, tmp_path, small_blocks, monkeypatch):
    path = tmp_path / "pred.parquet"
    pq.write_table(pa.Table.from_pylist(clean_lines()), path)
    assert assert_same(path, gold) == "clean"
    calls = []
    monkeypatch.setattr(submission_module._Reading, "take", lambda *args: calls.append(args))
    read_submission(path, gold, INVENTORY)
    assert calls == []


def test_clean_lines_that_only_look_unusual_are_read_alike(gold, tmp_path, small_blocks):
    """Escapes, paired surrogates, CRLF, blank lines, leading spaces, explicit nulls, no final newline."""
    lines = [json.dumps(line, ensure_ascii=True) for line in clean_lines()]
    lines[0] = "  " + lines[0]
    lines[2] = lines[2] + "\r"
    lines[3] = lines[3].replace('"id": ', '"\\u0069d": ', 1)
    lines[4] = json.dumps({**json.loads(lines[4]), "text_sha256": None})
    lines.insert(5, "")
    lines.insert(6, " \t ")
    first = json.loads(lines[0])
    first["entities"].append({"id": "emoji", "name": "\U0001F600 caf\u00e9"})  # ensure_ascii: a surrogate pair
    lines[0] = json.dumps(first)
    path = tmp_path / "pred.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8"))  # no newline after the last line
    assert assert_same(path, gold) == "clean"


# -- the bad-input cases of test_submission.py -----------------------------------------------------

@pytest.mark.parametrize("case", list(CASES))
def test_every_bad_input_case_gives_the_same_problems(case, gold, tmp_path):
    lines, *_ = CASES[case]
    path = write_lines(tmp_path / "pred.jsonl", lines)
    assert assert_same(path, gold) == "problems"


# -- strict JSON: each refusal is still made, by both paths, at the same place ----------------------

GOOD = json.dumps(submission_line(GOLD))
STRICT = {
    "duplicate key": (GOOD.replace('"id": "mini-unicode"', '"id": "mini-unicode", "id": "mini-unicode"', 1), "JSON-DUPLICATE-KEY"),
    "duplicate nested key": (GOOD.replace('"start": ', '"start": 1, "start": ', 1), "JSON-DUPLICATE-KEY"),
    "duplicate key spelled with an escape": (GOOD.replace('"mentions": ', '"mentions": [], "\\u006dentions": ', 1),
                                             "JSON-DUPLICATE-KEY"),
    "NaN": (GOOD.replace('"start": ', '"start": NaN, "x": ', 1), "JSON-CONSTANT"),
    "Infinity": (GOOD.replace('"end": ', '"end": Infinity, "x": ', 1), "JSON-CONSTANT"),
    "-Infinity": (GOOD.replace('"end": ', '"end": -Infinity, "x": ', 1), "JSON-CONSTANT"),
    "NaN as a name": (GOOD.replace('"entities": [{', '"entities": [{"name": NaN, ', 1), "JSON-CONSTANT"),
    "lone high surrogate": (GOOD.replace('"entities": [{', '"entities": [{"name": "a\\ud83d", ', 1), "FILE-ENCODING"),
    "lone low surrogate": (GOOD.replace('"entities": [{', '"entities": [{"name": "\\ude00b", ', 1), "FILE-ENCODING"),
    "reversed pair": (GOOD.replace('"entities": [{', '"entities": [{"name": "\\ude00\\ud83d", ', 1), "FILE-ENCODING"),
    "lone surrogate in a key": (GOOD.replace('"entities": [{', '"entities": [{"\\ud800": 1, ', 1), "FILE-ENCODING"),
    "invalid UTF-8": (GOOD.replace('"entities": [{', '"entities": [{"name": "\udcff", ', 1), "FILE-ENCODING"),
    "encoded surrogate": (GOOD.replace('"entities": [{', '"entities": [{"name": "\udced\udca0\udc80", ', 1),
                          "FILE-ENCODING"),
    "control character in a string": (GOOD.replace('"entities": [{', '"entities": [{"name": "a\tb", ', 1), "JSON-SYNTAX"),
    "byte order mark": ("\ufeff" + GOOD, "JSON-SYNTAX"),
    "two objects on a line": (GOOD + " " + GOOD, "JSON-SYNTAX"),
    "null line": ("null", "SCHEMA"),
    "trailing comma": (GOOD[:-1] + ", }", "JSON-SYNTAX"),
    "leading zero": (GOOD.replace('"start": ', '"start": 0', 1), "JSON-SYNTAX"),
    "float offset 1e2": (GOOD.replace('"start": ', '"start": 1e2, "x": ', 1), "SCHEMA"),
    "offset beyond 64 bits": (GOOD.replace('"start": ', '"start": 99999999999999999999, "x": ', 1), "SCHEMA"),
    "deep nesting in a field": (GOOD.replace('"entities": [', '"entities": ' + "[" * 20000 + "]" * 20000 + ", \"x\": [", 1),
                                "JSON-SYNTAX"),
    "deep nesting of objects in a field": (
        GOOD.replace('"entities": [', '"entities": [' + '{"a": ' * 3000 + "1" + "}" * 3000 + "], \"x\": [", 1),
        "JSON-SYNTAX"),
    "explicit null layer": (GOOD.replace('"claims": ', '"claims": null, "x": ', 1), "SCHEMA"),
    "lone CR inside a line": (GOOD.replace('"entities": ', '"entities":\r', 1), None),
    # every field type holding a constant, a key twice or a lone surrogate: pyarrow refuses each (the block then
    # goes line by line), so nothing strict JSON refuses reaches the vectorised checks
    "NaN as a boolean": (GOOD.replace('"check_worthy": true', '"check_worthy": NaN', 1), "JSON-CONSTANT"),
    "Infinity as a speaker": (GOOD.replace('"speaker": {"kind": "mention", "mention": "m2"}', '"speaker": Infinity', 1),
                              "JSON-CONSTANT"),
    "NaN as a cue": (GOOD.replace('"cue": {"start": 66, "end": 70}', '"cue": NaN', 1), "JSON-CONSTANT"),
    "NaN as a layer": (GOOD.replace('"claims": ', '"claims": NaN, "x": ', 1), "JSON-CONSTANT"),
    "NaN as the id": (GOOD.replace('"id": "mini-unicode"', '"id": NaN', 1), "JSON-CONSTANT"),
    "-NaN": (GOOD.replace('"start": ', '"start": -NaN, "x": ', 1), "JSON-SYNTAX"),
    "duplicate key in an attribution": (GOOD.replace('"speaker": {"kind": "mention", ', '"speaker": {"kind": "unknown", '
                                                     '"kind": "mention", ', 1), "JSON-DUPLICATE-KEY"),
    "duplicate key in a fragment": (GOOD.replace('"fragments": [{"start": 39, ', '"fragments": [{"start": 39, "start": 39, ', 1),
                                    "JSON-DUPLICATE-KEY"),
    "duplicate key with null values": (GOOD.replace('"text_sha256": ', '"text_sha256": null, "text_sha256": ', 1),
                                       "JSON-DUPLICATE-KEY"),
    "duplicate key, the same value": (GOOD.replace('"type": "PER"', '"type": "PER", "type": "PER"', 1),
                                      "JSON-DUPLICATE-KEY"),
    "duplicate layer, the first empty": (GOOD.replace('"quotes": ', '"quotes": [], "quotes": ', 1), "JSON-DUPLICATE-KEY"),
    "lone surrogate in an item id": (GOOD.replace('"id": "m1"', '"id": "m1\\udbff"', 1), "FILE-ENCODING"),
    "lone surrogate in a reference": (GOOD.replace('"entity": "e1"', '"entity": "e\\uDC00"', 1), "FILE-ENCODING"),
    "lone surrogate in a label": (GOOD.replace('"kind": "name"', '"kind": "\\uD800name"', 1), "FILE-ENCODING"),
    "high surrogate before a non-surrogate escape": (GOOD.replace('"entities": [{', '"entities": [{"name": "\\ud83d\\u0041", ', 1),
                                                     "FILE-ENCODING"),
    "two high surrogates": (GOOD.replace('"entities": [{', '"entities": [{"name": "\\ud83d\\ud83d", ', 1), "FILE-ENCODING"),
    # what only looks like them is clean
    "NaN and Infinity inside strings": (GOOD.replace('"entities": [{', '"entities": [{"name": "NaN Infinity -Infinity", ', 1), None),
    "an escaped backslash before u d800": (GOOD.replace('"entities": [{', '"entities": [{"name": "\\\\ud800", ', 1), None),
    "a surrogate pair spelled in capitals": (GOOD.replace('"entities": [{', '"entities": [{"name": "\\uD83D\\uDE00", ', 1), None),
    "the same key in two objects": (GOOD.replace('"entities": [{', '"entities": [{"id": "e9", "type": "PER", "name": "a"}, '
                                                 '{"name": "a", ', 1), None),
}


@pytest.mark.parametrize("case", list(STRICT))
def test_what_strict_json_refuses_is_refused_by_both_paths(case, gold, tmp_path):
    line, rule = STRICT[case]
    path = tmp_path / "pred.jsonl"
    path.write_bytes(b"\n".join([json.dumps(PREDICTIONS[0]).encode(),
                                 line.encode("utf-8", "surrogateescape"),
                                 json.dumps(PREDICTIONS[1]).encode()]) + b"\n")
    kind = assert_same(path, gold)
    if rule is None:
        assert kind == "clean"  # a CR is JSON whitespace, "NaN" in a string is text: the line is fine
        return
    assert kind == "problems"
    with pytest.raises(SubmissionError) as error:
        read_submission(path, gold, INVENTORY)
    rules = {(p.rule, p.file, p.lineno) for p in error.value.problems}
    assert (rule, str(path), 2) in rules, [p.line() for p in error.value.problems]


def test_a_duplicate_key_names_the_key_and_a_lone_surrogate_its_place(gold, tmp_path):
    path = tmp_path / "pred.jsonl"
    path.write_text(STRICT["duplicate nested key"][0] + "\n" + STRICT["lone high surrogate"][0] + "\n")
    with pytest.raises(SubmissionError) as error:
        read_submission(path, gold, INVENTORY)
    first, second = error.value.problems
    assert (first.rule, first.lineno, first.found) == ("JSON-DUPLICATE-KEY", 1, "start twice")
    assert second.path == "$.entities[0].name" and second.found == "U+D83D" and second.doc_id == "mini-unicode"


# -- random corruption ---------------------------------------------------------------------------

def _byte_corruptions(rng: random.Random, text: str) -> str:
    """One random low-level corruption of a serialized line."""
    choice = rng.randrange(26)
    cut = rng.randrange(1, len(text))
    if choice == 0:
        return text[:cut]  # truncated
    if choice == 1:
        return text.replace('"start": ', '"start": NaN, "zz": ', 1)
    if choice == 2:
        return text.replace('"id": ', '"id": "x", "id": ', 1)
    if choice == 3:
        return text.replace('"type": "', '"type": "\\ud800', 1)
    if choice == 4:
        return text[:cut] + "\udcff" + text[cut:]  # an undecodable byte
    if choice == 5:
        return text + " " + text
    if choice == 6:
        return "null"
    if choice == 7:
        return " " + text
    if choice == 8:
        return text.replace('"end": ', '"end": 1.0e1, "zz": ', 1)
    if choice == 9:
        return text.replace('"mentions": ', '"mentions": null, "zz": ', 1)
    if choice == 10:
        return text.replace(": ", ":\r", 1)
    if choice == 11:
        return text.replace('"quotes": ', '"\\u0071uotes": ', 1)
    if choice == 12:
        return text.replace('"start": ', '"start": -', 1)
    if choice == 13:
        return text.replace('"kind": "', '"kind": "X', 1)
    if choice == 14:
        return text.replace('"id": "', '"id": "Q', 1)
    if choice == 15:
        return text.replace('"mentions": [', '"mentions": [' + "[" * 5000 + "]" * 5000 + ", ", 1)
    if choice == 16:
        return text.replace('"start": ', '"start": 1' + "0" * 30 + ', "zz": ', 1)
    if choice == 17:
        return text.replace("}", ', "extra": null}', 1)
    if choice == 18:
        return text.replace('"check_worthy": true', '"check_worthy": 1', 1)
    if choice == 19:
        return text[:cut] + "\t" + text[cut:]
    if choice == 20:
        return "\ufeff" + text
    if choice == 22:
        return text.replace('"check_worthy": ', '"check_worthy": NaN, "zz": ', 1)
    if choice == 23:
        return text.replace('"kind": "', '"kind": "x", "kind": "', 1)  # a key twice in an attribution or a mention
    if choice == 24:
        return text.replace('"entity": "', '"entity": "\\udfff', 1)  # a lone surrogate in a reference
    return text.replace('"end": ', '"end": 5, "end": ', 1)


def _object_corruption(rng: random.Random, line: dict) -> dict:
    """One random semantic corruption of a parsed line."""
    line = copy.deepcopy(line)
    choice = rng.randrange(12)
    mentions = line.get("mentions") or []
    if choice == 0 and mentions:
        m = rng.choice(mentions)
        m["start"], m["end"] = m["end"], m["start"]
    elif choice == 1 and mentions:
        rng.choice(mentions)["end"] = 10 ** rng.randrange(2, 12)
    elif choice == 2 and mentions:
        rng.choice(mentions)["text"] = "not the text"
    elif choice == 3:
        line["id"] = rng.choice(["no-such-doc", "Bad Id", "other-doc", DOCS[0]["id"]])
    elif choice == 4 and line.get("quotes"):
        q = rng.choice(line["quotes"])
        q["fragments"] = list(reversed(q["fragments"])) if len(q["fragments"]) > 1 else []
    elif choice == 5 and line.get("quotes"):
        rng.choice(line["quotes"])["speaker"] = rng.choice([{"kind": "outlet"}, {"kind": "mention"},
                                                            {"kind": "entity", "entity": "nope"},
                                                            {"kind": "unknown", "mention": "m1"}])
    elif choice == 6 and line.get("claims"):
        rng.choice(line["claims"])["quote"] = "q404"
    elif choice == 7:
        line["text_sha256"] = rng.choice(["0" * 64, "abc", GOLD["text_sha256"]])
    elif choice == 8 and mentions and len(mentions) > 1:
        mentions[1]["id"] = mentions[0]["id"]
    elif choice == 9 and mentions:
        rng.choice(mentions)["entity"] = "e404"
    elif choice == 10 and line.get("quotes"):
        rng.choice(line["quotes"])["cue"] = rng.choice([{"start": 5, "end": 5}, {"start": 0}, {"start": 3, "end": 9}])
    else:
        mutated = list(_mutations(line, rng))
        line = rng.choice(mutated)
    return line


@pytest.mark.parametrize("seed", range(40))
def test_randomly_corrupted_jsonl_gives_the_same_problems(seed, gold, tmp_path, small_blocks):
    rng = random.Random(seed)
    lines = clean_lines()
    rng.shuffle(lines)
    texts = [json.dumps(line, ensure_ascii=rng.random() < 0.5) for line in lines]
    for _ in range(rng.randint(1, 4)):
        k = rng.randrange(len(texts))
        if rng.random() < 0.5:
            texts[k] = _byte_corruptions(rng, texts[k])
        else:
            texts[k] = json.dumps(_object_corruption(rng, lines[k]))
    if rng.random() < 0.3:
        texts.insert(rng.randrange(len(texts)), texts[rng.randrange(len(texts))])  # a document twice
    if rng.random() < 0.3:
        texts.insert(rng.randrange(len(texts)), "")
    path = tmp_path / "pred.jsonl"
    path.write_bytes(("\n".join(texts) + ("\n" if rng.random() < 0.8 else "")).encode("utf-8", "surrogateescape"))
    assert_same(path, gold)
    assert_same(path, gold, max_problems=1)


@pytest.mark.parametrize("seed", range(15))
def test_randomly_corrupted_parquet_gives_the_same_problems(seed, gold, tmp_path, small_blocks):
    rng = random.Random(1000 + seed)
    while True:  # some corruptions (a list where a struct was) cannot be written as Parquet: draw again
        lines = clean_lines()
        rng.shuffle(lines)
        for _ in range(rng.randint(1, 3)):
            k = rng.randrange(len(lines))
            lines[k] = _object_corruption(rng, lines[k])
        try:
            table = pa.Table.from_pylist(lines)
            break
        except (pa.ArrowException, TypeError, ValueError):
            continue
    path = tmp_path / "pred.parquet"
    pq.write_table(table, path)
    assert_same(path, gold)


def test_many_corrupted_lines_keep_their_order_under_the_cap(gold, tmp_path, small_blocks):
    rng = random.Random(99)
    lines = clean_lines() * 3  # every document three times
    texts = [json.dumps(_object_corruption(rng, line)) if rng.random() < 0.3 else json.dumps(line) for line in lines]
    path = tmp_path / "pred.jsonl"
    path.write_text("\n".join(texts) + "\n", encoding="utf-8")
    for cap in (1, 7, 50, 10_000):
        assert assert_same(path, gold, max_problems=cap) == "problems"


@pytest.mark.parametrize("seed", range(8))
def test_the_sorted_lookup_for_many_distinct_ids_gives_the_same_problems(seed, gold, tmp_path, small_blocks, monkeypatch):
    from whosaidwhat.scoring import arrow_submission

    monkeypatch.setattr(arrow_submission, "_DENSE_KEYS", 0)  # as if every block held thousands of distinct ids
    test_randomly_corrupted_jsonl_gives_the_same_problems(seed, gold, tmp_path, None)


def test_parquet_columns_of_other_integer_and_string_types_are_read_alike(gold, tmp_path, small_blocks, monkeypatch):
    lines = clean_lines()
    table = pa.Table.from_pylist(lines)
    span = pa.struct([("start", pa.int32()), ("end", pa.uint16()), ("text", pa.large_string())])
    mention = pa.struct([("id", pa.large_string()), ("start", pa.int32()), ("end", pa.int32()), ("type", pa.string()),
                         ("text", pa.string()), ("kind", pa.string()), ("entity", pa.string())])
    quote = table.schema.field("quotes").type.value_type
    quote = pa.struct([f if f.name != "fragments" else pa.field("fragments", pa.large_list(span)) for f in quote])
    schema = pa.schema([f if f.name not in ("mentions", "quotes") else
                        pa.field(f.name, pa.list_(mention) if f.name == "mentions" else pa.list_(quote))
                        for f in table.schema])
    path = tmp_path / "pred.parquet"
    pq.write_table(pa.Table.from_pylist(lines, schema=schema).cast(schema), path)
    assert assert_same(path, gold) == "clean"
    with monkeypatch.context() as patch:  # conformed to the schema, not handed to the per-line path
        calls = []
        patch.setattr(submission_module._Reading, "take", lambda *args: calls.append(args))
        read_submission(path, gold, INVENTORY)
        assert calls == []
    bad = [copy.deepcopy(line) for line in lines]
    bad[3]["mentions"][0]["start"] = 70_000  # past the text; fits int32
    pq.write_table(pa.Table.from_pylist(bad, schema=schema), path)
    assert assert_same(path, gold) == "problems"


def test_a_parquet_file_with_an_unknown_nested_field_gives_the_same_problems(gold, tmp_path):
    lines = clean_lines()
    lines[2]["mentions"][0]["label"] = "PER"
    path = tmp_path / "pred.parquet"
    pq.write_table(pa.Table.from_pylist(lines), path)
    assert assert_same(path, gold) == "problems"


def test_a_damaged_parquet_file_gives_the_same_problem(gold, tmp_path):
    path = tmp_path / "pred.parquet"
    pq.write_table(pa.Table.from_pylist(clean_lines()), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\0" * 64 + data[len(data) // 2 + 64:])
    assert_same(path, gold)
    path.write_bytes(data[:100])
    assert assert_same(path, gold) == "problems"


def test_wsw_score_does_not_import_pandas(tmp_path):
    """pyarrow imports pandas (0.2 s, 40 MB) on its first conversion of Python objects; scoring never needs it."""
    import subprocess
    import sys

    root = write_corpus(tmp_path / "gold", [GOLD, *DOCS], others={"train": [OTHER]})
    release = tmp_path / "release" / "data" / "documents"
    release.mkdir(parents=True)
    columns = ("id", "text", "text_sha256", "provenance", "entities", "mentions", "quotes", "claims")
    for split, docs in (("test", [GOLD, *DOCS]), ("train", [OTHER])):
        pq.write_table(pa.Table.from_pylist([{k: d[k] for k in columns} for d in docs]),
                       release / f"{split}-00000-of-00001.parquet")
    jsonl = write_lines(tmp_path / "pred.jsonl", clean_lines())
    parquet = tmp_path / "pred.parquet"
    pq.write_table(pa.Table.from_pylist(clean_lines()), parquet)
    script = ("import sys; from whosaidwhat.cli import main; "
              "codes = [main(['score', '--gold', g, '--pred', p, '--resamples', '20']) for g, p in "
              "[(sys.argv[1], sys.argv[3]), (sys.argv[1], sys.argv[4]), (sys.argv[2], sys.argv[3])]]; "
              "print(codes, 'pandas' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", script, str(root), str(tmp_path / "release"), str(jsonl), str(parquet)],
                          capture_output=True, text=True, timeout=600)
    assert proc.stdout.strip().splitlines()[-1] == "[0, 0, 0] False", proc.stderr[-2000:]


@pytest.fixture(scope="module")
def withheld_gold(tmp_path_factory):
    """A release whose first documents' texts are withheld: their offsets cannot be range-checked."""
    root = tmp_path_factory.mktemp("release")
    folder = root / "data" / "documents"
    folder.mkdir(parents=True)
    columns = ("id", "text", "text_sha256", "provenance", "entities", "mentions", "quotes", "claims")
    docs = [copy.deepcopy(d) for d in [GOLD, *DOCS]]
    for doc in docs[:8]:
        doc["text"] = None
    for split, group in (("test", docs), ("train", [OTHER])):
        pq.write_table(pa.Table.from_pylist([{k: d[k] for k in columns} for d in group]),
                       folder / f"{split}-00000-of-00001.parquet")
    return load_gold(open_gold(root), "test", INVENTORY)


@pytest.mark.parametrize("seed", range(10))
def test_withheld_gold_texts_give_the_same_problems_and_layers(seed, withheld_gold, tmp_path, small_blocks):
    assert withheld_gold.withheld == 8
    test_randomly_corrupted_jsonl_gives_the_same_problems(seed, withheld_gold, tmp_path, None)
    path = write_lines(tmp_path / "clean.jsonl", clean_lines())
    assert assert_same(path, withheld_gold) == "clean"
    _, _, info = outcome(path, withheld_gold, True)
    assert info["unchecked_ranges"] == 8
