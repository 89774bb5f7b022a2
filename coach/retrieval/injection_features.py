"""What the injection classifier reads of a sentence: its MiniLM embedding (what it means), a few
cue flags, and hashed word pairs (how it is worded: "your responses", "act as", "you should not
obey"). The embedding generalises to new wordings; the word features keep the tell-tale phrasing
that the embedding blurs. Training and scanning share this one function."""

import re
import zlib
from typing import Protocol

import numpy as np

from coach.formats.contacts import without_contact_details

HASHED_DIMENSIONS = 4096  # word and word-pair buckets; collisions are rare at a few thousand sentences
WORD = re.compile(r"[a-z0-9']+")
# Cues the embedding alone blurs, each a 0/1 feature beside it: who the sentence speaks to, whether it
# talks about the model's output, who it calls the audience, whether it points at itself ("this page").
# Contact details are not a cue: guidance names a programme office as often as a planted note pushes
# an address, so they are replaced by a neutral phrase before anything is read.
CUES = [re.compile(pattern, re.I) for pattern in (
    r"\b(ai|a\.i\.|assistant|chat ?bot|bot|llm|language model|model|summari[sz](er|ing)|automated|machine)\b",
    r"\b(repl(y|ies)|answers?|responses?|summar(y|ies)|outputs?)\b",
    r"\b(users?|readers?)\b",
    r"\bth(is|e following|e next) (page|passage|document|paragraph|text)\b",
)]


class SentenceEmbedder(Protocol):
    """What the classifier needs from MiniLMEmbedding: unit vectors, one row per text."""

    def embed(self, texts: list[str]) -> np.ndarray: ...


def features(texts: list[str], embedder: SentenceEmbedder) -> np.ndarray:
    """One row per text: embedding, cue flags, hashed words and word pairs (unit length)."""
    texts = [without_contact_details(text) for text in texts]
    cues = np.array([[1.0 if cue.search(text) else 0.0 for cue in CUES] for text in texts]).reshape(len(texts), len(CUES))
    return np.hstack([embedder.embed(texts), cues, hashed_words(texts)]).astype(np.float32)


def hashed_words(texts: list[str]) -> np.ndarray:
    rows = np.zeros((len(texts), HASHED_DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        words = WORD.findall(text.lower())
        for term in words + [f"{a} {b}" for a, b in zip(words, words[1:])]:
            # crc32, not hash(): the bucket of a word must be the same in every process
            rows[row, zlib.crc32(term.encode("utf-8")) % HASHED_DIMENSIONS] = 1.0
        rows[row] /= max(np.linalg.norm(rows[row]), 1.0)
    return rows
