"""What `coach models list` shows, and `coach models use`: choosing the default chat model."""

from pathlib import Path

from pydantic import BaseModel

from coach.assets.catalog import find_entry, load_catalog, looks_like_path
from coach.assets.pull import is_pulled
from coach.config import Settings, save_setting
from coach.errors import ModelNotFound
from coach.llm.gguf_check import check_gguf


class ModelRow(BaseModel):
    name: str
    kind: str
    role: str
    size: int
    pulled: bool
    default: bool
    description: str


def list_models(settings: Settings) -> list[ModelRow]:
    rows = [ModelRow(name=e.name, kind=e.kind, role=e.role, size=e.total_size,
                     pulled=is_pulled(e, settings.models_dir),
                     default=e.name in (settings.model, settings.embedding_model),
                     description=e.description)
            for e in load_catalog()]
    if looks_like_path(settings.model):
        path = Path(settings.model).expanduser()
        rows.append(ModelRow(name=str(path), kind="chat", role="your own", size=_size(path),
                             pulled=path.is_file(), default=True, description="a local GGUF file"))
    return rows


def use_model(name_or_path: str) -> str:
    """Make a catalog chat model or a local .gguf the default; returns the value saved."""
    if looks_like_path(name_or_path):
        path = Path(name_or_path).expanduser().resolve()
        check_gguf(path)
        value = str(path)
    else:
        entry = find_entry(name_or_path)
        if entry.kind != "chat":
            raise ModelNotFound(f"'{name_or_path}' is an embedding model; `coach models use` takes a chat model.")
        value = entry.name
    save_setting("model", value)
    return value


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else 0
