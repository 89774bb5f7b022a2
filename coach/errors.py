"""Errors a user can cause or fix; each carries one sentence saying what happened and what to do."""


class CoachError(Exception):
    """A failure the user can act on. The message is shown as-is, never with a traceback."""

    exit_code = 1


class ModelNotFound(CoachError):
    """The chat or embedding model is not in the model cache."""


class InvalidModelFile(CoachError):
    """A model file exists but is not a usable GGUF/ONNX file."""


class DownloadFailed(CoachError):
    """Fetching or verifying a carrier package failed."""


class StoreBusy(CoachError):
    """Another process holds the index's writer lock."""

    exit_code = 3


class CorpusError(CoachError):
    """A corpus document could not be read or parsed."""


class PromptError(CoachError):
    """A prompt template is malformed or was rendered with the wrong variables."""


class ConfigError(CoachError):
    """The configuration file or a setting is invalid."""
