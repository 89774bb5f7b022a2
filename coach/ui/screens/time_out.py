"""Time-out: ask the coach during a role-play. The mentee does not hear it; the answer is saved
with the session, and the model's role-play state is put back afterwards."""

import time
from threading import Event

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Markdown, Static

from coach.coaching.citations import cited_numbers
from coach.ui.errors import describe
from coach.ui.widgets.sources_panel import SourcesPanel

REFRESH_SECONDS = 0.25


class TimeOutScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "back", "Back to the role-play")]

    def __init__(self, engine) -> None:
        super().__init__()
        self.engine = engine
        self.running = False
        self._stop = Event()
        self.answer_text = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="timeout-box"):
            yield Static(f"Time-out: ask the coach. {self.engine.scenario.mentee.name} does not hear this.",
                         markup=False, id="timeout-title")
            yield Input(placeholder="e.g. how do I respond if she asks me to stop the mentoring?", id="timeout-question")
            with VerticalScroll(id="timeout-answer-scroll"):
                yield Markdown("", id="timeout-answer")
            yield SourcesPanel(id="timeout-sources")
            yield Static("Esc returns to the role-play", markup=False, id="timeout-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def ask(self, event: Input.Submitted) -> None:
        question = event.value.strip()
        if not question or self.running:
            return
        self.running = True
        self._stop = Event()
        self.query_one("#timeout-answer", Markdown).update("*Looking through the guidance…*")
        self.run_time_out(question, self._stop)

    @work(thread=True, exclusive=True, group="timeout")
    def run_time_out(self, question: str, stop: Event) -> None:
        pieces, last = [], [0.0]

        def on_piece(piece: str) -> None:
            pieces.append(piece)
            if time.monotonic() - last[0] >= REFRESH_SECONDS:
                last[0] = time.monotonic()
                self.app.call_from_thread(self._show, "".join(pieces))

        try:
            result = self.engine.time_out(self.app.services.ask_service(), question, stop, on_piece)
            self.app.call_from_thread(self._finish, result)
        except Exception as error:
            self.app.call_from_thread(self.notify, describe(error), severity="error")
        finally:
            self.app.call_from_thread(self._done, stop.is_set())

    def _show(self, text: str) -> None:
        self.answer_text = text
        self.query_one("#timeout-answer", Markdown).update(text)

    def _finish(self, result) -> None:
        self._show(result.answer)
        self.query_one(SourcesPanel).show_passages(result.passages, set(cited_numbers(result.answer)))

    def _done(self, stopped: bool) -> None:
        self.running = False
        if stopped:
            self.dismiss(None)

    def action_back(self) -> None:
        if self.running:  # stop first; the role-play state is restored before we leave
            self._stop.set()
        else:
            self.dismiss(None)

    @on(SourcesPanel.PassageChosen)
    def show_passage(self, event: SourcesPanel.PassageChosen) -> None:
        from coach.ui.screens.passage import PassageScreen

        self.app.push_screen(PassageScreen(event.passage))
