"""The dataset card (README.md of a release): YAML header for `datasets` and the Hub, then prose.

Rendered from the release manifest alone (corpus/dataset.json, statistics, file list), never
edited by hand. The header's `configs` tell `datasets` which Parquet files make which split of
which config; `dataset_info` declares the features and the row counts `datasets` checks on load.
"""

from __future__ import annotations

import json

import yaml

from ..core.inventory import parse_inventory
from .croissant import machine_annotation_tools
from .facts import agreement_table, baseline_table
from .features import CONFIG_SUMMARY, CONFIGS, KEYS, REFERENCES, SPLITS, field_table, yaml_features
from .markdown import (
    attribution_list,
    attributions_apart,
    bullet_list,
    changelog,
    composition_facts,
    layer_status_table,
    license_table,
    stats_table,
    versioning_table,
    withheld_list,
)
from .sources import SOURCES, source_datasets


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


def task_ids(manifest: dict) -> list[str]:
    """dataset.json's task ids, and `coreference-resolution` when the data has coreference (an entity with
    more than one mention), which the `entities` config and every mention's `entity` carry."""
    ids = list(manifest["dataset"]["task_ids"])
    overall = manifest["summary"]["stats"]["overall"]
    if overall.get("mentions", 0) > overall.get("entities", 0) and "coreference-resolution" not in ids:
        ids.append("coreference-resolution")
    return ids


def declared_splits(manifest: dict, config: str) -> list[str]:
    """The splits the card declares for a config: those with rows (`datasets` refuses to load a declared split
    that has no data, e.g. no corrections in validation); all of them when the config has no rows at all."""
    splits = [split for split in SPLITS if manifest["configs"][config][split]["num_rows"]]
    return splits or list(SPLITS)


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
        "task_ids": task_ids(manifest),
        "size_categories": [size_category(manifest["corpus"]["documents"])],
        "source_datasets": source_datasets(manifest["summary"].get("sources", {})),
        "tags": list(meta["keywords"]),
        "configs": [{"config_name": config, **({"default": True} if config == "documents" else {}),
                     "data_files": [{"split": split, "path": f"data/{config}/{split}-*.parquet"}
                                    for split in declared_splits(manifest, config)]}
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
                       for split in declared_splits(manifest, config)],
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


#: the "start here" snippet of the card; `RELEASE` is replaced by the release's name (a test runs it)
START_HERE = """\
from datasets import load_dataset

release = "RELEASE"   # this folder, or the dataset's id on the Hub
quotes = load_dataset(release, "quotes", split="train")
entities = {e["uid"]: e for e in load_dataset(release, "entities", split="train")}
docs = load_dataset(release, "documents", split="train").select_columns(["id", "text"])
texts = dict(zip(docs["id"], docs["text"]))

quote = next(q for q in quotes if q["speaker_entity_uid"])     # a quote whose speaker is known
speaker = entities[quote["speaker_entity_uid"]]                 # who said it: name, type, Wikipedia id
text = texts[quote["doc_id"]]                                    # the article (None where it is withheld)
said = " [...] ".join(text[f["start"]:f["end"]] for f in quote["fragments"]) if text else None
print(f'{speaker["name"]} ({speaker["type"]}, {speaker["kb_id"]}): "{said}"')
"""


#: how each config's `uid` is made, where it is not `<doc_id>/<id>`
UIDS = {"documents": "none (`id` is already unique)", "producers": "`<doc_id>/<layer>/<position>`",
        "annotations": "`<doc_id>/<pass>`", "corrections": "`<doc_id>/<item>/<field>/<step>`"}


