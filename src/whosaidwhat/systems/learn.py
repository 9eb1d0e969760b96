"""A small, deterministic learner: multinomial logistic regression over hashed string features.

Features are strings (`w=ford`, `prev=said`); each is hashed with CRC-32 (stable across runs and
machines, unlike Python's `hash`) into one of `buckets` rows of a weight matrix with a column per
class. Training is plain stochastic gradient descent with L2 and a learning rate that decays per
epoch, over a shuffle drawn from a seeded generator, in float64; the weights are stored as
float32 `.npy` (no timestamps), so the same data and seed give the same bytes.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np


def feature_index(features, buckets: int) -> np.ndarray:
    return np.fromiter(sorted({zlib.crc32(f.encode("utf-8")) % buckets for f in features}), dtype=np.int64)


class HashedLogisticRegression:
    def __init__(self, classes: list[str], buckets: int = 1 << 16, weights: np.ndarray | None = None):
        self.classes = list(classes)
        self.buckets = buckets
        self.weights = weights if weights is not None else np.zeros((buckets, len(self.classes)), dtype=np.float64)
        self.bias = np.zeros(len(self.classes), dtype=np.float64)

    def _scores(self, index: np.ndarray) -> np.ndarray:
        z = self.weights[index].sum(axis=0) + self.bias
        z = z - z.max()
        p = np.exp(z)
        return p / p.sum()

    def probabilities(self, features) -> dict[str, float]:
        p = self._scores(feature_index(features, self.buckets))
        return {c: float(v) for c, v in zip(self.classes, p)}

    def predict(self, features) -> str:
        p = self._scores(feature_index(features, self.buckets))
        return self.classes[int(np.argmax(p))]

    def fit(self, samples: list[list[str]], labels: list[str], epochs: int = 15, rate: float = 0.2,
            l2: float = 1e-5, seed: int = 0) -> list[float]:
        """Fit on (features, label) pairs; returns the mean log-loss of each epoch."""
        rng = np.random.default_rng(seed)
        indexes = [feature_index(s, self.buckets) for s in samples]
        targets = np.asarray([self.classes.index(y) for y in labels], dtype=np.int64)
        history = []
        for epoch in range(epochs):
            lr = rate / (1.0 + epoch)
            loss = 0.0
            for i in rng.permutation(len(samples)):
                index = indexes[i]
                p = self._scores(index)
                loss -= float(np.log(max(p[targets[i]], 1e-12)))
                gradient = p
                gradient[targets[i]] -= 1.0
                self.weights[index] -= lr * (gradient + l2 * self.weights[index])
                self.bias -= lr * gradient
            history.append(round(loss / max(len(samples), 1), 6))
        return history

    def save(self, folder: Path, name: str) -> None:
        folder = Path(folder)
        np.save(folder / f"{name}.npy", np.vstack([self.weights, self.bias[None, :]]).astype(np.float32),
                allow_pickle=False)
        (folder / f"{name}.json").write_text(json.dumps({"classes": self.classes, "buckets": self.buckets}) + "\n",
                                             encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, name: str) -> HashedLogisticRegression:
        folder = Path(folder)
        from ..core.jsonfile import read_json_object

        meta = read_json_object(folder / f"{name}.json", "a trained model", "retrain it with `wsw train --system trained`")
        matrix = np.load(folder / f"{name}.npy", allow_pickle=False).astype(np.float64)
        model = cls(meta["classes"], meta["buckets"], matrix[:-1])
        model.bias = matrix[-1]
        return model
