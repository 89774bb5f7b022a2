"""Label a line by what it does (acknowledges, dismisses, asks openly, advises…) using embedding
similarity to trainer-written exemplars plus simple question rules. Transparent and reproducible."""

import re
from collections.abc import Callable, Sequence
from functools import cached_property

import numpy as np
from pydantic import BaseModel

from coach import paths
from coach.errors import CorpusError
from coach.formats.toml_files import load_toml_as

Embed = Callable[[list[str]], np.ndarray]  # unit vectors, one row per text
OPEN_START = re.compile(r"^\s*(what|how|why|tell me|describe|talk me through|walk me through|in what way)\b", re.I)
CLOSED_START = re.compile(r"^\s*(is|are|am|was|were|do|does|did|can|could|would|will|shall|should|may|might|have|has|any|anything)\b", re.I)


STANCES = ("acknowledge", "dismiss", "advice")
CLAUSE = re.compile(r"\s*[,;:]\s+|\s+-+\s+")
MIN_CLAUSE_WORDS = 3
FIRST_PERSON = re.compile(r"\b(i|i'm|i'd|i've|i'll|me|we|we're|let's|our|us)\b", re.I)
SECOND_PERSON = re.compile(r"\b(you|your|you're|you'll|you've)\b", re.I)


class BehaviourExemplars(BaseModel):
    floor: float
    margin: float
    exemplars: dict[str, list[str]]


class LineLabel(BaseModel):
    """Why a line got its labels: every behaviour's best similarity, and the rule that fired."""

    text: str
    behaviours: list[str]
    scores: dict[str, float]
    rule: str = ""


class BehaviourClassifier:
    def __init__(self, embed: Embed, exemplars: BehaviourExemplars | None = None) -> None:
        self.embed = embed
        self.exemplars = exemplars or load_exemplars()

    @cached_property
    def _exemplar_vectors(self) -> dict[str, np.ndarray]:
        return {name: self.embed(lines) for name, lines in self.exemplars.exemplars.items()}

    def label(self, lines: Sequence[str]) -> list[LineLabel]:
        if not lines:
            return []
        vectors = self.embed(list(lines))
        best = {name: (vectors @ ex.T).max(axis=1) for name, ex in self._exemplar_vectors.items()}
        pieces = [(i, piece, whole) for i, line in enumerate(lines) for sentence in statement_sentences(line)
                  for piece, whole in [(sentence, True), *((c, False) for c in clauses(sentence))]]
        piece_vectors = self.embed([piece for _, piece, _ in pieces]) if pieces else []
        line_stances: list[set[str]] = [set() for _ in lines]
        for (i, piece, whole), vector in zip(pieces, piece_vectors):
            stance = self._stance(self._scores(vector), piece)
            # One clause can carry an acknowledgement ("That makes sense, first reviews are hard"),
            # but a clause alone is too little to call a line dismissive or directive.
            if stance and (whole or stance == "acknowledge"):
                line_stances[i].add(stance)
        return [self._label_one(i, line, best, line_stances[i]) for i, line in enumerate(lines)]

    def _scores(self, vector: np.ndarray) -> dict[str, float]:
        return {name: float((vector @ ex.T).max()) for name, ex in self._exemplar_vectors.items()}

    def _label_one(self, i: int, line: str, best: dict[str, np.ndarray], stances: set[str]) -> LineLabel:
        scores = {name: round(float(values[i]), 3) for name, values in best.items()}
        # A stance (acknowledging, dismissing, advising) is read from each sentence a line states, so
        # "That sounds hard. You should talk to Sam." is both; a bare question takes none: "What do
        # you think is behind it?" sat just above the dismiss floor.
        rule = question_rule(line, scores)
        return LineLabel(text=line, behaviours=sorted(stances | ({rule} if rule else set())),
                         scores=scores, rule=rule)

    def _stance(self, scores: dict[str, float], sentence: str) -> str:
        ranked = sorted(STANCES, key=lambda name: scores.get(name, 0.0), reverse=True)
        top, runner_up = scores.get(ranked[0], 0.0), scores.get(ranked[1], 0.0)
        if top < self.exemplars.floor or top - runner_up < self.exemplars.margin:
            return ""
        # Advice tells the listener what to do; "I wanted to look back at our goals" only sounds like it.
        if ranked[0] == "advice" and FIRST_PERSON.search(sentence) and not SECOND_PERSON.search(sentence):
            return ""
        return ranked[0]


def statement_sentences(line: str) -> list[str]:
    """The sentences of a line that are not questions."""
    return [p for p in re.split(r"(?<=[?.!])\s+", line.strip()) if p and not p.endswith("?")]


def clauses(sentence: str) -> list[str]:
    """A sentence's clauses, when it has several long enough to carry meaning alone."""
    parts = [c for c in CLAUSE.split(sentence) if len(c.split()) >= MIN_CLAUSE_WORDS]
    return parts if len(parts) > 1 else []


def question_rule(line: str, scores: dict[str, float] | None = None) -> str:
    """'open_question' / 'closed_question' from the wording of a line that asks something, else ''."""
    questions = [part for part in re.split(r"(?<=[?.!])\s+", line.strip()) if part.endswith("?")]
    if any(OPEN_START.match(q) for q in questions) or (not questions and OPEN_START.match(line)):
        return "open_question"
    if not questions:
        return ""
    if any(CLOSED_START.match(q) for q in questions):
        return "closed_question"
    scores = scores or {}  # "No?" or "Your team?": let the exemplars decide, closed when unsure
    return "open_question" if scores.get("open_question", 0) > scores.get("closed_question", 0) else "closed_question"


def load_exemplars() -> BehaviourExemplars:
    return load_toml_as(paths.prompts_dir() / "behaviours.toml", BehaviourExemplars, CorpusError)
