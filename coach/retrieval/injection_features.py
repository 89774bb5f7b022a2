"""What the injection classifier reads of a sentence: its MiniLM embedding (what it means), a few
cue flags, hashed word pairs (how it is worded: "your responses", "act as", "you should not
obey") and hashed character 3-, 4- and 5-grams (the same cues across inflections and new word
pairs: "summ" in "summariser" and "summaries", "ur r" across "your reply" and "your response"). The
embedding generalises to new wordings; the word and character features keep the tell-tale phrasing
that the embedding blurs. Training and scanning share this one function."""

import re
import zlib
from collections.abc import Iterable
from typing import Protocol

import numpy as np

from coach.formats.contacts import without_contact_details

HASHED_DIMENSIONS = 4096  # word and word-pair buckets; collisions are rare at a few thousand sentences
CHARACTER_DIMENSIONS = 8192  # buckets for each gram size: a sentence has about a hundred, far more kinds
# Each size has its own block of buckets. Four letters carry a word stem; three are shared across
# more forms and spellings, five keep more of a word's neighbour. Out-of-fold recall on the training
# split (at the threshold the training rule chooses, 0 to 1 of 78 calibration notes flagged):
# 4 alone 0.836, 3+4 0.870, 4+5 0.865, 3+4+5 0.878, 3 alone 0.851, 5 alone 0.839.
CHARACTER_GRAMS = (3, 4, 5)
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
    """One row per text: embedding, cue flags, hashed words and word pairs, hashed character
    3-, 4- and 5-grams (each hashed block unit length)."""
    texts = [without_contact_details(text) for text in texts]
    cues = np.array([[1.0 if cue.search(text) else 0.0 for cue in CUES] for text in texts]).reshape(len(texts), len(CUES))
    words = [WORD.findall(text.lower()) for text in texts]
    characters = [hashed((character_terms(w, size) for w in words), CHARACTER_DIMENSIONS) for size in CHARACTER_GRAMS]
    return np.hstack([embedder.embed(texts), cues, hashed(map(word_terms, words), HASHED_DIMENSIONS),
                      *characters]).astype(np.float32)


def word_terms(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def character_terms(words: list[str], size: int = 4) -> list[str]:
    # Over the words joined by single spaces, so punctuation and spacing tricks change nothing; the
    # "#" keeps a 4-gram such as "your" from sharing a bucket with the word itself by design. Sizes
    # other than 4 carry the size in front (4-grams keep the spelling their buckets were first
    # hashed with).
    line = f" {' '.join(words)} "
    tag = "#" if size == 4 else f"{size}#"
    return [tag + line[i:i + size] for i in range(len(line) - size + 1)]


def hashed(term_lists: Iterable[list[str]], dimensions: int) -> np.ndarray:
    """A 0/1 row per list of terms, one bucket per term, scaled to unit length."""
    rows = []
    for terms in term_lists:
        row = np.zeros(dimensions, dtype=np.float32)
        # crc32, not hash(): the bucket of a term must be the same in every process
        row[[zlib.crc32(term.encode("utf-8")) % dimensions for term in terms]] = 1.0
        rows.append(row / max(np.linalg.norm(row), 1.0))
    return np.array(rows, dtype=np.float32).reshape(len(rows), dimensions)
