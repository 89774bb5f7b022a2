"""What every chat model offers (ChatBackend), the optional prompt-cache capability a local model
adds (PromptCache), per-call sampling (Sampling), and the per-reply figures a reply carries with it."""

from collections.abc import Iterator, Sequence
from threading import Event
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class Sampling(BaseModel):
    """How one reply picks its tokens, when a task wants other settings than the backend's own
    (role-play samples warmer than Ask and penalises repeats). Defaults are llama.cpp's."""

    model_config = ConfigDict(frozen=True)

    temperature: float | None = None  # None: the backend's own (the `temperature` setting)
    top_p: float = 0.95
    min_p: float = 0.05
    repeat_penalty: float = 1.0  # 1.0: no penalty
    # Texts the reply may not repeat runs of (llm/copy_block.py). Enforced by the local model; a
    # model server gets no such hook, and its replies are measured for copying all the same.
    avoid_copying_from: tuple[str, ...] = ()
    # Characters the reply may never write (llm/character_ban.py). Enforced by the local model; a
    # model server gets no such hook, and the guard still checks what comes back.
    banned_characters: str = ""


class GenerationStats(BaseModel):
    """What one reply cost: tokens in the prompt, how many had to be evaluated, and timings."""

    prompt_tokens: int = 0
    evaluated_prompt_tokens: int = 0  # prompt tokens not served from the KV cache
    completion_tokens: int = 0
    first_token_seconds: float = 0.0
    total_seconds: float = 0.0
    stopped: bool = False

    @property
    def tokens_per_second(self) -> float:
        generating = self.total_seconds - self.first_token_seconds
        return (self.completion_tokens - 1) / generating if generating > 0 and self.completion_tokens > 1 else 0.0


class Reply:
    """One reply's text pieces, in order. `stats` belongs to this reply alone (never to the next
    one), and is complete once the pieces are used up or the reply is closed."""

    def __init__(self, pieces: Iterator[str], stats: GenerationStats) -> None:
        self._pieces = pieces
        self.stats = stats

    def __iter__(self) -> "Reply":
        return self

    def __next__(self) -> str:
        return next(self._pieces)

    def close(self) -> None:
        close = getattr(self._pieces, "close", None)
        if close is not None:
            close()

    def text(self) -> str:
        """Read the whole reply (for callers that do not stream)."""
        return "".join(self)


class BackendHealth(BaseModel):
    """Whether a backend can answer now, told without loading a model. `pull` names the catalog
    model to download when that is what is missing."""

    ok: bool
    problem: str = ""
    pull: str = ""


class ChatBackend(Protocol):
    """A chat model: the core every backend offers, local or remote."""

    name: str
    n_ctx: int

    def stream(self, messages: Sequence[ChatMessage], max_tokens: int, stop: Event | None = None,
               json_schema: dict | None = None, sampling: Sampling | None = None) -> Reply:
        """Reply text piece by piece; with `json_schema`, the reply is JSON that the schema allows.
        `sampling` applies to this reply only; None means the backend's configured settings."""
        ...

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Prompt tokens these messages take once formatted by the model's chat template."""
        ...


@runtime_checkable
class PromptCache(Protocol):
    """Optional: a backend that keeps its KV cache in this process can be warmed and rewound."""

    def warm_up(self, messages: Sequence[ChatMessage], sampling: Sampling | None = None) -> None:
        """Evaluate a fixed prompt prefix now so later prompts that start with it reuse the cache,
        and prepare what `sampling` needs (a token ban) so the first reply does not pay for it."""
        ...

    def snapshot(self) -> object:
        """Save the model state (KV cache) before a detour, such as a time-out question."""
        ...

    def restore(self, state: object) -> None:
        """Return to a state from snapshot(), so the role-play need not be re-evaluated."""
        ...


class Prefill(BaseModel):
    """What one read-ahead did: tokens evaluated now, and whether the cache holds the whole prefix."""

    evaluated: int
    complete: bool


@runtime_checkable
class PromptPrefill(Protocol):
    """Optional: read the start of a prompt ahead of time (while a question is still being typed)."""

    def prefill(self, messages: Sequence[ChatMessage], stop: Event) -> Prefill:
        """Bring the KV cache up to the end of the last message's text (no end of turn, no reply
        prompt), keeping whatever prefix it already shares. Works in small slices; waits while a
        reply has the model, and gives up at once on `stop` or when a reply is waiting for it."""
        ...

    def uncached(self, messages: Sequence[ChatMessage]) -> int:
        """How many tokens of the prompt up to the end of the last message's text the KV cache lacks
        (0: read in full). Never waits for the model: a read-ahead slice in progress may not count yet."""
        ...


def prompt_prefill(backend: ChatBackend) -> PromptPrefill | None:
    return backend if isinstance(backend, PromptPrefill) else None


def continues_replies(backend: ChatBackend) -> bool:
    """Whether a final assistant message is carried on, as the start of the reply (the local model
    builds its own prompt tokens; a server's chat template would close that message instead)."""
    return bool(getattr(backend, "continues_replies", False))


def prompt_cache(backend: ChatBackend) -> PromptCache | None:
    """The backend's prompt-cache capability, or None when it has none (a remote server)."""
    return backend if isinstance(backend, PromptCache) else None


class BackendSource(Protocol):
    """How Services gets its chat backend: cheap questions (name, health) answered without loading
    anything, and `load()` that pays for the model once."""

    @property
    def name(self) -> str: ...

    def health(self) -> BackendHealth: ...

    def load(self) -> ChatBackend: ...
