"""What the scorer knows about a finished conversation: each mentor line's labels, the listening
state replayed line by line, whether the hidden concern surfaced, and the named whole-conversation
rules the rubric refers to. Everything is computed from the transcript, so it is reproducible."""

from collections.abc import Callable, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict

from coach.coaching.practice.behaviours import BehaviourClassifier, LineLabel
from coach.coaching.practice.guard import sentences
from coach.coaching.practice.listening import ListeningState
from coach.coaching.practice.reveal import says_concern
from coach.coaching.scenarios import Scenario

TALK_SHARE_LIMIT = 0.65  # above this share of the words, the mentor did most of the talking
OPENING_LINES, CLOSING_LINES = 2, 3
CLOSING_SHARE = 0.2  # in a long meeting the close is its last fifth, not only the last three lines


class Line(BaseModel):
    speaker: str
    text: str


class TranscriptFacts(BaseModel):
    """Mentor lines are numbered from 1 in the order spoken; rules report line numbers."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    mentor_lines: list[str]
    labels: list[LineLabel]
    stages: list[str]  # listening stage after each mentor line
    revealed_after: int | None  # number of the mentor line the hidden concern came out after
    mentor_share: float
    vectors: list[np.ndarray]  # per mentor line: the line's unit vector, then each sentence's

    def with_behaviour(self, behaviour: str, unless: tuple[str, ...] = ()) -> list[int]:
        """Lines carrying `behaviour`, leaving out those that also carry any label in `unless`."""
        return [n for n, label in enumerate(self.labels, start=1)
                if behaviour in label.behaviours and not set(unless) & set(label.behaviours)]

    def advice(self) -> list[int]:
        """Lines that advise. Proposing a next step ("How about we meet on the 14th?") never costs
        points as advice, even when it is worded as a suggestion."""
        return self.with_behaviour("advice", unless=("next_step",))

    def in_scope(self, scope: str) -> set[int]:
        count = len(self.mentor_lines)
        if scope == "opening":
            return set(range(1, min(count, OPENING_LINES) + 1))
        if scope == "closing":
            closing = max(CLOSING_LINES, round(count * CLOSING_SHARE))
            return set(range(max(1, count - closing + 1), count + 1))
        return set(range(1, count + 1))


def read_transcript(lines: Sequence[Line], scenario: Scenario | None, classifier: BehaviourClassifier) -> TranscriptFacts:
    """Without a scenario (a transcript scored on its own) nothing counts as revealed."""
    spoken = [line for line in lines if line.speaker in ("mentor", "mentee")]
    mentor = [line.text for line in spoken if line.speaker == "mentor"]
    labels = classifier.label(mentor)
    stages, state = [], ListeningState()
    for label in labels:
        state = state.after(label)
        stages.append(state.stage)
    return TranscriptFacts(
        mentor_lines=mentor, labels=labels, stages=stages,
        revealed_after=_revealed_after(spoken, scenario, classifier) if scenario else None,
        mentor_share=_mentor_share(spoken),
        vectors=_line_and_sentence_vectors(mentor, classifier))


def _line_and_sentence_vectors(mentor: list[str], classifier: BehaviourClassifier) -> list[np.ndarray]:
    """A signal may match a whole line or any one sentence of it ("That's hard. What happened?")."""
    pieces = [[line, *(s for s in sentences(line) if len(sentences(line)) > 1)] for line in mentor]
    flat = classifier.embed([p for line_pieces in pieces for p in line_pieces]) if mentor else []
    grouped, start = [], 0
    for line_pieces in pieces:
        grouped.append(flat[start:start + len(line_pieces)])
        start += len(line_pieces)
    return grouped


def _revealed_after(spoken: Sequence[Line], scenario: Scenario, classifier: BehaviourClassifier) -> int | None:
    """The mentor line after which a mentee reply first told the hidden concern, by the same rule the
    role-play uses (coaching.practice.reveal), so the debrief and the mentee agree on when it came out.
    The opening line is scripted and never counts."""
    replies = [(sum(1 for earlier in spoken[:i] if earlier.speaker == "mentor"), line.text)
               for i, line in enumerate(spoken) if line.speaker == "mentee"]
    return next((after for after, text in replies if after > 0 and says_concern(text, scenario, classifier.embed)),
                None)


def _mentor_share(spoken: Sequence[Line]) -> float:
    words = {"mentor": 0, "mentee": 0}
    for line in spoken:
        words[line.speaker] += len(line.text.split())
    total = words["mentor"] + words["mentee"]
    return words["mentor"] / total if total else 0.0


# Each rule returns None when it does not fire, else the mentor line numbers that are its evidence.
Rule = Callable[[TranscriptFacts], list[int] | None]


def asked_before_advising(facts: TranscriptFacts) -> list[int] | None:
    questions = sorted(facts.with_behaviour("open_question") + facts.with_behaviour("closed_question"))
    advice = facts.advice()
    if questions and (not advice or questions[0] < advice[0]):
        return [questions[0]]
    return None


LISTENING = ("open_question", "reflection", "acknowledge")
LISTENED_ENOUGH = 2  # listening lines before any advice


def listened_before_advising(facts: TranscriptFacts) -> list[int] | None:
    """At least two lines that asked openly, reflected or acknowledged before the first advice."""
    advice = facts.advice()
    first_advice = advice[0] if advice else len(facts.mentor_lines) + 1
    listening = sorted({n for b in LISTENING for n in facts.with_behaviour(b) if n < first_advice})
    return listening[:LISTENED_ENOUGH] if len(listening) >= LISTENED_ENOUGH else None


def advice_without_permission(facts: TranscriptFacts) -> list[int] | None:
    """Advice in a line that neither offered it nor followed a line that did ("Would it help if…")."""
    offered = set(facts.with_behaviour("offer"))
    unasked = [n for n in facts.advice() if n not in offered and n - 1 not in offered]
    return unasked or None


def advice_before_first_question(facts: TranscriptFacts) -> list[int] | None:
    questions = facts.with_behaviour("open_question") + facts.with_behaviour("closed_question")
    first_question = min(questions, default=len(facts.mentor_lines) + 1)
    early_advice = [n for n in facts.advice() if n < first_question]
    return early_advice or None


def concern_revealed(facts: TranscriptFacts) -> list[int] | None:
    return [facts.revealed_after] if facts.revealed_after else None


def mentee_closed_up(facts: TranscriptFacts) -> list[int] | None:
    closed = [n for n, stage in enumerate(facts.stages, start=1) if stage == "closed"]
    return closed[:1] or None


def mostly_closed_questions(facts: TranscriptFacts) -> list[int] | None:
    closed, open_ = facts.with_behaviour("closed_question"), facts.with_behaviour("open_question")
    return closed if len(closed) >= 2 and len(closed) > len(open_) else None


def talked_over_mentee(facts: TranscriptFacts) -> list[int] | None:
    if facts.mentor_share <= TALK_SHARE_LIMIT or not facts.mentor_lines:
        return None
    longest = max(range(len(facts.mentor_lines)), key=lambda i: len(facts.mentor_lines[i]))
    return [longest + 1]


RULES: dict[str, Rule] = {rule.__name__: rule for rule in (
    asked_before_advising, listened_before_advising, advice_before_first_question, advice_without_permission,
    concern_revealed, mentee_closed_up, mostly_closed_questions, talked_over_mentee)}
