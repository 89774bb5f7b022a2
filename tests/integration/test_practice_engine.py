"""The role-play loop with the real SmolLM2-135M (mechanics only: the tiny model's words are noise)."""

import pytest

from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.practice.engine import TRIMMED_NOTE, PracticeEngine
from coach.coaching.practice.sampling import ROLE_PLAY
from coach.coaching.prompts import load_prompt
from coach.coaching.scenarios import find_scenario
from coach.llm.llama_backend import LlamaBackend
from coach.sessions.store import SessionStore

SCRIPT = ["Thanks for asking for this. What's been happening?", "That sounds uncomfortable.",
          "What have you noticed about how people react?", "How does that feel for you?",
          "What would help you right now?", "Shall we meet again next week to see how it goes?"]


def _engine(tiny_model_path, embedder, tmp_path, n_ctx=2048):
    backend = LlamaBackend(tiny_model_path, n_ctx=n_ctx, n_threads=2, temperature=0.0)
    return PracticeEngine(find_scenario("favourite-worry"), backend, BehaviourClassifier(embedder.embed),
                          SessionStore(tmp_path / "sessions.db"), load_prompt("mentee"), max_tokens=48)


def test_scripted_six_turn_session_reuses_the_cache_and_is_saved(tiny_model_path, embedder, tmp_path):
    engine = _engine(tiny_model_path, embedder, tmp_path)
    engine.start()
    previous_prompt = None
    for line in SCRIPT:
        reply = engine.mentor_says(line)
        assert reply.turn.text.strip()
        if previous_prompt is not None:  # warm turn: only what was appended since the last prompt
            new_tokens = reply.prompt_tokens - previous_prompt
            assert reply.evaluated_prompt_tokens <= new_tokens + 16
        previous_prompt = reply.prompt_tokens
    transcript = engine.store.transcript(engine.session_id)
    assert [t.speaker for t in transcript] == ["mentee"] + ["mentor", "mentee"] * 6
    assert [t.text for t in transcript if t.speaker == "mentor"] == SCRIPT
    assert engine.state.open_questions >= 3 and engine.state.acknowledgements >= 1
    assert engine.store.session(engine.session_id).state["open_questions"] == engine.state.open_questions


def test_long_session_trims_old_turns_but_keeps_the_persona(tiny_model_path, embedder, tmp_path):
    engine = _engine(tiny_model_path, embedder, tmp_path, n_ctx=640)
    engine.start()
    for n in range(8):
        engine.mentor_says(f"Tell me more about what happened on day {n}, in as much detail as you can remember.")
    assert engine.messages()[0].role == "system" and "You are Priya" in engine.messages()[0].content
    assert engine.backend.count_tokens(engine.messages()) <= 640
    notes = [t for t in engine.store.all_turns(engine.session_id) if t.speaker == "note"]
    assert notes and notes[0].text == TRIMMED_NOTE


def test_empty_mentor_line_is_refused(tiny_model_path, embedder, tmp_path):
    from coach.errors import CoachError

    engine = _engine(tiny_model_path, embedder, tmp_path)
    engine.start()
    with pytest.raises(CoachError, match="empty line"):
        engine.mentor_says("   ")


def test_time_out_is_kept_apart_and_returning_does_not_reread_the_history(tiny_model_path, embedder, tmp_path,
                                                                           shipped_store):
    from coach.coaching.ask import AskService

    engine = _engine(tiny_model_path, embedder, tmp_path)
    ask = AskService(shipped_store, engine.backend, load_prompt("ask"), top_k=2, min_relevance=0.27,
                     max_tokens=24, max_question_chars=500)
    engine.start()
    for line in SCRIPT[:3]:
        before = engine.mentor_says(line)
    history_before = len(engine.messages())
    result = engine.time_out(ask, "How do I handle favouritism worries?")
    assert result.grounded and len(engine.messages()) == history_before  # not part of the role-play
    assert engine.store.timeouts(engine.session_id)[0].question == "How do I handle favouritism worries?"
    after = engine.mentor_says(SCRIPT[3])
    new_tokens = after.prompt_tokens - before.prompt_tokens
    assert after.evaluated_prompt_tokens <= new_tokens + 16 < after.prompt_tokens / 2


