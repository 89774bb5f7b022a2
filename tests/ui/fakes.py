"""A scripted ChatBackend for UI flow tests: it replays fixed text, one word per token."""

import time
from threading import Event

from coach.llm.base import GenerationStats


class ScriptedBackend:
    name = "scripted"
    n_ctx = 4096

    def __init__(self, script: str, seconds_per_token: float = 0.0) -> None:
        self.script = script
        self.seconds_per_token = seconds_per_token
        self.last_stats = GenerationStats()
        self.calls = 0
        self.schemas: list[dict | None] = []
        self.json_script = ""  # replayed instead of `script` when a JSON schema is asked for

    def stream(self, messages, max_tokens, stop: Event | None = None, json_schema: dict | None = None):
        self.calls += 1
        self.schemas.append(json_schema)
        script = self.json_script if json_schema and self.json_script else self.script
        words = script.split(" ")
        sent = 0
        for sent, word in enumerate(words, start=1):
            if stop is not None and stop.is_set():
                break
            time.sleep(self.seconds_per_token)
            yield word if sent == 1 else " " + word
        self.last_stats = GenerationStats(prompt_tokens=100, evaluated_prompt_tokens=40, completion_tokens=sent,
                                          first_token_seconds=0.5, total_seconds=1.5,
                                          stopped=bool(stop and stop.is_set()))

    def count_tokens(self, messages) -> int:
        return sum(len(m.content.split()) for m in messages)

    def warm_up(self, messages) -> None:
        pass

    def snapshot(self) -> object:
        return None

    def restore(self, state: object) -> None:
        pass
