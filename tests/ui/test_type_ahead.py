"""Type-ahead in the app, driven by Pilot: the real index looks up the words typed so far, and a
scripted model records what it is asked to read ahead (its read-ahead takes a set time and gives way
when told). Keystrokes alone never stop a read-ahead; other passages, Enter and leaving do."""

import os
import threading
import time

import pytest

from coach.coaching.ask import passage_key
from coach.coaching.practice.sampling import ROLE_PLAY
from coach.llm.base import Prefill
from coach.ui.reading_ahead import LONG_PAUSE_SECONDS
from coach.ui.screens.ask import AskScreen
from coach.ui.screens.time_out import TimeOutScreen
from tests.ui.driving import settle, started
from tests.ui.fakes import ScriptedBackend
from tests.ui.test_practice_screens import REPLY, open_scenario, type_line

STABLE_START, STABLE_MORE = "how do I handle favoritism ", ["with ", "my "]
CHANGED = "my mentee hardly says anything "
SLICE_SECONDS = 0.05


class ReadingBackend(ScriptedBackend):
    """The scripted model with a prompt cache: it logs read-aheads, snapshots and restores in order."""

    def __init__(self, script: str, slices: list[int]) -> None:
        super().__init__(script)
        self.slices, self.log, self.prefills, self.prompts = slices, [], [], []  # slices: per call, the last repeats
        self.cached = ""  # the prompt text the scripted cache holds
        self._model = threading.Lock()  # like the real backend: one user of the model at a time

    def prefill(self, messages, stop) -> Prefill:
        call = {"text": messages[-1].content, "complete": False}
        self.prefills.append(call)
        slices = self.slices[min(len(self.prefills), len(self.slices)) - 1]
        done = 0
        while done < slices and not stop.is_set():
            with self._model:
                time.sleep(SLICE_SECONDS)
            done += 1
        call["complete"] = done == slices
        self.log.append(("prefill", call["complete"]))
        text = messages[-1].content
        self.cached = text[: len(text) * done // slices]  # a read cut short holds the start
        return Prefill(evaluated=32 * done, complete=call["complete"])

    def uncached(self, messages) -> int:
        """Characters stand in for tokens: what the last read (or reply) has not covered."""
        text = messages[-1].content
        return len(text) - len(os.path.commonprefix([self.cached, text]))

    def stream(self, messages, max_tokens, stop=None, json_schema=None, sampling=None):
        self.prompts.append(messages[-1].content)
        self.cached = messages[-1].content
        self.log.append(("stream", sampling))
        return super().stream(messages, max_tokens, stop, json_schema, sampling)

    def warm_up(self, messages) -> None:
        pass

    def snapshot(self) -> object:
        with self._model:
            state = object()
            self.log.append(("snapshot", state))
            return state

    def restore(self, state) -> None:
        with self._model:
            self.log.append(("restore", state))


@pytest.fixture
def reading_services(make_services):
    def build(*slices: int, script: str = "Name what you see to the team [1]."):
        services, _ = make_services(script)
        backend = ReadingBackend(script, list(slices))
        services.backend_source.backend = backend
        return services, backend

    return build


def _key(services, text: str) -> tuple[str, ...]:
    return passage_key(services.ask_service().passages_for(text.strip()))


async def _burst(pilot, text: str) -> None:
    """Keys pressed faster than the pause that starts a look; then a pause in typing."""
    for key in text:
        await pilot.press(key if key != " " else "space")
    await pilot.pause(0.3)


def _read_ahead_for(ask, text: str) -> bool:
    """Whether the passages Enter would use for this text are the ones read ahead in full."""
    text = text.strip()
    kept, _ = ask.messages_for(text, ask.to_read_ahead(text))
    return ask.prefilled == passage_key(kept)


async def _until(pilot, condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await pilot.pause(0.05)
    assert condition()


async def test_typing_with_stable_passages_reads_ahead_once_and_enter_uses_it(reading_services):
    services, backend = reading_services(100)  # 5 s: still reading while the next words come
    question = STABLE_START + "".join(STABLE_MORE)
    assert _key(services, STABLE_START) == _key(services, question)  # the corpus gives this question stable passages
    async with started(services) as (app, pilot):
        await pilot.click("#question")
        await _burst(pilot, STABLE_START)
        await _until(pilot, lambda: backend.prefills)
        assert len(backend.prefills) == 1 and not backend.prefills[0]["complete"]
        type_ahead = app.screen.reading_ahead.type_ahead
        for word in STABLE_MORE:  # new words, same passages: the read-ahead carries on
            await _burst(pilot, word)
        await _until(pilot, lambda: type_ahead.looked >= 1 + len(STABLE_MORE))
        assert not backend.prefills[0]["complete"]  # the new words were looked up while it read
        await _until(pilot, lambda: backend.prefills[0]["complete"])
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AskScreen) and screen.last_result.question == question.strip()
        assert [call["complete"] for call in backend.prefills] == [True]
        assert screen.last_result.timings["prefilled"] == 1
        assert backend.prompts[-1].startswith(backend.prefills[0]["text"])  # Enter's prompt continues it
        assert "Question:" in backend.prefills[0]["text"] and question.strip() not in backend.prefills[0]["text"]


async def test_words_that_change_the_passages_interrupt_the_read_ahead_and_start_another(reading_services):
    services, backend = reading_services(600, 8)  # 30 s: far from done when the passages change
    question = STABLE_START + CHANGED
    assert _key(services, STABLE_START) != _key(services, question)
    async with started(services) as (app, pilot):
        await pilot.click("#question")
        await _burst(pilot, STABLE_START)
        await _until(pilot, lambda: backend.prefills)
        await _burst(pilot, CHANGED)
        # A loaded machine can pause between keys long enough to look at half the new words too, so
        # there may be a read-ahead in between: wait for the looks to end and the last one to finish.
        await pilot.pause(LONG_PAUSE_SECONDS)
        ask = app.screen.reading_ahead.type_ahead.ask
        await _until(pilot, lambda: len(backend.prefills) >= 2 and _read_ahead_for(ask, question))
        await pilot.press("enter")
        await settle(app, pilot)
        first, last = backend.prefills[0], backend.prefills[-1]
        assert not first["complete"] and last["complete"] and first["text"] != last["text"]
        assert app.screen.last_result.timings["prefilled"] == 1
        assert backend.prompts[-1].startswith(last["text"])


async def test_enter_stops_a_read_ahead_still_going(reading_services):
    services, backend = reading_services(600)  # 30 s
    async with started(services) as (app, pilot):
        await pilot.click("#question")
        await _burst(pilot, STABLE_START)
        await _until(pilot, lambda: backend.prefills)
        await pilot.press("enter")
        await settle(app, pilot)  # would wait out the whole read-ahead if Enter did not stop it
        assert [call["complete"] for call in backend.prefills] == [False]
        assert app.screen.last_result.timings["prefilled"] == 0


async def _time_out_opened(app, pilot, backend):
    screen = await open_scenario(app, pilot)
    await type_line(pilot, "#mentor-line", "What's been happening with the team?")
    await settle(app, pilot)
    await pilot.press("ctrl+t")
    await settle(app, pilot)
    assert isinstance(app.screen, TimeOutScreen)
    return screen, backend.log[-1][1]  # the role-play state saved as the box opened


async def test_the_time_out_box_reads_ahead_and_puts_the_role_play_back(reading_services):
    services, backend = reading_services(8, script=REPLY)
    async with started(services) as (app, pilot):
        practice, role_play = await _time_out_opened(app, pilot, backend)
        assert backend.log[-1][0] == "snapshot" and backend.log[-2] == ("stream", ROLE_PLAY)
        await pilot.click("#timeout-question")
        await _burst(pilot, STABLE_START)
        await _until(pilot, lambda: backend.prefills and backend.prefills[0]["complete"])
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is practice
        events = [name for name, _ in backend.log]
        opened = events.index("snapshot")
        # open: save; type: read ahead; Enter: time_out() saves, answers (the scripted answer cites
        # nothing, so it is asked for once more), restores; Esc: the role-play is back.
        assert events[opened:] == ["snapshot", "prefill", "snapshot", "stream", "stream", "restore", "restore"]
        assert backend.log[-1] == ("restore", role_play)
        assert practice.engine.timeouts()[0].question == STABLE_START.strip()
        await type_line(pilot, "#mentor-line", "That sounds hard.")
        await settle(app, pilot)
        assert backend.log[-1] == ("stream", ROLE_PLAY)


async def test_leaving_the_time_out_box_stops_its_read_ahead_before_the_role_play_resumes(reading_services):
    services, backend = reading_services(600, script=REPLY)  # 30 s
    async with started(services) as (app, pilot):
        practice, role_play = await _time_out_opened(app, pilot, backend)
        await pilot.click("#timeout-question")
        await _burst(pilot, STABLE_START)
        await _until(pilot, lambda: backend.prefills)
        await pilot.press("escape")
        await settle(app, pilot)  # would wait out the read-ahead if leaving did not stop it
        assert app.screen is practice and not backend.prefills[0]["complete"]
        assert backend.log[-2:] == [("prefill", False), ("restore", role_play)]
        await type_line(pilot, "#mentor-line", "That sounds hard.")
        await settle(app, pilot)
        assert backend.log[-1] == ("stream", ROLE_PLAY)
