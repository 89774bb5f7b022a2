"""How much of an answer copies its passages: the share of its sentences that repeat a run of 8 or
more consecutive words from one of them (the key guidance already quotes; the model should advise)."""

import re

COPIED_RUN = 8
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")
CITATION = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]")


def answer_sentences(answer: str) -> list[str]:
    """The answer's sentences with at least three words (headings and stray markers left out)."""
    parts = SENTENCE_END.split(CITATION.sub(" ", answer))
    return [part.strip() for part in parts if len(WORD.findall(part.lower())) >= 3]


def copied_share(answer: str, passages: list[str], run: int = COPIED_RUN) -> float:
    """Share of the answer's sentences holding `run` consecutive words found in one passage."""
    found = answer_sentences(answer)
    if not found:
        return 0.0
    runs = set().union(*(_runs(_words(text), run) for text in passages)) if passages else set()
    return sum(bool(_runs(_words(sentence), run) & runs) for sentence in found) / len(found)


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("’", "'"))


def _runs(words: list[str], run: int) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + run]) for i in range(len(words) - run + 1)}
