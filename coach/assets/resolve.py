"""Turn the `model` setting (a catalog name or a .gguf path) into a file on disk, or a clear error."""

from pathlib import Path

from pydantic import BaseModel

from coach.assets.catalog import CatalogEntry, find_entry, looks_like_path
from coach.assets.pull import is_pulled
from coach.errors import ModelNotFound


class ResolvedModel(BaseModel):
    name: str
    path: Path
    expected_size: int | None = None  # known for catalog models, unknown for your own GGUF
    pulled: bool


def resolve_chat_model(model: str, models_dir: Path) -> ResolvedModel:
    if looks_like_path(model):
        path = Path(model).expanduser()
        return ResolvedModel(name=path.name, path=path, pulled=path.is_file())
    entry = find_entry(model)
    if entry.kind != "chat":
        raise ModelNotFound(f"'{model}' is an embedding model, not a chat model; choose a chat model.")
    return ResolvedModel(name=entry.name, path=entry.main_file(models_dir),
                         expected_size=entry.files[0].size, pulled=is_pulled(entry, models_dir))


def embedding_folder(entry: CatalogEntry, models_dir: Path) -> Path:
    if not is_pulled(entry, models_dir):
        raise ModelNotFound(f"The embedding model {entry.name} is not pulled yet; "
                            f"run `coach models pull {entry.name}`.")
    return entry.folder(models_dir)
