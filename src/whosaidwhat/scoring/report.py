"""The score as data (the `--format json` document) and as a text table for people.

`build_result` arranges counts, point estimates and intervals by track; `format_text` only
formats that dict, so the table and the JSON can never disagree.
"""

from __future__ import annotations

import math

from .bootstrap import Interval
from .entities import SCHEMES, scheme_counts
from .metrics import HEADLINE

RESULT_FORMAT = "whosaidwhat-score/1"
#: below this many documents the result warns that bootstrap intervals are not informative
FEW_DOCUMENTS = 30

_QUOTE_METRICS = ("attributed", "exact", "overlap", "chars", "cue_exact", "cue_overlap")
_QUOTE_ACCURACIES = ("speaker_accuracy", "type_accuracy")
_CLAIM_METRICS = ("attributed", "exact", "overlap", "chars")
_CLAIM_ACCURACIES = ("claimant_accuracy", "check_worthy_accuracy", "quote_link_accuracy")


def _clean(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def _value(name: str, values: dict, cis: dict) -> dict:
    ci: Interval | None = cis.get(name)
    return {"value": _clean(values[name]), "ci_low": ci.low if ci else None, "ci_high": ci.high if ci else None}


def _prf(name: str, values: dict, cis: dict) -> dict:
    return {k: _value(f"{name}.{k}", values, cis) for k in ("precision", "recall", "f1")}


def _entity_section(sums: dict, values: dict, cis: dict, settings: dict, type_names: tuple[str, ...]) -> dict:
    entities: dict = {"mention_kinds": settings["mention_kinds"], "min_overlap": settings["entity_overlap"],
                      "schemes": {}, "per_type": {}}
    for scheme in SCHEMES:
        counts = {k: int(v) for k, v in scheme_counts(sums, scheme).items()}
        entities["schemes"][scheme] = {**counts, **_prf(f"entities.{scheme}", values, cis),
                                       "macro_f1": _value(f"entities.{scheme}.macro_f1", values, cis)}
    for t in type_names:
        if sums[f"ent.{t}.gold"] + sums[f"ent.{t}.pred"] == 0:
            continue
        entities["per_type"][t] = {
            scheme: {**{k: int(v) for k, v in scheme_counts(sums, scheme, type_name=t).items()},
                     **_prf(f"entities.{scheme}.{t}", values, cis)} for scheme in SCHEMES}
    return entities


def _passage_section(track: str, sums: dict, values: dict, cis: dict, settings: dict) -> dict:
    metrics: tuple[str, ...]
    accuracies: tuple[str, ...]
    if track == "quotes":
        counts = {k.split(".", 1)[1] if k.startswith("quote.") else k: int(v)
                  for k, v in sums.items() if k.startswith(("quote.", "cue."))}
        metrics, accuracies = _QUOTE_METRICS, _QUOTE_ACCURACIES
    else:
        counts = {k.split(".", 1)[1]: int(v) for k, v in sums.items() if k.startswith("claim.")}
        metrics, accuracies = _CLAIM_METRICS, _CLAIM_ACCURACIES
    section: dict = {"min_overlap": settings["span_overlap"], "counts": counts}
    section.update({m: _prf(f"{track}.{m}", values, cis) for m in metrics})
    section.update({m: _value(f"{track}.{m}", values, cis) for m in accuracies})
    return section


def build_result(sums: dict, values: dict, cis: dict, record: dict, type_names: tuple[str, ...], notes: list[str]) -> dict:
    """The full result: provenance record, headline, and every track's counts and metrics."""
    settings = record["settings"]
    return {
        "format": RESULT_FORMAT,
        **record,
        "headline": {name: _value(name, values, cis) for name in HEADLINE},
        "entities": _entity_section(sums, values, cis, settings, type_names),
        "quotes": _passage_section("quotes", sums, values, cis, settings),
        "claims": _passage_section("claims", sums, values, cis, settings),
        "notes": notes,
    }


def notes_for(record: dict) -> list[str]:
    """Plain-language warnings about what was (not) scored."""
    sub = record.get("submission", {})
    gold = record["gold"]
    notes = []
    if sub.get("empty"):
        notes.append(f"the submission is empty: it predicts none of the {gold['documents']} documents of split "
                     f"{gold['split']!r}, so every recall is 0")
    elif sub.get("missing_documents"):
        notes.append(f"{sub['missing_documents']} document(s) of split {gold['split']!r} have no line in the submission "
                     f"and count as predicting nothing (e.g. {', '.join(sub['missing_sample'][:3])})")
    if sub.get("other_split_documents"):
        notes.append(f"{sub['other_split_documents']} line(s) are for documents of other splits and were ignored")
    for layer, present in sub.get("layers_submitted", {}).items():
        if not present and not sub.get("empty"):
            notes.append(f"no line has a `{layer}` field: the {layer} track is scored as predicting nothing")
    if sub.get("offsets_not_range_checked"):
        notes.append(f"{sub['offsets_not_range_checked']} scored document(s) have withheld gold text, so their offsets "
                     "could not be checked against the text length (rehydrate the gold to check them)")
    if record["settings"]["resamples"] and gold["documents"] < FEW_DOCUMENTS:
        notes.append(f"the split has only {gold['documents']} document(s): the bootstrap resamples whole documents, "
                     "so its intervals say little about a larger population")
    for layer, count in gold.get("absent_layers", {}).items():
        if count:
            notes.append(f"{count} gold document(s) do not annotate {layer}; they take no part in that track")
    return notes


# -- text ------------------------------------------------------------------------------------------

def _num(x) -> str:
    return "   n/a" if x is None else f"{x:6.4f}"


def _with_ci(v: dict) -> str:
    if v["value"] is None:
        return "   n/a"
    if v["ci_low"] is None:
        return _num(v["value"])
    return f"{_num(v['value'])} [{v['ci_low']:.4f}, {v['ci_high']:.4f}]"


def _entity_lines(ent: dict) -> list[str]:
    """The entities table; column widths grow with the counts so that numbers never run together."""
    cols = ("COR", "INC", "PAR", "MIS", "SPU")
    w = 1 + max([6] + [len(str(row[c])) for row in ent["schemes"].values() for c in cols])  # counts never run together
    lines = ["", f"Entities ({', '.join(ent['mention_kinds'])} mentions; one-to-one matching)",
              f"  {'scheme':<9}" + "".join(f"{c:>{w}}" for c in cols) + f"   {'P':>6}   {'R':>6}   "
              f"{'F1 [95% CI]':<27}{'macro-F1':>8}"]
    for scheme, row in ent["schemes"].items():
        lines.append(f"  {scheme:<9}" + "".join(f"{row[c]:>{w}}" for c in cols) + "   "
                     f"{_num(row['precision']['value'])}   {_num(row['recall']['value'])}   "
                     f"{_with_ci(row['f1']):<27}{_num(row['macro_f1']['value']):>8}")
    if ent["per_type"]:
        w = 1 + max([6] + [len(str(row["strict"][c])) for row in ent["per_type"].values() for c in ("POS", "ACT")])
        lines += ["", f"  {'per type':<9}{'gold':>{w}}{'pred':>{w}}   {'strict F1':>9}  {'exact F1':>9}  {'partial F1':>10}  "
                      f"{'ent_type F1':>11}"]
        for t, row in ent["per_type"].items():
            lines.append(f"  {t:<9}{row['strict']['POS']:>{w}}{row['strict']['ACT']:>{w}}   "
                         f"{_num(row['strict']['f1']['value']):>9}  {_num(row['exact']['f1']['value']):>9}  "
                         f"{_num(row['partial']['f1']['value']):>10}  {_num(row['ent_type']['f1']['value']):>11}")
    return lines


def format_text(result: dict) -> str:
    """The result as aligned tables with a header that says what was scored, how, and with what."""
    g, s, st, sc = result["gold"], result.get("submission", {}), result["settings"], result["scorer"]
    lines = [
        f"gold:       {g['kind']} {g['path']} (version {g['version'] or 'unknown'}), split {g['split']}: "
        f"{g['documents']} documents, content sha256 {g['content_sha256'][:16]}",
    ]
    if s:
        lines.append(f"submission: {s['path']} ({s['format']}, sha256 {s['sha256'][:16]}), "
                     f"{s['documents_scored']} of {g['documents']} documents predicted")
    entity_match = "any shared code point" if st["entity_overlap"] == 0 else f"IoU >= {st['entity_overlap']}"
    lines.append(f"scorer:     whosaidwhat {sc['version']}, metrics {sc['metrics_version']}; entity match: {entity_match}; "
                 f"quote/claim match: IoU >= {st['span_overlap']}")
    if st["resamples"]:
        lines.append(f"intervals:  {st['confidence']:.0%} percentile bootstrap over documents, {st['resamples']} resamples, "
                     f"seed {st['seed']}")
    lines.append("")
    lines.append("Headline")
    for name, v in result["headline"].items():
        lines.append(f"  {name:<28} {_with_ci(v)}")
    lines += _entity_lines(result["entities"])
    for track, title, prf_rows, acc_rows in (
            ("quotes", "Quotes", (("attributed", "attributed (speaker correct)"), ("exact", "content exact"),
                                  ("overlap", "content overlap"), ("chars", "content code points, matched"),
                                  ("cue_exact", "cue exact"), ("cue_overlap", "cue overlap")),
             (("speaker_accuracy", "speaker accuracy, matched"), ("type_accuracy", "type accuracy, matched"))),
            ("claims", "Claims", (("attributed", "attributed (claimant correct)"), ("exact", "content exact"),
                                  ("overlap", "content overlap"), ("chars", "content code points, matched")),
             (("claimant_accuracy", "claimant accuracy, matched"), ("check_worthy_accuracy", "check-worthy accuracy, matched"),
              ("quote_link_accuracy", "quote link accuracy, matched")))):
        block = result[track]
        counts = block["counts"]
        lines += ["", f"{title} (gold {counts['gold']}, predicted {counts['pred']}, matched {counts['matched']} at IoU >= "
                      f"{block['min_overlap']})",
                  f"  {'':<32}{'P':>6}   {'R':>6}   F1 [95% CI]"]
        for key, label in prf_rows:
            v = block[key]
            lines.append(f"  {label:<32}{_num(v['precision']['value'])}   {_num(v['recall']['value'])}   {_with_ci(v['f1'])}")
        for key, label in acc_rows:
            lines.append(f"  {label:<32}{'':>18}{_with_ci(block[key])}")
    if result["notes"]:
        lines += ["", "Notes"] + [f"  - {n}" for n in result["notes"]]
    return "\n".join(lines) + "\n"