def test_regenerate_and_rewind_keep_old_branches_and_listening_state(tiny_model_path, embedder, tmp_path):
    engine = _engine(tiny_model_path, embedder, tmp_path)
    engine.start()
    engine.mentor_says(SCRIPT[0])
    second = engine.mentor_says(SCRIPT[2])
    assert engine.state.open_questions == 2
    redo = engine.regenerate()
    assert redo.turn.id != second.turn.id and engine.state.open_questions == 2  # same line, counted once
    assert second.turn.id in {t.id for t in engine.store.all_turns(engine.session_id)}
    transcript = engine.store.transcript(engine.session_id)
    assert [t.id for t in transcript][-1] == redo.turn.id and len(transcript) == 5
    mentor_turns = [t for t in transcript if t.speaker == "mentor"]
    engine.rewind_to(mentor_turns[1].id)
    assert engine.state.open_questions == 1 and len(engine.messages()) == 1 + 3
    engine.mentor_says("Don't worry about them.")
    texts = [t.text for t in engine.store.transcript(engine.session_id)]
    assert texts[-2] == "Don't worry about them." and SCRIPT[2] not in texts
    assert SCRIPT[2] in [t.text for t in engine.store.all_turns(engine.session_id)]
    assert engine.state.stage == "closed"


class CapturingBackend:
    """The scripted backend, keeping every prompt it was sent."""

    def __init__(self, script: str) -> None:
        from tests.ui.fakes import ScriptedBackend

        self.inner = ScriptedBackend(script)
        self.name, self.n_ctx, self.prompts, self.samplings = "capturing", 4096, [], []

    def stream(self, messages, max_tokens, stop=None, json_schema=None, sampling=None):
        self.prompts.append("\n".join(m.content for m in messages))
        self.samplings.append(sampling)
        return self.inner.stream(messages, max_tokens, stop, json_schema, sampling)

    def count_tokens(self, messages) -> int:
        return self.inner.count_tokens(messages)


def _captured_session(embedder, tmp_path, style: str):
    from coach.bench.practice_styles import load_styles

    backend = CapturingBackend("It has been a strange few weeks, honestly.")
    engine = PracticeEngine(find_scenario("favourite-worry"), backend, BehaviourClassifier(embedder.embed),
                            SessionStore(tmp_path / f"{style}.db"), load_prompt("mentee"))
    engine.start()
    states, prompts = [], []  # per mentor line: the state after it, and every prompt sent for it (retries too)
    for line in load_styles()[style]:
        sent_before = len(backend.prompts)
        engine.mentor_says(line)
        states.append(engine.state)
        prompts.append("\n".join(backend.prompts[sent_before:]))
    return engine, prompts, states


@pytest.mark.parametrize("style", ["fixer", "interrogator", "dismissive", "adversarial"])
def test_mentors_who_do_not_listen_never_send_the_concern_or_its_hint(embedder, tmp_path, style):
    engine, prompts, states = _captured_session(embedder, tmp_path, style)
    hidden = engine.scenario.hidden
    assert len(prompts) == 6 and all(prompts) and not any(s.hint_given or s.concern_told for s in states)
    assert not any(hidden.concern in p or hidden.in_own_words in p or hidden.hint in p for p in prompts)
    assert set(engine.backend.samplings) == {ROLE_PLAY}  # every call, retries too, asks for role-play sampling
    assert hidden.concern not in engine.messages()[0].content  # nor is it in the persona
    assert hidden.in_own_words not in engine.messages()[0].content


def test_the_listener_sends_the_hint_when_ready_and_the_concern_only_after_following_it_up(embedder, tmp_path):
    engine, prompts, states = _captured_session(embedder, tmp_path, "listener")
    hidden = engine.scenario.hidden
    ready = next(i for i, s in enumerate(states) if s.stage == "ready")
    told = next(i for i, s in enumerate(states) if s.concern_told)
    assert ready < told <= 5
    for i, prompt in enumerate(prompts):
        assert (hidden.hint in prompt) == (i >= ready), i
        assert (hidden.in_own_words in prompt) == (i >= told), i


def test_role_play_samples_warmer_than_ask_on_the_same_model(tiny_model_path, embedder, tmp_path):
    """The engine's sampling goes with each role-play call to llama.cpp; a later call without it gets the
    backend's own settings (no sampling left behind on the model)."""
    engine = _engine(tiny_model_path, embedder, tmp_path)
    seen, original = [], engine.backend._llama.create_completion
    engine.backend._llama.create_completion = lambda **options: (seen.append(options), original(**options))[1]
    engine.start()
    engine.mentor_says("How have things been?")
    engine.backend.stream(engine.messages()[:1], 4).text()  # any other task on the same model
    assert seen[0]["temperature"] == ROLE_PLAY.temperature and seen[0]["repeat_penalty"] == ROLE_PLAY.repeat_penalty
    assert seen[-1]["temperature"] == 0.0 and "repeat_penalty" not in seen[-1]
