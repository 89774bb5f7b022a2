"""Where coach keeps things: config, data (the index) and the model cache, following XDG via platformdirs.

Each location can be overridden with an environment variable so tests and power users can isolate them.
"""

import os
from pathlib import Path

import platformdirs

APP_NAME = "coach"
REPO_ROOT = Path(__file__).resolve().parent.parent


def _override(env_var: str, default: str) -> Path:
    return Path(os.environ.get(env_var) or default).expanduser()


def config_dir() -> Path:
    return _override("COACH_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME))


def config_file() -> Path:
    return config_dir() / "config.toml"


def default_data_dir() -> Path:
    return _override("COACH_DATA_DIR", platformdirs.user_data_dir(APP_NAME))


def default_models_dir() -> Path:
    return _override("COACH_MODELS_DIR", str(Path(platformdirs.user_cache_dir(APP_NAME)) / "models"))


def shipped_corpus_dir() -> Path:
    return REPO_ROOT / "corpus"


def prompts_dir() -> Path:
    return REPO_ROOT / "prompts"
