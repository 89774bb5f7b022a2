"""The one way coach reads a TOML file (prompt, scenario, config, approvals, golden questions):
into a dict or a pydantic model, or one sentence that names the file and what is wrong with it."""

import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from coach.errors import CoachError

Model = TypeVar("Model", bound=BaseModel)


def read_toml(path: Path, error: type[CoachError], missing_ok: bool = False) -> dict:
    """The file's table; `{}` for a missing file when `missing_ok`."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        if missing_ok:
            return {}
        raise error(f"{path} is missing; restore it from the coach repository.") from None
    except UnicodeDecodeError as problem:
        raise error(f"{path} is not UTF-8 text (byte {problem.start} cannot be read); save it as UTF-8 "
                    "and try again.") from None
    except OSError as problem:
        raise error(f"Could not read {path} ({problem.strerror}); check that it is a readable file.") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise error(f"{path} is not valid TOML ({problem}); fix it and try again.") from None


def load_toml_as(path: Path, model: type[Model], error: type[CoachError]) -> Model:
    data = read_toml(path, error)
    try:
        return model.model_validate(data)
    except ValidationError as problem:
        raise error(f"{path}: {describe_validation(problem)}.") from None


def describe_validation(problem: ValidationError) -> str:
    """Every invalid field in one sentence: "field 'a' is invalid: …; field 'b' is invalid: …"."""
    return "; ".join(f"field '{'.'.join(str(part) for part in e['loc']) or '(file)'}' is invalid: {e['msg']}"
                     for e in problem.errors())
