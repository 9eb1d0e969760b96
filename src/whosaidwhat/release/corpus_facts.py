"""Facts about the corpus that the datasheet states, computed from the documents: what "gold" means for each
document, where each source's text came from, who annotated, who gets quoted, and the agreement tables.

Pure functions over loaded documents; nothing here is typed by hand.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..core.document import LAYERS, resolve_entity
from ..splits import source_of

LEVELS = {
    "adjudicated": "annotated twice, independently, and adjudicated",
    "gum-reviewed": "converted from GUM's human annotation, then reviewed item by item",
    "single": "annotated once, from scratch",
    "single-reviewed": "annotated once, then reviewed",
    "not annotated": "not annotated yet (all layers absent)",
}


def _producers(doc: dict) -> list[dict]:
    return [p for layer in LAYERS for p in doc["provenance"]["layers"][layer].get("producers") or []]


def gold_level(doc: dict) -> str:
    """How much evidence stands behind a document's layers, from its provenance."""
    if all(doc["provenance"]["layers"][layer]["status"] == "absent" for layer in LAYERS):
        return "not annotated"
    producers = _producers(doc)
    roles = [str(p.get("role") or "") for p in producers]
    if any(r.startswith("adjudicated") for r in roles):
        return "adjudicated"
    if any(p.get("kind") == "importer" for p in producers):
        return "gum-reviewed"
    if any(r.startswith("reviewed") for r in roles):
        return "single-reviewed"
    return "single"


