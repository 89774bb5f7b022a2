"""Type-ahead with the real tiny model and the real index: what is read while the question is typed
is not read again after Enter, and reading ahead always gives way."""

import threading
import time

import pytest

from coach.coaching.ask import AskService
from coach.coaching.key_guidance import SentenceVectors
from coach.coaching.prompts import load_prompt
from coach.coaching.type_ahead import ReadAhead, TypeAhead
from coach.llm.base import ChatMessage
from coach.llm.llama_backend import PREFILL_SLICE, LlamaBackend

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
    return [type_ahead.typed(text, threading.Event()) for text in pauses]


def test_after_reading_ahead_enter_evaluates_only_the_last_words_and_the_instruction(ask, backend):
    type_ahead = TypeAhead(ask)
    typed = QUESTION[:-4]  # Enter comes after a pause with "do?" still to type
    states = _type(type_ahead, "My teammates", typed, typed)
    assert states == [ReadAhead.TOO_SHORT, ReadAhead.UNSTABLE, ReadAhead.READ]
    plan = ask.plan(QUESTION)
    assert plan.prefilled and plan.key_guidance
    "".join(ask.stream(plan))
    tail = plan.messages[-1].content.split(typed.rsplit(" ", 1)[0])[-1]  # the half-typed word is read again
    tail_tokens = backend.count_tokens([ChatMessage(role="user", content=tail)])
    assert 0 < plan.stats.evaluated_prompt_tokens <= tail_tokens + 4 < plan.stats.prompt_tokens / 10


def test_passages_that_changed_at_enter_are_reported_and_the_shared_prefix_still_counts(ask):
    type_ahead = TypeAhead(ask)
    assert _type(type_ahead, *["My mentee hardly says anything"] * 2)[-1] == ReadAhead.READ
    plan = ask.plan("Who will replace me when I move on, and how does mentoring fit into that?")
    assert not plan.prefilled
    "".join(ask.stream(plan))
    assert plan.stats.evaluated_prompt_tokens < plan.stats.prompt_tokens  # the system prompt was kept


def test_reading_ahead_stops_when_told_and_gives_way_to_a_reply(ask, backend):
    messages = ask.messages_for("how do I handle favouritism", ask.passages_for("how do I handle favouritism"))[1]
    stopped = threading.Event()
    stopped.set()
    assert backend.prefill(messages, stopped) == 0
    backend.forget_cache()
    read: list[int] = []
    reader = threading.Thread(target=lambda: read.append(backend.prefill(messages, threading.Event())))
    reader.start()
    time.sleep(0.2)
    reply = backend.stream([ChatMessage(role="user", content="Say hello.")], 4)
    assert reply.text() is not None
    reader.join()
    whole = backend.count_tokens(messages)
    assert 0 < read[0] < whole - PREFILL_SLICE  # it gave way long before the end of the prompt
