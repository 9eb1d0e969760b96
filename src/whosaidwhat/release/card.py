"""The dataset card (README.md of a release): YAML header for `datasets` and the Hub, then prose.

Rendered from the release manifest alone (corpus/dataset.json, statistics, file list), never
edited by hand. The header's `configs` tell `datasets` which Parquet files make which split of
which config; `dataset_info` declares the features and the row counts `datasets` checks on load.
"""

from __future__ import annotations

import json

import yaml

from ..inventory import parse_inventory
from .features import CONFIG_SUMMARY, CONFIGS, SPLITS, field_table, yaml_features
from .markdown import (attribution_list, attributions_apart, bullet_list, changelog, composition_facts, layer_status_table, license_table,
                       stats_table, versioning_table, withheld_list)


def hub_license(spdx: str) -> str:
    """The Hub's license id for an SPDX id (lower case), or `other` for LicenseRef-* ids."""
    return "other" if spdx.startswith("LicenseRef-") else spdx.lower()


def size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                        (10_000_000, "1M<n<10M")):
        if n < limit:
            return name
    return "10M<n<100M"


def published_licenses(manifest: dict) -> list[str]:
    """Licenses of what the release publishes: the annotations and each redistributed text."""
    ids = [manifest["dataset"]["annotation_license"]["id"]]
    ids += [lic["id"] for lic in manifest["summary"]["licenses"] if lic["redistributable"]]
    return sorted({hub_license(i) for i in ids})


def annotation_creators(manifest: dict) -> list[str]:
    kinds = manifest["summary"]["producers"]
    creators = []
    if kinds.get("human"):
        creators.append("expert-generated")
    if any(n for kind, n in kinds.items() if kind != "human"):
        creators.append("machine-generated")
    return creators or ["no-annotation"]


def card_header(manifest: dict) -> dict:
    """The YAML metadata block, as plain data."""
    meta = manifest["dataset"]
    header = {
        "pretty_name": meta["pretty_name"],
        "license": published_licenses(manifest),
        "language": list(meta["language"]),
        "multilinguality": ["monolingual" if len(meta["language"]) == 1 else "multilingual"],
        "annotations_creators": annotation_creators(manifest),
        "language_creators": ["found"],
        "task_categories": list(meta["task_categories"]),
        "task_ids": list(meta["task_ids"]),
        "size_categories": [size_category(manifest["corpus"]["documents"])],
        "tags": list(meta["keywords"]),
        "configs": [{"config_name": config, **({"default": True} if config == "documents" else {}),
                     "data_files": [{"split": split, "path": f"data/{config}/{split}-*.parquet"} for split in SPLITS]}
                    for config in CONFIGS],
        "dataset_info": [],
    }
    if "other" in header["license"]:
        header["license_name"] = "mixed, see Licensing"
    for config in CONFIGS:
        splits = manifest["configs"][config]
        header["dataset_info"].append({
            "config_name": config,
            "features": yaml_features(config),
            "splits": [{"name": split, "num_bytes": splits[split]["num_bytes"], "num_examples": splits[split]["num_rows"]}
                       for split in SPLITS],
            "download_size": sum(f["size"] for split in SPLITS for f in splits[split]["files"]),
            "dataset_size": sum(splits[split]["num_bytes"] for split in SPLITS),
        })
    return header


def compact_json(row: dict) -> str:
    """A row as JSON with one line per column, and one line per item of a list column."""
    lines = []
    for key, value in row.items():
        if isinstance(value, list) and value:
            items = ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in value)
            lines.append(f" {json.dumps(key)}: [\n{items}\n ]")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}"


def _fields(manifest: dict) -> str:
    inventory = parse_inventory(manifest["inventory"])
    blocks = []
    for config in CONFIGS:
        lines = [f"#### `{config}`", "", "| column | type | description |", "|---|---|---|"]
        for path, type_name, description in field_table(config, inventory):
            lines.append(f"| `{path}` | {type_name} | {description.replace('|', '/')} |")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _configs_table(manifest: dict) -> str:
    lines = ["| config | rows | " + " | ".join(SPLITS) + " |", "|---|---|" + "---:|" * len(SPLITS)]
    for config in CONFIGS:
        counts = " | ".join(f"{manifest['configs'][config][s]['num_rows']:,}" for s in SPLITS)
        lines.append(f"| `{config}` | {CONFIG_SUMMARY[config]} | {counts} |")
    return "\n".join(lines)


