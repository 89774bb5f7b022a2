"""How a line is worded, as hashed features beside its MiniLM vector. The embedding knows what a
line is about; whether it asks ("what…?" against "did…?"), tells ("you should"), or checks a
reflection ("…, right?") lives in a few words the embedding blurs. Two blocks, each scaled to unit
length on its own: the words and word pairs, and the shape (how each sentence and clause starts,
whether it asks, how many sentences), so a long line's many words cannot drown how it asks.
Training and labelling share this."""

import re
import zlib

import numpy as np

WORD_DIMENSIONS = 8192  # hashed buckets; a few thousand distinct words and pairs, so collisions are rare
SHAPE_DIMENSIONS = 2048
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")
CLAUSE_BREAK = re.compile(r"\s*[,;:—–]\s*|\s+-+\s+|\.\.\.+\s*")
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def word_tokens(text: str) -> list[str]:
    words = WORD.findall(text.lower().translate(QUOTES))
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def shape_tokens(text: str) -> list[str]:
    """For each sentence: asks or states, its first words and last words; each clause's first word."""
    parts = sentences(text.lower().translate(QUOTES))
    tokens = []
    for position, sentence in enumerate(parts):
        words = WORD.findall(sentence)
        kind = "q" if asks(sentence) else "s"
        tokens += [f"{kind}:", f"{kind}1:{' '.join(words[:1])}", f"{kind}2:{' '.join(words[:2])}",
                   f"{kind}3:{' '.join(words[:3])}", f"{kind}end:{' '.join(words[-2:])}"]
        # "So you felt left out, what did you do?": the question starts after the reflection.
        tokens += [f"{kind}c1:{' '.join(WORD.findall(clause)[:1])}" for clause in CLAUSE_BREAK.split(sentence)[1:]]
        if position == 0:
            tokens += [f"first{kind}1:{' '.join(words[:1])}", f"first{kind}2:{' '.join(words[:2])}"]
    asked = sum(asks(p) for p in parts)
    tokens += [f"sentences:{min(len(parts), 4)}", f"questions:{min(asked, 3)}",
               f"length:{_length_bucket(len(WORD.findall(text.lower())))}", f"last:{'q' if parts and asks(parts[-1]) else 's'}"]
    return tokens


def asks(sentence: str) -> bool:
    return sentence.rstrip("\"' )").endswith("?")


def _length_bucket(count: int) -> str:
    for limit, name in ((2, "tiny"), (6, "short"), (15, "medium"), (35, "long")):
        if count <= limit:
            return name
    return "very long"


def _hashed(token_lists: list[list[str]], dimensions: int) -> np.ndarray:
    rows = np.zeros((len(token_lists), dimensions), dtype=np.float32)
    for row, tokens in enumerate(token_lists):
        for token in tokens:
            # crc32, not hash(): a token's bucket must be the same in every process
            rows[row, zlib.crc32(token.encode("utf-8")) % dimensions] = 1.0
        rows[row] /= max(float(np.linalg.norm(rows[row])), 1.0)
    return rows


def wording_vectors(texts: list[str]) -> np.ndarray:
    return np.hstack([_hashed([word_tokens(t) for t in texts], WORD_DIMENSIONS),
                      _hashed([shape_tokens(t) for t in texts], SHAPE_DIMENSIONS)])
