"""croissant.json: MLCommons Croissant 1.0 metadata with the Responsible-AI (RAI 1.0) fields.

One FileSet per config (its Parquet shards) and one RecordSet per config whose fields mirror the
Arrow schema: structs become `subField`s, lists are `repeated`. A `splits` RecordSet (data type
`cr:Split`) names the splits; every record's `split` field is read from its `split` column and
references it. Each record set has a key (`documents/id`, the `uid` of the flat configs) and the
columns that hold another config's key reference it (`mentions.doc_id` -> `documents.id`, a quote's
`speaker_mention_uid` -> `mentions.uid`, ...).

mlcroissant reads a list of structs only where it is the column itself, so the `documents` record set
leaves out the three lists of structs nested deeper (`quotes[].fragments`, `claims[].fragments`,
`provenance.layers.*.producers`); their data is in the `quotes`, `claims` and `producers` record
sets, one row per item. Every RAI fact that can be computed (agreement, annotators and their models,
platforms, missing data) comes from release.json, itself computed from the documents. No checksums
of data files are repeated here (SHA256SUMS has them), so the file does not depend on Parquet bytes.
"""

from __future__ import annotations

import json

import pyarrow as pa

from ..core.inventory import parse_inventory
from .facts import agreement_lines
from .features import CONFIG_SUMMARY, CONFIGS, KEYS, REFERENCES, SCHEMAS, SPLITS, field_table
from .sources import SOURCES

CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

DATA_TYPES = {"string": "sc:Text", "int32": "sc:Integer", "bool": "sc:Boolean", "double": "sc:Float"}
SPLIT_URLS = {"train": "http://mlcommons.org/croissant/TrainingSplit",
              "validation": "http://mlcommons.org/croissant/ValidationSplit",
              "test": "http://mlcommons.org/croissant/TestSplit"}

#: lists of structs below a column (not read by mlcroissant) -> where the same data is, one row per item
ELSEWHERE = {
    "quotes[].fragments": "record set `quotes`, field `fragments`",
    "claims[].fragments": "record set `claims`, field `fragments`",
    "provenance.layers.mentions.producers": "record set `producers`, layer `mentions`",
    "provenance.layers.quotes.producers": "record set `producers`, layer `quotes`",
    "provenance.layers.claims.producers": "record set `producers`, layer `claims`",
}


def _doc_path(column: str, path: list[str], column_is_list: bool) -> str:
    """The card's name of a field (`quotes[].speaker.kind`)."""
    return ".".join([column + ("[]" if column_is_list and path else ""), *path])


def _describe(descriptions: dict[str, str], name: str) -> str:
    for candidate in (name, name.replace("layers.quotes.", "layers.mentions.").replace("layers.claims.", "layers.mentions.")):
        if descriptions.get(candidate):
            return descriptions[candidate]
    return f"`{name}`"


def _field(record_set: str, file_set: str, column: str, path: list[str], arrow_type: pa.DataType,
           descriptions: dict[str, str], column_is_list: bool, left_out: list[str]) -> dict | None:
    """A Croissant field for one (possibly nested) column; `path` is the key path below the column.

    Returns None (and notes the field in `left_out`) for a list of structs below the column.
    """
    repeated = pa.types.is_list(arrow_type)
    inner = arrow_type.value_type if repeated else arrow_type
    name = _doc_path(column, path, column_is_list)
    if path and repeated and pa.types.is_struct(inner):
        left_out.append(name)
        return None
    field_id = "/".join([record_set, column, *path])
    source: dict = {"fileSet": {"@id": file_set}, "extract": {"column": column}}
    if path:
        source["transform"] = {"jsonPath": "$." + ".".join(path)}
    field: dict = {"@type": "cr:Field", "@id": field_id, "name": path[-1] if path else column,
                   "description": _describe(descriptions, name)}
    if pa.types.is_struct(inner):
        children = [_field(record_set, file_set, column, [*path, child.name], child.type, descriptions,
                           column_is_list, left_out) for child in inner]
        field["subField"] = [child for child in children if child is not None]
    else:
        field["dataType"] = DATA_TYPES.get(str(inner), "sc:Text")
    field["source"] = source
    if repeated:
        field["repeated"] = True
    reference = _reference(record_set, column) if not path else None
    if reference:
        field["references"] = {"field": {"@id": "/".join(reference)}}
    return field


