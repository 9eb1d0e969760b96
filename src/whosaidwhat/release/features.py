"""The column layout of each release config: Arrow schemas, their `datasets` Features, and docs.

Layers are lists of structs (`List({...})` in `datasets`), never `Sequence(dict)`, so a row's
`mentions` is a list of mention dicts exactly as in the canonical document. Labels stay
strings (the names in schema/labels.json): they read the same in `datasets`, pandas and
pyarrow, and adding a label to the inventory never renumbers the existing ones. The allowed
values of every label column are written into the card from the inventory.
"""

from __future__ import annotations

import functools
import json

import pyarrow as pa

from ..core.inventory import Inventory
from ..core.resources import schema_path
from .rows import LAYERS, uid  # noqa: F401  (re-exported: the layout's layer order and row ids)

#: Version of the release layout (columns and files); a reader refuses a major it does not know.
#: 1.1 added the `entities` and `producers` configs and the `split`, `uid` and `*_uid` columns;
#: 1.2 the disagreement configs `annotations`, `decisions` and `corrections`; 1.3 `decisions.guidelines_version`.
FORMAT_VERSION = "1.3"

#: the configs of the released (gold) documents: `documents` and the configs derived from it
DOCUMENT_CONFIGS = ("documents", "entities", "mentions", "quotes", "claims", "producers")
#: the configs derived from `documents` (one row per item of a document)
FLAT_CONFIGS = tuple(c for c in DOCUMENT_CONFIGS if c != "documents")
#: the configs for studying disagreement: the independent annotations before adjudication, the
#: adjudicator's decisions and the corrections applied after it (built by `study.py`)
STUDY_CONFIGS = ("annotations", "decisions", "corrections")
CONFIGS = DOCUMENT_CONFIGS + STUDY_CONFIGS
SPLITS = ("train", "validation", "test")

OFFSET = pa.int32()
SPAN = pa.struct([("start", OFFSET), ("end", OFFSET), ("text", pa.string())])
LICENSE = pa.struct([("id", pa.string()), ("redistributable", pa.bool_()), ("attribution", pa.string()),
                     ("url", pa.string())])
ATTRIBUTION = pa.struct([("kind", pa.string()), ("mention", pa.string()), ("entity", pa.string())])
PRODUCER_FIELDS = [("kind", pa.string()), ("id", pa.string()), ("version", pa.string()), ("role", pa.string()),
                   ("model", pa.string()), ("shown", pa.list_(pa.string())), ("workspace", pa.string())]
PRODUCER = pa.struct(PRODUCER_FIELDS)
LAYER = pa.struct([("status", pa.string()), ("producers", pa.list_(PRODUCER)), ("guidelines_version", pa.string()),
                   ("created", pa.string()), ("updated", pa.string()), ("lead_time_seconds", pa.float64()),
                   ("changes", pa.list_(pa.string())), ("notes", pa.string())])
METADATA = pa.struct([("title", pa.string()), ("outlet", pa.string()), ("url", pa.string()),
                      ("published", pa.string()), ("language", pa.string()), ("authors", pa.list_(pa.string())),
                      ("license", LICENSE), ("annotation_license", LICENSE), ("text_origin", pa.string())])
SOURCE = pa.struct([("raw_file", pa.string()), ("raw_sha256", pa.string()), ("importer", pa.string()),
                    ("cleaning", pa.list_(pa.string())), ("derived_from", pa.string())])
PROVENANCE = pa.struct([("source", SOURCE),
                        ("layers", pa.struct([("mentions", LAYER), ("quotes", LAYER), ("claims", LAYER)]))])
ENTITY = pa.struct([("id", pa.string()), ("type", pa.string()), ("name", pa.string()), ("kb_id", pa.string())])
MENTION = pa.struct([("id", pa.string()), ("start", OFFSET), ("end", OFFSET), ("text", pa.string()),
                     ("type", pa.string()), ("kind", pa.string()), ("entity", pa.string())])
QUOTE = pa.struct([("id", pa.string()), ("fragments", pa.list_(SPAN)), ("cue", SPAN), ("speaker", ATTRIBUTION),
                   ("type", pa.string())])
CLAIM = pa.struct([("id", pa.string()), ("fragments", pa.list_(SPAN)), ("claimant", ATTRIBUTION),
                   ("quote", pa.string()), ("check_worthy", pa.bool_())])

