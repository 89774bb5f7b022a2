"""Word matching (Okapi BM25) over the stored passages, beside the dense search: it catches the
question that names the thing ("nephew", "vice president") when the sentence vectors blur it.
Built in memory from the store itself, so it can never fall out of step with a killed sync."""

import math
import re
from collections import Counter

import numpy as np

WORD = re.compile(r"[a-z0-9]+")
# BM25's usual settings; the corpus is too small to tune them without fitting the golden questions.
K1, B = 1.2, 0.75
STOPWORDS = frozenset("""a about after again all am an and any are as at be because been before being
but by can could did do does doing don for from had has have having he her here hers him his how i if in
into is it its just me more most my no nor not of off on once only or other our out over own same she
should so some such than that the their them then there these they this those through to too under until
up very was we were what when where which while who whom why will with would you your yours""".split())
SUFFIXES = ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly")


def terms(text: str) -> list[str]:
    """Lower-cased content words, British spellings folded to American, common endings cut."""
    return [_stem(word) for word in WORD.findall(text.lower()) if word not in STOPWORDS]


def _stem(word: str) -> str:
    word = word.replace("our", "or") if len(word) > 5 else word  # favouritism, behaviour, colour
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


class LexicalIndex:
    """BM25 scores of every passage for a query, as one array in the order of `ids`."""

    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.ids = ids
        documents = [Counter(terms(text)) for text in texts]
        lengths = np.array([sum(d.values()) for d in documents], dtype=np.float32)
        self._norm = K1 * (1 - B + B * lengths / max(float(lengths.mean()) if len(lengths) else 1.0, 1.0))
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for position, counts in enumerate(documents):
            for term, count in counts.items():
                self._postings.setdefault(term, []).append((position, count))
        self._idf = {term: math.log(1 + (len(texts) - len(p) + 0.5) / (len(p) + 0.5))
                     for term, p in self._postings.items()}

    def scores(self, query: str) -> np.ndarray:
        scores = np.zeros(len(self.ids), dtype=np.float32)
        for term in set(terms(query)):
            for position, count in self._postings.get(term, ()):
                scores[position] += self._idf[term] * count * (K1 + 1) / (count + self._norm[position])
        return scores
