"""Listening state: what the mentor has shown so far, kept as explicit session state.

The mentee's hidden concern is disclosed to the model in steps the state decides: a hint once the
mentor has listened (open questions and an acknowledgement, no recent dismissal), the concern itself
once the mentor follows the hint up. The state also names how the mentee reacts to each line.
"""

from typing import Literal

from pydantic import BaseModel

from coach.coaching.practice.behaviours import LineLabel

OPEN_QUESTIONS_NEEDED = 2
ACKNOWLEDGEMENTS_NEEDED = 1
DISMISSALS_TO_SHUT_DOWN = 2
Stage = Literal["guarded", "ready", "revealed", "closed"]
# What this turn's stage note tells the model about the concern: nothing, a hint, the concern to
# say now, or the concern already said.
Disclosure = Literal["none", "hint", "concern", "told"]
Reaction = Literal["neutral", "heard", "advised_early", "dismissed", "shut_down"]
# A reflection ("so it feels like they're judging you") shows listening just as an acknowledgement
# does; both labels are read so the state works with the older labeller and the newer one.
HEARING = {"acknowledge", "reflection"}
FOLLOW_UP = HEARING | {"open_question"}
# Advice offered with permission ("offer") is not advice before listening.
PUSHING = {"advice"}


class ListeningState(BaseModel):
    mentor_lines: int = 0
    open_questions: int = 0
    closed_questions: int = 0
    acknowledgements: int = 0
    dismissals: int = 0
    advice_lines: int = 0
    advice_before_first_question: bool = False
    last_line_dismissed: bool = False
    recent_dismissal: bool = False  # in the mentor's last two lines, not since repaired by acknowledging
    concern_revealed: bool = False  # a mentee reply said it (measured on the reply)
    hint_given: bool = False  # the model has been told to hint at the concern
    concern_told: bool = False  # the model has been given the concern itself
    disclosure: Disclosure = "none"  # for the latest line
    reaction: Reaction = "neutral"  # for the latest line
    stage: Stage = "guarded"

    def after(self, label: LineLabel) -> "ListeningState":
        """The state after one more mentor line; the old state is left as it was."""
        b = set(label.behaviours)
        asked_before = self.open_questions + self.closed_questions > 0
        pushed = bool(b & PUSHING)
        next_state = self.model_copy(update={
            "mentor_lines": self.mentor_lines + 1,
            "open_questions": self.open_questions + ("open_question" in b),
            "closed_questions": self.closed_questions + ("closed_question" in b),
            "acknowledgements": self.acknowledgements + bool(b & HEARING),
            "dismissals": self.dismissals + ("dismiss" in b),
            "advice_lines": self.advice_lines + pushed,
            "advice_before_first_question": self.advice_before_first_question or (pushed and not asked_before),
            "last_line_dismissed": "dismiss" in b,
            "recent_dismissal": "dismiss" in b or (self.last_line_dismissed and not b & HEARING),
        })
        staged = next_state.model_copy(update={"stage": next_state._stage()})
        return staged._disclose(b, was_listening=self.stage in ("ready", "revealed"))

    def mark_revealed(self) -> "ListeningState":
        return self.model_copy(update={"concern_revealed": True, "stage": "revealed"})

    def _stage(self) -> Stage:
        if self.concern_revealed:
            return "revealed"
        if self.dismissals >= DISMISSALS_TO_SHUT_DOWN or self.recent_dismissal:
            return "closed"
        listened = self.open_questions >= OPEN_QUESTIONS_NEEDED and self.acknowledgements >= ACKNOWLEDGEMENTS_NEEDED
        return "ready" if listened else "guarded"

    def _disclose(self, b: set[str], was_listening: bool) -> "ListeningState":
        """Hint first; the concern only when the line after a hint follows it up, and again on each
        listening line until a reply has said it."""
        follows_up = bool(b & FOLLOW_UP) and not b & (PUSHING | {"dismiss"})
        update: dict = {"disclosure": "none", "reaction": self._reaction(b, was_listening)}
        if self.concern_told and not self.concern_revealed:
            # Told the concern, but the reply did not say it (a small model may talk around it): once
            # trust is earned it stays earned, so a line that keeps listening asks for it again.
            update["disclosure"] = "concern" if not b & (PUSHING | {"dismiss"}) else "hint"
        elif self.concern_told:
            update["disclosure"] = "told"
        elif self.stage == "ready" and not self.hint_given:
            update |= {"disclosure": "hint", "hint_given": True}
        elif self.stage in ("ready", "revealed") and self.hint_given and follows_up:
            update |= {"disclosure": "concern", "concern_told": True}
        return self.model_copy(update=update)

    def _reaction(self, b: set[str], was_listening: bool) -> Reaction:
        if self.dismissals >= DISMISSALS_TO_SHUT_DOWN:
            return "shut_down"
        if self.stage == "closed":
            return "dismissed"
        if b & PUSHING and not was_listening:
            return "advised_early"
        return "heard" if b & FOLLOW_UP else "neutral"
