"""Read a TOML data file (prompt, scenario) into a pydantic model, or fail with one sentence that
names the file and the field."""

import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from coach.errors import CoachError

Model = TypeVar("Model", bound=BaseModel)


def load_toml_as(path: Path, model: type[Model], error: type[CoachError]) -> Model:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{path} is missing; restore it from the coach repository.") from None
    except OSError as problem:
        raise error(f"Could not read {path} ({problem.strerror}).") from None
    except tomllib.TOMLDecodeError as problem:
        raise error(f"{path} is not valid TOML ({problem}); fix it and try again.") from None
    try:
        return model.model_validate(data)
    except ValidationError as problem:
        first = problem.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(file)"
        raise error(f"{path}: field '{field}' is invalid: {first['msg']}.") from None
