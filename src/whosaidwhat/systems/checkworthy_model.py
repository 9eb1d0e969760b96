"""The trained baseline's check-worthiness: a logistic regression over the words of a claim and the rule's verdict.

Features: the claim's lower-cased words and word pairs, the D1-D5 rule's verdict (claims.py),
whether it holds a figure, and who claims it (the outlet or a quoted source). Trained on the
gold claims of the train split.
"""

from __future__ import annotations

from . import claims as claim_rules
from .learn import HashedLogisticRegression
from .text import tokens


def claim_features(text: str, start: int, end: int, outlet: bool) -> list[str]:
    words = [t.text.lower() for t in tokens(text, start, end) if t.is_word]
    f = [f"rule={claim_rules.check_worthy(text, start, end)}",
         f"figure={claim_rules.has_figure([t.text for t in tokens(text, start, end) if t.is_word])}",
         f"outlet={outlet}", f"len={min(len(words) // 5, 6)}"]
    f.extend(f"w={w}" for w in words)
    f.extend(f"b={a}_{b}" for a, b in zip(words, words[1:]))
    return f


class CheckWorthiness:
    def __init__(self, model: HashedLogisticRegression):
        self.model = model

    def __call__(self, text: str, start: int, end: int, outlet: bool = True) -> bool:
        return self.model.predict(claim_features(text, start, end, outlet)) == "true"


def train_check_worthiness(docs: list[dict], seed: int, epochs: int = 10) -> tuple[CheckWorthiness, dict]:
    samples, labels = [], []
    for doc in docs:
        if doc.get("provenance", {}).get("layers", {}).get("claims", {}).get("status") == "absent":
            continue
        for claim in doc["claims"]:
            s, e = claim["fragments"][0]["start"], claim["fragments"][-1]["end"]
            samples.append(claim_features(doc["text"], s, e, claim["claimant"]["kind"] == "outlet"))
            labels.append("true" if claim["check_worthy"] else "false")
    model = HashedLogisticRegression(["false", "true"], buckets=1 << 15)
    history = model.fit(samples, labels, epochs=epochs, rate=0.1, l2=1e-4, seed=seed) if samples else []
    return CheckWorthiness(model), {"claims": len(samples), "check_worthy": labels.count("true"), "loss": history}