_S = pa.string()
#: who decided or corrected: an adjudicator or reviewer record of a decision or corrections file
ADJUDICATOR = pa.struct([("kind", _S), ("id", _S), ("model", _S), ("version", _S)])
#: Columns of each config. The canonical fields come first, in the canonical document's order; the
#: columns a release adds (`uid`, resolved names, `*_uid` references, `split`) follow, `split` last.
SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("id", _S), ("text", _S), ("text_sha256", _S), ("metadata", METADATA),
        ("provenance", PROVENANCE), ("entities", pa.list_(ENTITY)), ("mentions", pa.list_(MENTION)),
        ("quotes", pa.list_(QUOTE)), ("claims", pa.list_(CLAIM)), ("split", _S),
    ]),
    "entities": pa.schema([
        ("doc_id", _S), ("id", _S), ("uid", _S), ("type", _S), ("name", _S), ("kb_id", _S), ("split", _S),
    ]),
    "mentions": pa.schema([
        ("doc_id", _S), ("id", _S), ("uid", _S), ("start", OFFSET), ("end", OFFSET), ("text", _S), ("type", _S),
        ("kind", _S), ("entity", _S), ("entity_name", _S), ("entity_kb_id", _S), ("entity_uid", _S), ("split", _S),
    ]),
    "quotes": pa.schema([
        ("doc_id", _S), ("id", _S), ("uid", _S), ("fragments", pa.list_(SPAN)), ("cue", SPAN), ("speaker", ATTRIBUTION),
        ("speaker_entity", _S), ("speaker_name", _S), ("type", _S), ("speaker_mention_uid", _S),
        ("speaker_entity_uid", _S), ("split", _S),
    ]),
    "claims": pa.schema([
        ("doc_id", _S), ("id", _S), ("uid", _S), ("fragments", pa.list_(SPAN)), ("claimant", ATTRIBUTION),
        ("claimant_entity", _S), ("claimant_name", _S), ("quote", _S), ("check_worthy", pa.bool_()),
        ("claimant_mention_uid", _S), ("claimant_entity_uid", _S), ("quote_uid", _S), ("split", _S),
    ]),
    "producers": pa.schema([
        ("doc_id", _S), ("layer", _S), ("position", pa.int32()), ("uid", _S), ("status", _S), *PRODUCER_FIELDS,
        ("split", _S),
    ]),
    "annotations": pa.schema([
        ("doc_id", _S), ("pass", _S), ("uid", _S), ("annotators", pa.list_(_S)), ("text", _S), ("text_sha256", _S),
        ("metadata", METADATA), ("provenance", PROVENANCE), ("entities", pa.list_(ENTITY)),
        ("mentions", pa.list_(MENTION)), ("quotes", pa.list_(QUOTE)), ("claims", pa.list_(CLAIM)), ("split", _S),
    ]),
    "decisions": pa.schema([
        ("doc_id", _S), ("id", _S), ("uid", _S), ("kind", _S), ("pass_a", _S), ("pass_b", _S), ("a", _S), ("b", _S),
        ("choices", pa.list_(_S)), ("version_a", _S), ("version_b", _S), ("context", _S), ("decision", _S),
        ("reason", _S), ("decided_by", _S), ("adjudicator", ADJUDICATOR), ("guidelines_version", _S),
        ("text_withheld", pa.bool_()), ("split", _S),
    ]),
    "corrections": pa.schema([
        ("doc_id", _S), ("item", _S), ("field", _S), ("step", pa.int32()), ("uid", _S), ("file", _S), ("from", _S),
        ("to", _S), ("rule", _S), ("reason", _S), ("text", _S), ("second_review", _S), ("decided_by", _S),
        ("by", ADJUDICATOR), ("guidelines_version", _S), ("text_withheld", pa.bool_()), ("split", _S),
    ]),
}

CONFIG_SUMMARY = {
    "documents": "one row per article: id, text, metadata, provenance and all annotation layers as lists of structs",
    "entities": "one row per entity (coreference cluster), with its document id: type, canonical name, Wikipedia link",
    "mentions": "one row per entity mention, with its document id and its entity's name",
    "quotes": "one row per quote, with its document id and its speaker resolved to an entity",
    "claims": "one row per claim, with its document id and its claimant resolved to an entity",
    "producers": "one row per producer of a document's layer: who or what annotated it (human, AI agent and model, "
                 "program), in what role, shown what",
    "annotations": "one row per independent annotation of a document (document id, pass): every layer as one annotator "
                   "made it, before adjudication, with its provenance",
    "decisions": "one row per conflict between two annotations that an adjudicator decided: kind, both versions, the "
                 "decision, its reason and who decided",
    "corrections": "one row per correction applied to the gold after adjudication: item, field, old and new value, "
                   "rule and reason",
}

