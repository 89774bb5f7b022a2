"""Settings: defaults, then the TOML file in the config dir, then COACH_* environment variables."""

from pathlib import Path
from typing import Any

import psutil
import tomli_w
from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, InitSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from coach import paths
from coach.errors import ConfigError
from coach.formats.toml_files import read_toml


def physical_cores() -> int:
    # llama.cpp runs at half speed on a 2-core box with its default of cpu_count // 2 threads.
    return psutil.cpu_count(logical=False) or psutil.cpu_count() or 1


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="COACH_", use_attribute_docstrings=True, extra="forbid", validate_default=True
    )

    model: str = "qwen2.5-coder-1.5b"
    """Chat model: a catalog name (see `coach models list`) or a path to any local .gguf file."""

    embedding_model: str = "all-minilm-l6-v2-int8"
    """Embedding model from the catalog, used to index and search the corpus."""

    models_dir: Path = Field(default_factory=paths.default_models_dir)
    """Model cache: where pulled model files live."""

    data_dir: Path = Field(default_factory=paths.default_data_dir)
    """Data dir: the search index (index/), saved sessions (sessions.db), exports and the corpus."""

    corpus_dir: Path | None = None
    """Corpus dir (guidance/, scenarios/, evals/); unset means DATA_DIR/corpus, seeded from the shipped corpus."""

    n_ctx: int = Field(default=4096, ge=512, le=131072)
    """Context window of the chat model, in tokens."""

    n_threads: int = Field(default_factory=physical_cores, ge=1)
    """CPU threads for the chat model; defaults to the physical core count."""

    max_tokens: int = Field(default=384, ge=16)
    """Longest answer the model may write, in tokens."""

    temperature: float = Field(default=0.2, ge=0.0, le=2.0)
    """Sampling temperature; low keeps answers close to the passages."""

    top_k: int = Field(default=4, ge=1, le=20)
    """How many guidance passages Ask retrieves for a question."""

    min_relevance: float = Field(default=0.27, ge=0.0, le=1.0)
    """Best-passage cosine similarity below which Ask says the corpus has no guidance (calibrated)."""

    max_question_chars: int = Field(default=2000, ge=50)
    """Longest question accepted, in characters."""

    min_recall: float = Field(default=0.85, ge=0.0, le=1.0)
    """`coach corpus check` fails when recall@k on the golden questions falls below this."""

    index_url: str | None = None
    """Shared Chroma server (http://host:8000) for the index; unset keeps the index in DATA_DIR/index."""

    index_token: SecretStr | None = None
    """Token for the Chroma server, sent as a bearer token; read only from COACH_INDEX_TOKEN, never the file."""

    model_url: str | None = None
    """OpenAI-compatible model server (http://host:8080/v1); unset runs the `model` GGUF on this machine."""

    model_name: str | None = None
    """Model id to ask the model server for; unset takes the first one its /v1/models lists."""

    model_api_key: SecretStr | None = None
    """API key for the model server; read only from COACH_MODEL_API_KEY, never from the config file."""

    server_timeout: float = Field(default=60.0, gt=0, le=3600)
    """Seconds to wait for the model or index server to answer before giving up."""

    live_hints: bool = False
    """Start Practice with live hints on: each of your lines shows its labels under it (F4 toggles)."""

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def corpus_path(self) -> Path:
        return self.corpus_dir or self.data_dir / "corpus"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Read through our own loader, so a Latin-1 or unreadable file is one sentence, not a crash.
        file_settings = refuse_secrets(read_toml(config_file_checked(), ConfigError, missing_ok=True))
        return (init_settings, env_settings, InitSettingsSource(settings_cls, init_kwargs=file_settings))


# Secrets come from the environment only: a config file is copied, shared and committed far more often.
ENVIRONMENT_ONLY = ("model_api_key", "index_token")


def refuse_secrets(file_settings: dict) -> dict:
    # Settings match names whatever their case, so `MODEL_API_KEY = ...` would be read as the key.
    for key in file_settings:
        if key.lower() in ENVIRONMENT_ONLY:
            raise ConfigError(f"{paths.config_file()} sets {key}, which coach reads only from the environment; "
                              f"remove it from the file and set COACH_{key.upper()} instead.")
    return file_settings


def config_file_checked() -> Path:
    """The config file's path, once its folder is known not to be a file."""
    folder = paths.config_dir()
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"The config folder {folder} is a file, not a folder; point COACH_CONFIG_DIR "
                          "at a folder (or move that file aside).")
    return paths.config_file()


def load_settings(**overrides: Any) -> Settings:
    """Build settings, turning a bad config file or variable into one sentence."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigError(_invalid_settings(error)) from None


def _invalid_settings(error: ValidationError) -> str:
    """Every invalid setting at once, so fixing one does not just reveal the next."""
    problems = [f"'{'.'.join(str(part) for part in e['loc'])}' ({e['msg']})" for e in error.errors()]
    where = f"{paths.config_file()} or the COACH_ environment variables"
    if len(problems) == 1:
        return f"Setting {problems[0]} is invalid; fix it in {where}."
    return f"{len(problems)} settings are invalid: {'; '.join(problems)}; fix them in {where}."


def save_setting(key: str, value: Any) -> Path:
    """Write one setting into the TOML config file, atomically, keeping the others."""
    target = config_file_checked()
    current = read_toml(target, ConfigError, missing_ok=True)
    current[key] = value
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".toml.tmp")
    temporary.write_text(tomli_w.dumps(current))
    temporary.replace(target)
    return target
