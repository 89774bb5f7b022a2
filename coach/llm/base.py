"""The ChatBackend Protocol every chat model implements, and the per-reply figures it reports."""

from collections.abc import Iterator, Sequence
from threading import Event
from typing import Literal, Protocol

from pydantic import BaseModel


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


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


class ChatBackend(Protocol):
    """A chat model. `stream` yields text pieces; `last_stats` describes the reply just streamed."""

    name: str
    n_ctx: int
    last_stats: GenerationStats

    def stream(self, messages: Sequence[ChatMessage], max_tokens: int, stop: Event | None = None,
               json_schema: dict | None = None) -> Iterator[str]:
        """Reply text piece by piece; with `json_schema`, the reply is JSON that the schema allows."""
        ...

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Prompt tokens these messages take once formatted by the model's chat template."""
        ...

    def warm_up(self, messages: Sequence[ChatMessage]) -> None:
        """Evaluate a fixed prompt prefix now so later prompts that start with it reuse the cache."""
        ...

    def snapshot(self) -> object:
        """Save the model state (KV cache) before a detour, such as a time-out question."""
        ...

    def restore(self, state: object) -> None:
        """Return to a state from snapshot(), so the role-play need not be re-evaluated."""
        ...
