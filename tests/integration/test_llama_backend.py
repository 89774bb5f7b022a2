"""The real SmolLM2-135M through llama-cpp-python: streaming, stopping, trimming, prefix reuse, per-call
sampling."""

from threading import Event, Thread

import pytest

from coach.coaching.ask import AskService
from coach.coaching.prompts import load_prompt
from coach.errors import PromptError
from coach.llm.base import ChatMessage, Sampling, prompt_cache
from coach.llm.llama_backend import LlamaBackend

SYSTEM = ChatMessage(role="system", content="You are a concise assistant for new mentors. " * 8)


@pytest.fixture(scope="module")
def backend(tiny_model_path):
    return LlamaBackend(tiny_model_path, n_ctx=1024, n_threads=2, temperature=0.0)


def test_streams_several_pieces_and_reports_counts(backend):
    reply = backend.stream([SYSTEM, ChatMessage(role="user", content="Name three fruits.")], 24)
    pieces = list(reply)
    assert len(pieces) > 3 and "".join(pieces).strip()
    stats = reply.stats
    assert stats.prompt_tokens > 50 and 0 < stats.completion_tokens <= 24
    assert stats.first_token_seconds > 0


def test_stop_event_ends_generation_within_one_token(backend):
    stop = Event()
    pieces = []
    reply = backend.stream([SYSTEM, ChatMessage(role="user", content="Count from 1 to 200.")], 200, stop)
    for piece in reply:
        pieces.append(piece)
        if len(pieces) == 3:
            stop.set()
    assert len(pieces) == 3
    assert reply.stats.stopped and reply.stats.completion_tokens <= 5


def test_warm_prefix_is_reused_and_only_new_tokens_are_evaluated(backend):
    backend.warm_up([SYSTEM, ChatMessage(role="user", content="")])
    question = [SYSTEM, ChatMessage(role="user", content="What is a mentor?")]
    first = backend.stream(question, 4)
    first.text()
    assert first.stats.evaluated_prompt_tokens < first.stats.prompt_tokens / 3
    other = backend.stream([SYSTEM, ChatMessage(role="user", content="Something else entirely, please.")], 4)
    other.text()
    system_tokens = backend.count_tokens([SYSTEM])
    assert other.stats.evaluated_prompt_tokens <= other.stats.prompt_tokens - system_tokens + 5
    assert first.stats.prompt_tokens != other.stats.prompt_tokens  # each reply keeps its own figures


def test_the_local_backend_has_the_prompt_cache_capability(backend):
    assert prompt_cache(backend) is backend


def test_prompt_longer_than_the_window_is_a_clear_error(backend):
    huge = ChatMessage(role="user", content="word " * 3000)
    with pytest.raises(PromptError, match="more than the model's 1024-token window"):
        list(backend.stream([SYSTEM, huge], 16))


def test_ask_trims_passages_to_fit_a_small_window(tiny_model_path, shipped_store):
    small = LlamaBackend(tiny_model_path, n_ctx=640, n_threads=2, temperature=0.0)
    ask = AskService(shipped_store, small, load_prompt("ask"), top_k=8, min_relevance=0.27,
                     max_tokens=256, max_question_chars=2000)
    plan = ask.plan("How do I handle favouritism when I mentor one person on my team?")
    assert plan.grounded and 1 <= plan.in_prompt < 8  # the rest are listed, not given to the model
    assert small.count_tokens(plan.messages) + 256 <= 640
    answer = "".join(ask.stream(plan))
    assert answer.strip()  # no "Requested tokens exceed context window" reached us




COUNTING = [ChatMessage(role="user", content="Count from 1 to 40, separated by commas.")]
ASKING = [ChatMessage(role="user", content="Name three fruits.")]
GREEDY = Sampling(temperature=0.0)
WILD = Sampling(temperature=2.0, top_p=1.0, min_p=0.0)


def _from_cold(backend, messages, sampling=None, tokens=12) -> str:
    """A reply from an empty KV cache, so equal settings give bit-equal logits."""
    backend.forget_cache()
    return backend.stream(messages, tokens, sampling=sampling).text()


