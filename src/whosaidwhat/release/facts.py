"""Facts a release states beyond the documents it contains, computed when it is built, so the card
and croissant.json (rendered from release.json alone) can print them:

* `agreement_facts`: inter-annotator agreement of the independent annotation passes kept beside
  the corpus (CORPUS/annotations/<pass>/), measured by `whosaidwhat.agreement.measure`, the
  computation behind `wsw agreement` and the datasheet's tables;
* `baseline_facts`: the reference systems' results in eval/baselines/<system>/ (their `wsw score
  --format json` files and system cards), each marked with whether it was scored on exactly this
  release's gold (the scorer's gold content checksum) or on another version of it.

Both are optional: a corpus without annotation passes or baselines gets a record saying so.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from ..core.errors import UserError

#: the headline figures of an agreement report the card and Croissant print (all are in release.json)
AGREEMENT_SHOWN = ("names: strict F1 (span and type)", "all mentions: strict F1", "quote content: overlap F1 (IoU >= 0.5)",
                   "quotes: attributed F1 (overlap, same speaker)", "claims: overlap F1 (IoU >= 0.5)",
                   "claims: attributed F1 (overlap, same claimant)", "entity type: Cohen's kappa",
                   "quote type: Cohen's kappa", "speaker: Cohen's kappa", "check-worthiness: Cohen's kappa",
                   "claimant: Cohen's kappa")


def agreement_facts(corpus_dir: Path, owner: dict[str, str] | None = None) -> dict:
    """Agreement between the passes in CORPUS/annotations/*/ (every pair of folders), or why it was not measured."""
    from ..agreement import measure
    from ..agreement.tables import read_folder

    folder = Path(corpus_dir) / "annotations"
    passes = sorted(p for p in folder.glob("*") if p.is_dir()) if folder.is_dir() else []
    if len(passes) < 2:
        return {"measured": False, "why": "fewer than two independent annotation passes were kept with the corpus "
                                          "(CORPUS/annotations/<pass>/)", "passes": [p.name for p in passes]}
    try:
        data = {p.name: read_folder(p) for p in passes}
        result = measure(data)
    except UserError as exc:
        return {"measured": False, "why": exc.message,
                "passes": [p.name for p in passes]}
    owner = owner or {}
    pairs = []
    for pair in result["pairs"]:
        by_split: dict[str, int] = {}
        for doc_id in pair["documents"]:
            split = owner.get(doc_id, "unassigned")
            by_split[split] = by_split.get(split, 0) + 1
        pairs.append({"a": pair["a"], "b": pair["b"], "documents": len(pair["documents"]),
                      "documents_by_split": dict(sorted(by_split.items())), "excluded": len(pair["excluded"]),
                      "figures": pair["figures"]})
    return {"measured": True, "passes": [p.name for p in passes], "settings": result["settings"], "pairs": pairs,
            "alpha": result["alpha"], "guidelines": result.get("guidelines", {})}


def _followed(agreement: dict, name: str) -> str:
    versions = (agreement.get("guidelines") or {}).get(name) or []
    return f"{name} (guidelines {', '.join(versions)})" if versions else name


def agreement_lines(agreement: dict) -> list[str]:
    """The agreement facts as plain sentences (for croissant.json's rai:dataAnnotationAnalysis)."""
    if not agreement.get("measured"):
        return [f"Inter-annotator agreement was not measured for this release: {agreement.get('why')}."]
    lines = []
    conf = agreement["settings"]["confidence"]
    for pair in agreement["pairs"]:
        where = ", ".join(f"{n} {split}" for split, n in pair["documents_by_split"].items())
        figures = "; ".join(f"{name} {_figure(pair['figures'][name])}" for name in AGREEMENT_SHOWN
                            if name in pair["figures"])
        lines.append(f"Independent annotation passes {_followed(agreement, pair['a'])} and "
                     f"{_followed(agreement, pair['b'])} (`wsw agreement`, before "
                     f"adjudication) on {pair['documents']} document(s) ({where}); {pair['excluded']} excluded as not "
                     f"independent. Agreement with {conf:.0%} document-bootstrap intervals: {figures}.")
    alpha = "; ".join(f"{label} {record['value']:.3f} ({record['units']} units)" for label, record in
                      agreement["alpha"].items() if record["value"] is not None)
    if alpha:
        lines.append(f"Krippendorff's alpha (nominal) across all passes: {alpha}.")
    return lines


def _figure(fig: dict) -> str:
    if fig.get("value") is None:
        return "n/a"
    if fig.get("ci_low") is None:
        return f"{fig['value']:.3f}"
    return f"{fig['value']:.3f} [{fig['ci_low']:.3f}, {fig['ci_high']:.3f}]"


def agreement_table(agreement: dict) -> str:
    """Markdown: the shown figures per pair of passes (the card's annotation section)."""
    if not agreement.get("measured"):
        return f"Not measured for this release: {agreement.get('why')}."
    blocks = []
    for pair in agreement["pairs"]:
        where = ", ".join(f"{n} {split}" for split, n in pair["documents_by_split"].items())
        a, b = (_followed(agreement, name).replace(name, f"`{name}`", 1) for name in (pair["a"], pair["b"]))
        lines = [f"{a} vs {b}: {pair['documents']} independently annotated document(s) ({where})"
                 + (f"; {pair['excluded']} excluded as not independent" if pair["excluded"] else "") + ".", "",
                 f"| measure | agreement [{agreement['settings']['confidence']:.0%} CI] | items |", "|---|---:|---:|"]
        lines += [f"| {name} | {_figure(pair['figures'][name])} | {pair['figures'][name]['n']:,} |"
                  for name in AGREEMENT_SHOWN if name in pair["figures"]]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# -- baselines -------------------------------------------------------------------------------------------

#: the headline metrics of `wsw score`, in the order the card prints them
HEADLINE = ("entities.strict.f1", "quotes.attributed.f1", "claims.attributed.f1")


def _read_structured(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        return None


def _front_matter(path: Path) -> dict | None:
    """The YAML header of a Markdown system card, if it has one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith("---\n") or "\n---" not in text[4:]:
        return None
    try:
        data = yaml.safe_load(text[4:text.index("\n---", 4)])
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def read_baseline(folder: Path) -> tuple[dict, list[dict]]:
    """(system card, score results) of one eval/baselines/<system>/ folder; unreadable files are skipped."""
    card: dict = {}
    scores = []
    preferred = ("card.json", "system.json", "card.yaml", "card.yml", "system.yaml", "README.md", "CARD.md")
    for path in sorted(folder.iterdir(), key=lambda p: (p.name not in preferred, preferred.index(p.name)
                                                         if p.name in preferred else 0, p.name)):
        if not path.is_file():
            continue
        data = None
        if path.suffix in (".json", ".yaml", ".yml"):
            data = _read_structured(path)
        elif path.suffix == ".md":
            data = _front_matter(path)
        if not isinstance(data, dict):
            continue
        if str(data.get("format", "")).startswith("whosaidwhat-score/"):
            scores.append(data)
        elif not card and ("kind" in data or "name" in data):
            card = data
    return card, scores


def _baseline_result(score: dict, gold_checksums) -> dict:
    """One `wsw score --format json` result as the card states it."""
    gold = score.get("gold") or {}
    settings = score.get("settings") or {}
    split = gold.get("split") or settings.get("split")
    headline = score.get("headline") or {}
    return {
        "split": split,
        "gold_version": gold.get("version"),
        "gold_sha256": gold.get("content_sha256"),
        "this_release": bool(split) and gold.get("content_sha256") == gold_checksums(split),
        "documents": gold.get("documents"),
        "mention_kinds": settings.get("mention_kinds"),
        "scorer": (score.get("scorer") or {}).get("version"),
        "headline": {k: headline[k] for k in HEADLINE if isinstance(headline.get(k), dict)},
    }


def baseline_facts(baselines_dir: Path | None, gold_checksums) -> dict:
    """The reference systems' test and validation results, with their system cards.

    `gold_checksums(split)` gives this release's gold content checksum of a split (what `wsw score`
    records as gold.content_sha256), so each result says whether it is a score on this very data.
    """
    if baselines_dir is None or not Path(baselines_dir).is_dir():
        return {"found": False, "systems": []}
    systems = []
    for folder in sorted(p for p in Path(baselines_dir).iterdir() if p.is_dir()):
        card, scores = read_baseline(folder)
        if not scores:
            continue
        results = [_baseline_result(score, gold_checksums) for score in scores]
        results.sort(key=lambda r: (str(r["split"]) != "test", str(r["split"])))
        systems.append({"folder": folder.name, "name": str(card.get("name") or folder.name),
                        "version": None if card.get("version") is None else str(card.get("version")),
                        "kind": card.get("kind"), "license": card.get("license"),
                        "command": card.get("command") or card.get("reproduce"), "results": results})
    return {"found": bool(systems), "systems": systems}


def baseline_table(baselines: dict) -> str | None:
    """Markdown table of the baseline results, or None when there are none."""
    if not baselines.get("found"):
        return None
    lines = ["| system | version | kind | split | entities strict F1 | quotes attributed F1 | claims attributed F1 | "
             "scored on |", "|---|---|---|---|---:|---:|---:|---|"]
    for system in baselines["systems"]:
        for result in system["results"]:
            cells = [_figure(result["headline"][k]) if k in result["headline"] else "n/a" for k in HEADLINE]
            gold = ("this release" if result["this_release"] else
                    f"other gold (version {result['gold_version'] or 'unknown'}, checksum "
                    f"{str(result['gold_sha256'] or '?')[:12]})")
            lines.append(f"| {system['name']} | {system['version'] or ''} | {system['kind'] or ''} | {result['split']} | "
                         + " | ".join(cells) + f" | {gold} |")
    return "\n".join(lines)
