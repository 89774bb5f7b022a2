"""Stop (Escape) before the first token closes the connection at once: a stub that accepts the
request and holds its first chunk back plays a busy model server, and sees the client hang up."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Event

import pytest

from coach.llm.base import ChatMessage
from coach.llm.openai_backend import OpenAICompatibleBackend

HOLD_SECONDS = 30.0  # how long the stub keeps the first chunk back unless the client hangs up first


class Holding(BaseHTTPRequestHandler):
    asked = Event()
    hung_up = Event()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.flush()
        Holding.asked.set()
        self.connection.settimeout(HOLD_SECONDS)
        try:
            if self.rfile.read(1) == b"":  # the client closed its end
                Holding.hung_up.set()
        except TimeoutError:
            self.wfile.write(b'data: {"choices": [{"delta": {"content": "late"}}]}\n\ndata: [DONE]\n\n')

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def holding_server():
    Holding.asked, Holding.hung_up = Event(), Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Holding)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_stop_before_the_first_token_hangs_up_at_once(holding_server):
    backend = OpenAICompatibleBackend(holding_server, "m", n_ctx=2048, timeout=HOLD_SECONDS * 2)
    stop = Event()
    threading.Thread(target=lambda: Holding.asked.wait(10) and stop.set(), daemon=True).start()
    reply = backend.stream([ChatMessage(role="user", content="hi")], 8, stop=stop)
    assert reply.text() == ""  # no error, no late text: the reply simply ended
    assert reply.stats.stopped
    assert Holding.hung_up.wait(10)  # the server sees the connection closed (its own thread notices a moment later)