def _reference(record_set: str, column: str) -> tuple[str, str] | None:
    """The (record set, field) a top-level column refers to: the split, or another config's key."""
    return ("splits", "name") if column == "split" else REFERENCES.get((record_set, column))


def _elsewhere(config: str, name: str) -> str:
    if config == "documents" and name in ELSEWHERE:
        return ELSEWHERE[name]
    return "the Parquet files only (read them with pyarrow, pandas or `datasets`)"


def record_set(config: str, descriptions: dict[str, str]) -> dict:
    file_set = f"{config}-parquet"
    left_out: list[str] = []
    fields = [_field(config, file_set, col.name, [], col.type, descriptions, pa.types.is_list(col.type), left_out)
              for col in SCHEMAS[config]]
    description = CONFIG_SUMMARY[config] + "."
    if left_out:
        description += (" Left out of this record set because mlcroissant reads a list of structs only as a whole "
                        "column, and kept one row per item elsewhere (joined on doc_id and id): " +
                        "; ".join(f"`{name}` -> {_elsewhere(config, name)}" for name in left_out)
                        + ".")
    key = [{"@id": f"{config}/{column}"} for column in (("uid",) if "uid" in SCHEMAS[config].names else KEYS[config])]
    return {"@type": "cr:RecordSet", "@id": config, "name": config, "description": description,
            "key": key[0] if len(key) == 1 else key, "field": [f for f in fields if f is not None]}


def splits_record_set() -> dict:
    return {
        "@type": "cr:RecordSet", "@id": "splits", "name": "splits", "dataType": "cr:Split",
        "description": "The splits of every record set: train, validation and test (the benchmark's held-out split).",
        "key": {"@id": "splits/name"},
        "field": [{"@type": "cr:Field", "@id": "splits/name", "name": "name", "description": "Split name.",
                   "dataType": "sc:Text"},
                  {"@type": "cr:Field", "@id": "splits/url", "name": "url",
                   "description": "What the split is for: Croissant's TrainingSplit, ValidationSplit or TestSplit.",
                   "dataType": "sc:URL"}],
        "data": [{"splits/name": split, "splits/url": SPLIT_URLS[split]} for split in SPLITS],
    }


def _statuses(summary: dict) -> str:
    overall = summary["stats"]["overall"]
    parts = []
    for layer in ("mentions", "quotes", "claims"):
        counts = [f"{n:,} {key.rsplit('.', 1)[1]}" for key, n in overall.items() if key.startswith(f"layers.{layer}.") and n]
        parts.append(f"{layer}: {', '.join(counts) or 'none'}")
    return "; ".join(parts)


def _roles(entry: dict) -> str:
    return ", ".join(entry.get("roles") or []) or "role not recorded"


def machine_annotation_tools(summary: dict) -> list[str]:
    """Every non-human producer recorded in the layers' provenance: AI agents with the model identifiers they
    recorded, and programs, with how many documents each worked on."""
    lines = []
    for entry in summary.get("producer_models", []):
        kind, docs = entry["kind"], entry["documents"]
        if kind == "human":
            continue
        if kind == "agent":
            model = (f"model recorded as `{entry['model']}` (producers[].model)" if entry["model"] else
                     "no model recorded in producers[].model" + (
                         f" (version field: {', '.join(f'`{v}`' for v in entry['versions'])})" if entry["versions"] else ""))
            lines.append(f"AI agent (an LLM session, producer kind `agent`), {model}: {entry['ids']} annotator id(s), "
                         f"{docs:,} document(s) ({_roles(entry)}).")
        else:
            names = ", ".join(f"`{n}`" for n in entry.get("names", [])) or "unnamed"
            versions = f" {', '.join(entry['versions'])}" if entry["versions"] else ""
            model = f", model `{entry['model']}`" if entry["model"] else ""
            lines.append(f"Program of kind `{kind}`: {names}{versions}{model}: {docs:,} document(s) ({_roles(entry)}).")
    return lines or ["None: no layer records a program or AI model among its producers."]


