"""The Ask screen: a question box that reads ahead while you type, the key guidance at once on
Enter, the model's advice streaming below it, and the passages it drew on."""

import time
from threading import Event

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from coach.coaching.ask import key_guidance_markdown
from coach.coaching.citations import cited_numbers
from coach.coaching.type_ahead import TypeAhead
from coach.ui.errors import describe
from coach.ui.reading_ahead import ReadingAhead
from coach.ui.screens.passage import PassageScreen
from coach.ui.widgets.answer_view import AnswerView
from coach.ui.widgets.question_input import QuestionInput
from coach.ui.widgets.sources_panel import SourcesPanel
from coach.ui.widgets.status_line import StatusLine

REFRESH_SECONDS = 0.25  # redraws compete with llama.cpp for the same 2 cores; 4 a second reads smoothly


class AskScreen(Screen):
    BINDINGS = [
        Binding("escape", "stop", "Stop"),
        Binding("ctrl+l", "clear", "Clear"),
        Binding("f2", "focus_sources", "Sources"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._stop = Event()
        self.reading_ahead = ReadingAhead(self, lambda: TypeAhead(self.app.services.ask_service()))
        self.answer_text = ""
        self.last_result = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="ask-body"):
            with Vertical(id="ask-main"):
                yield QuestionInput(id="question")
                with VerticalScroll(id="answer-scroll"):
                    yield AnswerView(id="answer")
            with Vertical(id="sources-column"):
                yield Static("Sources", id="sources-title")
                yield SourcesPanel(id="sources")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(QuestionInput).focus()
        self.query_one(StatusLine).show(self.app.model_status)

    def on_screen_resume(self) -> None:
        self.query_one(StatusLine).show(self.app.model_status)

    def on_screen_suspend(self) -> None:
        self.reading_ahead.stop()  # another screen (a role-play) may want the model now

    @on(QuestionInput.Changed)
    def typing(self, event: QuestionInput.Changed) -> None:
        if self.app.model_ready:
            self.reading_ahead.typed(event.value)

    @on(QuestionInput.Submitted)
    def ask(self, event: QuestionInput.Submitted) -> None:
        question = event.value.strip()
        if not question:
            return
        if not self.app.model_ready:
            self.notify("The model is still loading; your question will work in a moment.", severity="warning")
            return
        self.reading_ahead.stop()  # Enter outranks any read-ahead still going
        event.input.remember(question)
        event.input.value = ""
        self._stop = Event()
        self.answer_text = ""
        self.query_one(AnswerView).clear()
        self.query_one(SourcesPanel).show_passages([])
        self.run_ask(question, self._stop)

    @work(thread=True, exclusive=True, group="ask")
    def run_ask(self, question: str, stop: Event) -> None:
        try:
            service = self.reading_ahead.type_ahead.ask
            plan = service.plan(question)
            self.app.call_from_thread(self._show_plan, plan)
            self._stream_answer(service, plan, stop)
        except Exception as error:  # a worker must never take the app down
            self.app.call_from_thread(self.notify, describe(error), severity="error")

    def _stream_answer(self, service, plan, stop: Event) -> None:
        pieces: list[str] = []
        last_draw = 0.0
        for piece in service.stream(plan, stop):
            pieces.append(piece)
            if time.monotonic() - last_draw >= REFRESH_SECONDS:
                self.app.call_from_thread(self._show_answer, "".join(pieces))
                last_draw = time.monotonic()
        result = service.result(plan, "".join(pieces))
        self.app.call_from_thread(self._finish, result, stop.is_set())

    def _show_plan(self, plan) -> None:
        """The key guidance and the sources at once; the model's advice is still to come."""
        self.query_one(SourcesPanel).show_passages(plan.passages, {k.n for k in plan.key_guidance})
        guidance = key_guidance_markdown(plan.key_guidance) if plan.key_guidance else ""
        self.query_one(AnswerView).show(guidance, "*Writing advice from these passages…*" if plan.grounded else "")
        if plan.grounded:  # the prompt takes seconds to read on a laptop CPU; say so
            self.query_one(StatusLine).show(f"{self.app.model_status} · reading the passages…")

    def _show_answer(self, text: str) -> None:
        self.answer_text = text
        self.query_one(AnswerView).show(advice=text)

    def _finish(self, result, stopped: bool) -> None:
        self.last_result = result
        self._show_answer(result.answer + ("\n\n*(stopped)*" if stopped else ""))
        cited = set(cited_numbers(result.answer)) | {k.n for k in result.key_guidance}
        self.query_one(SourcesPanel).show_passages(result.passages, cited)
        self.query_one(StatusLine).show(self.app.status_for(result))

    def action_stop(self) -> None:
        self._stop.set()

    def action_clear(self) -> None:
        self._stop.set()
        self.answer_text = ""
        self.query_one(AnswerView).clear()
        self.query_one(SourcesPanel).show_passages([])

    def action_focus_sources(self) -> None:
        sources = self.query_one(SourcesPanel)
        sources.focus()
        if sources.option_count and sources.highlighted is None:
            sources.highlighted = 0

    @on(SourcesPanel.PassageChosen)
    def show_passage(self, event: SourcesPanel.PassageChosen) -> None:
        self.app.push_screen(PassageScreen(event.passage))