#: The key of each config's rows (what makes a row unique in the whole release).
KEYS = {"documents": ("id",), "entities": ("doc_id", "id"), "mentions": ("doc_id", "id"), "quotes": ("doc_id", "id"),
        "claims": ("doc_id", "id"), "producers": ("doc_id", "layer", "position"), "annotations": ("doc_id", "pass"),
        "decisions": ("doc_id", "id"), "corrections": ("doc_id", "item", "field", "step")}

#: Columns that hold the key of another config's row: (config, column) -> (config, column).
REFERENCES = {
    **{(config, "doc_id"): ("documents", "id") for config in FLAT_CONFIGS + STUDY_CONFIGS},
    ("mentions", "entity_uid"): ("entities", "uid"),
    ("quotes", "speaker_mention_uid"): ("mentions", "uid"),
    ("quotes", "speaker_entity_uid"): ("entities", "uid"),
    ("claims", "claimant_mention_uid"): ("mentions", "uid"),
    ("claims", "claimant_entity_uid"): ("entities", "uid"),
    ("claims", "quote_uid"): ("quotes", "uid"),
}


#: Columns of the flat configs that are not fields of the canonical document.
EXTRA_FIELDS = {
    "doc_id": "Id of the document the item belongs to (the `id` of the `documents` config).",
    "uid": "Release-wide id of the row, `<doc_id>/<id>` (producers: `<doc_id>/<layer>/<position>`): one column to "
           "join on instead of two.",
    "split": "Split of the document (train, validation or test), the same as in the file name.",
    "entity_name": "Canonical name of the mention's entity.",
    "entity_kb_id": "Knowledge-base id of the mention's entity (`wikipedia:<title>`), or null.",
    "entity_uid": "`uid` of the mention's entity in the `entities` config.",
    "speaker_entity": "Entity id the speaker resolves to (through its mention when speaker.kind is mention); null for unknown.",
    "speaker_name": "Canonical name of that entity; null for unknown.",
    "speaker_mention_uid": "`uid` of the speaker's mention in the `mentions` config; null unless speaker.kind is mention.",
    "speaker_entity_uid": "`uid` of the speaker's entity in the `entities` config; null for unknown.",
    "claimant_entity": "Entity id the claimant resolves to; null for outlet and unknown.",
    "claimant_name": "Canonical name of that entity; null for outlet and unknown.",
    "claimant_mention_uid": "`uid` of the claimant's mention in the `mentions` config; null unless claimant.kind is mention.",
    "claimant_entity_uid": "`uid` of the claimant's entity in the `entities` config; null for outlet and unknown.",
    "quote_uid": "`uid` of the quote the claim was made in, in the `quotes` config; null if none.",
    "layer": "The layer the producer worked on: mentions (with entities), quotes or claims.",
    "position": "Position of the producer in the layer's `producers` list (0 first).",
    "status": "Status of that layer of the document (gold, silver, draft, absent).",
    "pass": "The annotation pass (the folder CORPUS/annotations/<pass>/ it was kept in): each pass is one independent "
            "annotation of its documents.",
    "annotators": "Ids of the producers recorded in the annotation's layers, in layer order (pseudonyms; their kind and "
                  "model are in provenance.layers.*.producers).",
    "kind": "Kind of conflict: <layer>-only (an item only one annotation has), <layer>-boundary, mention-link, "
            "mention-kind, entity-type, speaker, claimant, quote-type, quote-cue, claim-quote-link, check-worthiness.",
    "pass_a": "The pass of annotation A of the decision file (an `annotations` row: doc_id, pass).",
    "pass_b": "The pass of annotation B.",
    "a": "Id of the item in annotation A, null if only B has it.",
    "b": "Id of the item in annotation B, null if only A has it.",
    "choices": "The decisions the adjudicator could take: A, B (that annotation's version) or keep, drop (an item only "
               "one annotation has).",
    "version_a": "Annotation A's version as JSON (a string, list, object, boolean or null), as the decision file shows "
                 "it; null where the text is withheld.",
    "version_b": "Annotation B's version as JSON; null where the text is withheld.",
    "context": "The text around the item, the item in [[...]]; null where the text is withheld.",
    "decision": "The adjudicator's choice, one of `choices`.",
    "reason": "Why the adjudicator decided so.",
    "decided_by": "Id of who decided this conflict (the file's adjudicator unless the conflict names another).",
    "adjudicator": "The adjudicator of the decision file: kind (human, agent), id, model, version.",
    "text_withheld": "True when the document's text may not be redistributed: the columns that quote it are null.",
    "item": "Id of the corrected item in the gold document.",
    "field": "The corrected field of the item.",
    "step": "Position of the corrections file in the order they were applied (0: corrections.json, then "
            "corrections-<guidelines version>.json by version); a later file may correct an item again.",
    "file": "The corrections file of the campaign the row comes from.",
    "from": "The value before the correction, as JSON; span texts in it null where the text is withheld.",
    "to": "The value after the correction, as JSON; span texts in it null where the text is withheld.",
    "second_review": "The verdict of a second, blind reviewer on the proposed correction (accepted, modified), if any.",
    "rule": "The guideline rule the correction applies.",
    "text": "The text of the corrected item as the reviewer saw it; null where the text is withheld.",
    "by": "Who made the corrections: kind, id, model, version.",
    "guidelines_version": "Version of the guidelines the corrections follow.",
}


