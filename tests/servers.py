"""Real servers on loopback for the team-deployment tests: `chroma run` (ships with chromadb) and
llama-cpp-python's OpenAI-compatible server with the tiny model, each on a free 127.0.0.1 port,
waited for with a timeout, and stopped (its whole process group) when the tests are done."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

READY_SECONDS = 90.0  # a cold llama.cpp import plus model load on a busy 2-core box
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RunningServer:
    def __init__(self, process: subprocess.Popen, url: str, log: Path) -> None:
        self.process, self.url, self.log = process, url, log

    def stop(self) -> None:
        """Kill the server's process group (uvicorn may have children) and wait for it."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


@contextmanager
def running(command: list[str], url: str, ready_path: str, log: Path, env: dict | None = None) -> Iterator[RunningServer]:
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, **(env or {})})
    server = RunningServer(process, url, log)
    try:
        _wait_ready(server, ready_path)
        yield server
    finally:
        server.stop()


def _wait_ready(server: RunningServer, ready_path: str) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.url} exited early:\n{server.log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(server.url + ready_path, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"{server.url} was not ready within {READY_SECONDS:.0f} s:\n{server.log.read_text(errors='replace')[-2000:]}")


def chroma_server(folder: Path) -> "contextmanager[RunningServer]":
    port = free_port()
    command = [str(BIN / "chroma"), "run", "--path", str(folder / "chroma"), "--host", "127.0.0.1", "--port", str(port)]
    return running(command, f"http://127.0.0.1:{port}", "/api/v2/heartbeat", folder / "chroma.log")


def model_server(folder: Path, model: Path, api_key: str | None = None,
                 port: int | None = None) -> "contextmanager[RunningServer]":
    port = port or free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
               "--port", str(port), "--n_ctx", "2048", "--n_threads", "1", "--model_alias", "smollm2-135m",
               "--interrupt_requests", "False"]  # its default lets each new request cut off the one streaming
    if api_key:
        command += ["--api_key", api_key]
    return running(command, f"http://127.0.0.1:{port}", "/v1/models", folder / "model-server.log")
