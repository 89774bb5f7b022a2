"""Listening state: what the mentor has shown so far, kept as explicit session state.

The mentee's hidden concern surfaces only once the mentor has listened (open questions and an
acknowledgement, no recent dismissal). The engine passes the resulting stage note into the prompt;
it does not hope the model remembers.
"""

from typing import Literal

from pydantic import BaseModel

from coach.coaching.practice.behaviours import LineLabel

OPEN_QUESTIONS_NEEDED = 2
ACKNOWLEDGEMENTS_NEEDED = 1
Stage = Literal["guarded", "ready", "revealed", "closed"]


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
    concern_revealed: bool = False
    stage: Stage = "guarded"

    def after(self, label: LineLabel) -> "ListeningState":
        """The state after one more mentor line; the old state is left as it was."""
        b = set(label.behaviours)
        asked_before = self.open_questions + self.closed_questions > 0
        next_state = self.model_copy(update={
            "mentor_lines": self.mentor_lines + 1,
            "open_questions": self.open_questions + ("open_question" in b),
            "closed_questions": self.closed_questions + ("closed_question" in b),
            "acknowledgements": self.acknowledgements + ("acknowledge" in b),
            "dismissals": self.dismissals + ("dismiss" in b),
            "advice_lines": self.advice_lines + ("advice" in b),
            "advice_before_first_question": self.advice_before_first_question or ("advice" in b and not asked_before),
            "last_line_dismissed": "dismiss" in b,
            "recent_dismissal": "dismiss" in b or (self.last_line_dismissed and "acknowledge" not in b),
        })
        return next_state.model_copy(update={"stage": next_state._stage()})

    def mark_revealed(self) -> "ListeningState":
        return self.model_copy(update={"concern_revealed": True, "stage": "revealed"})

    def _stage(self) -> Stage:
        if self.concern_revealed:
            return "revealed"
        if self.dismissals >= 2 or self.recent_dismissal:
            return "closed"
        listened = self.open_questions >= OPEN_QUESTIONS_NEEDED and self.acknowledgements >= ACKNOWLEDGEMENTS_NEEDED
        return "ready" if listened else "guarded"
