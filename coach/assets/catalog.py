"""The model catalog (catalog.toml) as typed data, and where each model lives in the cache."""

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.errors import ModelNotFound

CATALOG_FILE = Path(__file__).with_name("catalog.toml")


class CarrierPart(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    package: str
    version: str
    path: str  # member path inside the wheel


class ModelFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    size: int
    sha256: str
    parts: list[CarrierPart]


class CatalogEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    kind: Literal["chat", "embedding"]
    role: str
    description: str
    subdir: str = ""
    files: list[ModelFile]
    generated: dict[str, str] = Field(default_factory=dict)
    # file to write -> tokenizer.json it is derived from (a WordPiece vocab.txt, one token per line)
    vocab_from: dict[str, str] = Field(default_factory=dict)

    @property
    def total_size(self) -> int:
        return sum(model_file.size for model_file in self.files)

    def folder(self, models_dir: Path) -> Path:
        return models_dir / self.name / self.subdir if self.subdir else models_dir / self.name

    def main_file(self, models_dir: Path) -> Path:
        return self.folder(models_dir) / self.files[0].name


@cache
def load_catalog() -> tuple[CatalogEntry, ...]:
    data = tomllib.loads(CATALOG_FILE.read_text())
    return tuple(CatalogEntry.model_validate(entry) for entry in data["models"])


def find_entry(name: str) -> CatalogEntry:
    for entry in load_catalog():
        if entry.name == name:
            return entry
    known = ", ".join(entry.name for entry in load_catalog())
    raise ModelNotFound(f"There is no model called '{name}' in the catalog; choose one of: {known}.")


def looks_like_path(model: str) -> bool:
    return model.endswith(".gguf") or "/" in model or model.startswith((".", "~"))
