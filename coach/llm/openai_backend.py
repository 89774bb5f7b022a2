"""A ChatBackend over an OpenAI-compatible server (llama.cpp's llama-server, llama-cpp-python's
server, vLLM), streaming `/v1/chat/completions` with httpx.

httpx rather than the `openai` client: it is already installed (chromadb uses it), it adds no
dependency, and the fields these servers take beyond OpenAI's (`cache_prompt`, `min_p`,
`repeat_penalty`, a schema inside `json_object`) and the per-chunk `timings` go through as plain
JSON. There is no snapshot/restore: the server keeps its own prompt cache (llama.cpp's
`cache_prompt`), and the role-play works without PromptCache.
"""

import json
import math
import socket
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from threading import Event, Thread

import httpx

from coach.formats.http import bearer, waits
from coach.llm.base import ChatMessage, GenerationStats, Reply, Sampling
from coach.llm.http_errors import ModelServerError, for_status, for_transport

# Structured output, best first: OpenAI's json_schema (llama.cpp's server, vLLM), a schema inside
# json_object (llama-cpp-python's server), then plain JSON mode, which the caller validates and retries.
SCHEMA_FORMATS = ("json_schema", "json_object_schema", "json_object")
# No tokenizer on this side: count generously (about 3 characters a token, plus each message's
# template tokens), so history is trimmed a little early rather than overflow the server's window.
CHARS_PER_TOKEN = 3.0
TOKENS_PER_MESSAGE = 6
# How often the stop watcher looks whether the reply ended by itself (and it can go).
STOP_POLL_SECONDS = 0.1


