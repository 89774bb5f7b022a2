"""Debrief a practice session: scores, strengths and things to try at once (from signals, no model),
then a better phrasing of the weakest line drafted by the model and checked by the labeller, and
the whole debrief saved with the session."""

from collections.abc import Iterator
from threading import Event

from pydantic import BaseModel, model_validator

from coach.coaching.debrief.guidance import GuidanceCitation, guidance_for, phrasings_for
from coach.coaching.debrief.rewriting import Rewrite, RewriteDrafter
from coach.coaching.debrief.scoring import Evidence, ScoredSkills, SkillScore, weakest_line
from coach.coaching.debrief.signals import Line, TranscriptFacts
from coach.coaching.debrief.transcript_scoring import LabelledMentorLine, TranscriptScorer
from coach.coaching.debrief.write_up import Point, strengths, tries
from coach.coaching.rubric import Rubric
from coach.coaching.scenarios import Scenario
from coach.retrieval.passage import Retriever
from coach.sessions.store import SessionStore

NO_REWRITE = "No drafted phrasing passed the check and the guidance had none to offer, so there is no rewrite this time."
STOPPED = "You stopped the rewrite, so this debrief shows the scores and evidence only."
NO_LINES = "You did not say anything to the mentee, so there is nothing to rewrite."
FULL_MARKS = "Full marks on every skill, so no line needs rewriting."


class Debrief(ScoredSkills):
    session_id: str
    scenario_id: str
    scenario_title: str
    hidden_concern: str  # shown after the session: what the mentee had not said at first
    concern_surfaced: bool
    mentor_share: float
    guidance: list[GuidanceCitation]
    weakest: Evidence | None
    lines: list[LabelledMentorLine] = []
    strengths: list[Point] = []
    tries: list[Point] = []
    rewrite: Rewrite | None = None
    rewrite_note: str = ""
    # A debrief saved before part 6 kept the model's own write-up; it is shown as it was.
    legacy_write_up: dict | None = None

    @model_validator(mode="before")
    @classmethod
    def _keep_legacy_write_up(cls, data):
        if isinstance(data, dict) and "narrative" in data and "strengths" not in data:
            data = {**data, "legacy_write_up": {"narrative": data.get("narrative"), "narrative_note": data.get("narrative_note", ""),
                                                "weakest": data.get("weakest")}}
        return data


class DebriefUpdate(BaseModel):
    debrief: Debrief
    done: bool = False


class DebriefService:
    def __init__(self, rubric: Rubric, scorer: TranscriptScorer, guidance_store: Retriever,
                 drafter: RewriteDrafter, sessions: SessionStore) -> None:
        self.rubric, self.scorer, self.guidance_store = rubric, scorer, guidance_store
        self.drafter, self.sessions = drafter, sessions

    def run(self, session_id: str, scenario: Scenario, stop: Event | None = None) -> Iterator[DebriefUpdate]:
        """First the scored debrief with its facts, then the finished one with a rewrite (saved)."""
        lines = self.transcript(session_id)
        debrief, facts = self.score(session_id, scenario, lines)
        yield DebriefUpdate(debrief=debrief)
        final = self._rewrite(debrief, facts, scenario, lines, stop or Event())
        self.sessions.save_debrief(session_id, final.model_dump())
        yield DebriefUpdate(debrief=final, done=True)

    def debrief(self, session_id: str, scenario: Scenario) -> Debrief:
        return [update for update in self.run(session_id, scenario)][-1].debrief

    def transcript(self, session_id: str) -> list[Line]:
        return [Line(speaker=t.speaker, text=t.text) for t in self.sessions.transcript(session_id) if t.speaker != "note"]

    def score(self, session_id: str, scenario: Scenario, lines: list[Line]) -> tuple[Debrief, TranscriptFacts]:
        facts = self.scorer.read(lines, scenario)
        scored = self.scorer.score(facts, scenario.skills)
        weakest = weakest_line(scored.scores, facts)
        guidance = [g for skill in scenario.skills
                    for g in guidance_for(self.rubric.skill(skill), scenario, self.guidance_store)]
        return Debrief(
            session_id=session_id, scenario_id=scenario.id, scenario_title=scenario.title,
            hidden_concern=scenario.hidden.concern, concern_surfaced=facts.revealed_after is not None,
            mentor_share=round(facts.mentor_share, 2), scores=scored.scores, guidance=guidance, lines=scored.lines,
            strengths=strengths(scored.scores, self.rubric), tries=tries(scored.scores, self.rubric),
            weakest=Evidence(line=weakest, text=facts.mentor_lines[weakest - 1]) if weakest else None), facts

    def _rewrite(self, debrief: Debrief, facts: TranscriptFacts, scenario: Scenario, lines: list[Line],
                 stop: Event) -> Debrief:
        if debrief.weakest is None:
            return debrief.model_copy(update={"rewrite_note": NO_LINES})
        if debrief.total == debrief.max_total:  # a "better" line would only be a worse one
            return debrief.model_copy(update={"rewrite_note": FULL_MARKS})
        rewrite = draft_rewrite(self.rubric, self.drafter, self.guidance_store, debrief.scores, facts, lines,
                                scenario.mentee.name, scenario, stop)
        if stop.is_set():
            return debrief.model_copy(update={"rewrite_note": STOPPED})
        return debrief.model_copy(update={"rewrite": rewrite, "rewrite_note": "" if rewrite else NO_REWRITE})


def skill_to_improve(scores: list[SkillScore], line: int) -> str:
    """The lowest-scoring skill the weak line cost points on; else the lowest-scoring skill."""
    costing = [s for s in scores if any(h.points < 0 and any(e.line == line for e in h.evidence) for h in s.hits)]
    return min(costing or scores, key=lambda s: s.score).skill


def mentee_before(lines: list[Line], mentor_line: int) -> str:
    """What the mentee said just before the mentor's line number `mentor_line`."""
    said, number = "", 0
    for line in lines:
        if line.speaker == "mentor":
            number += 1
            if number == mentor_line:
                return said
        elif line.speaker == "mentee":
            said = line.text
    return said



def draft_rewrite(rubric: Rubric, drafter: RewriteDrafter, guidance_store: Retriever, scores: list[SkillScore],
                  facts: TranscriptFacts, lines: list[Line], mentee: str, scenario: Scenario | None,
                  stop: Event | None = None) -> Rewrite | None:
    """A checked rewrite of the weakest mentor line, for the skill it hurt most; None without lines."""
    weakest = weakest_line(scores, facts)
    if weakest is None:
        return None
    skill = rubric.skill(skill_to_improve(scores, weakest))
    return drafter.rewrite(Evidence(line=weakest, text=facts.mentor_lines[weakest - 1]), list(skill.wanted) or ["open_question"],
                           mentee, mentee_before(lines, weakest), phrasings_for(skill, scenario, guidance_store),
                           facts.mentor_lines, stop)
