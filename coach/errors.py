"""Errors a user can cause or fix; each carries one sentence saying what happened and what to do."""

import errno
import shutil
from pathlib import Path


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


class DiskFull(CoachError):
    """The disk ran out of space while coach was writing."""

    exit_code = 4


class DamagedFile(CoachError):
    """A file coach keeps (the session history, the index) is damaged, not merely unwritable."""


DISK_FULL_SIGNS = ("database or disk is full", "no space left on device", "disk is full", "error in compaction")


def is_disk_full(error: BaseException) -> bool:
    """ENOSPC from the OS, SQLite's FULL, or ChromaDB's compaction failure (how it reports a full disk)."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(error).lower()
    return any(sign in text for sign in DISK_FULL_SIGNS)


NEARLY_FULL_BYTES = 4 * 1024 * 1024  # less room than one sync or one saved turn may need


def disk_nearly_full(where: Path | str) -> bool:
    """Libraries word a full disk many ways (SQLite says "disk I/O error" when its shared memory
    cannot grow); the free space on that disk is the plain test."""
    for place in (Path(where), *Path(where).parents):
        if place.exists():
            try:
                return shutil.disk_usage(place).free < NEARLY_FULL_BYTES
            except OSError:
                return False
    return False


def disk_full(where: object) -> DiskFull:
    return DiskFull(f"The disk holding {where} is full; free some space and try again "
                    "(what was saved before is intact).")
