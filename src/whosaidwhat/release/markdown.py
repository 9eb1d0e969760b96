"""Markdown pieces shared by the dataset card and DATASHEET.md, so both print the same facts."""

from __future__ import annotations

from ..stats import format_markdown
from .metadata import VERSIONING


def bullet_list(items) -> str:
    return "\n".join(f"- {item}" for item in items)


def stats_table(summary: dict) -> str:
    """Counts per split and in total: documents, tokens, mentions per type, quotes per type, claims..."""
    stats = summary["stats"]
    keys = [k for k in stats["overall"] if not k.startswith("layers.")]
    return format_markdown(stats, keys)


def layer_status_table(summary: dict, inventory: dict) -> str:
    """How many documents have each layer in each status (gold, silver, draft, absent)."""
    overall = summary["stats"]["overall"]
    statuses = [s["label"] for s in inventory["layer_statuses"]]
    lines = ["| layer | " + " | ".join(statuses) + " |", "|---|" + "---:|" * len(statuses)]
    for layer in ("mentions", "quotes", "claims"):
        lines.append(f"| {layer} | " + " | ".join(f"{overall.get(f'layers.{layer}.{s}', 0):,}" for s in statuses) + " |")
    return "\n".join(lines)


def license_table(summary: dict) -> str:
    lines = ["| text license | redistributable | documents | license text |", "|---|---|---:|---|"]
    for lic in summary["licenses"]:
        url = f"<{lic['url']}>" if lic.get("url") else "unknown"
        lines.append(f"| {lic['id']} | {'yes' if lic['redistributable'] else 'no: text withheld'} | "
                     f"{lic['documents']:,} | {url} |")
    return "\n".join(lines)


#: more distinct attribution lines than this go to their own file (ATTRIBUTIONS.md) instead of the card
ATTRIBUTIONS_IN_CARD = 500


def attributions_apart(summary: dict) -> bool:
    return len(summary["attributions"]) > ATTRIBUTIONS_IN_CARD


def attribution_list(summary: dict) -> str:
    if not summary["attributions"]:
        return "No document requires an attribution line."
    lines = []
    for item in summary["attributions"]:
        ids = item["documents"]
        shown = ", ".join(f"`{i}`" for i in ids[:5]) + (f" and {len(ids) - 5:,} more" if len(ids) > 5 else "")
        lines.append(f"- {item['attribution']} ({item['license']}; {shown})")
    return "\n".join(lines)


def withheld_list(summary: dict, limit: int = 200) -> str:
    ids = summary["withheld"]
    if not ids:
        return "None: every document's text may be redistributed."
    shown = ids[:limit]
    tail = f"\n- ... and {len(ids) - limit:,} more (see `withheld` in release.json)" if len(ids) > limit else ""
    return "\n".join(f"- `{doc_id}`" for doc_id in shown) + tail


def versioning_table() -> str:
    lines = ["| part | meaning |", "|---|---|"]
    lines += [f"| {part} | {meaning} |" for part, meaning in VERSIONING.items()]
    return "\n".join(lines)


def changelog(meta: dict) -> str:
    blocks = []
    for entry in meta["changelog"]:
        blocks.append(f"### {entry['version']} ({entry['date']}, {entry['kind']})\n\n" + bullet_list(entry["notes"]))
    return "\n\n".join(blocks)


def composition_facts(summary: dict) -> str:
    first, last, unknown = summary["published"]["first"], summary["published"]["last"], summary["published"]["unknown"]
    dates = f"from {first} to {last}" if first else "unknown for every document"
    if first and unknown:
        dates += f" ({unknown:,} document(s) without a date)"
    outlets = ", ".join(f"{name} ({n:,})" for name, n in summary["outlets"].items()) or "none"
    languages = ", ".join(f"{lang} ({n:,})" for lang, n in summary["languages"].items()) or "none"
    importers = ", ".join(f"`{name}` ({n:,})" for name, n in summary["importers"].items()) or "none"
    producers = ", ".join(f"{kind}: {n:,}" for kind, n in summary["producers"].items()) or "none"
    guidelines = ", ".join(summary["guidelines_versions"]) or "none recorded"
    return bullet_list([
        f"Publication dates: {dates}.",
        f"Outlets: {outlets}.",
        f"Languages: {languages}.",
        f"Text produced by: {importers}.",
        f"Distinct annotation producers by kind: {producers}.",
        f"Annotation guidelines versions: {guidelines}.",
    ])
