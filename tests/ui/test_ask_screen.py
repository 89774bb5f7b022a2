"""The Ask screen driven by Pilot, with a scripted model and the real index."""

from textual.widgets import Markdown

from coach.ui.app import CoachApp
from coach.ui.screens.ask import AskScreen
from coach.ui.screens.first_run import FirstRunScreen
from coach.ui.screens.passage import PassageScreen
from coach.ui.widgets.answer_view import AnswerView
from coach.ui.widgets.sources_panel import SourcesPanel
from tests.ui.driving import started
from tests.ui.fakes import ScriptedBackend


async def _ready(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.model_ready


async def _ask(app, pilot, question: str):
    await pilot.click("#question")
    for key in question:
        await pilot.press(key if key != " " else "space")
    await pilot.press("enter")


async def _answered(app, pilot, question: str):
    await _ask(app, pilot, question)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_question_streams_an_answer_and_fills_sources(make_services):
    services, backend = make_services()
    async with started(services) as (app, pilot):
        assert app.model_ready
        await _answered(app, pilot, "how do I handle favoritism")
        screen = app.screen
        assert isinstance(screen, AskScreen) and backend.calls == 1
        assert "Make the arrangement visible to the team [1]." in screen.answer_text
        assert "[9]" not in screen.answer_text  # an invented citation is filtered out
        sources = screen.query_one(SourcesPanel)
        assert sources.option_count == 4 and sources.passages[0].doc_id == "favouritism-perceptions"
        labels = [str(sources.get_option_at_index(i).prompt) for i in range(2)]
        assert labels[0].startswith("● [1]") and labels[1].startswith("● [2]")
        assert "tok/s" in str(screen.query_one("#status").render())


async def test_markup_in_model_text_stays_literal(make_services):
    services, _ = make_services()
    async with started(services) as (app, pilot):
        assert app.model_ready
        await _answered(app, pilot, "favoritism")
        markdown = app.screen.query_one("#answer", Markdown)
        assert "[bold]not bold[/]" in markdown.source
        screen_text = app.export_screenshot().replace("&#160;", " ")
        assert "[bold]not" in screen_text and "bold[/]" in screen_text  # drawn as typed, not styled


async def test_escape_stops_the_answer(make_services):
    services, backend = make_services(script=" ".join(f"word{i}" for i in range(400)), seconds_per_token=0.01)
    async with started(services) as (app, pilot):
        assert app.model_ready
        await _ask(app, pilot, "favoritism")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = app.screen.answer_text
        assert "(stopped)" in text and "word399" not in text


async def test_selecting_a_source_shows_the_full_passage(make_services):
    services, _ = make_services()
    async with started(services) as (app, pilot):
        assert app.model_ready
        await _answered(app, pilot, "favoritism")
        await pilot.press("f2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen)
        assert app.screen.passage.doc_id == "favouritism-perceptions"
        await pilot.press("escape")
        assert isinstance(app.screen, AskScreen)


async def test_up_arrow_recalls_earlier_questions(make_services):
    services, _ = make_services()
    async with started(services) as (app, pilot):
        assert app.model_ready
        await _answered(app, pilot, "first")
        await _answered(app, pilot, "second")
        await pilot.press("up")
        assert app.screen.query_one("#question").value == "second"
        await pilot.press("up")
        assert app.screen.query_one("#question").value == "first"


async def test_missing_index_opens_first_run_and_setup_builds_it(make_services):
    services, _ = make_services(index=False)
    async with started(services) as (app, pilot):
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.click("#setup")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, AskScreen) and app.model_ready
        assert services.store.chunk_count() > 30


async def test_app_is_usable_while_the_model_loads(make_services):
    from coach.ui.widgets.status_line import StatusLine

    services, backend = make_services()
    services.backend_source.load_seconds = 2.0
    app = CoachApp(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        assert not app.model_ready and "loading" in str(app.screen.query_one(StatusLine).render())
        await pilot.click("#question")
        await pilot.press("h", "i")
        assert app.screen.query_one("#question").value == "hi"  # typing works before the model is up
        await pilot.press("enter")
        await pilot.pause()
        assert backend.calls == 0  # told to wait, not queued into a half-loaded model
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.model_ready and "ready" in str(app.screen.query_one(StatusLine).render())


async def test_an_unexpected_backend_failure_becomes_a_notification(make_services):
    from coach.llm.base import GenerationStats, Reply

    services, backend = make_services()

    def failing_pieces():
        yield "Partial"
        raise RuntimeError("llama_decode returned -3")

    backend.stream = lambda messages, max_tokens, stop=None, **_: Reply(failing_pieces(), GenerationStats())
    async with started(services) as (app, pilot):
        assert app.model_ready
        await _answered(app, pilot, "favoritism")
        assert app.is_running and isinstance(app.screen, AskScreen)
        messages = [n.message for n in app._notifications]
        assert any("Something went wrong (RuntimeError: llama_decode returned -3)" in m for m in messages)


async def test_key_guidance_is_shown_before_the_models_first_word(make_services):
    services, backend = make_services(seconds_per_token=0.4)
    async with started(services) as (app, pilot):
        await _ask(app, pilot, "how do I handle favoritism")
        await pilot.pause(0.3)
        view = app.screen.query_one(AnswerView)
        assert view.guidance.startswith("**From the trainers' guidance**") and app.screen.answer_text == ""
        assert "Writing advice" in view.advice and backend.calls == 1
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = app.screen.last_result
        assert result.key_guidance and all(k.text.split(": ")[-1] in result.passages[k.n - 1].text.replace("\n", " ")
                                           for k in result.key_guidance)
        assert "Make the arrangement visible to the team [1]." in view.advice  # the advice follows below


async def test_an_answer_that_cites_nothing_is_left_out_with_a_note(make_services):
    services, backend = make_services(script="You only help them because you are friends, so tell everyone that.")
    async with started(services) as (app, pilot):
        await _answered(app, pilot, "a colleague says I only help my mentee because we are friends")
        result = app.screen.last_result
        assert result.grounded and result.advice_withheld and result.key_guidance
        shown = app.screen.query_one(AnswerView).source
        assert "because you are friends" not in shown and "left out" in shown
        assert "From the trainers' guidance" in shown
        assert backend.calls == 2  # asked once more, with the rule repeated last, before giving up


class SecondTryBackend(ScriptedBackend):
    """Cites nothing the first time, then cites; logs the last message of each prompt."""

    def __init__(self) -> None:
        super().__init__("Tell them it is fine and move on.")
        self.last_messages: list[str] = []

    def stream(self, messages, max_tokens, stop=None, json_schema=None, sampling=None):
        self.last_messages.append(messages[-1].content)
        if self.calls == 1:
            self.script = "Name the arrangement openly to the team [1]."
        return super().stream(messages, max_tokens, stop, json_schema, sampling)


async def test_an_answer_that_cites_nothing_is_asked_for_once_more_and_a_cited_one_is_shown(make_services):
    services, _ = make_services()
    backend = SecondTryBackend()
    services.backend_source.backend = backend
    async with started(services) as (app, pilot):
        await _answered(app, pilot, "how do I handle favoritism?")
        result = app.screen.last_result
        assert backend.calls == 2 and not result.advice_withheld
        first, second = backend.last_messages
        cite_again = services.ask_prompt.cite_again.strip()
        assert cite_again not in first and second == f"{first}\n{cite_again}"
        shown = app.screen.query_one(AnswerView).source
        assert "Name the arrangement openly" in shown and "move on" not in shown


async def test_typing_reads_ahead_so_the_key_guidance_needs_no_new_embedding(make_services):
    services, _ = make_services()
    async with started(services) as (app, pilot):
        await pilot.click("#question")
        for key in "how do I handle favoritism":
            await pilot.press(key if key != " " else "space")
        await pilot.pause(0.8)  # the long pause: the same words looked at twice
        await app.workers.wait_for_complete()
        known = len(services.sentence_vectors._known)
        assert known > 0 and app.screen.query_one("#question").value == "how do I handle favoritism"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.last_result.key_guidance
        assert len(services.sentence_vectors._known) == known + 1  # only the question itself was new
