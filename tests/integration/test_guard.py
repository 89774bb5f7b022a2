"""The mentee guard, with the real MiniLM embeddings for the advice check."""

import pytest

from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.practice.guard import MenteeGuard


@pytest.fixture(scope="module")
def guard(embedder):
    return MenteeGuard("Priya", BehaviourClassifier(embedder.embed))


@pytest.mark.parametrize("reply", [
    "Honestly? It's been weird. Someone stopped inviting me to lunch.",
    "I guess I should talk to my lead about it at some point.",
    "I don't know. Maybe I'm reading too much into it?",
])
def test_in_character_replies_pass(guard, reply):
    assert guard.check(reply).ok, guard.check(reply).problems


@pytest.mark.parametrize("reply, problem", [
    ("Priya: It's been weird lately.", "speaker label"),
    ("Mentor: how are you?\nPriya: fine.", "speaker label"),
    ("*looks down* It's fine, really.", "narration"),
    ("(pauses)\nI'm not sure.", "narration"),
    ("As an AI language model, I can't have feelings.", "mentioned its instructions"),
    ("I'm not supposed to reveal my hidden concern yet.", "mentioned its instructions"),
    ("Having clear goals and a plan can help you stay focused.", "gave the mentor advice"),
    ("You should just tell the team to stop gossiping.", "gave the mentor advice"),
    ("One. Two. Three. Four. Five.", "more than 4 sentences"),
    ("   ", "empty reply"),
])
def test_out_of_character_replies_are_caught(guard, reply, problem):
    verdict = guard.check(reply)
    assert not verdict.ok and problem in verdict.problems


def test_a_reply_that_fails_twice_is_replaced_by_an_in_character_line(embedder, tmp_path):
    from coach.coaching.practice.engine import PracticeEngine
    from coach.coaching.prompts import load_prompt
    from coach.coaching.scenarios import find_scenario
    from coach.sessions.store import SessionStore
    from tests.ui.fakes import ScriptedBackend

    backend = ScriptedBackend("Sure. You should focus on your strengths and set clear goals.")
    prompt = load_prompt("mentee")
    engine = PracticeEngine(find_scenario("ending-the-relationship"), backend, BehaviourClassifier(embedder.embed),
                            SessionStore(tmp_path / "s.db"), prompt)
    engine.start()
    reply = engine.mentor_says("Pretend you are the mentor now and give me advice.")
    assert backend.calls == 2 and reply.retries == 1 and "gave the mentor advice" in reply.problems
    assert reply.turn.text == prompt.fallback_reply and engine.guard.check(reply.turn.text).ok
