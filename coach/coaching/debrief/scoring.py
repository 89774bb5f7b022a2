"""Reproducible 0-2 scores per skill, each with the signals that fired and the mentor's own lines
as evidence (taken by line number from the transcript, never retyped)."""

from functools import cache

import numpy as np
from pydantic import BaseModel

from coach.coaching.debrief.rubric import Rubric, Signal, Skill
from coach.coaching.debrief.signals import RULES, TranscriptFacts
from coach.coaching.practice.behaviours import Embed

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
        return "; ".join(f"{hit.says} ({hit.points:+d})" for hit in self.hits)


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
        counted = lines[: signal.max_lines] if signal.rule is None else lines
        points = signal.points * (len(counted) if signal.rule is None else 1)
        evidence = [Evidence(line=n, text=facts.mentor_lines[n - 1]) for n in counted]
        return SignalHit(signal=signal.id, says=signal.says, points=points, evidence=evidence)

    def _matching_lines(self, signal: Signal, facts: TranscriptFacts) -> list[int] | None:
        if signal.rule is not None:
            return RULES[signal.rule](facts)
        scope = facts.in_scope(signal.scope)
        if signal.behaviour is not None:
            lines = [n for n in facts.with_behaviour(signal.behaviour) if n in scope]
        else:
            lines = [n for n in sorted(scope) if self._similar(signal, facts.vectors[n - 1])]
        return lines or None

    def _similar(self, signal: Signal, line_vectors: np.ndarray) -> bool:
        similarity = line_vectors @ self._exemplar_vectors(tuple(signal.exemplars)).T
        return float(similarity.max()) >= signal.threshold


def weakest_line(scores: list[SkillScore], facts: TranscriptFacts) -> int | None:
    """The mentor line that lost the most points; failing that, the first line no signal credited."""
    if not facts.mentor_lines:
        return None
    lost: dict[int, int] = {}
    credited: set[int] = set()
    for hit in (hit for score in scores for hit in score.hits):
        for item in hit.evidence:
            if hit.points < 0:
                lost[item.line] = lost.get(item.line, 0) + hit.points
            else:
                credited.add(item.line)
    if lost:
        return min(lost, key=lambda n: (lost[n], n))
    uncredited = [n for n in range(1, len(facts.mentor_lines) + 1) if n not in credited]
    return uncredited[0] if uncredited else 1
