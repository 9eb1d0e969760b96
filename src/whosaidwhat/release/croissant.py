"""croissant.json: MLCommons Croissant 1.0 metadata with the Responsible-AI (RAI 1.0) fields.

One FileSet per config (its Parquet shards) and one RecordSet per config whose fields mirror
the Arrow schema: structs become `subField`s, lists are `repeated`, and each record carries its
split, read from the file name. Rendered from the release manifest; no checksums of data files
are repeated here (SHA256SUMS has them), so the file does not depend on Parquet bytes.
"""

from __future__ import annotations

import json

import pyarrow as pa

from .features import CONFIG_SUMMARY, CONFIGS, SCHEMAS

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
SPLIT_REGEX = r"^(?:.*/)?(train|validation|test)-[0-9]{5}-of-[0-9]{5}\.parquet$"


def _field(record_set: str, file_set: str, column: str, path: list[str], arrow_type: pa.DataType) -> dict:
    """A Croissant field for one (possibly nested) column; `path` is the key path below the column."""
    field_id = "/".join([record_set, column, *path])
    name = path[-1] if path else column
    repeated = pa.types.is_list(arrow_type)
    inner = arrow_type.value_type if repeated else arrow_type
    source: dict = {"fileSet": {"@id": file_set}, "extract": {"column": column}}
    if path:
        source["transform"] = {"jsonPath": "$." + ".".join(path)}
    field: dict = {"@type": "cr:Field", "@id": field_id, "name": name, "description": f"`{'.'.join([column, *path])}`"}
    if pa.types.is_struct(inner):
        field["subField"] = [_field(record_set, file_set, column, [*path, child.name], child.type) for child in inner]
    else:
        field["dataType"] = DATA_TYPES.get(str(inner), "sc:Text")
    field["source"] = source
    if repeated:
        field["repeated"] = True
    return field


def record_set(config: str) -> dict:
    file_set = f"{config}-parquet"
    fields = [{"@type": "cr:Field", "@id": f"{config}/split", "name": "split", "description": "Split of the record.",
               "dataType": "sc:Text",
               "source": {"fileSet": {"@id": file_set}, "extract": {"fileProperty": "fullpath"},
                          "transform": {"regex": SPLIT_REGEX}}}]
    fields += [_field(config, file_set, col.name, [], col.type) for col in SCHEMAS[config]]
    return {"@type": "cr:RecordSet", "@id": config, "name": config, "description": CONFIG_SUMMARY[config] + ".",
            "field": fields}


def _statuses(summary: dict) -> str:
    overall = summary["stats"]["overall"]
    parts = []
    for layer in ("mentions", "quotes", "claims"):
        counts = [f"{n:,} {key.rsplit('.', 1)[1]}" for key, n in overall.items() if key.startswith(f"layers.{layer}.") and n]
        parts.append(f"{layer}: {', '.join(counts) or 'none'}")
    return "; ".join(parts)


def croissant(manifest: dict) -> dict:
    meta = manifest["dataset"]
    notes = {entry["version"]: entry for entry in meta["changelog"]}
    summary = manifest["summary"]
    licenses = [meta["annotation_license"]["url"]] + sorted(
        {lic["url"] for lic in summary["licenses"] if lic["redistributable"] and lic.get("url")})
    withheld = summary["withheld"]
    doc = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": ["http://mlcommons.org/croissant/1.0", "http://mlcommons.org/croissant/RAI/1.0"],
        "name": meta["name"],
        "alternateName": meta["pretty_name"],
        "description": meta["description"],
        "version": manifest["version"],
        "datePublished": notes[manifest["version"]]["date"],
        "license": licenses,
        "citeAs": meta["citation"]["bibtex"].strip(),
        "creator": [{"@type": "sc:Organization", "name": m["name"], **({"url": m["url"]} if m.get("url") else {})}
                    for m in meta["maintainers"]],
        "keywords": list(meta["keywords"]),
        "inLanguage": list(meta["language"]),
        "distribution": [{"@type": "cr:FileSet", "@id": f"{config}-parquet", "name": f"{config}-parquet",
                          "description": f"Parquet shards of the `{config}` config.",
                          "encodingFormat": "application/x-parquet", "includes": f"data/{config}/*.parquet"}
                         for config in CONFIGS],
        "recordSet": [record_set(config) for config in CONFIGS],
        "rai:dataCollection": meta["source_data"],
        "rai:dataCollectionType": ["Secondary Data Analysis", "Manual Human Curation"],
        "rai:dataCollectionRawData": "Raw inputs are kept in the source repository under corpus/raw/ with their "
                                     "SHA-256 in each document's provenance.source.",
        "rai:dataPreprocessingProtocol": ["Text extraction by `wsw ingest` (boilerplate removed by named rules, each "
                                          "removal logged in provenance.source.cleaning) or by a corpus importer; "
                                          "offsets are Unicode code points into the text as stored, never normalised."],
        "rai:dataManipulationProtocol": "Texts whose license forbids redistribution are withheld (text and span "
                                        f"surface strings null; {len(withheld)} document(s) in this release) and "
                                        "can be restored with `wsw rehydrate`, which checks text_sha256.",
        "rai:dataAnnotationProtocol": [meta["annotation_process"]],
        "rai:dataAnnotationPlatform": list(meta.get("annotation_platforms") or []),
        "rai:annotationsPerItem": "One annotation per document and layer (the adjudicated or imported one); layer "
                                  "statuses in this version: " + _statuses(summary) + ".",
        "rai:annotatorDemographics": [meta["annotators"]],
        "rai:machineAnnotationTools": sorted(summary["importers"]),
        "rai:dataBiases": list(meta["biases"]),
        "rai:dataLimitations": list(meta["known_limitations"]),
        "rai:dataUseCases": list(meta["intended_uses"]),
        "rai:dataSocialImpact": meta["social_impact"],
        "rai:personalSensitiveInformation": [meta["personal_sensitive_information"]],
        "rai:dataReleaseMaintenancePlan": meta["maintenance"],
    }
    if meta.get("homepage"):
        doc["url"] = meta["homepage"]
    return doc


def render_croissant(manifest: dict) -> str:
    return json.dumps(croissant(manifest), ensure_ascii=False, indent=1) + "\n"