class OpenAICompatibleBackend:
    def __init__(self, base_url: str, model: str, *, n_ctx: int, temperature: float = 0.2,
                 api_key: str | None = None, timeout: float = 60.0) -> None:
        self.url, self.model, self.name = base_url.rstrip("/"), model, model
        self.n_ctx, self.temperature, self.timeout = n_ctx, temperature, timeout
        self._client = httpx.Client(base_url=self.url, headers=bearer(api_key), timeout=waits(timeout))
        self._schema_formats = list(SCHEMA_FORMATS)  # narrowed to what this server accepted

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        chars = sum(len(m.content) for m in messages)
        return math.ceil(chars / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE * len(messages)

    def stream(self, messages: Sequence[ChatMessage], max_tokens: int, stop: Event | None = None,
               json_schema: dict | None = None, sampling: Sampling | None = None) -> Reply:
        body = {"model": self.model, "messages": [m.model_dump() for m in messages], "max_tokens": max_tokens,
                "stream": True, "stream_options": {"include_usage": True},
                "cache_prompt": True,  # llama.cpp's server reuses the shared prefix of the last prompt
                **self._sampling(sampling)}
        estimate = self.count_tokens(messages)  # until the server reports its own figures
        stats = GenerationStats(prompt_tokens=estimate, evaluated_prompt_tokens=estimate)
        return Reply(self._pieces(body, json_schema, stop or Event(), stats), stats)

    def _sampling(self, sampling: Sampling | None) -> dict:
        if sampling is None:
            return {"temperature": self.temperature}
        temperature = self.temperature if sampling.temperature is None else sampling.temperature
        fields = {"temperature": temperature, "top_p": sampling.top_p, "min_p": sampling.min_p}
        if sampling.repeat_penalty != 1.0:
            # llama.cpp's name, and vLLM's for the same multiplicative penalty. OpenAI's
            # frequency_penalty is additive and scaled differently, so it is not a translation.
            fields |= {"repeat_penalty": sampling.repeat_penalty, "repetition_penalty": sampling.repeat_penalty}
        return fields

    def _pieces(self, body: dict, json_schema: dict | None, stop: Event, stats: GenerationStats) -> Iterator[str]:
        started, count = time.perf_counter(), 0
        try:
            with self._response(body, json_schema) as response, _hang_up_on(stop, response):
                for chunk in _chunks(response, self.url):
                    if stop.is_set():
                        break  # leaving the `with` closes the connection, and the server stops generating
                    _take_figures(chunk, stats)
                    piece = _content(chunk)
                    if piece:
                        count += 1
                        if count == 1:
                            stats.first_token_seconds = time.perf_counter() - started
                        yield piece
        except ModelServerError:
            if not stop.is_set():
                raise  # a stop cuts the connection under the read: that break is the stop, not a failure
        finally:
            stats.stopped = stop.is_set()
            stats.total_seconds = time.perf_counter() - started
            stats.completion_tokens = stats.completion_tokens or count

    @contextmanager
    def _response(self, body: dict, json_schema: dict | None) -> Iterator[httpx.Response]:
        """The open streaming answer; with a schema, the first structured-output form the server takes."""
        forms = self._schema_formats if json_schema else [None]
        for n, form in enumerate(forms):
            request = {**body, "response_format": _response_format(form, json_schema)} if form else body
            with self._request(request) as response:
                if form and n + 1 < len(forms) and _refuses_form(response):
                    continue  # this server does not know this form: try the next
                if response.status_code >= 400:
                    raise for_status(self.url, response.status_code, _error_text(response))
                if form:
                    self._schema_formats = forms[n:]
                yield response
                return

    @contextmanager
    def _request(self, body: dict) -> Iterator[httpx.Response]:
        """Every transport failure, on connecting or mid-stream, becomes one sentence here."""
        try:
            with self._client.stream("POST", "/chat/completions", json=body) as response:
                if response.status_code >= 400:
                    response.read()
                yield response
        except httpx.HTTPError as error:
            raise for_transport(self.url, error, self.timeout) from None

    def close(self) -> None:
        self._client.close()


@contextmanager
def _hang_up_on(stop: Event, response: httpx.Response) -> Iterator[None]:
    """Stop closes the connection at once, even while the read waits for a first token that may be
    tens of seconds away (a busy server): the loop above only sees `stop` when a chunk arrives."""
    done = Event()

    def watch() -> None:
        while not done.is_set():
            if stop.wait(STOP_POLL_SECONDS):
                _cut(response)
                return

    Thread(target=watch, name="stop-watcher", daemon=True).start()
    try:
        yield
    finally:
        done.set()


def _cut(response: httpx.Response) -> None:
    """Shut the socket down: closing it would not wake the read blocked on it in another thread."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if sock is None:
        response.close()
        return
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _response_format(form: str, schema: dict) -> dict:
    if form == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": "reply", "schema": schema, "strict": True}}
    if form == "json_object_schema":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_object"}


def _refuses_form(response: httpx.Response) -> bool:
    """A request refused for its response_format (llama-cpp-python answers a validation error with 500)."""
    status = response.status_code
    return status in (400, 422) or (status >= 500 and "response_format" in _error_text(response))


def _chunks(response: httpx.Response, url: str) -> Iterator[dict]:
    """The server-sent events' JSON payloads, up to [DONE]."""
    for line in response.iter_lines():
        if not line.startswith("data:"):
            continue  # blank separators, comments, keep-alive pings
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            chunk = json.loads(data)
        except ValueError:
            raise ModelServerError(f"The model server at {url} sent something that is not JSON; "
                                   "check model_url points at an OpenAI-compatible server.") from None
        if isinstance(chunk, dict) and chunk.get("error"):
            detail = chunk["error"].get("message", "") if isinstance(chunk["error"], dict) else str(chunk["error"])
            raise ModelServerError(f"The model server at {url} stopped with an error ({detail[:160]}); try again.")
        yield chunk


def _content(chunk: dict) -> str:
    choices = chunk.get("choices") or []
    return (choices[0].get("delta") or {}).get("content") or "" if choices else ""


def _take_figures(chunk: dict, stats: GenerationStats) -> None:
    """Token counts where the server reports them: `usage` (OpenAI, vLLM) and `timings` (llama.cpp,
    whose prompt_n counts only the prompt tokens not served from its cache)."""
    if usage := chunk.get("usage"):
        stats.prompt_tokens = usage.get("prompt_tokens", stats.prompt_tokens)
        stats.completion_tokens = usage.get("completion_tokens", stats.completion_tokens)
    if timings := chunk.get("timings"):
        stats.evaluated_prompt_tokens = timings.get("prompt_n", stats.evaluated_prompt_tokens)


def _error_text(response: httpx.Response) -> str:
    try:
        found = response.json()
    except ValueError:
        return response.text.strip()
    error = found.get("error") if isinstance(found, dict) else None
    if isinstance(error, dict):
        return str(error.get("message", ""))
    return str(error or (found.get("detail") if isinstance(found, dict) else "") or "")
