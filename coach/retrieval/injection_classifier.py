"""The measured injection signal: logistic regression over each sentence's features (MiniLM embedding,
cue flags, hashed word pairs: injection_features), telling
whether it addresses the model (AI, assistant, summariser, bot) rather than the human mentor. One
injected sentence hides inside a long note, so a note is scored by its most suspicious sentence.

The weights are data (injection_model.npz), written by `python -m coach.retrieval.injection_training`;
loading them trains nothing."""

import re
from functools import cache
from pathlib import Path

import numpy as np

from coach.retrieval.injection_features import SentenceEmbedder, features

MODEL_PATH = Path(__file__).with_name("injection_model.npz")
MIN_WORDS = 5  # shorter fragments (headings, "That is welcome.") carry too little to judge; the phrase
# patterns still read them
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
MARKDOWN_LEAD = re.compile(r"^\s*(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)+")
class InjectionClassifier:
    """Weights, bias and the probability above which a sentence counts as addressing the model."""

    def __init__(self, weights: np.ndarray, bias: float, threshold: float) -> None:
        self.weights, self.bias, self.threshold = weights.astype(np.float32), float(bias), float(threshold)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "InjectionClassifier":
        with np.load(path) as data:
            return cls(data["weights"], float(data["bias"]), float(data["threshold"]))

    def save(self, path: Path = MODEL_PATH) -> None:
        np.savez(path, weights=self.weights, bias=np.float32(self.bias), threshold=np.float32(self.threshold))

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(features @ self.weights + self.bias)))

    def strongest(self, sentences: list[str], embedder: SentenceEmbedder) -> tuple[str, float] | None:
        """The sentence most likely to address the model, if it passes the threshold."""
        if not sentences:
            return None
        scores = self.probabilities(features(sentences, embedder))
        best = int(np.argmax(scores))
        return (sentences[best], float(scores[best])) if scores[best] >= self.threshold else None


@cache
def shipped_classifier() -> InjectionClassifier:
    """The trained weights that ship with coach, read once per process (they never change at run time)."""
    return InjectionClassifier.load(MODEL_PATH)


def sentences(text: str) -> list[str]:
    """Sentences of a Markdown body: per line (list items and headings end a sentence), then at
    sentence punctuation; Markdown markers dropped, fragments under MIN_WORDS words skipped."""
    found = []
    for block in re.split(r"\n\s*\n", text):
        for line in _logical_lines(block):
            found += [s.strip() for s in SENTENCE_END.split(MARKDOWN_LEAD.sub("", line))]
    return [s for s in found if len(s.split()) >= MIN_WORDS]


def _logical_lines(block: str) -> list[str]:
    # A paragraph wrapped over several lines is one line; list items and headings stand alone.
    lines: list[str] = []
    for line in block.splitlines():
        if lines and line.strip() and not MARKDOWN_LEAD.match(line) and not MARKDOWN_LEAD.match(lines[-1]):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return lines
