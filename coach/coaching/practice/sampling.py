"""Sampling for role-play, chosen apart from Ask's. Ask wants answers close to its passages (a low
temperature, the `temperature` setting); a mentee wants varied, natural speech that does not loop
over the same sentence, so it samples warmer and penalises repeated tokens.

The local backend has one temperature for every task and no per-call sampling, and its file belongs
to the model layer; until it takes sampling per call, `role_play_stream` passes these settings to
llama.cpp for role-play prompts only, matched by their exact tokens, so a concurrent Ask or debrief
on the same model keeps its own settings. A backend without a local llama.cpp model (a server, the
scripted test backend) is streamed as it is."""

from collections.abc import Sequence
from threading import Event, Lock

from pydantic import BaseModel

from coach.llm.base import ChatBackend, ChatMessage, Reply


class Sampling(BaseModel):
    temperature: float
    repeat_penalty: float = 1.0  # llama.cpp's own default: no penalty
    top_p: float = 0.95
    min_p: float = 0.05


# Before part 7 the mentee sampled like Ask: temperature 0.2 and no repeat penalty.
BEFORE = Sampling(temperature=0.2, repeat_penalty=1.0)
# Measured with `coach bench --only practice` (docs/measured.md): see the report in the commit.
ROLE_PLAY = Sampling(temperature=0.7, repeat_penalty=1.15)


def role_play_stream(backend: ChatBackend, sampling: Sampling, messages: Sequence[ChatMessage],
                     max_tokens: int, stop: Event) -> Reply:
    shim = _shim_for(backend)
    if shim is None:
        return backend.stream(messages, max_tokens, stop)
    key = tuple(backend.tokens_for(messages))
    shim.add(key, sampling)
    reply = backend.stream(messages, max_tokens, stop)
    return Reply(_forgetting(reply, shim, key), reply.stats)


def _forgetting(reply: Reply, shim: "_SamplingShim", key: tuple):
    try:
        yield from reply
    finally:
        reply.close()
        shim.discard(key)


class _SamplingShim:
    """Wraps one llama.cpp model's create_completion: a prompt registered here gets its sampling."""

    def __init__(self, create_completion) -> None:
        self.original = create_completion
        self._by_prompt: dict[tuple, list[Sampling]] = {}
        self._lock = Lock()

    def add(self, key: tuple, sampling: Sampling) -> None:
        with self._lock:
            self._by_prompt.setdefault(key, []).append(sampling)

    def discard(self, key: tuple) -> None:
        with self._lock:
            waiting = self._by_prompt.get(key, [])
            if waiting:
                waiting.pop()
            if not waiting:
                self._by_prompt.pop(key, None)

    def __call__(self, prompt, **options):
        with self._lock:
            waiting = self._by_prompt.get(tuple(prompt)) if isinstance(prompt, list) else None
            sampling = waiting[-1] if waiting else None
        if sampling is not None:
            options |= sampling.model_dump()
        return self.original(prompt=prompt, **options)


_install_lock = Lock()


def _shim_for(backend: ChatBackend) -> _SamplingShim | None:
    llama = getattr(backend, "_llama", None)
    if llama is None or not hasattr(backend, "tokens_for"):
        return None
    with _install_lock:
        current = llama.__dict__.get("create_completion")
        if not isinstance(current, _SamplingShim):
            current = _SamplingShim(llama.create_completion)
            llama.create_completion = current
        return current
