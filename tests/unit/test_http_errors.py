"""A model server that refuses, throttles, fails or hangs: each is one sentence, never a traceback.
A tiny HTTP stub on loopback plays the server; only the error mapping is under test here (the real
server's happy paths are in tests/integration/test_openai_backend.py)."""

import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from coach.config import Settings
from coach.llm.base import ChatMessage
from coach.llm.http_errors import ModelServerError
from coach.llm.openai_backend import OpenAICompatibleBackend
from coach.llm.server_source import ServerModelSource, api_base
from tests.servers import free_port


class Stub(BaseHTTPRequestHandler):
    status = 200
    delay = 0.0

    def _answer(self) -> None:
        time.sleep(self.delay)
        body = b'{"error": {"message": "no"}}'
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()
    Stub.status, Stub.delay = 200, 0.0


def _ask(url: str, timeout: float = 10.0) -> str:
    backend = OpenAICompatibleBackend(url, "m", n_ctx=2048, timeout=timeout)
    return backend.stream([ChatMessage(role="user", content="hi")], 8).text()


@pytest.mark.parametrize("status, sentence", [
    (401, r"^The model server at \S+ refused the API key \(HTTP 401\); set COACH_MODEL_API_KEY to a key it accepts\.$"),
    (429, r"^The model server at \S+ is busy \(HTTP 429, too many requests\); wait a moment and try again\.$"),
    (500, r"^The model server at \S+ failed \(HTTP 500\); try again, or ask whoever runs it to check its log\.$"),
    (503, r"^The model server at \S+ failed \(HTTP 503\)"),
    (404, r"^The model server at \S+ has no such model or endpoint \(HTTP 404\); check model_url"),
])
def test_each_error_status_is_one_sentence(stub, status, sentence):
    Stub.status = status
    with pytest.raises(ModelServerError, match=sentence):
        _ask(stub[1])


def test_a_refused_connection_and_a_timeout_are_one_sentence_each(stub):
    refused = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(ModelServerError, match=r"^Could not connect to the model server at \S+; check model_url and"):
        _ask(refused)
    Stub.delay = 2.0
    with pytest.raises(ModelServerError, match=r"^The model server at \S+ did not answer within 0.5 s; try again, or raise"):
        _ask(stub[1], timeout=0.5)


def test_health_reports_the_problem_without_raising(stub):
    Stub.status = 401
    health = ServerModelSource(Settings(model_url=stub[1].removesuffix("/v1"))).health()
    assert not health.ok and "refused the API key" in health.problem and not health.pull


def test_the_api_base_takes_either_spelling():
    assert api_base("http://h:8080") == api_base("http://h:8080/v1/") == "http://h:8080/v1"


def test_the_cli_says_one_sentence_when_the_model_server_is_not_there(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    done = subprocess.run([sys.executable, "-m", "coach", "ask", "how do I handle favoritism?"], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "COACH_MODEL_URL": url})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (f"Could not connect to the model server at {url}/v1; check model_url and that "
                                   "the server is running.")


def test_per_call_sampling_goes_in_the_request_body():
    from coach.llm.base import Sampling

    backend = OpenAICompatibleBackend("http://127.0.0.1:1/v1", "m", n_ctx=2048, temperature=0.2)
    assert backend._sampling(None) == {"temperature": 0.2}
    warm = backend._sampling(Sampling(temperature=0.7, repeat_penalty=1.15))
    assert warm == {"temperature": 0.7, "top_p": 0.95, "min_p": 0.05, "repeat_penalty": 1.15, "repetition_penalty": 1.15}


def test_both_servers_get_the_same_header_and_waits():
    """One helper builds the bearer header and the waits for the model and the index server."""
    from coach.formats.http import CONNECT_SECONDS, bearer, waits

    assert bearer(None) == {} and bearer("k") == {"Authorization": "Bearer k"}
    assert waits(60).connect == CONNECT_SECONDS and waits(60).read == 60
    assert waits(0.5).connect == 0.5
    backend = OpenAICompatibleBackend("http://127.0.0.1:1/v1", "m", n_ctx=2048, api_key="k", timeout=60)
    assert backend._client.headers["Authorization"] == "Bearer k" and backend._client.timeout == waits(60)
