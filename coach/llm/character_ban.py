"""Characters a reply may never write: a logits processor that rules out every token holding one of
them. A mentee speaks out loud, so a bracket or an asterisk in a reply is always narration
("(looks down)", "*sighs*"); the small model copied the bracketed stage notes' shape into its replies
("(Your mentor asks a quiz question.)"). The guard caught each one, but only after the reply was
spent. Ruling the tokens out costs one pass over the vocabulary, once per model."""

from collections.abc import Sequence

import numpy as np


class CharacterBan:
    """Called by llama.cpp with the tokens so far and the next token's logits."""

    def __init__(self, banned_tokens: np.ndarray) -> None:
        self.banned_tokens = banned_tokens

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        scores = scores.copy()
        scores[self.banned_tokens[self.banned_tokens < len(scores)]] = -np.inf
        return scores


def tokens_holding(characters: str, token_texts: Sequence[str]) -> np.ndarray:
    """Ids of the tokens whose text holds any of `characters`."""
    return np.array([token for token, text in enumerate(token_texts) if any(c in text for c in characters)],
                    dtype=np.int64)
