"""Where the guidance index lives: a Chroma client and how writers take turns on it.

The factory picks one: a folder on this machine (a persistent client, with a file lock because
ChromaDB is not safe with two writing processes), or a shared Chroma server (http_index.HttpIndex).
"""

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

import chromadb
from chromadb.config import Settings as ChromaSettings
from filelock import FileLock, Timeout

from coach.errors import CoachError, StoreBusy, disk_full, disk_nearly_full, is_disk_full

WRITER_WAIT_SECONDS = 2.0
logging.getLogger("chromadb").setLevel(logging.ERROR)


class IndexConnection(Protocol):
    location: str  # shown to people: a folder or a server address
    shared: bool  # other corpus folders write to it too (a server): sync deletes only what it put there

    def client(self) -> chromadb.ClientAPI: ...

    def writer(self) -> AbstractContextManager[None]:
        """Held by anything that writes, so two writers never interleave."""
        ...


class LocalIndex:
    """The index in a folder on this machine."""

    shared = False

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.location = str(index_dir)

    def client(self) -> chromadb.ClientAPI:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        try:
            return chromadb.PersistentClient(path=str(self.index_dir),
                                             settings=ChromaSettings(anonymized_telemetry=False))
        except Exception as error:  # chromadb raises many untyped errors for a damaged folder
            raise damaged_index(self.location, error) from None

    @contextmanager
    def writer(self) -> Iterator[None]:
        lock = FileLock(self.index_dir / ".writer.lock", timeout=WRITER_WAIT_SECONDS)
        try:
            lock.acquire()
        except Timeout:
            raise StoreBusy(
                f"Another coach process is writing to the index at {self.index_dir}; "
                "wait for it to finish (or close it) and try again."
            ) from None
        try:
            yield
        finally:
            lock.release()


def damaged_index(location: str, error: Exception) -> CoachError:
    """A full disk first (deleting the index would not help, and loses nothing to wait for), then damage."""
    if is_disk_full(error) or disk_nearly_full(location):
        return disk_full(location)
    return CoachError(
        f"The index at {location} could not be opened ({error.__class__.__name__}); "
        "delete that folder and run `coach corpus sync` to rebuild it.")


def index_errors(method: Callable) -> Callable:
    """Wrap a store method so ChromaDB's untyped failures reach people as one sentence."""
    @functools.wraps(method)
    def wrapper(store, *args, **kwargs):
        try:
            return method(store, *args, **kwargs)
        except CoachError:
            raise
        except Exception as error:  # chromadb raises InternalError and friends, untyped
            if failure := getattr(store.connection, "failure", None):  # a server: one sentence for its errors
                raise failure(error) from None
            if is_disk_full(error) or disk_nearly_full(store.location):
                raise disk_full(store.location) from None
            raise
    return wrapper

