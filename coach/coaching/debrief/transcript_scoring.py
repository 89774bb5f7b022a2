"""Score any transcript: a practice session, or one a trainer brings (`coach debrief score`).
Labels and scores need no chat model, only the line labeller."""

from pathlib import Path

from pydantic import BaseModel

from coach.coaching.debrief.scoring import ScoredSkills, Scorer, SkillScore
from coach.coaching.debrief.signals import Line, TranscriptFacts, read_transcript
from coach.coaching.debrief.transcript_files import read_transcript_file
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.rubric import Rubric
from coach.coaching.scenarios import Scenario
from coach.errors import CoachError


class LabelledMentorLine(BaseModel):
    n: int  # mentor line number, from 1
    text: str
    labels: dict[str, float]  # each label the line carries, with its probability


class ScoredTranscript(ScoredSkills):
    lines: list[LabelledMentorLine]


class TranscriptScorer:
    def __init__(self, rubric: Rubric, classifier: BehaviourClassifier) -> None:
        self.rubric, self.classifier = rubric, classifier
        self.scorer = Scorer(rubric, classifier.embed)

    def skills_without_scenario(self) -> list[str]:
        return [skill.id for skill in self.rubric.skills if not skill.needs_scenario]

    def check_skills(self, skill_ids: list[str]) -> list[str]:
        unknown = [s for s in skill_ids if s not in self.rubric.ids()]
        if unknown:
            raise CoachError(f"Unknown skill {', '.join(unknown)}; the rubric's skills are {', '.join(self.rubric.ids())}.")
        return skill_ids

    def read(self, lines: list[Line], scenario: Scenario | None) -> TranscriptFacts:
        return read_transcript(lines, scenario, self.classifier)

    def score(self, facts: TranscriptFacts, skill_ids: list[str]) -> ScoredTranscript:
        labelled = [LabelledMentorLine(n=n, text=label.text, labels={b: label.scores.get(b, 1.0) for b in label.behaviours})
                    for n, label in enumerate(facts.labels, start=1)]
        return ScoredTranscript(lines=labelled, scores=self.scorer.score(skill_ids, facts))


class FileScore(BaseModel):
    """One transcript file's result for `coach debrief score`, in the --json shape."""

    file: str
    lines: list[LabelledMentorLine]
    scores: list[SkillScore]
    total: int
    max_total: int


def score_file(path: Path, scorer: TranscriptScorer, skill_ids: list[str],
               scenario: Scenario | None) -> tuple[FileScore, TranscriptFacts, list[Line]]:
    """The file's result, with what the write-up needs: the facts read and the lines themselves."""
    lines = read_transcript_file(path)
    facts = scorer.read(lines, scenario)
    scored = scorer.score(facts, skill_ids)
    return FileScore(file=str(path), lines=scored.lines, scores=scored.scores, total=scored.total,
                     max_total=scored.max_total), facts, lines