#: Columns whose meaning in one config differs from EXTRA_FIELDS: (config, column) -> description.
CONFIG_FIELDS = {
    ("annotations", "doc_id"): "Id of the annotated document (the `id` of the `documents` config, which holds the "
                               "adjudicated version).",
    ("annotations", "uid"): "Release-wide id of the row, `<doc_id>/<pass>`.",
    ("decisions", "doc_id"): "Id of the document whose two annotations conflicted.",
    ("decisions", "id"): "Id of the conflict within its document's decision file (k1, k2, ...).",
    ("decisions", "uid"): "Release-wide id of the row, `<doc_id>/<id>`.",
    ("corrections", "doc_id"): "Id of the corrected gold document.",
    ("corrections", "uid"): "Release-wide id of the row, `<doc_id>/<item>/<field>/<step>`.",
    ("corrections", "decided_by"): "Who decided to apply this correction, where the file names someone for it.",
    ("corrections", "reason"): "Why the value was corrected.",
    ("decisions", "guidelines_version"): "Version of the guidelines the adjudicator followed (null where the decision "
                                         "file does not record it).",
}


def features(config: str):
    """The `datasets.Features` of a config (lists of structs become `List({...})`)."""
    import datasets

    return datasets.Features.from_arrow_schema(SCHEMAS[config])


_YAML_DTYPES = {"string": "string", "int32": "int32", "bool": "bool", "double": "float64"}


def _yaml_type(arrow_type: pa.DataType) -> dict:
    if pa.types.is_struct(arrow_type):
        return {"struct": [{"name": f.name, **_yaml_type(f.type)} for f in arrow_type]}
    if pa.types.is_list(arrow_type):
        inner = _yaml_type(arrow_type.value_type)
        return {"list": inner.get("dtype") or inner.get("struct")}
    return {"dtype": _YAML_DTYPES[str(arrow_type)]}


def yaml_features(config: str) -> list[dict]:
    """The card's `dataset_info.features` of a config, in the YAML form `datasets` writes and reads.

    Written here so that building a release does not import `datasets`; a test checks it equals
    `features(config)._to_yaml_list()` from `datasets` itself.
    """
    return [{"name": f.name, **_yaml_type(f.type)} for f in SCHEMAS[config]]


# -- field documentation for the card: taken from document.schema.json, not retyped ---------------------

@functools.lru_cache(maxsize=1)
def _document_schema() -> dict:
    return json.loads(schema_path("document.schema.json").read_text(encoding="utf-8"))


def _resolve(node: dict) -> dict:
    schema = _document_schema()
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    if "anyOf" in node:
        refs = [n for n in node["anyOf"] if "$ref" in n]
        if refs:
            return {**_resolve(refs[0]), "description": node.get("description", _resolve(refs[0]).get("description"))}
    return node


