"""Time-out: ask the coach during a role-play. The mentee does not hear it; the answer is saved
with the session, and the model's role-play state is put back afterwards. The box reads ahead while
the question is typed, like the Ask screen; the role-play state is saved when the box opens, before
any reading ahead, and put back when it closes, so the next turn still reuses its cache."""

import time
from threading import Event

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Markdown, Static

from coach.coaching.citations import cited_numbers
from coach.coaching.type_ahead import TypeAhead
from coach.llm.base import prompt_cache
from coach.ui.errors import describe
from coach.ui.reading_ahead import ReadingAhead
from coach.ui.widgets.sources_panel import SourcesPanel

REFRESH_SECONDS = 0.25
SAVE_WAIT_SECONDS = 30  # the role-play state is saved in well under a second; never wait for ever


class TimeOutScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "back", "Back to the role-play")]

    def __init__(self, engine) -> None:
        super().__init__()
        self.engine = engine
        self.running = False
        self._stop = Event()
        self.answer_text = ""
        self.reading_ahead = ReadingAhead(self, lambda: TypeAhead(self.app.services.ask_service(),
                                                                  before_reading=self._before_reading))
        self._leaving = False
        self._role_play_state: object | None = None  # the model's state when the box opened
        self._saved = Event()  # set once that state is saved (or there is nothing to save)
        self._model_read_here = False  # a read-ahead touched the model: put the role-play back on leaving

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
        self.save_role_play()

    @work(thread=True, group="timeout-save")
    def save_role_play(self) -> None:
        try:
            if cache := prompt_cache(self.engine.backend):
                self._role_play_state = cache.snapshot()
        finally:
            self._saved.set()

    def _before_reading(self) -> None:
        """In the read-ahead worker: nothing may touch the model before the role-play is saved."""
        self._model_read_here = True  # first: leave() must see it even while this waits
        self._saved.wait(SAVE_WAIT_SECONDS)

    @on(Input.Changed)
    def typing(self, event: Input.Changed) -> None:
        if not self.running:
            self.reading_ahead.typed(event.value)

    @on(Input.Submitted)
    def ask(self, event: Input.Submitted) -> None:
        question = event.value.strip()
        if not question or self.running:
            return
        self.reading_ahead.stop()  # the answer takes the model
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
            self._saved.wait(SAVE_WAIT_SECONDS)
            result = self.engine.time_out(self.reading_ahead.type_ahead.ask, question, stop, on_piece)
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
            self.leave()

    def action_back(self) -> None:
        if self.running:  # stop first; the role-play state is restored before we leave
            self._stop.set()
        else:
            self.leave()

    def leave(self) -> None:
        if self._leaving:
            return
        self._leaving = True
        self.reading_ahead.stop()
        if self._model_read_here:
            self.put_role_play_back()  # then dismisses
        else:
            self.dismiss(None)

    @work(thread=True, group="timeout-restore")
    def put_role_play_back(self) -> None:
        """Back to the role-play with its own model state, so the next turn reads only its new
        tokens. Without a read-ahead, time_out() has already put it back itself."""
        self._saved.wait(SAVE_WAIT_SECONDS)
        try:
            if self._role_play_state is not None:
                started = time.perf_counter()
                prompt_cache(self.engine.backend).restore(self._role_play_state)
                self.engine.last_restore_seconds = time.perf_counter() - started
        finally:
            self.app.call_from_thread(self.dismiss, None)

    @on(SourcesPanel.PassageChosen)
    def show_passage(self, event: SourcesPanel.PassageChosen) -> None:
        from coach.ui.screens.passage import PassageScreen

        self.app.push_screen(PassageScreen(event.passage))
