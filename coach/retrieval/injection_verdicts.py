"""The classifier's verdict on each note, remembered in a small JSON file so that listing or syncing
an unchanged corpus never embeds its sentences again (the Trainer screen lists documents often, and
classifying 34 notes takes seconds where reading them takes milliseconds).

A verdict is keyed by the text the classifier read and the weights it read it with, so an edited note
or retrained weights are classified afresh. The file is only a cache: a missing, damaged or
unwritable one costs time, never a wrong verdict or a failed sync."""

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from coach.retrieval.injection_classifier import MODEL_PATH

Verdict = tuple[str, float] | None  # the most suspicious sentence and its score, or None when it passes
CACHE_VERSION = 1


class VerdictCache:
    """Verdicts by key, read from `path` (if any) and written back atomically by `save`."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._stored = _read(path) if path else {}
        self._used: dict[str, list | None] = {}

    def verdict(self, text: str, classify: Callable[[str], Verdict]) -> Verdict:
        """The cached verdict on this text, or classify it now and remember the answer."""
        key = verdict_key(text)
        if key not in self._used:
            self._used[key] = self._stored[key] if key in self._stored else _to_json(classify(text))
        found = self._used[key]
        return None if found is None else (str(found[0]), float(found[1]))

    def save(self) -> None:
        """Keep the verdicts used since loading (a whole-corpus read prunes deleted and edited notes);
        writes only when something changed, via a temporary file and a rename."""
        if self.path is None or self._used == self._stored:
            return
        temporary = None
        try:
            descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".verdicts-", suffix=".tmp")
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                json.dump({"version": CACHE_VERSION, "verdicts": self._used}, file)
            os.replace(temporary, self.path)
        except OSError:  # a read-only or full folder: the next read classifies again, which is only slower
            if temporary:
                Path(temporary).unlink(missing_ok=True)


def verdict_key(text: str) -> str:
    """sha256 of the weights' digest and the text, so retraining invalidates every verdict."""
    return hashlib.sha256(f"{model_digest()}\0{text}".encode("utf-8")).hexdigest()


@cache
def model_digest() -> str:
    return hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()


def _read(path: Path) -> dict[str, list | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # absent or damaged: start empty, it will be rewritten
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or not isinstance(data.get("verdicts"), dict):
        return {}
    return data["verdicts"]


def _to_json(verdict: Verdict) -> list | None:
    return None if verdict is None else [verdict[0], round(verdict[1], 6)]
