"""A scripted chat backend for UI flow tests: it replays fixed text, one word per token. Like a
model server, it has no prompt cache of its own, so the screens are tested without one."""

import time
from threading import Event

from coach.llm.base import BackendHealth, GenerationStats, Reply, Sampling


class ScriptedBackend:
    name = "scripted"
    n_ctx = 4096

    def __init__(self, script: str, seconds_per_token: float = 0.0) -> None:
        self.script = script
        self.seconds_per_token = seconds_per_token
        self.calls = 0
        self.schemas: list[dict | None] = []
        self.samplings: list[Sampling | None] = []
        self.json_script = ""  # replayed instead of `script` when a JSON schema is asked for

    def stream(self, messages, max_tokens, stop: Event | None = None, json_schema: dict | None = None,
               sampling: Sampling | None = None) -> Reply:
        self.calls += 1
        self.schemas.append(json_schema)
        self.samplings.append(sampling)
        script = self.json_script if json_schema and self.json_script else self.script
        stats = GenerationStats(prompt_tokens=100, evaluated_prompt_tokens=40, first_token_seconds=0.5, total_seconds=1.5)
        return Reply(self._replay(script.split(" "), stop, stats), stats)

    def _replay(self, words: list[str], stop: Event | None, stats: GenerationStats):
        for sent, word in enumerate(words, start=1):
            if stop is not None and stop.is_set():
                stats.stopped = True
                return
            time.sleep(self.seconds_per_token)
            stats.completion_tokens = sent
            yield word if sent == 1 else " " + word

    def count_tokens(self, messages) -> int:
        return sum(len(m.content.split()) for m in messages)


class ScriptedSource:
    """Hands Services the scripted backend; always healthy, nothing to pull."""

    def __init__(self, backend: ScriptedBackend, load_seconds: float = 0.0) -> None:
        self.backend, self.load_seconds = backend, load_seconds
        self.name = backend.name

    def health(self) -> BackendHealth:
        return BackendHealth(ok=True)

    def load(self) -> ScriptedBackend:
        time.sleep(self.load_seconds)
        return self.backend