def render_card(manifest: dict) -> str:
    meta = manifest["dataset"]
    summary = manifest["summary"]
    name = f"{meta['name']}-{manifest['version']}"
    header = yaml.safe_dump(card_header(manifest), sort_keys=False, allow_unicode=True, width=120)
    example = (compact_json(manifest["example"]) if manifest["example"] else
               "(no document of this release may show its text)")
    rehydrated = ""
    if manifest.get("rehydrated"):
        rehydrated = ("\n> **Rehydrated copy.** The texts of " + ", ".join(f"`{i}`" for i in manifest["rehydrated"]) +
                      " were restored locally by `wsw rehydrate` from the user's own copies. Their licenses do not "
                      "allow redistribution: do not share this folder.\n")
    maintainers = bullet_list(f"{m['name']}" + (f" ({m['contact']})" if m.get("contact") else "") +
                              (f", <{m['url']}>" if m.get("url") else "") for m in meta["maintainers"])
    homepage = f"<{meta['homepage']}>" if meta.get("homepage") else "not yet published"
    splits_rationale = manifest["corpus"].get("splits_rationale") or "No rationale recorded in splits.json."
    sections = [
        f"---\n{header}---",
        f"# {meta['pretty_name']}\n\n{meta['summary']}\n\n"
        f"Version **{manifest['version']}** · {manifest['corpus']['documents']:,} documents · "
        f"format {manifest['format_version']} · generated by whosaidwhat {manifest['built_with']['whosaidwhat']} "
        f"from `corpus/` and `corpus/dataset.json` (do not edit by hand).\n{rehydrated}",
        f"## Dataset description\n\n{meta['description']}\n\n- Homepage: {homepage}\n- Maintainers:\n"
        + "\n".join("  " + line for line in maintainers.splitlines()),
        "## Loading\n\n```python\nfrom datasets import load_dataset\n\n"
        f"docs = load_dataset(\"path/to/{name}\")                # config `documents`: train / validation / test\n"
        f"quotes = load_dataset(\"path/to/{name}\", \"quotes\")    # one row per quote\n```\n\n"
        "The same files read with `pandas.read_parquet(\"data/mentions/train-00000-of-00001.parquet\")` or "
        "`pyarrow.parquet.read_table(...)`. No loading script is involved. Offsets are Unicode code points, "
        "half-open `[start, end)`, into `text` as stored: in Python `text[start:end]` is the span (JavaScript and "
        "byte-based tools must convert).",
        "## Dataset structure\n\n### Configs\n\n" + _configs_table(manifest) +
        "\n\nEach config's files are `data/<config>/<split>-NNNNN-of-MMMMM.parquet`. Layers are lists of structs "
        "(`List({...})` in `datasets`), so `row[\"mentions\"]` is a list of mention dicts. Label columns hold the "
        "label names of `schema/labels.json` (version " + manifest["inventory_version"] + ") as strings; their "
        "allowed values are listed below.",
        "### Example row (`documents`, train; long fields shortened)\n\n```json\n" + example + "\n```",
        "### Fields\n\n" + _fields(manifest),
        "### Splits\n\n| split | documents |\n|---|---:|\n" +
        "\n".join(f"| {s} | {manifest['configs']['documents'][s]['num_rows']:,} |" for s in SPLITS) +
        f"\n\nSplit assignment (splits.json version {manifest['corpus'].get('splits_version') or 'unversioned'}): "
        f"{splits_rationale}",
        "### Statistics\n\nComputed from the documents (the numbers `wsw stats` prints); tokens are runs of word "
        "characters or single other non-space characters.\n\n" + stats_table(summary),
        "## Dataset creation\n\n### Source data\n\n" + meta["source_data"] + "\n\n" + composition_facts(summary),
        "### Annotation process\n\n" + meta["annotation_process"] + "\n\nAnnotators: " + meta["annotators"] +
        "\n\nLayer status by document:\n\n" + layer_status_table(summary, manifest["inventory"]),
        "## Personal and sensitive information\n\n" + meta["personal_sensitive_information"],
        "## Considerations for using the data\n\n### Social impact\n\n" + meta["social_impact"] +
        "\n\n### Biases\n\n" + bullet_list(meta["biases"]) + "\n\n### Known limitations\n\n" +
        bullet_list(meta["known_limitations"]) + "\n\n### Intended uses\n\n" + bullet_list(meta["intended_uses"]) +
        "\n\n### Out-of-scope uses\n\n" + bullet_list(meta["out_of_scope_uses"]),
        "## Licensing\n\n" + f"Annotations: {meta['annotation_license']['name']} ({meta['annotation_license']['id']}, "
        f"<{meta['annotation_license']['url']}>), unless a document's `metadata.annotation_license` says otherwise. "
        "Article texts keep their own licenses:\n\n" + license_table(summary) +
        "\n\n### Documents whose text is withheld\n\nTheir license does not allow redistribution, so this release "
        "carries their annotations, offsets and `text_sha256` but `text` and every span's `text` are null:\n\n" +
        withheld_list(summary) + "\n\nTo restore them from your own copy of the article (the exact text, or the "
        "raw page as recorded in `provenance.source`), run `wsw rehydrate RELEASE_DIR --texts YOUR_COPIES --out "
        "NEW_DIR`; it refuses any text whose SHA-256 differs from `text_sha256`.\n\n### Attributions\n\n" +
        (f"The {len(summary['attributions']):,} attribution lines the article licenses require are in "
         "[ATTRIBUTIONS.md](ATTRIBUTIONS.md), generated with this card." if attributions_apart(summary)
         else attribution_list(summary)),
        "## Citation\n\n" + meta["citation"]["text"] + "\n\n```bibtex\n" + meta["citation"]["bibtex"].strip() + "\n```",
        "## Versions\n\nVersions are semantic, with dataset meaning:\n\n" + versioning_table() +
        "\n\n## Release notes\n\n" + changelog(meta),
        "## Verifying this release\n\n```sh\nsha256sum -c SHA256SUMS        # every file's checksum\n"
        "wsw release --verify .         # checksums, Parquet schemas, row counts, spans and withheld texts\n```\n\n"
        f"Corpus fingerprint (SHA-256 over document ids, splits and file hashes): `{manifest['corpus']['fingerprint']}`. "
        f"Built with whosaidwhat {manifest['built_with']['whosaidwhat']} and pyarrow {manifest['built_with']['pyarrow']}.",
    ]
    return "\n\n".join(section.strip("\n") for section in sections) + "\n"


def render_attributions(manifest: dict) -> str | None:
    """ATTRIBUTIONS.md when there are too many attribution lines for the card, else None."""
    summary = manifest["summary"]
    if not attributions_apart(summary):
        return None
    return (f"# Attributions: {manifest['dataset']['pretty_name']} {manifest['version']}\n\n"
            "Every attribution line required by the licenses of the article texts in this release "
            "(generated; do not edit by hand).\n\n" + attribution_list(summary) + "\n")