def annotation_platforms(summary: dict) -> list[str]:
    documents = summary["stats"]["overall"].get("documents", 0)
    platforms = summary.get("platforms") or {}
    if platforms:
        return [f"{name}: recorded in the layer provenance of {n:,} of {documents:,} documents (the annotation's place in "
                f"{name} in producers[].workspace, or the pull in the layer's changes)" for name, n in platforms.items()]
    return [f"None recorded: no document's provenance records an annotation platform "
            f"({summary.get('workspaces_recorded', 0):,} of {documents:,} documents record where their annotators "
            "worked, in producers[].workspace)."]


def annotations_per_item(manifest: dict) -> str:
    summary = manifest["summary"]
    agreement = manifest.get("agreement") or {}
    twice = ""
    if agreement.get("measured"):
        pairs = agreement["pairs"]
        twice = (f" {max(p['documents'] for p in pairs):,} documents were annotated twice, independently, before "
                 "adjudication; the release carries the adjudicated version.")
    return ("One annotation per document and layer (the adjudicated, reviewed or imported one)." + twice +
            " Layer statuses in this version: " + _statuses(summary) + ".")


def missing_data(manifest: dict) -> str:
    summary = manifest["summary"]
    overall = summary["stats"]["overall"]
    absent = "; ".join(f"{layer} absent in {overall.get(f'layers.{layer}.absent', 0):,}" for layer in ("mentions", "quotes", "claims"))
    return (f"Texts withheld because their license forbids redistribution: {len(summary['withheld']):,} document(s) "
            "(`text` and span texts null, offsets and text_sha256 kept; `wsw rehydrate` restores them from the "
            f"user's own copy). Documents without a publication date: {summary['published']['unknown']:,}. "
            f"Documents per layer not annotated (status absent, layer empty): {absent}.")


def collection_types(summary: dict) -> list[str]:
    importers = summary.get("importers", {})
    types = []
    if any(not name.startswith("wsw ingest") for name in importers):
        types.append("Secondary Data Analysis")
    if any(name.startswith("wsw ingest") for name in importers):
        types.append("Web Scraping")
    return types or ["Others"]


#: croissant.json's `url` when dataset.json gives neither `homepage` nor `repository`: the dataset card in
#: the release folder, a reference relative to croissant.json itself. It is the dataset's page wherever
#: the folder is published (on the Hugging Face Hub the card is the dataset page), so it is true before
#: the project has a public address; `wsw release` notes that a homepage or repository should be set.
CARD_URL = "README.md"


def dataset_url(meta: dict) -> str | None:
    """The dataset's public address from dataset.json (homepage, else repository), or None."""
    return meta.get("homepage") or meta.get("repository")


