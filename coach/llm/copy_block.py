"""Advice in the model's own words, pressed for while it writes: a logits processor that marks down
the tokens which would carry on a run of words copied from a source text, harder the longer the run.
Asking a small model not to copy is a request; this acts on every token. The key guidance already
quotes the passages, so the model should not.

It reads words, not token ids. A copy is a run of the same words, whatever their case, punctuation or
the way the tokenizer happened to split them ("Mentee" and " mentee" are different tokens), so the
run is counted on the words of the reply so far, as coach.coaching.copying measures it.

A growing mark-down, not a ban. Banned outright, the copy went on by any other way the tokenizer
allowed: the word glued to the one before ("gettingcancelled"), misspelt ("menttee"), in Chinese
("团队"). A flat mark-down of 4 logits from the 8th token on left half the sentences copied: by then
the model is deep in a sentence whose only natural ending is the source's. Starting gently a few words
earlier and growing with each copied word lets it turn off while other words still fit."""

import re
from collections.abc import Callable, Sequence

import numpy as np

# A run of this many words (the next one included) is the first to be marked down. Shorter shared
# phrases ("talk to your mentee about") are ordinary English.
FIRST_MARKED_WORDS = 5
# Logits taken off per copied word from there: 4 on the 5th, 8 on the 6th, 12 on the 7th. A model
# deep in a copy is often 10 logits or more surer of the copied word than of any other (seen with
# the default model); 1.5 a word let runs of 12 words through. See docs/measured.md.
PENALTY_PER_WORD = 4.0
LONGEST_RUN_READ = 40  # words looked back along a run; a penalty that high is a ban anyway
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
NOT_WORDS = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]")  # citation marks: "[2]" is not the word "2"
WORD_CHARACTER = re.compile(r"[a-z0-9']")
# Scripts the guidance is not written in: pressed off a copied "minutes", the default model once
# wrote "分钟" instead. While a copy is being pressed, such tokens are marked down as much.
OTHER_SCRIPT = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def words_of(text: str) -> list[str]:
    """The words of a text as a copy is counted: lower case, curly apostrophes straightened,
    citation marks left out."""
    return WORD.findall(NOT_WORDS.sub(" ", text.lower().replace("’", "'")))


class Spellings:
    """Which tokens write which word, or the start of it. A token counts if, after any leading
    spaces, it is all word characters: " knowledge", "know", "Know" and " kn" all start "knowledge"."""

    def __init__(self, token_texts: Sequence[str]) -> None:
        self._ids: dict[tuple[bool, str], list[int]] = {}  # (starts a new word, its letters) -> tokens
        self.other_script = np.array([token for token, text in enumerate(token_texts) if OTHER_SCRIPT.search(text)],
                                     dtype=np.int64)
        for token, text in enumerate(token_texts):
            letters = text.lstrip().lower().replace("’", "'")
            if letters and WORD.fullmatch(letters):
                self._ids.setdefault((text != text.lstrip(), letters), []).append(token)

    def starting(self, word: str) -> set[int]:
        """Tokens that begin `word`, with a space before it or without."""
        return {token for end in range(1, len(word) + 1) for new in (True, False)
                for token in self._ids.get((new, word[:end]), ())}

    def continuing(self, rest: str) -> set[int]:
        """Tokens that carry on a word already begun, writing the start of `rest`."""
        return {token for end in range(1, len(rest) + 1) for token in self._ids.get((False, rest[:end]), ())}


class CopyBlocker:
    """Called by llama.cpp with every token so far (prompt, then reply) and the next token's logits.
    `spell` turns the reply's tokens into text."""

    def __init__(self, sources: Sequence[str], spell: Callable[[list[int]], str], spellings: Spellings,
                 first_marked: int = FIRST_MARKED_WORDS, per_word: float = PENALTY_PER_WORD) -> None:
        self.spell, self.spellings = spell, spellings
        self.first_marked, self.per_word = first_marked, per_word
        self._sources = [words_of(text) for text in sources]
        self._context = first_marked - 1  # words before the next one that key a look-up
        self._after: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # key -> (source, next word's place)
        for n, words in enumerate(self._sources):
            for place in range(self._context, len(words)):
                self._after.setdefault(tuple(words[place - self._context:place]), []).append((n, place))
        self._prompt_length: int | None = None

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        if self._prompt_length is None:  # the first call sees the prompt alone
            self._prompt_length = len(input_ids)
        marks = self.marks(self.spell([int(t) for t in input_ids[self._prompt_length:]]))
        if not marks:
            return scores
        scores = scores.copy()
        for token, penalty in marks.items():
            if 0 <= token < len(scores):
                scores[token] -= penalty
        other_script = self.spellings.other_script
        scores[other_script[other_script < len(scores)]] -= max(marks.values())
        return scores

    def marks(self, reply: str) -> dict[int, float]:
        """The mark-down of each token that would copy on, given the reply so far. A reply ending in
        a letter may have its last word complete (a spaced token starts the next) or still going."""
        words = words_of(reply)
        lowered = reply.lower()
        in_a_word = bool(lowered) and bool(WORD_CHARACTER.match(lowered[-1]))
        marks: dict[int, float] = {}
        # After a letter, an unspaced token glues onto the word before ("youmentor"): a copy all the
        # same to the reader, so it is marked down with the spaced one.
        self._mark(words, "", marks)
        if in_a_word and words:
            self._mark(words[:-1], words[-1], marks)
        return marks

    def _mark(self, words: list[str], begun: str, marks: dict[int, float]) -> None:
        if len(words) < self._context:
            return
        for source, place in self._after.get(tuple(words[-self._context:]), ()):
            following = self._sources[source][place]
            if not following.startswith(begun) or following == begun:
                continue
            copied = self._run_before(words, source, place) + 1
            penalty = self.per_word * (copied - self.first_marked + 1)
            if begun:
                tokens = self.spellings.continuing(following[len(begun):])
            else:
                tokens = self.spellings.starting(following)
            for token in tokens:
                marks[token] = max(marks.get(token, 0.0), penalty)

    def _run_before(self, words: list[str], source: int, place: int) -> int:
        """How many of the reply's last words copy the source's words just before `place`."""
        copied, limit = 0, min(len(words), place, LONGEST_RUN_READ)
        while copied < limit and words[-1 - copied] == self._sources[source][place - 1 - copied]:
            copied += 1
        return copied
