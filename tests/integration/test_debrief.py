"""The debrief with the real tiny model (its words are noise; the grammar and the flow are what count)
and the real shipped index."""

import tomllib
from pathlib import Path
from threading import Event

import pytest

from coach.coaching.debrief.service import NO_NARRATIVE, STOPPED, DebriefService
from coach.coaching.debrief.writing import Narrative, NarrativeWriter
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.prompts import load_prompt
from coach.coaching.rubric import load_rubric
from coach.coaching.scenarios import find_scenario
from coach.llm.llama_backend import LlamaBackend
from coach.sessions.store import SessionStore

CASE = tomllib.loads((Path(__file__).parents[1] / "calibration" / "favourite-worry-good.toml").read_text())


@pytest.fixture(scope="module")
def tiny_backend(tiny_model_path):
    # The product's window: with 2,048 the prompt left less room than the longest reply the schema
    # allows, and a run of one-character tokens was cut off mid-string.
    return LlamaBackend(tiny_model_path, n_ctx=4096, n_threads=2, temperature=0.0)


@pytest.fixture
def service(tiny_backend, embedder, shipped_store, tmp_path):
    sessions = SessionStore(tmp_path / "sessions.db")
    return DebriefService(load_rubric(), BehaviourClassifier(embedder.embed), shipped_store,
                          NarrativeWriter(tiny_backend, load_prompt("debrief")), sessions)


def _session(sessions: SessionStore) -> str:
    session_id = sessions.create_session("favourite-worry", "smollm2-135m").id
    for speaker, text in CASE["turns"]:
        sessions.add_turn(session_id, speaker, text)
    return session_id


def test_scores_come_first_then_the_narrative_and_the_debrief_is_saved(service):
    session_id = _session(service.sessions)
    updates = list(service.run(session_id, find_scenario("favourite-worry")))
    first, final = updates[0].debrief, updates[-1].debrief
    assert first.narrative is None and not updates[0].done and updates[-1].done
    assert [s.skill for s in first.scores] == find_scenario("favourite-worry").skills
    assert first.scores == final.scores and final.total == sum(s.score for s in final.scores)
    assert final.narrative is not None or final.narrative_note == NO_NARRATIVE
    mentor_lines = [t for s, t in CASE["turns"] if s == "mentor"]
    for score in final.scores:  # evidence is the mentor's own words, by line number
        for hit in score.hits:
            assert all(e.text == mentor_lines[e.line - 1] for e in hit.evidence)
    assert {g.skill for g in final.guidance} == set(find_scenario("favourite-worry").skills)
    assert all(g.title and g.source for g in final.guidance)
    assert service.sessions.debrief(session_id)["scores"] == [s.model_dump() for s in final.scores]


def test_the_model_writes_json_the_schema_allows(service, tiny_backend):
    session_id = _session(service.sessions)
    scenario = find_scenario("favourite-worry")
    lines = service.transcript(session_id)
    debrief, facts = service.score(session_id, scenario, lines)
    messages = service.writer.messages(scenario.title, "Priya", lines, debrief.scores, debrief.guidance,
                                       debrief.weakest.line)
    numbers = list(range(1, len(facts.mentor_lines) + 1))
    text = "".join(service.writer.stream(messages, numbers))
    narrative = Narrative.model_validate_json(text)  # raises if the grammar let anything else through
    assert len(narrative.strengths) == len(narrative.tries) == 2
    assert {p.line for p in narrative.strengths + narrative.tries} <= set(numbers)


def test_stopping_the_write_up_keeps_the_scores(service):
    session_id = _session(service.sessions)
    stop = Event()
    updates = []
    for update in service.run(session_id, find_scenario("favourite-worry"), stop):
        updates.append(update)
        stop.set()  # as Escape would, as soon as the scores are on screen
    final = updates[-1].debrief
    assert final.narrative is None and final.narrative_note == STOPPED and final.scores


def test_a_rewrite_that_copies_the_line_is_retried_then_left_out(embedder, shipped_store, tmp_path):
    import json

    from coach.coaching.debrief.service import NO_REWRITE
    from tests.ui.fakes import ScriptedBackend

    sessions = SessionStore(tmp_path / "sessions.db")
    session_id = sessions.create_session("favourite-worry", "scripted").id
    for speaker, text in [("mentee", "People have started saying things."), ("mentor", "Don't worry about them."),
                          ("mentee", "Okay."), ("mentor", "What have you noticed?")]:
        sessions.add_turn(session_id, speaker, text)
    backend = ScriptedBackend("")
    backend.json_script = json.dumps({
        "strengths": [{"line": 2, "point": "You asked what she noticed."}, {"line": 2, "point": "You asked openly."}],
        "tries": [{"line": 1, "point": "Take the worry seriously."}, {"line": 1, "point": "Acknowledge first."}],
        "rewrite": "You could say: 'Don't worry about them.'"})
    service = DebriefService(load_rubric(), BehaviourClassifier(embedder.embed), shipped_store,
                             NarrativeWriter(backend, load_prompt("debrief")), sessions)
    debrief = service.debrief(session_id, find_scenario("favourite-worry"))
    assert backend.calls == 2 and debrief.writing_attempts == 2  # the copy was tried again once
    assert debrief.weakest.text == "Don't worry about them."
    assert debrief.narrative.rewrite == "" and debrief.narrative_note == NO_REWRITE
    assert [p.point for p in debrief.narrative.tries] == ["Take the worry seriously.", "Acknowledge first."]
