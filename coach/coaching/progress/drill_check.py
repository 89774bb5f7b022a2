"""Checking a drill line at once with the line labeller (no chat model): it passes when it carries a
label the skill wants and none that cost points, and is not the old line said again. A failing
line is answered with the guidance's own example, found once per skill before the drill starts."""

import time

from pydantic import BaseModel

from coach.coaching.debrief.guidance import GuidanceCitation, phrasings_for
from coach.coaching.debrief.phrasing import copies
from coach.coaching.debrief.rewriting import QUOTED, WHAT_TO_SAY
from coach.coaching.labeller.labels import LABEL_NAMES
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.progress.drills import AIMS, DrillLine
from coach.coaching.rubric import Skill
from coach.formats.display import display_safe
from coach.retrieval.passage import Retriever

COSTLY = ("dismiss", "advice")  # an offer to advise is not telling, so "advice" is forgiven with "offer"
MAX_CHARS = 500


RUBRIC = "the rubric"
WIDER_SEARCH = 6  # passages searched across every note when the skill's own tags hold no passing phrasing


class Example(BaseModel):
    text: str
    source: str  # the guidance note's title, or RUBRIC

    @property
    def shown(self) -> str:
        """How a drill shows it: a quoted phrasing from a note, or the rubric's advice when none was found."""
        if self.source == RUBRIC:
            return f"What the rubric suggests: {self.text}"
        return f"The guidance's example: “{self.text}” ({self.source})"


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
    """A quoted "What to say" phrasing for the skill, preferring one that itself passes the check:
    from the skill's own notes, else from any note's phrasing of the aim; else the rubric's advice."""
    for find in (lambda: phrasings_for(skill, None, store), lambda: _wider_passages(skill, store)):
        if examples := _quoted(find()):  # the wider search runs only when the skill's own notes quote nothing
            return next((e for e in examples if checker.passes(list(skill.wanted), e.text)), examples[0])
    tips = [signal.try_next for signal in skill.signals if signal.try_next]
    return Example(text=tips[0] if tips else skill.good_looks_like, source=RUBRIC)


def _quoted(citations: list[GuidanceCitation]) -> list[Example]:
    """Every quoted phrasing under a passage's "What to say", in order (a note often gives several)."""
    return [Example(text=quote.group(1).strip(), source=c.title) for c in citations
            for quote in QUOTED.finditer(_what_to_say(c))]


def _what_to_say(citation: GuidanceCitation) -> str:
    if citation.heading.lower().startswith("what to say"):
        return citation.text
    return match.group(1) if (match := WHAT_TO_SAY.search(citation.text)) else ""


def _wider_passages(skill: Skill, store: Retriever) -> list[GuidanceCitation]:
    """Any note's phrasing for what the drill asks (an open question, an acknowledgement…)."""
    aim = AIMS.get(skill.wanted[0], skill.good_looks_like) if skill.wanted else skill.good_looks_like
    return [GuidanceCitation(skill=skill.id, doc_id=p.doc_id, chunk_id=p.chunk_id, title=p.title, source=p.source,
                             score=p.score, heading=p.heading, text=p.text)
            for p in store.search(f"What to say so that it {aim}", WIDER_SEARCH)]
