"""Advice in the model's own words, enforced while it writes: a logits processor that forbids the
one token which would make the reply repeat `run` consecutive tokens of a source text. Asking a
small model not to copy is a request; this is a guarantee, and it costs one dictionary look-up
per generated token. The key guidance already quotes the passages, so the model may not."""

from collections.abc import Sequence

import numpy as np

# 8 tokens are at most 8 words: no run of 8 words from a passage can survive, while short common
# phrases ("talk to your mentee about") stay free.
COPY_RUN_TOKENS = 8


class CopyBlocker:
    """Called by llama.cpp with every token so far (prompt and reply) and the next token's logits."""

    def __init__(self, sources: Sequence[Sequence[int]], run: int = COPY_RUN_TOKENS) -> None:
        self.run = run
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
        scores = scores.copy()
        scores[banned] = -np.inf
        return scores


def source_variants(text: str) -> list[str]:
    """A text as it may be tokenized inside a prompt: each line on its own, with and without the
    space a tokenizer folds into a word that follows other text."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [variant for line in lines for variant in (line, " " + line)]
