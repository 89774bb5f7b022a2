"""Scores per skill over time, read from the debriefs saved with each session (older debrief
formats included: every one carries `scores`), plus the drill results as their own series."""

from datetime import date, datetime

from pydantic import BaseModel

from coach.coaching.progress.trend import Trend, moving_average, trend
from coach.coaching.rubric import Rubric
from coach.sessions.store import DrillAttempt, SessionStore

MAX_SCORE = 2


class SkillPoint(BaseModel):
    session_id: str
    started: str
    scenario: str
    score: int


class DrillPoint(BaseModel):
    """One drill sitting's lines for a skill: the share that passed, on the same 0-2 scale."""

    drill_id: str
    started: str
    passed: int
    tried: int
    score: float


class ScoredSession(BaseModel):
    session_id: str
    started: str
    scenario: str
    scores: dict[str, int]  # skill id -> 0..2
    names: dict[str, str]  # skill id -> the name saved with the debrief


class SkillProgress(BaseModel):
    skill: str
    name: str
    points: list[SkillPoint]
    moving_average: list[float]
    trend: Trend
    trend_slope: float  # points per session over the latest sessions
    sessions: int
    last_practised: str  # the date of the latest session
    drills: list[DrillPoint] = []


def scored_sessions(store: SessionStore, since: date | None = None) -> list[ScoredSession]:
    """Every debriefed session, oldest first; a session never debriefed is left out."""
    found = []
    for session in reversed(store.sessions()):
        if since is not None and local_date(session.started_at) < since.isoformat():
            continue
        scores = saved_scores(store.debrief(session.id))
        if scores:
            found.append(ScoredSession(session_id=session.id, started=session.started_at, scenario=session.scenario_id,
                                       scores={s["skill"]: int(s["score"]) for s in scores},
                                       names={s["skill"]: s.get("name", s["skill"]) for s in scores}))
    return found


def local_date(stamp: str) -> str:
    """The mentor's own calendar date of a stored (UTC) time: `--since` is a date on their calendar,
    so a session at 00:30 local time, still the day before in UTC, counts as today's."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:10]
    return (moment.astimezone() if moment.tzinfo else moment).date().isoformat()


def saved_scores(debrief: dict | None) -> list[dict]:
    """The per-skill scores of a saved debrief, whatever its age: anything unreadable is passed over,
    so one odd record cannot hide a mentor's whole history."""
    scores = (debrief or {}).get("scores") or []
    if isinstance(scores, dict):  # {skill: score}, as early hand-made records kept them
        scores = [{"skill": skill, "score": score} for skill, score in scores.items()]
    return [s for s in scores if isinstance(s, dict) and isinstance(s.get("skill"), str)
            and isinstance(s.get("score"), int) and 0 <= s["score"] <= MAX_SCORE]


def skill_progress(sessions: list[ScoredSession], drills: list[DrillAttempt], rubric: Rubric,
                   since: date | None = None) -> list[SkillProgress]:
    """One entry per skill practised, in the rubric's order (skills since removed from it last)."""
    practised = {skill for s in sessions for skill in s.scores}
    order = [s for s in rubric.ids() if s in practised] + sorted(practised - set(rubric.ids()))
    return [_one_skill(skill, sessions, drills, rubric, since) for skill in order]


def _one_skill(skill: str, sessions: list[ScoredSession], drills: list[DrillAttempt], rubric: Rubric,
               since: date | None) -> SkillProgress:
    points = [SkillPoint(session_id=s.session_id, started=s.started, scenario=s.scenario, score=s.scores[skill])
              for s in sessions if skill in s.scores]
    scores = [float(p.score) for p in points]
    direction, change = trend(scores)
    name = rubric.skill(skill).name if skill in rubric.ids() else next(s.names[skill] for s in sessions if skill in s.names)
    return SkillProgress(skill=skill, name=name, points=points, moving_average=moving_average(scores), trend=direction,
                         trend_slope=change, sessions=len(points), last_practised=points[-1].started[:10],
                         drills=drill_points(skill, drills, since.isoformat() if since else None))


def drill_points(skill: str, attempts: list[DrillAttempt], since: str | None = None) -> list[DrillPoint]:
    """The skill's drill sittings, oldest first, each scored as the share of its lines that passed."""
    sittings: dict[str, list[DrillAttempt]] = {}
    for attempt in attempts:
        if attempt.skill == skill and (since is None or local_date(attempt.created_at) >= since):
            sittings.setdefault(attempt.drill_id, []).append(attempt)
    return [DrillPoint(drill_id=drill_id, started=lines[0].created_at, passed=sum(a.passed for a in lines),
                       tried=len(lines), score=round(MAX_SCORE * sum(a.passed for a in lines) / len(lines), 2))
            for drill_id, lines in sittings.items()]
