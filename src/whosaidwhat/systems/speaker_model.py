"""Learned speaker choice: a logistic regression over candidate mentions of a quote's source.

Candidates (`candidates`): the rules' choice (speakers.py), every name in the quote's paragraph
within 300 code points of the cue (or of the quote when it has no cue), and subject pronouns
within 120 code points of it, never inside the quote's own fragments. Each is described by a
few features (`features`): whether the rules chose it, its kind and type, which side of the cue
it is on, its distance, whether a name of the same type is closer. The model scores every
candidate and the best one is the speaker; with no candidate the speaker is unknown.

Training (`train_speaker_model`): the pipeline runs over the train split with the trained NER's
names; each predicted quote that matches a gold quote (content IoU >= 0.5) gives its candidates,
labelled by whether they overlap a gold mention of the gold speaker's entity. Plain batch
gradient descent with L2, a fixed number of steps, in numpy: deterministic.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FEATURES = ("bias", "rule", "name", "pronoun", "nominal", "per", "org", "gpe", "other_type", "before_cue",
            "after_cue", "log_distance", "closest_same_side", "closest_person", "no_cue")
_PRONOUN = re.compile(r"\b(he|she|they|it|we|He|She|They|It|We)\b")
NAME_WINDOW = 300
PRONOUN_WINDOW = 120


@dataclass(frozen=True)
class Candidate:
    key: tuple            # mention key (start, end, kind)
    features: tuple


def _candidate_keys(text: str, mentions, quote, paragraph: tuple[int, int], anchor: int) -> list[tuple]:
    """Mention keys that could speak the quote, each once: the rules' choice, names and pronouns near the anchor."""
    ps, pe = paragraph
    inside = quote.fragments

    def outside(s: int, e: int) -> bool:
        return not any(s < fe and fs < e for fs, fe in inside)

    keys: list[tuple] = []
    if quote.speaker is not None:
        keys.append(quote.speaker)
    for m in mentions.names():
        if ps <= m.start and m.end <= max(pe, quote.fragments[-1][1]) and abs(m.start - anchor) <= NAME_WINDOW \
                and outside(m.start, m.end):
            keys.append(mentions.key_of(m))
    for match in _PRONOUN.finditer(text, max(ps, anchor - PRONOUN_WINDOW), min(pe, anchor + PRONOUN_WINDOW)):
        if outside(match.start(), match.end()):
            keys.append((match.start(), match.end(), "pronoun"))
    return list(dict.fromkeys(keys))


def candidates(text: str, mentions, quote, paragraph: tuple[int, int]) -> list[Candidate]:
    anchor = quote.cue[0] if quote.cue else quote.fragments[0][0]
    unique = _candidate_keys(text, mentions, quote, paragraph, anchor)
    out = []
    before = [k for k in unique if k[1] <= anchor]
    after = [k for k in unique if k[0] >= anchor]
    closest_before = max(before, key=lambda k: k[1], default=None)
    closest_after = min(after, key=lambda k: k[0], default=None)
    persons_after = [k for k in after if _type(mentions, k) == "PER"]
    first_person_after = min(persons_after, key=lambda k: k[0], default=None)
    for key in unique:
        kind = key[2]
        label = _type(mentions, key)
        distance = anchor - key[1] if key[1] <= anchor else key[0] - anchor
        f = (1.0, float(key == quote.speaker), float(kind == "name"), float(kind == "pronoun"), float(kind == "nominal"),
             float(label == "PER"), float(label == "ORG"), float(label == "GPE"),
             float(label not in ("PER", "ORG", "GPE")), float(key[1] <= anchor), float(key[0] >= anchor),
             math.log1p(max(distance, 0)) / 6.0, float(key in (closest_before, closest_after)),
             float(key == first_person_after), float(quote.cue is None))
        out.append(Candidate(key, f))
    return out


def _type(mentions, key) -> str:
    m = mentions.items.get(key)
    if m is not None:
        return m.type
    return "PER" if mentions.text[key[0]:key[1]].lower() in ("he", "she") else "ORG"


