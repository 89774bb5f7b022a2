"""Label a line by what it does (acknowledges, dismisses, asks openly, advises…) using embedding
similarity to trainer-written exemplars plus simple question rules. Transparent and reproducible."""

import re
from collections.abc import Callable, Sequence
from functools import cached_property

import numpy as np
from pydantic import BaseModel

from coach import paths
from coach.errors import CorpusError
from coach.tomlfile import load_toml_as

Embed = Callable[[list[str]], np.ndarray]  # unit vectors, one row per text
OPEN_START = re.compile(r"^\s*(what|how|why|tell me|describe|talk me through|walk me through|in what way)\b", re.I)
CLOSED_START = re.compile(r"^\s*(is|are|do|does|did|can|could|would|will|have|has|any|anything)\b", re.I)


STANCES = ("acknowledge", "dismiss", "advice")


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
        statements = [statement_part(line) for line in lines]
        stated = [i for i, statement in enumerate(statements) if statement]
        stated_vectors = dict(zip(stated, self.embed([statements[i] for i in stated]))) if stated else {}
        return [self._label_one(i, line, best, self._scores(stated_vectors.get(i))) for i, line in enumerate(lines)]

    def _scores(self, vector: np.ndarray | None) -> dict[str, float]:
        if vector is None:
            return {}
        return {name: float((vector @ ex.T).max()) for name, ex in self._exemplar_vectors.items()}

    def _label_one(self, i: int, line: str, best: dict[str, np.ndarray], statement_scores: dict) -> LineLabel:
        scores = {name: round(float(values[i]), 3) for name, values in best.items()}
        # A stance (acknowledging, dismissing, advising) is read from what the line states; a bare
        # question takes none: "What do you think is behind it?" sat just above the dismiss floor.
        behaviours = [stance] if statement_scores and (stance := self._stance(statement_scores)) else []
        rule = question_rule(line, scores)
        return LineLabel(text=line, behaviours=sorted(behaviours + ([rule] if rule else [])),
                         scores=scores, rule=rule)

    def _stance(self, scores: dict[str, float]) -> str:
        ranked = sorted(STANCES, key=lambda name: scores.get(name, 0.0), reverse=True)
        top, runner_up = scores.get(ranked[0], 0.0), scores.get(ranked[1], 0.0)
        return ranked[0] if top >= self.exemplars.floor and top - runner_up >= self.exemplars.margin else ""


def statement_part(line: str) -> str:
    """The line without its questions."""
    return " ".join(p for p in re.split(r"(?<=[?.!])\s+", line.strip()) if p and not p.endswith("?"))


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