def _disagreement(manifest: dict) -> str:
    """The section on the `annotations`, `decisions` and `corrections` configs."""
    study = manifest.get("study") or {}
    passes = study.get("passes") or {}
    kept = (", ".join(f"`{name}` ({n:,} documents)" for name, n in passes.items()) if passes else
            "none were kept with this corpus")
    files = ", ".join(f"`{name}`" for name in study.get("corrections_files") or []) or "none"
    campaign = (f"the decision files of `{study['campaign']}/decisions/` ({study.get('decision_files', 0):,} files, "
                f"{study.get('conflicts', 0):,} conflicts) and its corrections files ({files}; "
                f"{study.get('corrections', 0):,} corrections)" if study.get("campaign") else
                "no annotation campaign folder was found, so these two configs are empty")
    return ("### Disagreement data\n\nThe adjudicated documents are one reading of each text; to study where and how "
            "annotators disagreed, the release also carries what the adjudication started from and what it "
            "decided:\n\n"
            f"- `annotations`: {CONFIG_SUMMARY['annotations']}. Passes: {kept}. Its columns are those of `documents` "
            "(layers as made by that annotator, statuses `draft`) plus `pass`, `annotators` and `uid`; "
            "`provenance.layers.*.producers` names each annotator, its kind and model, what it was shown and where it "
            "worked.\n"
            f"- `decisions`: {CONFIG_SUMMARY['decisions']}. From {campaign}. `pass_a`/`pass_b` name the folders "
            "of the two versions compared: an `annotations` pass (join on `doc_id` and `pass`), or `gold-before` for "
            "a later round that compared the gold of the time (not a config of its own) with a new independent "
            "annotation; `a`/`b` are the item ids in them, `version_a`/`version_b` each version as JSON.\n"
            f"- `corrections`: {CONFIG_SUMMARY['corrections']}; the gold in `documents` has them applied, file "
            "after file (`step`, `file`).\n\n"
            "Where a document's text may not be redistributed it stays withheld here too: its annotations lose "
            "`text` and span texts as in `documents`, and its decisions and corrections have `version_a`, "
            "`version_b`, `context` and `text` null (and the span texts inside `from` and `to`) with `text_withheld` "
            "true (`wsw rehydrate` restores only the "
            "`documents` side). `wsw release --verify` checks every row of these configs against the documents.")


def _keys_section() -> str:
    lines = ["| config | key (unique in the release) | `uid` | references |", "|---|---|---|---|"]
    for config in CONFIGS:
        key = ", ".join(f"`{c}`" for c in KEYS[config])
        refs = ", ".join(f"`{column}` → `{target}.{target_column}`" for (source, column), (target, target_column)
                         in REFERENCES.items() if source == config) or "none"
        uid = UIDS.get(config, "`<doc_id>/<id>`")
        lines.append(f"| `{config}` | {key} | {uid} | {refs} |")
    return ("### Keys and joins\n\nItem ids (`id`) are unique within their document only: the key of an entity, "
            "mention, quote or claim is (`doc_id`, `id`), and `uid` holds the same key as one string, so a join "
            "needs one column. Every row also carries its `split` (as does its file name).\n\n" + "\n".join(lines) +
            "\n\nThe mention, entity and quote fields inside a row (`entity`, `speaker.mention`, `speaker_entity`, "
            "`quote`, ...) hold ids within the same document; their `*_uid` columns are the release-wide form. "
            "croissant.json declares the same keys and references.")


def _annotators(manifest: dict) -> str:
    summary = manifest["summary"]
    humans = [e for e in summary.get("producer_models", []) if e["kind"] == "human"]
    lines = machine_annotation_tools(summary)
    lines += [f"Human annotator(s) recorded as producers: {e['ids']} id(s), {e['documents']:,} document(s) "
              f"({', '.join(e['roles']) or 'role not recorded'}; versions: {', '.join(e['versions']) or 'none'})."
              for e in humans]
    platforms = summary.get("platforms") or {}
    docs = summary["stats"]["overall"].get("documents", 0)
    platform = ("; ".join(f"{name}: recorded in the layer provenance of {n:,} of {docs:,} documents"
                          for name, n in platforms.items()) if platforms else
                "no document's provenance records one")
    return ("Who and what produced the layers, from the `producers` of every layer (the `producers` config has "
            "one row each):\n\n" + bullet_list(lines) + f"\n\nAnnotation platform: {platform}.")


