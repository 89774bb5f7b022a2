"""The Drill screen: about five of your own weak lines, one at a time; say each again so it asks,
acknowledges or offers. The labeller checks it at once (no chat model): a pass gets a short
confirmation, a miss gets the guidance's example. Results are saved for the Progress chart."""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from coach.formats.display import display_safe
from coach.ui.errors import errors_as_notices
from coach.ui.widgets.status_line import StatusLine

NOTHING_TO_DRILL = ("No weak lines to drill yet: once a debrief finds a line that cost points, you can practise it "
                    "here. Esc returns.")


class DrillScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, skill: str | None = None) -> None:
        super().__init__()
        self.skill = skill
        self.sitting = None
        self.drills = None
        self.position = 0
        self.results: list[bool] = []
        self.checking = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="drill-body"):
            yield Static("Finding your weak lines…", markup=False, id="drill-heading")
            yield Static("", markup=False, id="drill-ask")
            yield Input(placeholder="Say it again, better…", id="drill-line", max_length=500, disabled=True)
            yield Static("", markup=False, id="drill-feedback")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.start_drill()

    @work(thread=True, exclusive=True, group="drill")
    def start_drill(self) -> None:
        with errors_as_notices(self, timeout=15):
            self.drills = self.app.services.drills()  # one labeller for the whole sitting
            self.app.call_from_thread(self._started, self.drills.start(self.skill))

    def _started(self, sitting) -> None:
        self.sitting = sitting
        if not sitting.drill.lines:
            self.query_one("#drill-heading", Static).update(NOTHING_TO_DRILL)
            return
        self._show_line()

    def _show_line(self) -> None:
        line = self.sitting.drill.lines[self.position]
        self.query_one("#drill-heading", Static).update(
            f"Line {self.position + 1} of {len(self.sitting.drill.lines)} · {display_safe(line.skill_name)}")
        self.query_one("#drill-ask", Static).update(display_safe(line.ask))
        box = self.query_one("#drill-line", Input)
        box.disabled, box.value = False, ""
        box.focus()

    @on(Input.Submitted, "#drill-line")
    def submit(self, event: Input.Submitted) -> None:
        if self.sitting is None or self.checking or not event.value.strip():
            return
        self.checking = True
        self.check(self.sitting.drill.lines[self.position], event.value)

    @work(thread=True, exclusive=True, group="drill")
    def check(self, line, said: str) -> None:
        try:
            with errors_as_notices(self):
                self.app.call_from_thread(self._checked, self.drills.check(self.sitting, line, said))
        finally:
            self.checking = False

    def _checked(self, verdict) -> None:
        self.results.append(verdict.passed)
        feedback = verdict.feedback
        if verdict.example is not None:
            feedback += f"\n{verdict.example.shown}"
        self.query_one("#drill-feedback", Static).update(display_safe(feedback))
        self.query_one(StatusLine).show(f"checked in {verdict.milliseconds:.0f} ms by the line labeller")
        self.position += 1
        if self.position < len(self.sitting.drill.lines):
            self._show_line()
        else:
            self._finished()

    def _finished(self) -> None:
        self.query_one("#drill-heading", Static).update(
            f"{sum(self.results)} of {len(self.results)} passed. Saved: the drill shows on the Progress chart. Esc returns.")
        self.query_one("#drill-ask", Static).update("")
        self.query_one("#drill-line", Input).disabled = True

    def action_back(self) -> None:
        self.dismiss(None)
