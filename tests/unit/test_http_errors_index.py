"""A Chroma server that hangs or refuses is one sentence, in time: no real server is needed to
play one that accepts the connection and never answers (the happy paths are in
tests/integration/test_chroma_server.py)."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from chromadb.errors import AuthorizationError

from coach.retrieval.http_index import HttpIndex, ServerUnreachable, server_error


@pytest.fixture
def silent_server():
    """A socket that accepts connections (the kernel's backlog does) and never says a word."""
    with socket.create_server(("127.0.0.1", 0)) as listening:
        listening.listen()
        yield f"http://127.0.0.1:{listening.getsockname()[1]}"


def test_a_server_that_never_answers_is_one_sentence_not_a_hang(silent_server):
    with pytest.raises(ServerUnreachable) as failed:
        HttpIndex(silent_server, timeout=0.5).client()
    assert str(failed.value) == (f"The Chroma server at {silent_server} did not answer in time; "
                                 "check it is running and try again.")


class Refusing(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_a_refused_token_is_told_from_the_status():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with pytest.raises(ServerUnreachable, match="refused the token; set COACH_INDEX_TOKEN"):
            HttpIndex(url, token="wrong", timeout=5).client()
    finally:
        server.shutdown()
        server.server_close()


def test_a_port_with_401_in_it_is_not_a_refused_token():
    """The status decides, not digits somewhere in the message (a port like :4013)."""
    url = "http://index.internal:4013"
    unreachable = server_error(url, httpx.ConnectError(f"cannot connect to {url}"))
    assert str(unreachable).startswith(f"Could not reach the Chroma server at {url}")
    assert "refused the token" in str(server_error(url, AuthorizationError("no")))
    response = httpx.Response(403, request=httpx.Request("GET", f"{url}/api/v2/heartbeat"))
    forbidden = httpx.HTTPStatusError("forbidden", request=response.request, response=response)
    assert "refused the token" in str(server_error(url, forbidden))
