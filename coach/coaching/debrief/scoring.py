"""Reproducible 0-2 scores per skill, each with the signals that fired and the mentor's own lines
as evidence (taken by line number from the transcript, never retyped)."""

from functools import cache

import numpy as np
from pydantic import BaseModel

from coach.coaching.debrief.signals import RULES, TranscriptFacts
from coach.coaching.practice.behaviours import Embed
from coach.coaching.rubric import Rubric, Signal, Skill

MAX_SCORE = 2


class Evidence(BaseModel):
    line: int  # mentor line number, from 1
    text: str  # that line, verbatim


class SignalHit(BaseModel):
    signal: str
    says: str
    points: int  # what this signal added to the score (before the 0-2 bounds)
    evidence: list[Evidence]


class SkillScore(BaseModel):
    skill: str
    name: str
    score: int
    max_score: int = MAX_SCORE
    hits: list[SignalHit]

    @property
    def why(self) -> str:
        if not self.hits:
            return "No signal for this skill showed up in the conversation."
        return "; ".join(f"{hit.says} ({hit.points:+d}{_lines(hit)})" for hit in self.hits)


class ScoredSkills(BaseModel):
    """Anything that carries skill scores: a debrief, a scored transcript."""

    scores: list[SkillScore]

    @property
    def total(self) -> int:
        return sum(s.score for s in self.scores)

    @property
    def max_total(self) -> int:
        return sum(s.max_score for s in self.scores)


def _lines(hit: SignalHit) -> str:
    numbers = [str(e.line) for e in hit.evidence]
    return f", line{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}" if numbers else ""


class Scorer:
    def __init__(self, rubric: Rubric, embed: Embed) -> None:
        self.rubric, self.embed = rubric, embed
        self._exemplar_vectors = cache(lambda lines: self.embed(list(lines)))

    def score(self, skill_ids: list[str], facts: TranscriptFacts) -> list[SkillScore]:
        return [self._score_skill(self.rubric.skill(skill_id), facts) for skill_id in skill_ids]

    def _score_skill(self, skill: Skill, facts: TranscriptFacts) -> SkillScore:
        hits = [hit for signal in skill.signals if (hit := self._fire(signal, facts)) is not None]
        total = sum(hit.points for hit in hits)
        return SkillScore(skill=skill.id, name=skill.name, score=max(0, min(MAX_SCORE, total)), hits=hits)

    def _fire(self, signal: Signal, facts: TranscriptFacts) -> SignalHit | None:
        lines = self._matching_lines(signal, facts)
        if lines is None:
            return None
        per_line = signal.rule is None and not signal.judges_balance
        counted = lines if signal.rule is not None else lines[: signal.max_lines]
        points = signal.points * (len(counted) if per_line else 1)
        evidence = [Evidence(line=n, text=facts.mentor_lines[n - 1]) for n in counted]
        return SignalHit(signal=signal.id, says=signal.says, points=points, evidence=evidence)

    def _matching_lines(self, signal: Signal, facts: TranscriptFacts) -> list[int] | None:
        if signal.rule is not None:
            return RULES[signal.rule](facts)
        scope = facts.in_scope(signal.scope)
        if signal.judges_balance:
            return _out_of_balance(signal, facts, scope)
        unless = tuple(signal.unless)
        if signal.behaviour is not None:
            lines = [n for n in facts.with_behaviour(signal.behaviour, unless) if n in scope
                     and (not signal.also or set(signal.also) & set(facts.labels[n - 1].behaviours))]
        else:
            allowed = set(range(1, len(facts.mentor_lines) + 1)) - {n for label in unless for n in facts.with_behaviour(label)}
            lines = [n for n in sorted(scope & allowed) if self._similar(signal, facts.vectors[n - 1])]
        return lines or None

    def _similar(self, signal: Signal, line_vectors: np.ndarray) -> bool:
        similarity = float((line_vectors @ self._exemplar_vectors(tuple(signal.exemplars)).T).max())
        if signal.against:
            opposite = float((line_vectors @ self._exemplar_vectors(tuple(signal.against)).T).max())
            return similarity >= signal.threshold and similarity > opposite
        return similarity >= signal.threshold


def _out_of_balance(signal: Signal, facts: TranscriptFacts, scope: set[int]) -> list[int] | None:
    """Fires once, with the lines that carry the behaviour as evidence ([] when there are none)."""
    if len(scope) < signal.min_lines:
        return None
    carrying = [n for n in facts.with_behaviour(signal.behaviour, tuple(signal.unless)) if n in scope]
    share = len(carrying) / len(scope)
    too_few = signal.share_below is not None and share < signal.share_below
    too_many = signal.share_above is not None and share > signal.share_above
    return carrying if too_few or too_many else None


# How much a line's own labels count against it when choosing the line to rewrite.
LABEL_WEAKNESS = {"dismiss": 1.0, "advice": 0.75, "closed_question": 0.25}


def weakest_line(scores: list[SkillScore], facts: TranscriptFacts) -> int | None:
    """The mentor line to suggest a rewrite for: signal points shared among each signal's lines,
    less what its own labels say against it (dismissing, directing); the earliest on a tie."""
    if not facts.mentor_lines:
        return None
    standing = {n: 0.0 for n in range(1, len(facts.mentor_lines) + 1)}
    for hit in (hit for score in scores for hit in score.hits if hit.evidence):
        for item in hit.evidence:
            standing[item.line] += hit.points / len(hit.evidence)
    for n, label in enumerate(facts.labels, start=1):
        standing[n] -= sum(LABEL_WEAKNESS.get(b, 0.0) for b in label.behaviours)
    return min(standing, key=lambda n: (standing[n], n))
