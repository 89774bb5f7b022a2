"""Advice in the model's own words, pressed for while it writes: a logits processor that marks down
the one token which would make the reply repeat `run` consecutive tokens of a source text. Asking a
small model not to copy is a request; this acts on every token, for one dictionary look-up each.
The key guidance already quotes the passages, so the model should not.

A mark-down, not a ban. Banned outright, the copy went on by any other way the tokenizer allowed:
the word glued to the one before ("gettingcancelled"), misspelt ("menttee"), in Chinese ("团队"),
or the prompt's fence id. A penalty leaves a copied word in place when nothing sensible comes
close to it, and lets a paraphrase win whenever one does."""

import bisect
from collections.abc import Sequence

import numpy as np

# 8 tokens are at most 8 words, so the mark-down starts before a run of 8 words is complete, while
# short common phrases ("talk to your mentee about") stay free.
COPY_RUN_TOKENS = 8
# In logits (natural log of odds): the copied token must be about 50 times likelier than the best
# other token to stay. Set once, before measuring; see docs/measured.md for what it did.
COPY_PENALTY = 4.0


class Vocabulary:
    """Which tokens spell the same word. Marking down only " cancelled" let the model write
    "gettingcancelled" (the same word without its space) or "knowledg": the copied run went on, now
    misspelt. So with a token, every token whose text, trimmed and lower-cased, is the same word, a
    start of it (two letters or more) or the word with more after it, is marked down too."""

    def __init__(self, token_texts: Sequence[str]) -> None:
        self._normal = [text.strip().lower() for text in token_texts]
        self._ids: dict[str, list[int]] = {}
        for token, text in enumerate(self._normal):
            if text:
                self._ids.setdefault(text, []).append(token)
        self._sorted = sorted(self._ids)
        self._known: dict[int, list[int]] = {}

    def look_alikes(self, token: int) -> list[int]:
        if token not in self._known:
            self._known[token] = self._find(token)
        return self._known[token]

    def _find(self, token: int) -> list[int]:
        word = self._normal[token] if 0 <= token < len(self._normal) else ""
        if len(word) < 2:
            return [token]
        found = {token}
        for end in range(2, len(word) + 1):  # the word's starts: "kn", "know", "knowledg", "knowledge"
            found.update(self._ids.get(word[:end], ()))
        start = bisect.bisect_left(self._sorted, word)  # and words that go on: "knowledgeable"
        while start < len(self._sorted) and self._sorted[start].startswith(word):
            found.update(self._ids[self._sorted[start]])
            start += 1
        return sorted(found)


class CopyBlocker:
    """Called by llama.cpp with every token so far (prompt and reply) and the next token's logits."""

    def __init__(self, sources: Sequence[Sequence[int]], run: int = COPY_RUN_TOKENS,
                 vocabulary: Vocabulary | None = None, penalty: float = COPY_PENALTY) -> None:
        self.run, self.vocabulary, self.penalty = run, vocabulary, penalty
        self._next: dict[tuple[int, ...], list[int]] = {}
        for tokens in sources:
            for start in range(len(tokens) - run + 1):
                self._next.setdefault(tuple(tokens[start:start + run - 1]), []).append(tokens[start + run - 1])

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        if len(input_ids) < self.run - 1 or not self._next:
            return scores
        banned = self._next.get(tuple(int(t) for t in input_ids[-(self.run - 1):]))
        if not banned:
            return scores
        if self.vocabulary is not None:
            banned = sorted({alike for token in banned for alike in self.vocabulary.look_alikes(token)})
        scores = scores.copy()
        scores[banned] -= self.penalty
        return scores


def source_variants(text: str) -> list[str]:
    """A text as it may be tokenized inside a prompt: each line on its own, with and without the
    space a tokenizer folds into a word that follows other text."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [variant for line in lines for variant in (line, " " + line)]
