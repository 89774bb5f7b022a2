"""`coach serve` on a free loopback port: the page is served, each browser connection (a websocket,
as the page opens it) gets its own app process showing the Ask screen, and a question typed through
it is answered from the index. A non-local address without --allow-remote is refused."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import httpx
import psutil
import pytest

from coach.cli.serve import check_port_free, session_command
from coach.cli.web_session import wants_trainer
from coach.config import Settings
from coach.errors import CoachError
from coach.services import build_services
from tests.conftest import REPO
from tests.servers import free_port

NOTES = ("favouritism-perceptions", "colleagues-left-out")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]")


def _coach_serve(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "coach", "serve", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


@contextmanager
def serving(tmp_path: Path, monkeypatch) -> Iterator[tuple[str, subprocess.Popen]]:
    """A served coach with a small local index, on a free loopback port (the tiny local model
    unless COACH_MODEL_URL is set)."""
    corpus = tmp_path / "corpus"
    (corpus / "guidance").mkdir(parents=True)
    for doc_id in NOTES:
        shutil.copy(REPO / "corpus" / "guidance" / f"{doc_id}.md", corpus / "guidance")
    shutil.copytree(REPO / "corpus" / "scenarios", corpus / "scenarios")
    for name, value in {"COACH_CORPUS_DIR": str(corpus), "COACH_MODEL": "smollm2-135m", "COACH_N_CTX": "2048",
                        "COACH_TOP_K": "1", "COACH_MAX_TOKENS": "16"}.items():
        monkeypatch.setenv(name, value)
    build_services(Settings()).corpus().sync()
    port = free_port()
    process = _coach_serve("--port", str(port))
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_page(url, process)
        yield url, process
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.fixture
def served(tmp_path, monkeypatch):
    with serving(tmp_path, monkeypatch) as running:
        yield running


def _wait_for_page(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError(f"coach serve did not answer at {url} within 60 s")


async def _read_until(socket, seen: list[str], wanted: str, seconds: float) -> str:
    """The screen text so far (escape codes removed), once `wanted` shows in it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            message = await socket.receive(timeout=max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            break
        if message.type == aiohttp.WSMsgType.BINARY:
            seen.append(message.data.decode("utf-8", "replace"))
        elif message.type == aiohttp.WSMsgType.TEXT:
            seen.append(message.data)
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            break
        if wanted in (text := ANSI.sub("", "".join(seen))):
            return text
    raise AssertionError(f"'{wanted}' never showed; the screen had: {ANSI.sub('', ''.join(seen))[-1500:]}")


def _session_processes(server: subprocess.Popen) -> list[psutil.Process]:
    children = psutil.Process(server.pid).children(recursive=True)
    return [p for p in children if p.cmdline()[1:3] == ["-m", "coach.cli.web_session"]]


async def test_the_page_is_served_and_each_browser_session_gets_its_own_app(served):
    url, server = served
    page = httpx.get(url, timeout=10)
    assert page.status_code == 200 and "xterm" in page.text and f"{url.replace('http', 'ws')}/ws" in page.text
    async with aiohttp.ClientSession() as client:
        first = await client.ws_connect(f"{url.replace('http', 'ws')}/ws?width=120&height=36")
        second = await client.ws_connect(f"{url.replace('http', 'ws')}/ws?width=120&height=36")
        seen: list[str] = []
        await _read_until(first, seen, "Sources", 60)  # the Ask screen's sources panel
        await _read_until(second, [], "Sources", 60)
        sessions = _session_processes(server)
        assert len(sessions) == 2 and all("--trainer" not in p.cmdline() for p in sessions)  # mentors only
        await _read_until(first, seen, "ready", 90)  # the tiny model has loaded
        await first.send_json(["stdin", "how do I handle favoritism\r"])
        await _read_until(first, seen, "favouritism", 90)  # a passage from the index, shown in the page
        await first.close()
        await second.close()


def test_a_non_local_address_needs_the_explicit_flag():
    refused = _coach_serve("--host", "0.0.0.0", "--port", str(free_port()))
    _, stderr = refused.communicate(timeout=60)
    assert refused.returncode == 2 and "Traceback" not in stderr
    assert stderr.strip() == ("Serving on 0.0.0.0 would let anyone who can reach this machine use coach; serve on "
                              "127.0.0.1, or add --allow-remote and put it behind your organisation's proxy and login.")


def test_browser_sessions_have_no_trainer_screen_unless_asked():
    """Anyone who reaches the page would otherwise edit, sync and remove the shared notes."""
    default, trainer = session_command(), session_command(trainer=True)
    assert default.endswith("-m coach.cli.web_session") and not wants_trainer(default.split()[1:])
    assert trainer == f"{default} --trainer" and wants_trainer(trainer.split()[1:])


def _ipv6_loopback() -> socket.socket | None:
    """A socket on [::1] holding a free port, where this machine has IPv6."""
    if not socket.has_ipv6:
        return None
    try:
        return socket.create_server(("::1", 0), family=socket.AF_INET6)
    except OSError:
        return None


def test_an_ipv6_host_is_checked_as_ipv6():
    taken = _ipv6_loopback()
    if taken is None:
        pytest.skip("this machine cannot listen on ::1 (no IPv6 loopback)")
    with taken:
        port = taken.getsockname()[1]
        with pytest.raises(CoachError, match=rf"^Cannot listen on ::1:{port} \("):
            check_port_free("::1", port)
    check_port_free("::1", port)  # free again: no 'address family not supported'