class SpeakerModel:
    def __init__(self, weights: list[float] | None = None, info: dict | None = None):
        self.weights = np.asarray(weights if weights is not None else _DEFAULT, dtype=np.float64)
        self.info = info or {}

    def choose(self, text: str, mentions, quote, paragraph):
        found = candidates(text, mentions, quote, paragraph)
        if not found:
            return quote.speaker
        scores = [float(np.dot(self.weights, c.features)) for c in found]
        best = found[int(np.argmax(scores))]
        if best.key[2] == "pronoun" and best.key not in mentions.items:
            return mentions.add_pronoun(best.key[0], best.key[1])
        return best.key

    def summary(self) -> dict:
        return {"features": list(FEATURES), "weights": [round(float(w), 6) for w in self.weights], **self.info}

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.summary(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SpeakerModel:
        from ..core.jsonfile import read_json_object
        from ..core.problems import fail

        data = read_json_object(Path(path), "a speaker model", "retrain it with `wsw train --system trained`")
        if data.get("features") != list(FEATURES):
            fail("SYS-MODEL-FORMAT", "speaker model features differ from this version's; retrain the model",
                 file=str(path), path="$.features", expected=", ".join(FEATURES))
        return cls(data["weights"], {k: v for k, v in data.items() if k not in ("features", "weights")})


#: before training: trust the rules' choice
_DEFAULT = [0.0, 2.0] + [0.0] * (len(FEATURES) - 2)


def _iou(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> float:
    sa = set().union(*(range(s, e) for s, e in a))
    sb = set().union(*(range(s, e) for s, e in b))
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def _gold_entity_of_span(doc: dict, start: int, end: int) -> set[str]:
    best, entities = 0.0, set()
    for m in doc["mentions"]:
        inter = min(end, m["end"]) - max(start, m["start"])
        if inter <= 0:
            continue
        score = inter / (max(end, m["end"]) - min(start, m["start"]))
        if score > best:
            best, entities = score, {m["entity"]}
        elif score == best:
            entities.add(m["entity"])
    return entities


def _gold_speakers(doc: dict) -> list[tuple[list[tuple[int, int]], str]]:
    """(fragments, speaker entity) of each gold quote whose speaker is an entity."""
    mention_entity = {m["id"]: m["entity"] for m in doc["mentions"]}
    gold = []
    for q in doc["quotes"]:
        sp = q["speaker"]
        entity = mention_entity.get(sp.get("mention")) if sp.get("kind") == "mention" else sp.get("entity")
        if entity is not None:
            gold.append(([(f["start"], f["end"]) for f in q["fragments"]], entity))
    return gold


def _document_rows(doc: dict, names_of, rows: list, labels: list) -> int:
    """Add the candidates (features) and labels of one document's quotes; how many quotes gave some."""
    from .pipeline import analyse

    if doc.get("provenance", {}).get("layers", {}).get("quotes", {}).get("status") == "absent":
        return 0
    gold = _gold_speakers(doc)
    if not gold:
        return 0
    text = doc["text"]
    collected: list[tuple] = []

    def collect(text_, mentions, quote, paragraph, collected=collected):
        collected.append((quote, candidates(text_, mentions, quote, paragraph)))
        return quote.speaker

    analyse(text, names_of(text), choose_speaker=collect)
    groups = 0
    for quote, cands in collected:
        match = max(gold, key=lambda g: _iou(g[0], quote.fragments))
        if _iou(match[0], quote.fragments) < 0.5 or not cands:
            continue
        ys = [float(match[1] in _gold_entity_of_span(doc, c.key[0], c.key[1])) for c in cands]
        if not any(ys):
            continue
        groups += 1
        rows.extend(c.features for c in cands)
        labels.extend(ys)
    return groups


def train_speaker_model(docs: list[dict], names_of, seed: int, steps: int = 2000, rate: float = 0.5,
                        l2: float = 0.01) -> SpeakerModel:
    """Fit the speaker chooser on train documents (names_of: text -> names of the trained NER)."""
    rows: list[tuple] = []
    labels: list[float] = []
    groups = sum(_document_rows(doc, names_of, rows, labels) for doc in docs)
    if not rows:
        return SpeakerModel(info={"trained_on_quotes": 0})
    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    w = np.asarray(_DEFAULT, dtype=np.float64)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) / len(y) + l2 * w
        w -= rate * gradient
    return SpeakerModel(list(w), {"trained_on_quotes": groups, "candidates": len(rows)})