def _evaluation(manifest: dict) -> str:
    table = baseline_table(manifest.get("baselines") or {})
    text = ("## Evaluation\n\nThe benchmark scores a system's entities (named mentions and their types), quotes "
            "(content, cue, speaker, type) and claims (content, claimant, quote link, check-worthiness) on the "
            "`test` split, with document-bootstrap 95% confidence intervals, using the `whosaidwhat` scorer "
            "(the project's package: `pip install .` in a checkout of its repository; metric definitions in its "
            "`eval/METRICS.md`):\n\n"
            "```sh\nwsw score --gold path/to/" + f"{manifest['dataset']['name']}-{manifest['version']}" +
            " --pred my-system.jsonl              # test split, text tables\n"
            "wsw score --gold path/to/" + f"{manifest['dataset']['name']}-{manifest['version']}" +
            " --pred my-system.jsonl --split validation --format json --out result.json\n"
            "wsw compare system-a.jsonl system-b.jsonl --gold path/to/"
            + f"{manifest['dataset']['name']}-{manifest['version']}" + "   # paired significance tests\n```\n\n"
            "A submission is one JSON line per document with its `id` and predicted `entities`, `mentions`, "
            "`quotes` and `claims` (or the same as Parquet); `wsw score` checks it and names every problem. "
            "Scoring against this release or against the corpus it was built from gives the same numbers and the "
            "same gold checksum.")
    if table is None:
        return text
    return (text + "\n\n### Baselines\n\nReference systems, scored with `wsw score` (headline figures with 95% "
            "intervals; entities: named mentions, strict match). \"scored on\" says whether the result was computed "
            "on exactly this release's gold (the scorer's gold content checksum) or on another version of the "
            "data.\n\n" + table)


def _citation(manifest: dict) -> str:
    meta = manifest["dataset"]
    found = manifest["summary"].get("sources", {})
    used = [key for key in SOURCES if found.get(key)]
    text = "## Citation\n\n" + meta["citation"]["text"] + "\n\n```bibtex\n" + meta["citation"]["bibtex"].strip() + "\n```"
    if not used:
        return text
    lines = [f"- **{SOURCES[k]['name']}** ({SOURCES[k]['cite']}; <{SOURCES[k]['url']}>): {SOURCES[k]['what']}; "
             f"{found[k]:,} document(s)." for k in used]
    return (text + "\n\n### Sources\n\nThe data builds on these sources (found in the documents' provenance); "
            "please cite them too:\n\n" + "\n".join(lines) + "\n\n```bibtex\n" +
            "\n\n".join(SOURCES[k]["bibtex"] for k in used) + "\n```")


def _rehydrated(manifest: dict) -> str:
    if not manifest.get("rehydrated"):
        return ""
    return ("\n> **Rehydrated copy.** The texts of " + ", ".join(f"`{i}`" for i in manifest["rehydrated"]) +
            " were restored locally by `wsw rehydrate` from the user's own copies. Their licenses do not "
            "allow redistribution: do not share this folder.\n")


def _description(meta: dict) -> str:
    """The description with homepage, repository, contact and maintainers."""
    maintainers = bullet_list(f"{m['name']}" + (f" ({m['contact']})" if m.get("contact") else "") +
                              (f", <{m['url']}>" if m.get("url") else "") for m in meta["maintainers"])
    homepage = f"<{meta['homepage']}>" if meta.get("homepage") else "not yet published"
    repository = f"<{meta['repository']}>" if meta.get("repository") else "not yet published"
    contacts = [m["contact"] for m in meta["maintainers"] if m.get("contact")]
    contact = ", ".join(contacts) if contacts else (
        "the issue tracker of the repository" if meta.get("repository") else "not yet published")
    return (f"## Dataset description\n\n{meta['description']}\n\n- Homepage: {homepage}\n- Repository: {repository}\n"
            f"- Contact: {contact}\n- Maintainers:\n" + "\n".join("  " + line for line in maintainers.splitlines()))


