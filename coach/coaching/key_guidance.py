"""Key guidance: the few sentences of the retrieved passages that best answer the question, quoted
word for word with their passage number. Shown before the model starts, so it is there at once and
correct by construction."""

import re
from collections.abc import Callable, Sequence

import numpy as np
from pydantic import BaseModel

from coach.formats.contacts import CONTACT

Embed = Callable[[list[str]], np.ndarray]

MIN_SENTENCES, MAX_SENTENCES = 2, 4
MIN_WORDS = 6  # headings and lead-ins ("What to say") answer nothing
# Relevance against redundancy (maximal marginal relevance): 0.7 keeps the best sentence first but
# skips a second one that only restates it.
RELEVANCE_WEIGHT = 0.7
# Above this similarity to a chosen sentence, a sentence says the same thing and is never chosen.
NEAR_DUPLICATE = 0.9
# After the first two, a sentence joins only if it is nearly as relevant as the best one.
CLOSE_TO_BEST = 0.12
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
MARKDOWN_LEAD = re.compile(r"^\s*(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)+")
# A list item under "What to avoid:" or "What to say:" means something else without its lead-in.
CONTEXT_LEAD = re.compile(r"\b(avoid|not|never|don't|say)\b", re.I)
# Retrieval ranks whole passages better than one sentence's similarity can: a small head start
# for sentences of the better-ranked passages (by rank 1, 2, 3, later).
RANK_BONUS = (0.08, 0.04, 0.02)
CACHE_LIMIT = 50_000


class KeySentence(BaseModel):
    n: int  # the passage it is quoted from
    text: str


class SentenceVectors:
    """Sentence vectors kept for the life of the process: passages repeat from question to question,
    so after the first few (or a warm-up over the whole index) no passage sentence is embedded twice."""

    def __init__(self, embed: Embed) -> None:
        self.embed = embed
        self._known: dict[str, np.ndarray] = {}

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._known))
        if missing:
            if len(self._known) + len(missing) > CACHE_LIMIT:
                self._known.clear()  # a corpus this big is rare; start over rather than grow forever
            self._known.update(zip(missing, self.embed(missing)))
        return np.array([self._known[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)

    def warm(self, passage_texts: Sequence[str]) -> None:
        self.vectors([s for text in passage_texts for s in passage_sentences(text)])


def passage_sentences(text: str) -> list[str]:
    """Whole sentences of a passage, Markdown list and heading markers dropped, lead-in lines
    skipped but kept in front of the items they change the sense of ("What to avoid: …")."""
    found: list[str] = []
    lead = ""
    for line in _logical_lines(text):
        plain = MARKDOWN_LEAD.sub("", line).strip()
        if _is_lead_in(plain):
            lead = plain if CONTEXT_LEAD.search(plain) else ""
            continue
        in_list = bool(MARKDOWN_LEAD.match(line))
        lead = lead if in_list else ""
        # A contact detail is never quoted as guidance: one planted note could make it look official.
        found += [f"{lead} {s.strip()}".strip() for s in _split_outside_quotes(plain)
                  if len(s.split()) >= MIN_WORDS and not s.strip().endswith(":") and not CONTACT.search(s)]
    return found


def _split_outside_quotes(text: str) -> list[str]:
    """Sentences, but a quoted line of dialogue ("What have you noticed? Let's look…") stays whole."""
    sentences: list[str] = []
    for part in SENTENCE_END.split(text):
        if sentences and _open_quote(sentences[-1]):
            sentences[-1] += " " + part
        else:
            sentences.append(part)
    return sentences


def _open_quote(text: str) -> bool:
    return (text.count('"') + text.count("“") + text.count("”")) % 2 == 1


def _logical_lines(text: str) -> list[str]:
    # A paragraph wrapped over several lines is one line; list items and headings stand alone.
    lines: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            lines.append("")
        elif lines and lines[-1] and not any(MARKDOWN_LEAD.match(x) or _is_lead_in(x) for x in (line, lines[-1])):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return [line for line in lines if line.strip()]


def _is_lead_in(line: str) -> bool:
    return line.rstrip().endswith(":") and len(line.split()) <= 6


def key_guidance(question: str, passages: Sequence[tuple[int, str]], vectors: SentenceVectors) -> list[KeySentence]:
    """2 to 4 sentences from the numbered passages, most relevant first, none a restatement of another."""
    candidates = [(n, s) for n, text in passages for s in passage_sentences(text)]
    if not candidates:
        return []
    sentence_vectors = vectors.vectors([s for _, s in candidates])
    bonus = np.array([RANK_BONUS[n - 1] if n <= len(RANK_BONUS) else 0.0 for n, _ in candidates])
    relevance = sentence_vectors @ vectors.vectors([question])[0] + bonus
    chosen = _diverse_picks(relevance, sentence_vectors)
    return [KeySentence(n=candidates[i][0], text=candidates[i][1]) for i in chosen]


def _diverse_picks(relevance: np.ndarray, sentence_vectors: np.ndarray) -> list[int]:
    chosen: list[int] = []
    best = float(relevance.max())
    while len(chosen) < min(MAX_SENTENCES, len(relevance)):
        redundancy = (sentence_vectors @ sentence_vectors[chosen].T).max(axis=1) if chosen else np.zeros_like(relevance)
        scores = RELEVANCE_WEIGHT * relevance - (1 - RELEVANCE_WEIGHT) * redundancy
        scores[chosen] = -np.inf
        scores[redundancy > NEAR_DUPLICATE] = -np.inf
        if not np.isfinite(scores).any():
            break
        pick = int(scores.argmax())
        if len(chosen) >= MIN_SENTENCES and relevance[pick] < best - CLOSE_TO_BEST:
            break
        chosen.append(pick)
    return chosen