def rai_fields(manifest: dict) -> dict:
    """The Responsible-AI (RAI 1.0) fields, from dataset.json and the facts release.json computed."""
    meta = manifest["dataset"]
    summary = manifest["summary"]
    withheld = summary["withheld"]
    return {
        "rai:dataCollection": meta["source_data"],
        "rai:dataCollectionType": collection_types(summary),
        "rai:dataCollectionMissingData": missing_data(manifest),
        "rai:dataCollectionRawData": "Raw inputs are kept in the source repository under corpus/raw/ with their "
                                     "SHA-256 in each document's provenance.source.",
        "rai:dataImputationProtocol": "None: no value is imputed. Missing values stay null (withheld texts, unknown "
                                      "dates, unresolved speakers) and layers that were not annotated are empty with "
                                      "status absent.",
        "rai:dataPreprocessingProtocol": ["Text extraction by `wsw ingest` (boilerplate removed by named rules, each "
                                          "removal logged in provenance.source.cleaning) or by a corpus importer; "
                                          "offsets are Unicode code points into the text as stored, never normalised.",
                                          "Text produced by: " + (", ".join(f"`{name}` ({n:,} document(s))" for name, n
                                                                            in summary["importers"].items()) or "none")
                                          + "."],
        "rai:dataManipulationProtocol": "Texts whose license forbids redistribution are withheld (text and span "
                                        f"surface strings null; {len(withheld)} document(s) in this release) and "
                                        "can be restored with `wsw rehydrate`, which checks text_sha256.",
        "rai:dataAnnotationProtocol": [meta["annotation_process"], "Layer statuses in this version: " +
                                       _statuses(summary) + "."],
        "rai:dataAnnotationPlatform": annotation_platforms(summary),
        "rai:dataAnnotationAnalysis": agreement_lines(manifest.get("agreement") or {"why": "not recorded"}),
        "rai:annotationsPerItem": annotations_per_item(manifest),
        "rai:annotatorDemographics": [meta["annotators"]],
        "rai:machineAnnotationTools": machine_annotation_tools(summary),
        "rai:dataBiases": list(meta["biases"]),
        "rai:dataLimitations": list(meta["known_limitations"]),
        "rai:dataUseCases": list(meta["intended_uses"]),
        "rai:dataSocialImpact": meta["social_impact"],
        "rai:personalSensitiveInformation": [meta["personal_sensitive_information"]],
        "rai:dataReleaseMaintenancePlan": meta["maintenance"],
    }


def _creator(maintainer: dict) -> dict:
    creator = {"@type": "sc:Organization", "name": maintainer["name"]}
    if maintainer.get("url"):
        creator["url"] = maintainer["url"]
    if maintainer.get("contact") and "@" in maintainer["contact"]:
        creator["email"] = maintainer["contact"]
    return creator


def croissant(manifest: dict) -> dict:
    meta = manifest["dataset"]
    notes = {entry["version"]: entry for entry in meta["changelog"]}
    summary = manifest["summary"]
    licenses = [meta["annotation_license"]["url"]] + sorted(
        {lic["url"] for lic in summary["licenses"] if lic["redistributable"] and lic.get("url")})
    inventory = parse_inventory(manifest["inventory"])
    found = summary.get("sources", {})
    doc: dict = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": ["http://mlcommons.org/croissant/1.0", "http://mlcommons.org/croissant/RAI/1.0"],
        "name": meta["name"],
        "alternateName": meta["pretty_name"],
        "url": dataset_url(meta) or CARD_URL,  # required by Croissant 1.0
        "description": meta["description"],
        "version": manifest["version"],
        "datePublished": notes[manifest["version"]]["date"],
        "license": licenses,
        "citeAs": meta["citation"]["bibtex"].strip(),
        "creator": [_creator(m) for m in meta["maintainers"]],
        "isBasedOn": [{"@type": "sc:CreativeWork", "name": SOURCES[key]["name"], "url": SOURCES[key]["url"],
                       "citation": SOURCES[key]["bibtex"]} for key in SOURCES if found.get(key)],
        "keywords": list(meta["keywords"]),
        "inLanguage": list(meta["language"]),
        "distribution": [{"@type": "cr:FileSet", "@id": f"{config}-parquet", "name": f"{config}-parquet",
                          "description": f"Parquet shards of the `{config}` config.",
                          "encodingFormat": "application/x-parquet", "includes": f"data/{config}/*.parquet"}
                         for config in CONFIGS],
        "recordSet": [splits_record_set()] + [
            record_set(config, {path: text for path, _, text in field_table(config, inventory)}) for config in CONFIGS],
        **rai_fields(manifest),
    }
    if not doc["isBasedOn"]:
        del doc["isBasedOn"]
    return doc


def render_croissant(manifest: dict) -> str:
    return json.dumps(croissant(manifest), ensure_ascii=False, indent=1) + "\n"