def test_per_call_sampling_reaches_llama_cpp(backend):
    greedy = _from_cold(backend, COUNTING, GREEDY)
    assert greedy == _from_cold(backend, COUNTING, GREEDY) == _from_cold(backend, COUNTING)  # the backend's 0.0
    # Greedy still, but repeating a token is penalised: the count must come out differently.
    assert _from_cold(backend, COUNTING, Sampling(temperature=0.0, repeat_penalty=2.0)) != greedy
    # A very high temperature over the whole vocabulary: three draws are never all the greedy text.
    assert any(_from_cold(backend, COUNTING, WILD) != greedy for _ in range(3))


def test_ask_keeps_its_temperature_during_and_after_a_role_play_reply(backend):
    """The role-play's sampling belongs to its own call: an Ask queued behind it, or sent after it,
    is greedy as configured (temperature 0.0 here), token for token."""
    backend.forget_cache()
    backend.stream(COUNTING, 12, sampling=GREEDY).text()
    expected = backend.stream(ASKING, 12).text()  # after a role-play reply, greedy: the reference

    backend.forget_cache()
    role_play = backend.stream(COUNTING, 12, sampling=WILD)
    first = next(role_play)  # the role-play holds the model now
    asked: list[str] = []
    ask = Thread(target=lambda: asked.append(backend.stream(ASKING, 12).text()))
    ask.start()  # queues for the model behind the role-play
    assert first + "".join(role_play)
    ask.join(timeout=60)
    assert asked == [expected]


PASSAGE = ("Make the mentoring arrangement visible to the whole team so that nobody has to guess what it is "
           "or why it exists.")
REPEAT = [ChatMessage(role="user", content=f"Repeat this sentence exactly: {PASSAGE}")]


def test_a_reply_told_not_to_copy_a_text_repeats_no_eight_word_run_of_it(backend):
    """The tiny model copies when asked to repeat; with the text in avoid_copying_from it does not."""
    from coach.coaching.copying import copied_share

    copied = _from_cold(backend, REPEAT, GREEDY, tokens=40)
    assert copied_share(copied, [PASSAGE]) > 0  # without the blocker it does copy
    blocked = _from_cold(backend, REPEAT, Sampling(temperature=0.0, avoid_copying_from=(PASSAGE,)), tokens=40)
    assert blocked.strip() and copied_share(blocked, [PASSAGE]) == 0


NARRATE = [ChatMessage(role="user", content="Repeat this exactly: (looks down) *sighs* [pause] (shrugs)")]


def test_a_reply_with_banned_characters_never_writes_them(backend):
    """The tiny model writes brackets and asterisks when asked to; with them banned, no token holds one."""
    free = _from_cold(backend, NARRATE, GREEDY, tokens=30)
    assert set(free) & set("()[]*")  # without the ban it does write them
    banned = _from_cold(backend, NARRATE, Sampling(temperature=0.0, banned_characters="()[]*"), tokens=30)
    assert banned.strip() and not set(banned) & set("()[]*")


def test_warming_up_for_a_sampling_with_banned_characters_prepares_the_ban_before_the_first_reply(tiny_model_path):
    fresh = LlamaBackend(tiny_model_path, n_ctx=512, n_threads=1)
    fresh.warm_up([SYSTEM], Sampling(banned_characters="()"))
    assert "()" in fresh._banned and len(fresh._banned["()"]) > 0


def test_a_final_assistant_message_is_a_reply_begun_that_the_model_goes_on_from(backend):
    asked = [SYSTEM, ChatMessage(role="user", content="Say something about mentoring.")]
    begun = [*asked, ChatMessage(role="assistant", content="Ha, what?")]
    opener = backend._llama.tokenize(b"Ha, what?", add_bos=False, special=False)
    assert backend.tokens_for(begun) == backend.tokens_for(asked) + opener  # no end-of-turn after it
    carried_on = backend.stream(begun, 12)
    assert "".join(carried_on).strip() and carried_on.stats.prompt_tokens == len(backend.tokens_for(begun))
