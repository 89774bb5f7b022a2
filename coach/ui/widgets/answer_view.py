"""The answer area: the trainers' key guidance, quoted at once, and the model's advice below it."""

from textual.widgets import Markdown

ADVICE_HEADING = "**Advice** *(the model, in its own words)*"


class AnswerView(Markdown):
    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.guidance = ""
        self.advice = ""

    def show(self, guidance: str | None = None, advice: str | None = None) -> None:
        """Replace either part (None keeps it) and redraw."""
        self.guidance = self.guidance if guidance is None else guidance
        self.advice = self.advice if advice is None else advice
        parts = [self.guidance] if self.guidance else []
        if self.advice:
            parts.append(f"{ADVICE_HEADING}\n\n{self.advice}" if self.guidance else self.advice)
        self.update("\n\n".join(parts))

    def clear(self) -> None:
        self.show("", "")
