"""Debrief a practice session: scores at once (no model), then the model's narrative streamed in,
retried once if it is not valid, and the whole debrief saved with the session."""

from collections.abc import Iterator
from threading import Event

from pydantic import BaseModel

from coach.coaching.debrief.guidance import GuidanceCitation, guidance_for
from coach.coaching.debrief.scoring import Evidence, Scorer, SkillScore, weakest_line
from coach.coaching.debrief.signals import Line, TranscriptFacts, read_transcript
from coach.coaching.debrief.writing import Narrative, NarrativeWriter, parse_narrative, partial_narrative
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.rubric import Rubric
from coach.coaching.scenarios import Scenario
from coach.retrieval.passage import Retriever
from coach.sessions.store import SessionStore

WRITING_ATTEMPTS = 2
NO_NARRATIVE = "The model's write-up was not usable twice, so this debrief shows the scores and evidence only."
NO_REWRITE = "The model only repeated your line instead of rewriting it, so there is no rewrite this time."
STOPPED = "You stopped the write-up, so this debrief shows the scores and evidence only."
NO_LINES = "You did not say anything to the mentee, so there is nothing to write up."


class Debrief(BaseModel):
    session_id: str
    scenario_id: str
    scenario_title: str
    hidden_concern: str  # shown after the session: what the mentee had not said at first
    concern_surfaced: bool
    mentor_share: float
    scores: list[SkillScore]
    guidance: list[GuidanceCitation]
    weakest: Evidence | None
    narrative: Narrative | None = None
    narrative_note: str = ""
    writing_attempts: int = 0  # model calls the write-up took (a second means the first was unusable)

    @property
    def total(self) -> int:
        return sum(s.score for s in self.scores)

    @property
    def max_total(self) -> int:
        return sum(s.max_score for s in self.scores)


class DebriefUpdate(BaseModel):
    debrief: Debrief
    partial: dict = {}  # the narrative as far as it has been written
    done: bool = False


class DebriefService:
    def __init__(self, rubric: Rubric, classifier: BehaviourClassifier, guidance_store: Retriever,
                 writer: NarrativeWriter, sessions: SessionStore) -> None:
        self.rubric, self.classifier, self.guidance_store = rubric, classifier, guidance_store
        self.writer, self.sessions = writer, sessions
        self.scorer = Scorer(rubric, classifier.embed)

    def run(self, session_id: str, scenario: Scenario, stop: Event | None = None) -> Iterator[DebriefUpdate]:
        """First the scored debrief, then narrative progress, then the finished debrief (saved)."""
        lines = self.transcript(session_id)
        debrief, facts = self.score(session_id, scenario, lines)
        yield DebriefUpdate(debrief=debrief)
        final = yield from self._write(debrief, facts, scenario, lines, stop or Event())
        self.sessions.save_debrief(session_id, final.model_dump())
        yield DebriefUpdate(debrief=final, done=True)

    def debrief(self, session_id: str, scenario: Scenario) -> Debrief:
        return [update for update in self.run(session_id, scenario)][-1].debrief

    def transcript(self, session_id: str) -> list[Line]:
        return [Line(speaker=t.speaker, text=t.text) for t in self.sessions.transcript(session_id) if t.speaker != "note"]

    def score(self, session_id: str, scenario: Scenario, lines: list[Line]) -> tuple[Debrief, TranscriptFacts]:
        facts = read_transcript(lines, scenario.hidden.concern, self.classifier)
        scores = self.scorer.score(scenario.skills, facts)
        weakest = weakest_line(scores, facts)
        guidance = [g for skill in scenario.skills
                    for g in guidance_for(self.rubric.skill(skill), scenario, self.guidance_store)]
        return Debrief(
            session_id=session_id, scenario_id=scenario.id, scenario_title=scenario.title,
            hidden_concern=scenario.hidden.concern, concern_surfaced=facts.revealed_after is not None,
            mentor_share=round(facts.mentor_share, 2), scores=scores, guidance=guidance,
            weakest=Evidence(line=weakest, text=facts.mentor_lines[weakest - 1]) if weakest else None), facts

    def _write(self, debrief: Debrief, facts: TranscriptFacts, scenario: Scenario, lines: list[Line],
               stop: Event) -> Iterator[DebriefUpdate]:
        if debrief.weakest is None:
            return debrief.model_copy(update={"narrative_note": NO_LINES})
        numbers = list(range(1, len(facts.mentor_lines) + 1))
        messages = self.writer.messages(scenario.title, scenario.mentee.name, lines, debrief.scores,
                                        debrief.guidance, debrief.weakest.line)
        narrative = None
        for attempt in range(1, WRITING_ATTEMPTS + 1):
            text = ""
            for piece in self.writer.stream(messages, numbers, stop):
                text += piece
                yield DebriefUpdate(debrief=debrief, partial=partial_narrative(text))
            if stop.is_set():
                return debrief.model_copy(update={"narrative_note": STOPPED, "writing_attempts": attempt})
            written = parse_narrative(text, numbers, debrief.weakest.text)
            narrative = written or narrative
            if narrative is not None and (narrative.rewrite or attempt == WRITING_ATTEMPTS):
                note = "" if narrative.rewrite else NO_REWRITE
                return debrief.model_copy(update={"narrative": narrative, "narrative_note": note,
                                                  "writing_attempts": attempt})
        return debrief.model_copy(update={"narrative_note": NO_NARRATIVE, "writing_attempts": WRITING_ATTEMPTS})