def level_table(docs: list[dict], owner: dict[str, str]) -> str:
    """Documents per gold level and split."""
    splits = ["train", "validation", "test"]
    counts: Counter = Counter((gold_level(d), owner.get(d["id"], "unassigned")) for d in docs)
    lines = ["| what stands behind the layers | " + " | ".join(splits) + " | total |", "|---|" + "---:|" * (len(splits) + 1)]
    for level, meaning in LEVELS.items():
        row = [counts[(level, s)] for s in splits]
        if sum(row):
            lines.append(f"| {meaning} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    return "\n".join(lines)


def origin_table(docs: list[dict]) -> str:
    """Documents per source and text origin."""
    counts: Counter = Counter((source_of(d["id"]), d["metadata"].get("text_origin") or "original") for d in docs)
    lines = ["| source | text origin | documents |", "|---|---|---:|"]
    lines += [f"| {source} | {origin} | {n} |" for (source, origin), n in sorted(counts.items())]
    return "\n".join(lines)


def annotator_list(docs: list[dict]) -> str:
    """Every producer of the layers, with kind, model and what it did, and how many documents."""
    seen: dict[tuple, set] = {}
    for doc in docs:
        for p in _producers(doc):
            key = (p.get("kind"), p.get("id"), p.get("model"), p.get("version"), str(p.get("role") or "").split(" (")[0])
            seen.setdefault(key, set()).add(doc["id"])
    lines = ["| producer | kind | model (version) | role | documents |", "|---|---|---|---|---:|"]
    for (kind, pid, model, version, role), ids in sorted(seen.items(), key=lambda kv: (str(kv[0][1]), str(kv[0][4]))):
        shown_model = f"{model} ({version or 'version unknown'})" if model else (version or "")
        lines.append(f"| `{pid}` | {kind} | {shown_model} | {role} | {len(ids)} |")
    return "\n".join(lines)


def quoted_facts(docs: list[dict], top: int = 12) -> str:
    """Who gets quoted: speakers by entity type, the most quoted entities, and whose voice the claims are in."""
    by_type: Counter = Counter()
    by_name: Counter = Counter()
    voices: Counter = Counter()
    for doc in docs:
        entities = {e["id"]: e for e in doc["entities"]}
        for quote in doc["quotes"]:
            entity = entities.get(resolve_entity(doc, quote["speaker"]) or "")
            by_type[entity["type"] if entity else "unknown"] += 1
            if entity:
                by_name[(entity["name"], entity["type"])] += 1
        for claim in doc["claims"]:
            kind = claim["claimant"]["kind"]
            voices["the outlet" if kind == "outlet" else "unknown source" if kind == "unknown" else "a source in the text"] += 1
    total_q, total_c = sum(by_type.values()), sum(voices.values())
    lines = ["Speakers of quotes by entity type:", "", "| speaker type | quotes | share |", "|---|---:|---:|"]
    lines += [f"| {t} | {n} | {n / total_q:.1%} |" for t, n in by_type.most_common()] if total_q else ["| - | 0 | - |"]
    lines += ["", f"The {top} most quoted entities (by entity name across documents):", "",
              "| entity | type | quotes |", "|---|---|---:|"]
    lines += [f"| {name} | {etype} | {n} |" for (name, etype), n in by_name.most_common(top)]
    lines += ["", "Whose voice the claims are in:", "", "| claimant | claims | share |", "|---|---:|---:|"]
    lines += [f"| {v} | {n} | {n / total_c:.1%} |" for v, n in voices.most_common()] if total_c else ["| - | 0 | - |"]
    return "\n".join(lines)


def agreement_tables(annotations_dir: Path, owner: dict[str, str]) -> str:
    """Agreement of the independent annotation passes in CORPUS/annotations/<pass>/, on the test split and overall."""
    from ..agreement import measure
    from ..agreement.tables import format_report, read_folder

    folders = sorted(p for p in annotations_dir.glob("*") if p.is_dir()) if annotations_dir.is_dir() else []
    if len(folders) < 2:
        return "Not measured: fewer than two independent annotation passes in `corpus/annotations/`."
    data = {f"corpus/annotations/{f.name}": read_folder(f) for f in folders}
    parts = []
    test = {name: {i: d for i, d in docs.items() if owner.get(i) == "test"} for name, docs in data.items()}
    if sum(1 for docs in test.values() if docs) >= 2:
        parts += ["**Test split** (before adjudication):", "", format_report(measure(test), markdown=True)]
    parts += ["", "**Every doubly annotated document** (test and the others, before adjudication):", "",
              format_report(measure(data), markdown=True)]
    return "\n".join(parts).strip()


def _decision_counts(paths: list[Path]) -> tuple[dict[str, Counter], Counter]:
    """(conflict kind -> decision -> count, adjudicator id -> documents) of the decision files."""
    from collections import defaultdict

    from ..core.jsonfile import read_json_object

    table: dict[str, Counter] = defaultdict(Counter)
    adjudicators: Counter = Counter()
    for path in paths:
        data = read_json_object(path, "the decision file")
        who = (data.get("adjudicator") or {}).get("id")
        if who:
            adjudicators[who] += 1
        for conflict in data.get("conflicts") or []:
            table[conflict["kind"]][conflict.get("decision") or "undecided"] += 1
    return table, adjudicators


def _sides(path: Path) -> tuple[str, str]:
    """The folders of a decision file's versions A and B (a round of adjudication compares two kinds of folder)."""
    from ..core.jsonfile import read_json_object

    data = read_json_object(path, "the decision file")
    sides = data.get("annotations") or {}
    return tuple(str(Path(str((sides.get(k) or {}).get("path") or "?")).parent) for k in ("A", "B"))  # type: ignore[return-value]


def adjudication_table(decisions_dir: Path) -> str:
    """How the conflicts of the doubly annotated documents were decided, by kind (from the decision files), one table
    per round (pair of folders the versions A and B come from)."""
    paths = sorted(decisions_dir.glob("*.json")) if decisions_dir.is_dir() else []
    if not paths:
        return "No adjudication recorded."
    rounds: dict[tuple[str, str], list[Path]] = {}
    for path in paths:
        rounds.setdefault(_sides(path), []).append(path)
    blocks = []
    for (side_a, side_b), members in sorted(rounds.items(), key=lambda kv: -len(kv[1])):
        table, adjudicators = _decision_counts(members)
        choices = ["A", "B", "keep", "drop", "undecided"]
        used = [c for c in choices if any(row[c] for row in table.values())]
        lines = [f"A = `{side_a}/`, B = `{side_b}/`: {sum(sum(r.values()) for r in table.values())} conflicts in "
                 f"{len(members)} documents, decided by "
                 + ", ".join(f"`{a}` ({n} documents)" for a, n in sorted(adjudicators.items()))
                 + f"; decision files in `{'/'.join(decisions_dir.parts[-4:])}/` (each decision with its reason).", "",
                 "| conflict | " + " | ".join(used) + " | total |", "|---|" + "---:|" * (len(used) + 1)]
        for kind, row in sorted(table.items(), key=lambda kv: -sum(kv[1].values())):
            lines.append(f"| {kind} | " + " | ".join(str(row[c]) for c in used) + f" | {sum(row.values())} |")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
