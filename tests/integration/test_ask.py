"""Ask end to end with the real store and the tiny model, and the CLI around it."""

import json
import os
import subprocess
import sys

import pytest

from coach.coaching.ask import AskResult, AskService
from coach.coaching.key_guidance import SentenceVectors
from coach.coaching.prompts import load_prompt
from coach.errors import CoachError
from coach.llm.llama_backend import LlamaBackend


class CountingBackend:
    """Wraps the real backend to count calls; the store and model stay real."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0
        self.name, self.n_ctx = inner.name, inner.n_ctx

    def stream(self, messages, max_tokens, stop=None, json_schema=None, sampling=None):
        self.calls += 1
        return self.inner.stream(messages, max_tokens, stop, json_schema, sampling)

    def count_tokens(self, messages):
        return self.inner.count_tokens(messages)

    def warm_up(self, messages):
        self.inner.warm_up(messages)

    def snapshot(self):
        return self.inner.snapshot()

    def restore(self, state):
        self.inner.restore(state)


@pytest.fixture(scope="module")
def ask(tiny_model_path, shipped_store, embedder):
    backend = CountingBackend(LlamaBackend(tiny_model_path, n_ctx=2048, n_threads=2, temperature=0.0))
    return AskService(shipped_store, backend, load_prompt("ask"), sentences=SentenceVectors(embedder.embed),
                      top_k=4, min_relevance=0.27,
                      max_tokens=48, max_question_chars=500)


def _run(ask, question) -> AskResult:
    return [item for item in ask.ask(question)][-1]


def test_grounded_answer_has_numbered_passages_and_valid_citations(ask):
    result = _run(ask, "how do I handle favoritism?")
    assert result.grounded and [p.n for p in result.passages] == [1, 2, 3, 4]
    assert result.passages[0].doc_id in {"favouritism-perceptions", "colleagues-left-out"}
    assert all(c.n in {1, 2, 3, 4} for c in result.citations)
    assert result.timings["prompt_tokens"] > 0


def test_off_topic_question_never_calls_the_model(ask):
    calls = ask.backend.calls
    result = _run(ask, "What's a good recipe for banana bread?")
    assert not result.grounded and ask.backend.calls == calls
    assert "trainer" in result.answer and result.passages == [] and result.citations == []


def test_warm_up_makes_questions_pay_only_for_their_own_tokens(ask):
    ask.warm_up()
    timings = _run(ask, "What should we talk about the very first time we meet?").timings
    system_tokens = ask.backend.count_tokens(ask.prompt.render(passages="", question="")[:1])
    assert timings["evaluated_prompt_tokens"] <= timings["prompt_tokens"] - system_tokens + 5


def test_oversized_and_empty_questions_are_refused(ask):
    with pytest.raises(CoachError, match="limit is 500"):
        _run(ask, "why " * 300)
    with pytest.raises(CoachError, match="empty"):
        _run(ask, "  \x00 ")


def _coach(*args, env_extra=None, timeout=300):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def test_cli_sync_search_and_ask_json(isolated_dirs):
    env = {"COACH_MODEL": "smollm2-135m", "COACH_MAX_TOKENS": "32"}
    synced = _coach("corpus", "sync", env_extra=env)
    assert synced.returncode == 0 and "34 added" in synced.stdout
    found = json.loads(_coach("corpus", "search", "my mentee is very quiet", "-k", "2", "--json").stdout)
    assert [set(f) for f in found] == [{"rank", "score", "doc_id", "title", "source", "text"}] * 2
    assert found[0]["doc_id"] == "a-quiet-mentee"
    answered = _coach("ask", "--json", "How often should we meet?", env_extra=env)
    payload = json.loads(answered.stdout)
    assert set(payload) == {"question", "answer", "grounded", "advice_withheld", "key_guidance", "citations",
                            "passages", "timings"}
    assert payload["grounded"] and set(payload["passages"][0]) == {"n", "doc_id", "title", "source", "text", "score"}
    passages = {p["n"]: p["text"] for p in payload["passages"]}
    assert 2 <= len(payload["key_guidance"]) <= 4
    for sentence in payload["key_guidance"]:  # verbatim, from the passage it names
        assert sentence["text"].split(": ")[-1] in passages[sentence["n"]].replace("\n", " ")
    assert 0 < payload["timings"]["key_guidance_seconds"] < payload["timings"]["first_token_after_question_seconds"]






def test_cli_read_commands(isolated_dirs):
    listed = _coach("models", "list")
    assert listed.returncode == 0 and "smollm2-135m" in listed.stdout and "qwen2.5-coder-1.5b" in listed.stdout
    shown = _coach("config", "show", env_extra={"COACH_TOP_K": "7"})
    assert shown.returncode == 0 and "top_k" in shown.stdout and "7" in shown.stdout
    doctor = _coach("doctor", env_extra={"COACH_MODEL": "smollm2-135m"})
    assert "chat model sha256    matches the catalog" in doctor.stdout
    assert "index" in doctor.stdout and doctor.returncode == 1  # the isolated index is still empty


def test_cli_practice_with_a_script_prints_the_saved_session(tmp_path, isolated_dirs):
    env = {"COACH_MODEL": "smollm2-135m"}
    assert _coach("corpus", "sync", env_extra=env).returncode == 0
    script = tmp_path / "mentor.txt"
    script.write_text("What's been happening lately?\n/coach How do I handle favouritism?\n" + "x" * 2500 +
                      "\nThat sounds hard.\n")
    result = _coach("practice", "favourite-worry", "--script", str(script), "--json", env_extra=env)
    assert result.returncode == 0, result.stderr
    session = json.loads(result.stdout)
    assert [t["speaker"] for t in session["transcript"]] == ["mentee", "mentor", "mentee", "mentor", "mentee"]
    assert "That line is 2,500 characters" in result.stderr  # said once; the session went on
    assert session["timeouts"][0]["question"] == "How do I handle favouritism?"
    assert session["listening"]["open_questions"] == 1 and session["listening"]["acknowledgements"] == 1
    debrief = session["debrief"]
    assert [s["skill"] for s in debrief["scores"]] == ["listened-before-advising", "asked-open-questions",
                                                       "acknowledged-concern", "handled-favouritism-fairly"]
    assert debrief["strengths"] or debrief["tries"]
    assert debrief["rewrite"] or debrief["rewrite_note"]
    missing = _coach("practice", "no-such-scenario", "--json", env_extra=env)
    assert missing.returncode == 1 and "There is no scenario" in missing.stderr
    _check_sessions_commands(session, tmp_path, env)


def _check_sessions_commands(session: dict, tmp_path, env: dict) -> None:
    listed = json.loads(_coach("sessions", "list", "--json", env_extra=env).stdout)
    total = sum(s["score"] for s in session["debrief"]["scores"])
    assert [(s["id"], s["score"], s["mentor_lines"]) for s in listed] == [(session["session_id"], total, 2)]
    target = tmp_path / "session.md"
    exported = _coach("sessions", "export", session["session_id"], "--format", "md", "-o", str(target), env_extra=env)
    assert exported.returncode == 0, exported.stderr
    markdown = target.read_text()
    for expected in ("## Briefing", "three months", "**You:** What's been happening lately?", "## Time-outs",
                     "How do I handle favouritism?", "## Debrief", "| Asked open questions |", "### Guidance",
                     session["debrief"]["guidance"][0]["title"], session["debrief"]["guidance"][0]["source"]):
        assert expected in markdown
    shown = json.loads(_coach("sessions", "show", session["session_id"], "--json", env_extra=env).stdout)
    assert shown["transcript"][1]["text"] == "What's been happening lately?" and shown["debrief"] == session["debrief"]
    assert _coach("sessions", "export", session["session_id"], "--format", "pdf", env_extra=env).returncode == 1
    assert _coach("sessions", "delete", session["session_id"], env_extra=env).returncode == 0
    gone = _coach("sessions", "show", session["session_id"], env_extra=env)
    assert gone.returncode == 1 and "There is no session" in gone.stderr and "Traceback" not in gone.stderr


def test_no_answer_from_the_tiny_model_is_shown_without_a_valid_citation(ask):
    from coach.coaching.ask import UNCITED_NOTE
    from coach.coaching.citations import cited_numbers

    for question in ("how do I handle favoritism?", "My mentee hardly says anything. What can I do?"):
        result = _run(ask, question)
        assert result.grounded and result.key_guidance  # the quoted guidance is there either way
        if result.advice_withheld:
            assert result.answer == UNCITED_NOTE.strip()
        else:
            assert set(cited_numbers(result.answer)) & {p.n for p in result.passages}
