"""`coach serve` opened in headless Chromium, the team way: the served coach talks to a real
llama-cpp-python server. A screenshot of the Ask screen, then a question typed into the page (over
Chromium's DevTools protocol), which reaches the model server. Skipped where Chromium is missing."""

import base64
import itertools
import json
import shutil
import subprocess
import time
from pathlib import Path

import aiohttp
import httpx
import pytest

from tests.integration.test_serve import serving
from tests.servers import free_port, model_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here (apt-get install chromium); "
                                                         "test_serve.py checks the page and a question over its websocket")


class DevTools:
    """Just enough of Chromium's DevTools protocol: call a method, wait for its answer."""

    def __init__(self, socket) -> None:
        self.socket, self.ids = socket, itertools.count(1)

    async def call(self, method: str, **params) -> dict:
        call_id = next(self.ids)
        await self.socket.send_json({"id": call_id, "method": method, "params": params})
        async for message in self.socket:
            answer = json.loads(message.data)
            if answer.get("id") == call_id:
                return answer.get("result", {})
        raise AssertionError(f"Chromium closed the connection during {method}")

    async def screenshot(self, path: Path) -> Path:
        path.write_bytes(base64.b64decode((await self.call("Page.captureScreenshot", format="png"))["data"]))
        return path

    async def click(self, x: int, y: int) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            await self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    async def key(self, key: str, code: str, text: str, key_code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            await self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code, windowsVirtualKeyCode=key_code,
                            **({"text": text} if kind == "keyDown" else {}))


def _page_socket_url(port: int) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            pages = [t for t in httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json() if t["type"] == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.3)
    raise AssertionError("headless Chromium did not open the page within 30 s")


def _wait_for_log(log: Path, line: str, count: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if log.read_text(errors="replace").count(line) >= count:
            return
        time.sleep(0.3)
    raise AssertionError(f"the model server never logged {count} × {line!r} within {seconds:.0f} s")


async def test_chromium_shows_the_ask_screen_and_a_typed_question_reaches_the_model_server(
        tmp_path, monkeypatch, tiny_model_path):
    (tmp_path / "llm").mkdir()
    with model_server(tmp_path / "llm", tiny_model_path) as llm:
        monkeypatch.setenv("COACH_MODEL_URL", llm.url)
        monkeypatch.setenv("COACH_MODEL_NAME", "smollm2-135m")
        with serving(tmp_path, monkeypatch) as (url, _):
            port = free_port()
            browser = subprocess.Popen([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
                                        f"--remote-debugging-port={port}", f"--user-data-dir={tmp_path / 'chromium'}",
                                        "--window-size=1280,800", url],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                async with aiohttp.ClientSession() as client:
                    socket = await client.ws_connect(_page_socket_url(port), max_msg_size=0)
                    tools = DevTools(socket)
                    # The app checks the server (GET /v1/models) at start and again when it loads the model.
                    _wait_for_log(llm.log, "GET /v1/models", 2, 90)
                    time.sleep(5)  # the app's status line catches up and the last frame reaches the page
                    ask_screen = await tools.screenshot(tmp_path / "ask-screen.png")
                    await tools.click(400, 66)  # the question box, as a mentor would
                    for letter in "how do I handle favoritism":
                        await tools.key(letter, "", letter, ord(letter.upper()))
                    await tools.key("Enter", "Enter", "\r", 13)
                    _wait_for_log(llm.log, "POST /v1/chat/completions", 1, 90)
                    time.sleep(3)
                    answered = await tools.screenshot(tmp_path / "answered.png")
                    await socket.close()
            finally:
                browser.kill()
                browser.wait(timeout=30)
    assert ask_screen.stat().st_size > 10_000 and answered.read_bytes() != ask_screen.read_bytes()
