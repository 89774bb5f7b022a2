"""Checking a drill line at once with the line labeller (no chat model): it passes when it carries a
label the skill wants and none that cost points, and is not the old line said again. A failing
line is answered with the guidance's own example, found once per skill before the drill starts."""

import time

from pydantic import BaseModel

from coach.coaching.debrief.guidance import phrasings_for
from coach.coaching.debrief.phrasing import copies
from coach.coaching.debrief.rewriting import from_guidance
from coach.coaching.debrief.scoring import Evidence
from coach.coaching.labeller.labels import LABEL_NAMES
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.progress.drills import DrillLine
from coach.coaching.rubric import Skill
from coach.formats.display import display_safe
from coach.retrieval.passage import Retriever

COSTLY = ("dismiss", "advice")  # an offer to advise is not telling, so "advice" is forgiven with "offer"
MAX_CHARS = 500


class Example(BaseModel):
    text: str
    source: str  # the guidance note's title, or "the rubric"


class DrillVerdict(BaseModel):
    passed: bool
    labels: list[str]
    feedback: str
    example: Example | None = None  # shown when the line did not pass
    milliseconds: float


class DrillChecker:
    def __init__(self, classifier: BehaviourClassifier) -> None:
        self.classifier = classifier

    def check(self, line: DrillLine, said: str, example: Example | None = None) -> DrillVerdict:
        started = time.perf_counter()
        said = " ".join(display_safe(said).split())[:MAX_CHARS]
        labels = self.classifier.label([said])[0].behaviours if said else []
        problem = _problem(line, said, labels)
        return DrillVerdict(passed=problem is None, labels=labels, example=example if problem else None,
                            feedback=problem or f"Yes: that {line.aim}.",
                            milliseconds=round((time.perf_counter() - started) * 1000, 1))

    def passes(self, wanted: list[str], text: str) -> bool:
        labels = self.classifier.label([text])[0].behaviours
        return bool(set(labels) & set(wanted)) and not _costly(labels)


def _problem(line: DrillLine, said: str, labels: list[str]) -> str | None:
    if not said:
        return "Nothing was said; try the line again in your own words."
    if copies(said, line.text):
        return "That is much the same line as before; change how it works, not only a word or two."
    if not set(labels) & set(line.wanted):
        return f"Not yet: it reads as {_names(labels)}, not as {' or '.join(LABEL_NAMES[w] for w in line.wanted)}."
    if costly := _costly(labels):
        return f"Nearly: it still reads as {_names(costly)}."
    return None


def _costly(labels: list[str]) -> list[str]:
    return [label for label in COSTLY if label in labels and not (label == "advice" and "offer" in labels)]


def _names(labels: list[str]) -> str:
    return " and ".join(LABEL_NAMES[label] for label in labels) or "nothing in particular"


def guidance_example(skill: Skill, store: Retriever, checker: DrillChecker) -> Example:
    """The first quoted "What to say" phrasing in the skill's guidance that itself passes the check;
    else the first one found; else what the rubric says to try."""
    found = []
    for citation in phrasings_for(skill, None, store):
        rewrite = from_guidance(Evidence(line=0, text=""), [citation], 0)
        if rewrite is not None:
            found.append(Example(text=rewrite.text, source=citation.title))
            if checker.passes(list(skill.wanted), rewrite.text):
                return found[-1]
    tips = [signal.try_next for signal in skill.signals if signal.try_next]
    return found[0] if found else Example(text=tips[0] if tips else skill.good_looks_like, source="the rubric")