def render_card(manifest: dict) -> str:
    meta = manifest["dataset"]
    summary = manifest["summary"]
    name = f"{meta['name']}-{manifest['version']}"
    header = yaml.safe_dump(card_header(manifest), sort_keys=False, allow_unicode=True, width=120)
    example = (compact_json(manifest["example"]) if manifest["example"] else
               "(no document of this release may show its text)")
    rehydrated = _rehydrated(manifest)
    splits_rationale = manifest["corpus"].get("splits_rationale") or "No rationale recorded in splits.json."
    agreement = manifest.get("agreement") or {"measured": False, "why": "not recorded in this release"}
    sections = [
        f"---\n{header}---",
        f"# {meta['pretty_name']}\n\n{meta['summary']}\n\n"
        f"Version **{manifest['version']}** · {manifest['corpus']['documents']:,} documents · "
        f"format {manifest['format_version']} · generated by whosaidwhat {manifest['built_with']['whosaidwhat']} "
        f"from `corpus/` and `corpus/dataset.json` (do not edit by hand).\n{rehydrated}",
        _description(meta),
        "## Start here\n\nFrom a quote to who said it and what they said, in a few lines (`pip install datasets`):"
        "\n\n```python\n" + START_HERE.replace("RELEASE", f"path/to/{name}") + "```\n\n"
        "Each config is a table with one row per item; `uid` columns join them (see *Keys and joins* below).",
        "## Loading\n\n```python\nfrom datasets import load_dataset\n\n"
        f"docs = load_dataset(\"path/to/{name}\")                # config `documents`: train / validation / test\n"
        f"quotes = load_dataset(\"path/to/{name}\", \"quotes\")    # one row per quote\n```\n\n"
        "The same files read with `pandas.read_parquet(\"data/mentions/train-00000-of-00001.parquet\")` or "
        "`pyarrow.parquet.read_table(...)`. No loading script is involved. With the project's package installed "
        "(`pip install .` in a checkout of its repository), `whosaidwhat.load(\"path/to/" + name + "\", \"quotes\")` "
        "checks the folder "
        "(checksums, schemas, counts) before it returns the `DatasetDict`, and `whosaidwhat.counts(...)` gives the "
        "per-document counts as a pandas DataFrame. Offsets are Unicode code points, "
        "half-open `[start, end)`, into `text` as stored: in Python `text[start:end]` is the span (JavaScript and "
        "byte-based tools must convert).",
        "## Dataset structure\n\n### Configs\n\n" + _configs_table(manifest) +
        "\n\nEach config's files are `data/<config>/<split>-NNNNN-of-MMMMM.parquet`. Layers are lists of structs "
        "(`List({...})` in `datasets`), so `row[\"mentions\"]` is a list of mention dicts. Label columns hold the "
        "label names of `schema/labels.json` (version " + manifest["inventory_version"] + ") as strings; their "
        "allowed values are listed under *Fields*.",
        _keys_section(),
        _disagreement(manifest),
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
        "\n\nLayer status by document:\n\n" + layer_status_table(summary, manifest["inventory"]) +
        "\n\n" + _annotators(manifest),
        "### Inter-annotator agreement\n\nMeasured with `wsw agreement` between the independent annotation passes "
        "kept with the corpus (each made from the text and the guidelines alone; a pair whose provenance shows "
        "they were not independent is excluded), before adjudication, with document-bootstrap intervals:\n\n" +
        agreement_table(agreement),
        "## Personal and sensitive information\n\n" + meta["personal_sensitive_information"],
        "## Considerations for using the data\n\n### Social impact\n\n" + meta["social_impact"] +
        "\n\n### Biases\n\n" + bullet_list(meta["biases"]) + "\n\n### Known limitations\n\n" +
        bullet_list(meta["known_limitations"]) + "\n\n### Intended uses\n\n" + bullet_list(meta["intended_uses"]) +
        "\n\n### Out-of-scope uses\n\n" + bullet_list(meta["out_of_scope_uses"]),
        _evaluation(manifest),
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
        _citation(manifest),
        "## Versions\n\nVersions are semantic, with dataset meaning:\n\n" + versioning_table() +
        "\n\n## Release notes\n\n" + changelog(meta),
        "## Verifying this release\n\n```sh\nsha256sum -c SHA256SUMS        # every file's checksum\n"
        "wsw release --verify .         # checksums, Parquet schemas, row counts, card, Croissant, every row\n```\n\n"
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
