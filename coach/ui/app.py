"""CoachApp: a thin shell that picks the first screen and loads the model in the background."""

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding

from coach.formats.display import display_safe
from coach.services import Services
from coach.startup.first_run import Readiness, check_readiness, prepare
from coach.ui.errors import describe
from coach.ui.screens.ask import AskScreen
from coach.ui.screens.first_run import FirstRunScreen
from coach.ui.screens.history import HistoryScreen
from coach.ui.screens.practice import PracticeScreen
from coach.ui.screens.progress import ProgressScreen
from coach.ui.screens.trainer import TrainerScreen
from coach.ui.widgets.status_line import StatusLine


class CoachApp(App):
    CSS_PATH = "coach.tcss"
    TITLE = "coach"
    SUB_TITLE = "practice partner for new mentors"
    MODES = {"ask": AskScreen, "practice": PracticeScreen, "history": HistoryScreen, "trainer": TrainerScreen,
             "progress": ProgressScreen}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f5", "switch_mode('ask')", "Ask"),
        Binding("f6", "switch_mode('practice')", "Practise"),
        Binding("f7", "switch_mode('history')", "History"),
        Binding("f8", "switch_mode('trainer')", "Trainer"),
        Binding("f9", "switch_mode('progress')", "Progress"),
    ]

    def __init__(self, services: Services, trainer: bool = True) -> None:
        super().__init__()
        self.services, self.trainer = services, trainer
        if not trainer:  # a browser session of `coach serve` without --trainer: no editing the shared corpus
            del self._modes["trainer"]
        self.model_ready = False
        self.model_status = "starting…"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.trainer or (action, parameters) != ("switch_mode", ("trainer",))

    def on_mount(self) -> None:
        self.switch_mode("ask")
        self.set_status("checking models and index…")
        self.check_setup()

    @work(thread=True, exclusive=True, group="startup")
    def check_setup(self) -> None:
        try:
            readiness = check_readiness(self.services)
        except Exception as error:  # an unknown model name in the settings, say: a notice, not an exit
            self.call_from_thread(self.set_status, "not ready")
            self.call_from_thread(self.notify, describe(error), severity="error", timeout=20)
            return
        if readiness.ready:
            self.call_from_thread(self.load_model)
        else:
            self.call_from_thread(self.push_screen, FirstRunScreen(readiness))

    def services_setup(self, readiness: Readiness, progress) -> None:
        prepare(self.services, readiness, progress)

    def setup_finished(self) -> None:
        self.pop_screen()
        self.notify("Setup finished: models verified and guidance indexed.")
        self.load_model()

    @work(thread=True, exclusive=True, group="model")
    def load_model(self) -> None:
        try:
            name = self.services.backend_source.name
            self.call_from_thread(self.set_status, f"loading {name}…")
            service = self.services.ask_service()
            self.call_from_thread(self.set_status, f"{name}: warming up…")
            service.warm_up()
        except Exception as error:  # a worker must never take the app down
            self.call_from_thread(self.set_status, "model not loaded")
            self.call_from_thread(self.notify, describe(error), severity="error", timeout=20)
            return
        self.model_ready = True
        self.call_from_thread(self.set_status, f"{name} ready")

    def practise(self, scenario) -> None:
        """Go to the Practice screen and start `scenario` at once (History's "practise again")."""
        self.switch_mode("practice")
        self.screen.start(scenario)

    def drill(self) -> None:
        from coach.ui.screens.drill import DrillScreen

        self.push_screen(DrillScreen())

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Ask", "Ask the coach a mentoring question (F5)", lambda: self.switch_mode("ask"))
        yield SystemCommand("Practise", "Rehearse a conversation with a role-played mentee (F6)",
                            lambda: self.switch_mode("practice"))
        yield SystemCommand("History", "Past practice sessions and their debriefs (F7)", lambda: self.switch_mode("history"))
        if self.trainer:
            yield SystemCommand("Trainer", "Curate the corpus: documents, search, check, quarantine (F8)",
                                lambda: self.switch_mode("trainer"))
        yield SystemCommand("Progress", "Scores per skill over time, and what to practise next (F9)",
                            lambda: self.switch_mode("progress"))
        yield SystemCommand("Drill", "Say your own weak lines again, checked at once (about a minute)", self.drill)
        if isinstance(screen, AskScreen):
            yield SystemCommand("Stop answer", "Stop the answer being written", screen.action_stop)
            yield SystemCommand("Clear", "Clear the answer and the sources", screen.action_clear)
            yield SystemCommand("Sources", "Move to the list of passages", screen.action_focus_sources)

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notice is plain text: a scenario skill "[/bold]" or an id pattern "[a-z0-9]" in a
        message must show as written, never be parsed as markup (which crashed the app)."""
        super().notify(display_safe(str(message)), title=display_safe(title), severity=severity,
                       timeout=timeout, markup=False)

    def set_status(self, text: str) -> None:
        self.model_status = text
        for status in self.screen.query(StatusLine):  # empty while a screen is still composing
            status.show(text)

    def status_for(self, result) -> str:
        name = self.services.backend_source.name
        timings = result.timings
        if not result.grounded:
            return f"{name} · no relevant guidance found ({timings.get('retrieval_seconds', 0) * 1000:.0f} ms retrieval)"
        return (f"{name} · {timings.get('tokens_per_second', 0):.1f} tok/s · first token "
                f"{timings.get('first_token_seconds', 0):.2f} s · {len(result.citations)} cited")


def run_app(services: Services, trainer: bool = True) -> None:
    CoachApp(services, trainer=trainer).run()
