"""Drill lines: the mentor's own lines that cost points in past debriefs (older debriefs too: each
kept its signal hits with the lines behind them), each to be said again the way the skill wants."""

import uuid

from pydantic import BaseModel

from coach.coaching.progress.series import saved_scores
from coach.coaching.rubric import Rubric, Skill
from coach.sessions.store import SessionStore

LINES_PER_DRILL = 5  # about a minute's work
# What "say it again so that it …" asks for, by the first label the skill wants of a rewrite.
AIMS = {
    "open_question": "asks an open question",
    "acknowledge": "acknowledges the worry first",
    "reflection": "plays back what you heard",
    "offer": "offers instead of tells",
    "next_step": "agrees a next step with the mentee",
}


class DrillLine(BaseModel):
    session_id: str  # where the line was said
    skill: str
    skill_name: str
    text: str  # the mentor's own words, verbatim
    wanted: list[str]  # labels the new line should carry (any one of them)
    aim: str

    @property
    def ask(self) -> str:
        return f"You said: “{self.text}”. Say it again so that it {self.aim}."


class Drill(BaseModel):
    drill_id: str
    lines: list[DrillLine]


def new_drill(store: SessionStore, rubric: Rubric, skill: str | None = None, count: int = LINES_PER_DRILL) -> Drill:
    return Drill(drill_id=uuid.uuid4().hex[:12], lines=weak_lines(store, rubric, skill)[:count])


def weak_lines(store: SessionStore, rubric: Rubric, skill: str | None = None) -> list[DrillLine]:
    """Newest first, each distinct line once, for skills that say what a better line carries."""
    found, seen = [], set()
    for session in store.sessions():
        for score in saved_scores(store.debrief(session.id)):
            target = _drillable(score.get("skill"), rubric, skill)
            for text in (_costly_lines(score) if target else []):
                if text.strip().lower() not in seen:
                    seen.add(text.strip().lower())
                    found.append(_line(session.id, target, text))
    return found


def _drillable(skill_id: str | None, rubric: Rubric, wanted_skill: str | None) -> Skill | None:
    if skill_id not in rubric.ids() or (wanted_skill and skill_id != wanted_skill):
        return None
    skill = rubric.skill(skill_id)
    return skill if skill.wanted and skill.wanted[0] in AIMS else None


def _costly_lines(score: dict) -> list[str]:
    hits = [h for h in score.get("hits") or [] if isinstance(h, dict) and isinstance(h.get("points"), int)]
    return [e["text"] for hit in hits if hit["points"] < 0 for e in hit.get("evidence") or []
            if isinstance(e, dict) and isinstance(e.get("text"), str) and e["text"].strip()]


def _line(session_id: str, skill: Skill, text: str) -> DrillLine:
    return DrillLine(session_id=session_id, skill=skill.id, skill_name=skill.name, text=text,
                     wanted=list(skill.wanted), aim=AIMS[skill.wanted[0]])
