"""The facts of a debrief in words: strengths and things to try, each taken from the signals that
fired (the rubric's wording, the mentor's line number and the line itself). No model writes these,
so none can claim what did not happen: no strength for a skill that scored 0, no "try" for a move
the mentor already made."""

from pydantic import BaseModel

from coach.coaching.debrief.scoring import SkillScore
from coach.coaching.rubric import Rubric, Signal, Skill


class Point(BaseModel):
    skill: str
    point: str
    line: int | None = None  # the mentor line it is about, from 1
    quote: str = ""  # that line, verbatim


def strengths(scores: list[SkillScore], rubric: Rubric) -> list[Point]:
    """One per skill that scored above 0: the skill's strength and the first signal that earned it."""
    points = []
    for score in (s for s in scores if s.score > 0):
        earned = next((hit for hit in score.hits if hit.points > 0), None)
        if earned is None:
            continue
        evidence = earned.evidence[0] if earned.evidence else None
        points.append(Point(skill=score.skill, point=f"{rubric.skill(score.skill).strength}: {earned.says[:1].lower()}{earned.says[1:]}.",
                            line=evidence.line if evidence else None, quote=evidence.text if evidence else ""))
    return points


def tries(scores: list[SkillScore], rubric: Rubric) -> list[Point]:
    """One per skill below full marks: what cost points, else a wanted move that never happened."""
    points = []
    for score in (s for s in scores if s.score < s.max_score):
        skill = rubric.skill(score.skill)
        point = _cost(score, skill) or _missing(score, skill)
        if point is not None:
            points.append(point)
    return points


def _cost(score: SkillScore, skill: Skill) -> Point | None:
    for hit in (h for h in score.hits if h.points < 0):
        advice = _signal(skill, hit.signal).try_next
        if advice:
            evidence = hit.evidence[0] if hit.evidence else None
            return Point(skill=skill.id, point=advice, line=evidence.line if evidence else None,
                         quote=evidence.text if evidence else "")
    return None


def _missing(score: SkillScore, skill: Skill) -> Point | None:
    fired = {hit.signal for hit in score.hits}
    wanted = next((s for s in skill.signals if s.points > 0 and s.try_next and s.id not in fired), None)
    return Point(skill=skill.id, point=wanted.try_next) if wanted else None


def _signal(skill: Skill, signal_id: str) -> Signal:
    return next(s for s in skill.signals if s.id == signal_id)
