"""The trained baseline's names: the rules' candidate names, kept or dropped and typed by a learned model.

The rules (names.py) find candidate spans with high recall but type them poorly; a multinomial
logistic regression (learn.py) decides for each candidate one of the ten entity types or `NONE`
(not a name with exactly these boundaries), from features of the candidate: its words, first and
last word, suffix, shape, length, the surrounding words, whether it opens a sentence or sits in
the headline, the rules' type and evidence, and the gazetteer's verdicts on the whole name and
on its words.

Training uses the train split only, with *cross-fitting*: the train documents are cut into five
folds, and the candidates of each fold are described with a gazetteer built from the other four,
so the model learns how far a gazetteer verdict can be trusted on documents it was not built
from (a gazetteer built from all of train would be right on every train candidate).
"""

from __future__ import annotations

import bisect
import re

from .gazetteer import Gazetteer, build_gazetteer
from .learn import HashedLogisticRegression
from .names import Name, find_names
from .text import paragraphs, tokens

NONE = "NONE"
_OPENERS = frozenset(["<s>", ".", '"', "“", ":", "‘", "'"])
FOLDS = 5


def _shape(word: str) -> str:
    shape = re.sub(r"[A-Z]", "X", word)
    shape = re.sub(r"[a-z]", "x", shape)
    shape = re.sub(r"\d", "d", shape)
    return re.sub(r"(.)\1{2,}", r"\1\1", shape)


def candidate_features(text: str, toks, starts: list[int], name: Name, gazetteer: Gazetteer,
                       headline_end: int) -> list[str]:
    surface = text[name.start:name.end]
    words = surface.split()
    i = bisect.bisect_left(starts, name.start)
    j = bisect.bisect_left(starts, name.end)
    prev1 = toks[i - 1].text.lower() if i > 0 else "<s>"
    prev2 = toks[i - 2].text.lower() if i > 1 else "<s>"
    next1 = toks[j].text.lower() if j < len(toks) else "</s>"
    next2 = toks[j + 1].text.lower() if j + 1 < len(toks) else "</s>"
    gaz = gazetteer.name_type(surface) or "none"
    votes: dict[str, int] = {}
    for w in words:
        for label, count in gazetteer.token_types(w).items():
            votes[label] = votes.get(label, 0) + count
    vote = max(sorted(votes), key=lambda k: votes[k]) if votes else "none"
    f = [f"rule={name.type}", f"ev={name.evidence}", f"rule_ev={name.type}|{name.evidence}", f"gaz={gaz}",
         f"vote={vote}", f"gaz_vote={gaz}|{vote}", f"n={min(len(words), 4)}", f"shape={_shape(surface)}",
         f"first={words[0].lower()}", f"last={words[-1].lower()}", f"suf3={words[-1][-3:].lower()}",
         f"prev={prev1}", f"prev2={prev2}|{prev1}", f"next={next1}", f"next2={next1}|{next2}",
         f"prev_rule={prev1}|{name.type}", f"next_rule={next1}|{name.type}", f"lowerseen={gazetteer.is_common_word(words[0])}",
         f"headline={name.start < headline_end}", f"initial={prev1 in _OPENERS}"]
    f.extend(f"w={w.lower()}" for w in words)
    return f


def _headline_end(text: str) -> int:
    paras = paragraphs(text)
    return paras[0][1] if len(paras) > 1 else 0


def document_candidates(text: str, gazetteer: Gazetteer) -> list[tuple[Name, list[str]]]:
    toks = tokens(text)
    starts = [t.start for t in toks]
    end = _headline_end(text)
    return [(n, candidate_features(text, toks, starts, n, gazetteer, end)) for n in find_names(text, gazetteer)]


class NameTyper:
    def __init__(self, model: HashedLogisticRegression, gazetteer: Gazetteer):
        self.model = model
        self.gazetteer = gazetteer

    def names(self, text: str) -> list[Name]:
        out = []
        for name, features in document_candidates(text, self.gazetteer):
            label = self.model.predict(features)
            if label != NONE:
                out.append(Name(name.start, name.end, label, "model"))
        return out


def training_samples(docs: list[dict]) -> tuple[list[list[str]], list[str]]:
    """Cross-fitted (features, label) pairs of every rules candidate in the annotated train documents."""
    annotated = [d for d in docs if d.get("provenance", {}).get("layers", {}).get("mentions", {}).get("status") != "absent"]
    samples, labels = [], []
    for fold in range(FOLDS):
        held = [d for k, d in enumerate(annotated) if k % FOLDS == fold]
        rest = [d for k, d in enumerate(annotated) if k % FOLDS != fold]
        gazetteer = build_gazetteer(rest + [d for d in docs if d not in annotated])
        for doc in held:
            gold = {(m["start"], m["end"]): m["type"] for m in doc["mentions"] if m["kind"] == "name"}
            for name, features in document_candidates(doc["text"], gazetteer):
                samples.append(features)
                labels.append(gold.get((name.start, name.end), NONE))
    return samples, labels


def train_name_typer(docs: list[dict], entity_types: tuple[str, ...], seed: int, epochs: int) -> tuple[NameTyper, dict]:
    samples, labels = training_samples(docs)
    model = HashedLogisticRegression(list(entity_types) + [NONE])
    history = model.fit(samples, labels, epochs=epochs, seed=seed)
    gazetteer = build_gazetteer(docs)
    return NameTyper(model, gazetteer), {"candidates": len(samples), "loss": history,
                                         "labels": {k: labels.count(k) for k in sorted(set(labels))}}
