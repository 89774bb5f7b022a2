"""The OpenAI-compatible backend against llama-cpp-python's real server with the tiny model on
loopback: streaming, stop, structured output, and the whole team set-up (the index on a real Chroma
server too) through Ask, a practice session with a time-out and a debrief; then the model server
killed mid-answer, and a failed turn retried once it is back."""

import shutil
from threading import Event

import pytest
from pydantic import BaseModel

from coach.coaching.debrief import rewriting
from coach.config import Settings
from coach.llm.base import ChatMessage, prompt_cache
from coach.llm.http_errors import ModelServerError
from coach.llm.openai_backend import OpenAICompatibleBackend
from coach.services import build_services
from coach.startup.doctor import run_doctor
from tests.conftest import REPO
from tests.servers import chroma_server, model_server

NOTES = ("favouritism-perceptions", "colleagues-left-out", "meeting-cadence", "the-first-conversation")
SCENARIO = "favourite-worry"


@pytest.fixture(scope="module")
def llm(tmp_path_factory, tiny_model_path):
    with model_server(tmp_path_factory.mktemp("llm"), tiny_model_path) as server:
        yield server


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma")) as server:
        yield server


def _backend(url: str, **options) -> OpenAICompatibleBackend:
    return OpenAICompatibleBackend(url + "/v1", "smollm2-135m", n_ctx=2048, temperature=0.0, **options)


def _say(text: str) -> list[ChatMessage]:
    return [ChatMessage(role="user", content=text)]


def test_a_reply_streams_and_stop_closes_it(llm):
    backend = _backend(llm.url)
    reply = backend.stream(_say("Say hello."), 24)
    assert reply.text().strip() and reply.stats.completion_tokens > 0 and reply.stats.first_token_seconds > 0
    stop = Event()
    reply = backend.stream(_say("Count from one to two hundred, in words."), 400, stop)
    pieces = []
    for piece in reply:
        pieces.append(piece)
        if len(pieces) == 2:
            stop.set()
    assert len(pieces) == 2 and reply.stats.stopped


class Verdict(BaseModel):
    score: int
    reason: str


def test_structured_output_uses_the_servers_schema_support(llm):
    backend = _backend(llm.url)
    reply = backend.stream(_say("Rate the line 'How are you?' from 0 to 2, as JSON."), 80,
                           json_schema=Verdict.model_json_schema())
    Verdict.model_validate_json(reply.text())  # under the schema's grammar, not scraped
    # llama-cpp-python takes the schema inside json_object; the backend remembers that
    assert backend._schema_formats[0] == "json_object_schema"


def _team_corpus(root):
    (root / "guidance").mkdir(parents=True)
    for doc_id in NOTES:
        shutil.copy(REPO / "corpus" / "guidance" / f"{doc_id}.md", root / "guidance")
    shutil.copytree(REPO / "corpus" / "scenarios", root / "scenarios")
    return root


def test_the_team_set_up_asks_practises_takes_a_time_out_and_debriefs(llm, chroma, tmp_path, monkeypatch):
    # One passage and one rewrite draft keep the prompts short: every prompt token is time on 2 cores.
    monkeypatch.setattr(rewriting, "DRAFTS", 1)
    settings = Settings(model_url=llm.url, model_name="smollm2-135m", index_url=chroma.url, n_ctx=2048,
                        max_tokens=32, top_k=1, corpus_dir=_team_corpus(tmp_path / "corpus"))
    services = build_services(settings)
    assert services.backend_source.health().ok
    services.corpus().sync()
    checks = {check.name: check for check in run_doctor(services, verify_hashes=False)}
    assert checks["model server"].value.startswith("reachable") and checks["index server"].ok
    assert checks["index server"].value.startswith("reachable, Chroma 1.")
    ask = services.ask_service()
    assert prompt_cache(services.backend()) is None  # no snapshot/restore on a server
    answer = [item for item in ask.ask("how do I handle favoritism?")][-1]
    assert answer.grounded and answer.passages[0].doc_id in {"favouritism-perceptions", "colleagues-left-out"}

    engine = services.practice_engine(SCENARIO)
    engine.max_tokens = 48
    engine.start()
    engine.warm_up()  # a no-op without a prompt cache, not an error
    assert engine.mentor_says("Thanks for coming. What has been on your mind?").turn.text.strip()
    timeout = engine.time_out(ask, "how do I handle favoritism?")
    assert timeout.grounded and engine.timeouts()
    assert engine.mentor_says("That sounds hard. How does it feel for you?").turn.text.strip()
    debrief = services.debrief_service().debrief(engine.session_id, engine.scenario)
    assert debrief.scores and services.session_store.debrief(engine.session_id)


def test_a_server_killed_mid_answer_is_one_sentence_and_the_turn_can_be_retried(tmp_path, tiny_model_path, embedder):
    (tmp_path / "first").mkdir()
    with model_server(tmp_path / "first", tiny_model_path) as server:
        backend = _backend(server.url)
        reply = backend.stream(_say("Count from one to two hundred, in words."), 400)
        next(reply)
        server.stop()
        with pytest.raises(ModelServerError, match=r"^The connection to the model server at .* broke off mid-answer"):
            reply.text()
        url = server.url

        # A practice turn against the dead server fails in one sentence; the session is intact.
        settings = Settings(model_url=url, model_name="smollm2-135m", n_ctx=2048)
        services = build_services(settings)
        services._backend = backend  # loaded before the server died, as in a running app
        engine = services.practice_engine(SCENARIO)
        engine.max_tokens = 32
        engine.start()
        line = "What has been on your mind this week?"
        with pytest.raises(ModelServerError, match=r"^Could not connect to the model server at .*; check model_url"):
            engine.mentor_says(line)
        assert [t.speaker for t in engine.transcript()] == ["mentee"]  # the line was taken back, nothing half-saved

    # The server comes back on the same address: the same line, retried, goes through.
    port = int(url.rsplit(":", 1)[1])
    (tmp_path / "again").mkdir()
    with model_server(tmp_path / "again", tiny_model_path, port=port):
        reply = engine.mentor_says(line)
    assert reply.turn.text.strip()
    assert [t.speaker for t in engine.transcript()] == ["mentee", "mentor", "mentee"]


def test_the_api_key_comes_from_the_environment(tmp_path, tiny_model_path, monkeypatch):
    with model_server(tmp_path, tiny_model_path, api_key="s3cret") as server:
        monkeypatch.setenv("COACH_MODEL_URL", server.url)
        source = build_services(Settings()).backend_source
        health = source.health()
        assert not health.ok and "refused the API key (HTTP 401); set COACH_MODEL_API_KEY" in health.problem
        monkeypatch.setenv("COACH_MODEL_API_KEY", "s3cret")
        backend = build_services(Settings()).backend()  # model_name unset: the server's first model
        assert backend.name == "smollm2-135m"
        assert backend.stream(_say("Say hello."), 8).text().strip()
