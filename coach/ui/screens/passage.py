"""A modal showing one passage in full and where it came from."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class PassageScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, passage) -> None:
        super().__init__()
        self.passage = passage

    def compose(self) -> ComposeResult:
        p = self.passage
        heading = f" — {p.heading}" if getattr(p, "heading", "") else ""
        number = f"[{p.n}] " if getattr(p, "n", None) else ""  # debrief citations are not numbered
        with VerticalScroll(id="passage-box"):
            # markup=False: passage text is shown exactly as written, brackets included.
            yield Static(f"{number}{p.title}{heading}", markup=False, id="passage-title")
            yield Static(f"Source: {p.source}", markup=False, id="passage-source")
            yield Static(p.text, markup=False, id="passage-text")
            yield Static("Esc to close", markup=False, id="passage-hint")
