"""How much of an answer copies its passages: the share of its sentences that repeat a run of 8 or
more consecutive words from one of them (the key guidance already quotes; the model should advise)."""

import re

from coach.llm.copy_block import NOT_WORDS, WORD, words_of

COPIED_RUN = 8
SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")


def answer_sentences(answer: str) -> list[str]:
    """The answer's sentences with at least three words (headings and stray markers left out)."""
    parts = SENTENCE_END.split(NOT_WORDS.sub(" ", answer))
    return [part.strip() for part in parts if len(WORD.findall(part.lower())) >= 3]


def copied_share(answer: str, passages: list[str], run: int = COPIED_RUN) -> float:
    """Share of the answer's sentences holding `run` consecutive words found in one passage."""
    found = answer_sentences(answer)
    if not found:
        return 0.0
    runs = set().union(*(_runs(words_of(text), run) for text in passages)) if passages else set()
    return sum(bool(_runs(words_of(sentence), run) & runs) for sentence in found) / len(found)


def _runs(words: list[str], run: int) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + run]) for i in range(len(words) - run + 1)}
