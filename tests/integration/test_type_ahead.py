"""Type-ahead with the real tiny model and the real index: what is read while the question is typed
is not read again after Enter, reading ahead always gives way to a reply, and a time-out's reading
ahead leaves the role-play's cache to be reused."""

import threading
import time

import pytest

from coach.coaching.ask import AskService
from coach.coaching.key_guidance import SentenceVectors
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.practice.engine import PracticeEngine
from coach.coaching.prompts import load_prompt
from coach.coaching.scenarios import find_scenario
from coach.coaching.type_ahead import ReadAhead, TypeAhead
from coach.llm.base import ChatMessage, Prefill
from coach.llm.llama_backend import PREFILL_SLICE, LlamaBackend
from coach.sessions.store import SessionStore

QUESTION = "My teammates joke that I'm the boss's pet since I started mentoring. What should I do?"

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def backend(tiny_model_path):
    return LlamaBackend(tiny_model_path, n_ctx=2048, n_threads=2, temperature=0.0)


@pytest.fixture
def ask(backend, shipped_store, embedder):
    service = AskService(shipped_store, backend, load_prompt("ask"), sentences=SentenceVectors(embedder.embed),
                         top_k=4, min_relevance=0.27, max_tokens=16, max_question_chars=500)
    service.warm_up()
    return service


def _type(type_ahead: TypeAhead, *pauses: str) -> list[ReadAhead]:
    """The question as typed so far at each pause in typing."""
    return [type_ahead.typed(text) for text in pauses]


def _after_question(plan) -> list[ChatMessage]:
    """The question and the instruction after it, as a message of their own (its end-of-turn and
    reply prompt stand for the final prompt's)."""
    last = plan.messages[-1].content
    return [ChatMessage(role="user", content=last[last.rindex(plan.question):])]


def test_after_reading_ahead_enter_evaluates_only_the_question_and_the_instruction(ask, backend):
    type_ahead = TypeAhead(ask)
    typed = QUESTION[:-1]  # Enter comes after a pause with "?" still to type
    assert _type(type_ahead, "My teammates", typed, typed) == [ReadAhead.TOO_SHORT, ReadAhead.READ,
                                                               ReadAhead.UNCHANGED]
    assert type_ahead.completed == 1 and type_ahead.tokens_read > 200  # system prompt was warm; passages read
    plan = ask.plan(QUESTION)
    assert plan.prefilled and plan.key_guidance
    "".join(ask.stream(plan))
    after_enter = backend.count_tokens(_after_question(plan))
    assert 0 < plan.stats.evaluated_prompt_tokens <= after_enter + 4 < plan.stats.prompt_tokens / 5


def test_when_the_last_words_change_only_the_lesser_notes_enter_keeps_what_was_read(ask, backend):
    type_ahead = TypeAhead(ask)
    typed = " ".join(QUESTION.split()[:12])  # "... since I started mentoring. What"
    read = [p.doc_id for p in ask.to_read_ahead(typed)]
    final = [p.doc_id for p in ask.passages_for(QUESTION)]
    # What makes this case: the whole question ranks other notes third and fourth, but its best two
    # were read ahead.
    assert set(read) != set(final) and set(final[:2]) <= set(read)
    assert _type(type_ahead, typed) == [ReadAhead.READ]
    plan = ask.plan(QUESTION)
    assert [p.doc_id for p in plan.passages[: plan.in_prompt]] == read and plan.prefilled
    # The top notes the model was not given are listed after its own, for the key guidance to quote.
    assert set(final) <= {p.doc_id for p in plan.passages}
    assert {k.n for k in plan.key_guidance} <= {p.n for p in plan.passages}
    "".join(ask.stream(plan))
    assert 0 < plan.stats.evaluated_prompt_tokens <= backend.count_tokens(_after_question(plan)) + 4