def _walk(arrow_type: pa.DataType, node: dict | None, prefix: str, rows: list[tuple[str, str, str]]) -> None:
    if pa.types.is_list(arrow_type):
        item_node = _resolve(node.get("items", {})) if node else None
        _walk(arrow_type.value_type, item_node, prefix + "[]", rows)
        return
    if pa.types.is_struct(arrow_type):
        props = node.get("properties", {}) if node else {}
        for field in arrow_type:
            child = _resolve(props[field.name]) if field.name in props else None
            path = f"{prefix}.{field.name}"
            rows.append((path, _type_name(field.type), _description(field.name, child, props.get(field.name))))
            _walk(field.type, child, path, rows)


def _description(name: str, resolved: dict | None, raw: dict | None) -> str:
    if raw is not None and raw.get("description"):
        return raw["description"]
    if resolved is not None and resolved.get("description"):
        return resolved["description"]
    return EXTRA_FIELDS.get(name, "")


def _type_name(arrow_type: pa.DataType) -> str:
    if pa.types.is_list(arrow_type):
        inner = arrow_type.value_type
        return "list of structs" if pa.types.is_struct(inner) else f"list of {_type_name(inner)}"
    if pa.types.is_struct(arrow_type):
        return "struct"
    return {"int32": "int32", "string": "string", "bool": "bool", "double": "float64"}.get(str(arrow_type), str(arrow_type))


def label_columns(config: str, inventory: Inventory) -> dict[str, tuple[str, ...]]:
    """Column path (`[]` walks a list) -> the label names it may hold, from the inventory."""
    speaker, claimant = inventory.attribution_kinds_for("speaker"), inventory.attribution_kinds_for("claimant")
    if config in ("documents", "annotations"):
        labels = {"entities[].type": inventory.entity_types, "mentions[].type": inventory.entity_types,
                  "mentions[].kind": inventory.mention_kinds, "quotes[].type": inventory.quote_types,
                  "quotes[].speaker.kind": speaker, "claims[].claimant.kind": claimant}
        for layer in LAYERS:
            labels[f"provenance.layers.{layer}.status"] = inventory.layer_statuses
            labels[f"provenance.layers.{layer}.producers[].kind"] = inventory.producer_kinds
        return {**labels, "split": SPLITS}
    return {**{"entities": {"type": inventory.entity_types},
               "mentions": {"type": inventory.entity_types, "kind": inventory.mention_kinds},
               "quotes": {"type": inventory.quote_types, "speaker.kind": speaker},
               "claims": {"claimant.kind": claimant},
               "producers": {"layer": LAYERS, "status": inventory.layer_statuses, "kind": inventory.producer_kinds},
               "decisions": {"adjudicator.kind": inventory.producer_kinds},
               "corrections": {"by.kind": inventory.producer_kinds},
               }[config], "split": SPLITS}


#: the document.schema.json definition each flat config's rows are items of
ITEM_DEFS = {"entities": "entity", "mentions": "mention", "quotes": "quote", "claims": "claim", "producers": "producer"}


def _item_node(config: str) -> dict:
    """The document.schema.json node a config's rows are instances of (decisions and corrections: only their
    adjudicator records are described there, as producers)."""
    if config in ("documents", "annotations"):
        return _document_schema()
    if config in ITEM_DEFS:
        return _resolve({"$ref": f"#/$defs/{ITEM_DEFS[config]}"})
    return {"properties": {column: {"$ref": "#/$defs/producer", "description": EXTRA_FIELDS[column]}
                           for column in ("adjudicator", "by")}}


def field_table(config: str, inventory: Inventory) -> list[tuple[str, str, str]]:
    """(column path, type, description with allowed labels) for every column of a config, nested included.

    Descriptions come from schema/document.schema.json; the layer provenance records of quotes
    and claims, which repeat those of mentions, are listed once.
    """
    item_node = _item_node(config)
    rows: list[tuple[str, str, str]] = []
    _walk(pa.struct(list(SCHEMAS[config])), item_node, "", rows)
    labels = label_columns(config, inventory)
    out = []
    for path, type_name, description in rows:
        path = path.lstrip(".")
        description = CONFIG_FIELDS.get((config, path), description)
        if path.startswith(("provenance.layers.quotes.", "provenance.layers.claims.")):
            continue
        if path in ("provenance.layers.quotes", "provenance.layers.claims"):
            description += " Same fields as provenance.layers.mentions."
        if path in labels:
            description = f"{description} Values: {', '.join(f'`{v}`' for v in labels[path])}."
        out.append((path, type_name, description.strip()))
    return out
