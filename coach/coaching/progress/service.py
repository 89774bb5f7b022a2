"""The progress report (per skill, with what to practise next) and drill sittings, for the
Progress and Drill screens and `coach progress` / `coach drill`."""

from datetime import date

from pydantic import BaseModel

from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.progress.drill_check import DrillChecker, DrillVerdict, Example, guidance_example
from coach.coaching.progress.drills import AIMS, Drill, DrillLine, new_drill
from coach.coaching.progress.next_scenario import CardSummary, Suggestion, suggest_next
from coach.coaching.progress.series import ScoredSession, SkillProgress, scored_sessions, skill_progress
from coach.coaching.rubric import Rubric
from coach.coaching.scenarios import Scenario
from coach.errors import CoachError
from coach.retrieval.passage import Retriever
from coach.sessions.store import DrillAttempt, SessionStore

NO_SESSIONS = ("No debriefed sessions yet: practise a scenario and end it with a debrief, and your progress "
               "per skill will show here.")


class ProgressReport(BaseModel):
    since: str | None = None
    skills: list[SkillProgress]
    next: Suggestion | None = None
    titles: dict[str, str] = {}  # scenario id -> title, for showing points

    @property
    def empty(self) -> bool:
        return not self.skills


class ProgressService:
    def __init__(self, store: SessionStore, cards: list[Scenario], rubric: Rubric) -> None:
        self.store, self.cards, self.rubric = store, cards, rubric

    def report(self, since: date | None = None) -> ProgressReport:
        sessions = scored_sessions(self.store, since)
        return ProgressReport(since=since.isoformat() if since else None,
                              skills=skill_progress(sessions, self.store.drill_attempts(), self.rubric, since),
                              next=self._suggest(sessions if since is None else scored_sessions(self.store)),
                              titles={card.id: card.title for card in self.cards})

    def suggestion(self) -> Suggestion | None:
        return self._suggest(scored_sessions(self.store))

    def _suggest(self, history: list[ScoredSession]) -> Suggestion | None:
        cards = [CardSummary(id=c.id, title=c.title, difficulty=c.difficulty, skills=c.skills) for c in self.cards]
        return suggest_next(history, cards, {s.id: s.name for s in self.rubric.skills})


class DrillSitting(BaseModel):
    drill: Drill
    examples: dict[str, Example]  # skill id -> the guidance's example for a line that does not pass


class DrillService:
    def __init__(self, store: SessionStore, rubric: Rubric, classifier: BehaviourClassifier, guidance: Retriever) -> None:
        self.store, self.rubric, self.guidance = store, rubric, guidance
        self.checker = DrillChecker(classifier)

    def start(self, skill: str | None = None) -> DrillSitting:
        """About five of the mentor's own weak lines (none when no debrief has cost points yet)."""
        if skill is not None:
            check_drill_skill(skill, self.rubric)
        drill = new_drill(self.store, self.rubric, skill)
        skills = {line.skill for line in drill.lines}
        return DrillSitting(drill=drill, examples={s: guidance_example(self.rubric.skill(s), self.guidance, self.checker)
                                                   for s in sorted(skills)})

    def check(self, sitting: DrillSitting, line: DrillLine, said: str) -> DrillVerdict:
        """Check the new line and save the result with the drill."""
        verdict = self.checker.check(line, said, sitting.examples.get(line.skill))
        self.store.add_drill_attempt(DrillAttempt(drill_id=sitting.drill.drill_id, session_id=line.session_id,
                                                  skill=line.skill, original=line.text, attempt=said,
                                                  passed=verdict.passed, labels=verdict.labels))
        return verdict


def parse_since(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CoachError(f"'{text}' is not a date; give --since as YYYY-MM-DD, for example 2026-11-01.") from None


def check_drill_skill(skill: str, rubric: Rubric) -> str:
    drillable = [s.id for s in rubric.skills if s.wanted and s.wanted[0] in AIMS]
    if skill not in drillable:
        raise CoachError(f"Unknown skill '{skill}'; choose one of: {', '.join(drillable)}.")
    return skill
