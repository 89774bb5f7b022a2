"""The shipped labeller: logistic regression per label over a line's MiniLM vector and its hashed
wording, with a threshold per label. Weights, thresholds and the training lines (for "nearest
examples") are data in labeller_model.npz, written by `python -m coach.coaching.labeller.training`."""

from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from coach.coaching.labeller.labels import EXCLUSIVE, LABELS
from coach.coaching.labeller.wording import asks, sentences, wording_vectors
from coach.errors import CorpusError

Embed = Callable[[list[str]], np.ndarray]  # unit vectors, one row per text
MODEL_PATH = Path(__file__).with_name("labeller_model.npz")
NEAREST = 2  # training lines shown as "labelled like these"
# The hashed wording counts double against the sentence vectors: chosen by out-of-fold macro-F1 on
# the train split (1, 2 and 3 tried; 2 was best, 0.853 against 0.832 and 0.844).
WORDING_WEIGHT = 2.0


class Neighbour(BaseModel):
    text: str
    labels: list[str]
    similarity: float


class LineLabels(BaseModel):
    """A line's labels, every label's probability, and the training lines it is most like."""

    text: str
    labels: list[str]
    probabilities: dict[str, float]
    nearest: list[Neighbour] = []


class LabellerModel(BaseModel, arbitrary_types_allowed=True):
    version: str
    fingerprint: str  # of the data it was trained on (dataset.data_fingerprint)
    labels: tuple[str, ...]
    weights: np.ndarray  # labels × features
    bias: np.ndarray
    thresholds: np.ndarray
    train_texts: list[str]
    train_labels: np.ndarray  # lines × labels, 0/1
    train_vectors: np.ndarray  # lines × embedding, float16

    def save(self, path: Path = MODEL_PATH) -> None:
        np.savez_compressed(path, version=self.version, fingerprint=self.fingerprint, labels=np.array(self.labels),
                            weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
                            thresholds=self.thresholds.astype(np.float32), train_texts=np.array(self.train_texts),
                            train_labels=self.train_labels.astype(np.uint8), train_vectors=self.train_vectors.astype(np.float16))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "LabellerModel":
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls(version=str(data["version"]), fingerprint=str(data["fingerprint"]),
                           labels=tuple(str(x) for x in data["labels"]), weights=data["weights"], bias=data["bias"],
                           thresholds=data["thresholds"], train_texts=[str(x) for x in data["train_texts"]],
                           train_labels=data["train_labels"], train_vectors=data["train_vectors"].astype(np.float32))
        except (OSError, KeyError, ValueError) as error:
            raise CorpusError(f"The line labeller's weights at {path} could not be read ({error}); "
                              "reinstall coach or retrain with `python -m coach.coaching.labeller.training`.") from error


@cache
def shipped_model() -> LabellerModel:
    return LabellerModel.load()


def line_features(texts: list[str], embed: Embed) -> tuple[np.ndarray, np.ndarray]:
    """(features for the model, the line's embedding alone for finding neighbours). Besides the whole
    line, what it asks and what it states are embedded apart: in "That sounds hard. Did you tell
    her?" the line's vector blurs a closed question into an acknowledgement."""
    asked, stated = zip(*(_asked_and_stated(text) for text in texts)) if texts else ((), ())
    vectors = _embedded(list(texts) + list(asked) + list(stated), embed)
    count = len(texts)
    return np.hstack([vectors[:count], vectors[count:2 * count], vectors[2 * count:],
                      WORDING_WEIGHT * wording_vectors(texts)]).astype(np.float32), vectors[:count]


def _asked_and_stated(text: str) -> tuple[str, str]:
    parts = sentences(text)
    return " ".join(p for p in parts if asks(p)), " ".join(p for p in parts if not asks(p))


def _embedded(texts: list[str], embed: Embed) -> np.ndarray:
    """One embedding call for every distinct text; zeros for empty ones (a line that asks nothing
    has no question vector). A one-sentence line's question or statement is the line itself, so it
    is embedded once, not twice: this runs on every practice turn."""
    distinct = list(dict.fromkeys(text for text in texts if text))
    rows = dict(zip(distinct, embed(distinct))) if distinct else {}
    zero = np.zeros(384, dtype=np.float32)
    return np.array([rows.get(text, zero) for text in texts], dtype=np.float32).reshape(len(texts), 384)


def probabilities(model_weights: np.ndarray, bias: np.ndarray, features: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(features @ model_weights.T + bias)))


def decide(row: np.ndarray, thresholds: np.ndarray, labels: Sequence[str] = LABELS) -> list[str]:
    """The labels a line carries: each over its threshold; neutral only alone; never none (the
    label nearest its threshold then)."""
    chosen = [label for label, p, t in zip(labels, row, thresholds) if p >= t]
    if EXCLUSIVE in chosen and len(chosen) > 1:
        chosen.remove(EXCLUSIVE)
    return chosen or [labels[int(np.argmax(row / thresholds))]]


class Labeller:
    def __init__(self, embed: Embed, model: LabellerModel | None = None) -> None:
        self.embed = embed
        self.model = model or shipped_model()

    def label(self, lines: Sequence[str], nearest: bool = True) -> list[LineLabels]:
        if not lines:
            return []
        features, vectors = line_features(list(lines), self.embed)
        rows = probabilities(self.model.weights, self.model.bias, features)
        neighbours = self._nearest(vectors) if nearest else [[] for _ in lines]
        return [LineLabels(text=text, labels=decide(row, self.model.thresholds, self.model.labels),
                           probabilities={label: round(float(p), 3) for label, p in zip(self.model.labels, row)},
                           nearest=near) for text, row, near in zip(lines, rows, neighbours)]

    def _nearest(self, vectors: np.ndarray) -> list[list[Neighbour]]:
        similarity = vectors @ self.model.train_vectors.T
        out = []
        for row in similarity:
            best = np.argsort(-row)[:NEAREST]
            out.append([Neighbour(text=self.model.train_texts[i], similarity=round(float(row[i]), 3),
                                  labels=[label for label, on in zip(self.model.labels, self.model.train_labels[i]) if on])
                        for i in best])
        return out
