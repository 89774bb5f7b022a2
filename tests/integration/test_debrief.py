"""The debrief with the real labeller and shipped index: facts from signals at once, then a rewrite
the model drafts and the labeller checks (the tiny model's words are noise; the flow is what counts)."""

import tomllib
from pathlib import Path
from threading import Event

import pytest

from coach.coaching.debrief.rewriting import RewriteDrafter
from coach.coaching.debrief.service import FULL_MARKS, NO_REWRITE, STOPPED, DebriefService
from coach.coaching.debrief.transcript_scoring import TranscriptScorer
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.prompts import load_prompt
from coach.coaching.rubric import load_rubric
from coach.coaching.scenarios import find_scenario
from coach.llm.base import GenerationStats, Reply
from coach.llm.llama_backend import LlamaBackend
from coach.sessions.store import SessionStore

CASE = tomllib.loads((Path(__file__).parents[1] / "calibration" / "favourite-worry-good.toml").read_text())
FIXER = [("mentee", "People have started saying things."), ("mentor", "Don't worry about them, just ignore it."),
         ("mentee", "Okay."), ("mentor", "You should ask your manager to move you to another team."),
         ("mentee", "I suppose."), ("mentor", "Did you do it yet?")]


class Drafts:
    """A chat backend that answers each call with the next scripted draft."""

    name, n_ctx = "drafts", 4096

    def __init__(self, *drafts: str) -> None:
        self.drafts, self.calls = list(drafts), 0

    def stream(self, messages, max_tokens, stop=None, json_schema=None, sampling=None) -> Reply:
        self.calls += 1
        text = self.drafts.pop(0) if self.drafts else ""
        return Reply(iter([text]), GenerationStats(prompt_tokens=10))

    def count_tokens(self, messages) -> int:
        return 10


@pytest.fixture(scope="module")
def tiny_backend(tiny_model_path):
    return LlamaBackend(tiny_model_path, n_ctx=4096, n_threads=2, temperature=0.0)


def _service(backend, embedder, store, tmp_path) -> DebriefService:
    classifier = BehaviourClassifier(embedder.embed)
    return DebriefService(load_rubric(), TranscriptScorer(load_rubric(), classifier), store,
                          RewriteDrafter(backend, load_prompt("debrief"), classifier), SessionStore(tmp_path / "sessions.db"))


def _session(sessions: SessionStore, turns) -> str:
    session_id = sessions.create_session("favourite-worry", "test").id
    for speaker, text in turns:
        sessions.add_turn(session_id, speaker, text)
    return session_id


def test_facts_come_first_then_the_rewrite_and_the_debrief_is_saved(tiny_backend, embedder, shipped_store, tmp_path):
    service = _service(tiny_backend, embedder, shipped_store, tmp_path)
    session_id = _session(service.sessions, CASE["turns"])
    updates = list(service.run(session_id, find_scenario("favourite-worry")))
    first, final = updates[0].debrief, updates[-1].debrief
    assert first.rewrite is None and not updates[0].done and updates[-1].done
    assert first.strengths and first.scores == final.scores and first.strengths == final.strengths
    if final.total == final.max_total:  # nothing to improve: no model call, no "better" line
        assert final.rewrite is None and final.rewrite_note == FULL_MARKS
    else:
        assert final.rewrite is not None or final.rewrite_note == NO_REWRITE
    mentor_lines = [t for s, t in CASE["turns"] if s == "mentor"]
    assert [line.text for line in final.lines] == mentor_lines and all(line.labels for line in final.lines)
    for point in final.strengths + final.tries:  # quotes are the mentor's own words, by line number
        assert point.line is None or point.quote == mentor_lines[point.line - 1]
    assert {g.skill for g in final.guidance} == set(find_scenario("favourite-worry").skills)
    assert service.sessions.debrief(session_id)["scores"] == [s.model_dump() for s in final.scores]


def test_stopping_the_rewrite_keeps_the_facts(tiny_backend, embedder, shipped_store, tmp_path):
    service = _service(tiny_backend, embedder, shipped_store, tmp_path)
    stop, updates = Event(), []
    for update in service.run(_session(service.sessions, FIXER), find_scenario("favourite-worry"), stop):
        updates.append(update)
        stop.set()  # as Escape would, as soon as the scores are on screen
    final = updates[-1].debrief
    assert final.rewrite is None and final.rewrite_note == STOPPED and final.scores and final.tries


def test_a_draft_is_kept_only_when_the_labeller_passes_it(embedder, shipped_store, tmp_path):
    drafts = Drafts("You could say: 'Don't worry about them, just ignore it.'",  # a copy
                    "Just ignore them, honestly it's nothing.",  # dismisses
                    "That sounds really hard. What have people been saying?")
    service = _service(drafts, embedder, shipped_store, tmp_path)
    debrief = service.debrief(_session(service.sessions, FIXER), find_scenario("favourite-worry"))
    assert debrief.weakest.text == "Don't worry about them, just ignore it."
    assert drafts.calls == 3 and debrief.rewrite.source == "model" and debrief.rewrite.drafts_tried == 3
    assert debrief.rewrite.text == "That sounds really hard. What have people been saying?"
    assert {"dismiss", "advice"}.isdisjoint(debrief.rewrite.labels)


def test_with_no_passing_draft_the_guidance_phrasing_is_shown_as_guidance(embedder, shipped_store, tmp_path):
    drafts = Drafts("Don't worry about them.", "Just ignore it.", "Ignore them and get on with your work.")
    service = _service(drafts, embedder, shipped_store, tmp_path)
    debrief = service.debrief(_session(service.sessions, FIXER), find_scenario("favourite-worry"))
    rewrite = debrief.rewrite
    assert rewrite is not None and rewrite.source == "guidance" and rewrite.guidance_title
    assert rewrite.text and rewrite.text not in [t for _, t in FIXER]


def test_the_write_up_of_a_fixer_claims_no_listening(embedder, shipped_store, tmp_path):
    service = _service(Drafts(), embedder, shipped_store, tmp_path)
    scenario = find_scenario("favourite-worry")
    debrief, _ = service.score("s", scenario, service.transcript(_session(service.sessions, FIXER)))
    zero = {s.skill for s in debrief.scores if s.score == 0}
    assert {"listened-before-advising", "acknowledged-concern"} <= zero
    assert not {p.skill for p in debrief.strengths} & zero
    assert {p.skill for p in debrief.tries} >= {"listened-before-advising", "acknowledged-concern"}
