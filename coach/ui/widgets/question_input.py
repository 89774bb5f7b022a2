"""The question box, with this session's earlier questions on the up and down arrows."""

from textual.binding import Binding
from textual.widgets import Input


class QuestionInput(Input):
    BINDINGS = [
        Binding("up", "history(-1)", "Previous question", show=False),
        Binding("down", "history(1)", "Next question", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(placeholder="Ask about mentoring, e.g. how do I handle favouritism?", **kwargs)
        self.history: list[str] = []
        self._position = 0

    def remember(self, question: str) -> None:
        if question and (not self.history or self.history[-1] != question):
            self.history.append(question)
        self._position = len(self.history)

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        self._position = max(0, min(len(self.history), self._position + step))
        self.value = self.history[self._position] if self._position < len(self.history) else ""
        self.cursor_position = len(self.value)