def test_a_question_not_read_ahead_gets_the_top_notes_even_after_one_that_was(ask):
    type_ahead = TypeAhead(ask)
    assert _type(type_ahead, QUESTION[:-1]) == [ReadAhead.READ]
    ask.plan(QUESTION)
    pasted = "How often should I meet my mentee, and for how long?"
    plan = ask.plan(pasted)  # no read-ahead for this one: nothing to settle on
    assert {p.doc_id for p in plan.passages[: plan.in_prompt]} == {p.doc_id for p in ask.passages_for(pasted)}


def test_passages_that_changed_at_enter_are_reported_and_the_shared_prefix_still_counts(ask):
    type_ahead = TypeAhead(ask)
    assert _type(type_ahead, "My mentee hardly says anything")[-1] == ReadAhead.READ
    plan = ask.plan("Who will replace me when I move on, and how does mentoring fit into that?")
    assert not plan.prefilled
    "".join(ask.stream(plan))
    assert plan.stats.evaluated_prompt_tokens < plan.stats.prompt_tokens  # the system prompt was kept


def test_reading_ahead_stops_when_told_and_gives_way_to_a_reply(ask, backend):
    messages = ask.messages_for("how do I handle favouritism", ask.passages_for("how do I handle favouritism"))[1]
    stopped = threading.Event()
    stopped.set()
    assert backend.prefill(messages, stopped) == Prefill(evaluated=0, complete=False)
    backend.forget_cache()
    read: list[Prefill] = []
    evals_before = len(backend._llama.eval_sizes)
    reader = threading.Thread(target=lambda: read.append(backend.prefill(messages, threading.Event())))
    reader.start()
    _wait_until(lambda: len(backend._llama.eval_sizes) > evals_before)  # the read-ahead holds the model
    reply = backend.stream([ChatMessage(role="user", content="Say hello.")], 4)
    assert reply.text() is not None
    reader.join()
    whole = backend.count_tokens(messages)
    assert 0 < read[0].evaluated < whole - PREFILL_SLICE and not read[0].complete  # it gave way long before the end


def test_a_reply_in_progress_keeps_the_model_and_reading_ahead_follows_it(ask, backend):
    """The last answer still streams while the next question is typed: the read-ahead waits for it
    (never taking the model from it) and then reads the whole prefix."""
    messages = ask.messages_for("how do I handle favouritism", ask.passages_for("how do I handle favouritism"))[1]
    backend.forget_cache()
    reply = backend.stream([ChatMessage(role="user", content="Count from 1 to 50.")], 12)
    first = next(reply)  # the reply holds the model
    read: list[Prefill] = []
    reader = threading.Thread(target=lambda: read.append(backend.prefill(messages, threading.Event())))
    reader.start()
    time.sleep(0.3)
    assert not read  # still waiting
    assert first + "".join(reply)
    reader.join(timeout=120)
    assert read[0].complete and read[0].evaluated > 100


def test_a_time_out_read_ahead_leaves_the_role_play_cache_as_it_was(ask, backend, embedder, tmp_path):
    """What the time-out box does: save the role-play state as it opens, read the question's passages
    ahead, answer, and put the role-play back, so the next turn reads only its new tokens."""
    engine = PracticeEngine(find_scenario("favourite-worry"), backend, BehaviourClassifier(embedder.embed),
                            SessionStore(tmp_path / "sessions.db"), load_prompt("mentee"), max_tokens=16)
    engine.start()
    before = engine.mentor_says("Thanks for telling me. What have people been saying?")
    role_play = backend.snapshot()  # the box opens
    assert _type(TypeAhead(ask), "how do I handle favouritism")[-1] == ReadAhead.READ
    engine.time_out(ask, "how do I handle favouritism?")
    backend.restore(role_play)  # the box closes
    after = engine.mentor_says("That sounds uncomfortable. How has it been for you this week?")
    assert after.evaluated_prompt_tokens <= after.prompt_tokens - before.prompt_tokens + 16


def _wait_until(condition, timeout: float = 120.0) -> None:
    """Poll rather than sleep a fixed time: on a loaded machine a thread may take seconds to start."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)
