"""The labelled mentor lines (corpus/evals/mentor_lines/*.jsonl) and their fixed train/test split."""

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, TypeAdapter, field_validator

from coach import paths
from coach.coaching.labeller.labels import EXCLUSIVE, LABELS

TEST_EVERY = 5  # one line in five is a test line, chosen by the hash of its text


class LabelledLine(BaseModel):
    text: str = Field(min_length=1)
    labels: list[Literal[LABELS]] = Field(min_length=1)  # type: ignore[valid-type]

    @field_validator("labels")
    @classmethod
    def _neutral_alone(cls, labels: list[str]) -> list[str]:
        if EXCLUSIVE in labels and len(labels) > 1:
            raise ValueError(f"'{EXCLUSIVE}' cannot be combined with another label")
        return sorted(set(labels))


def data_dir() -> Path:
    return paths.shipped_corpus_dir() / "evals" / "mentor_lines"


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def in_test_split(text: str) -> bool:
    """The documented rule: the first 8 hex digits of sha256(normalised text), divisible by 5."""
    return int(hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()[:8], 16) % TEST_EVERY == 0


def load_lines(folder: Path | None = None) -> list[LabelledLine]:
    """Every labelled line, each text once (the first file in name order wins)."""
    adapter = TypeAdapter(LabelledLine)
    seen, lines = set(), []
    for path in sorted((folder or data_dir()).glob("*.jsonl")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                line = adapter.validate_json(raw)
                if normalised(line.text) not in seen:
                    seen.add(normalised(line.text))
                    lines.append(line)
    return lines


def split(lines: list[LabelledLine], part: Literal["train", "test"]) -> list[LabelledLine]:
    return [line for line in lines if in_test_split(line.text) == (part == "test")]


def data_fingerprint(folder: Path | None = None) -> str:
    """Changes whenever a data file does, so shipped weights can be checked against their data."""
    digest = hashlib.sha256()
    for path in sorted((folder or data_dir()).glob("*.jsonl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
