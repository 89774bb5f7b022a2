"""One app per data folder: a second `coach` app is refused instead of fighting over the index."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from coach.errors import CoachError


class AlreadyRunning(CoachError):
    exit_code = 3


@contextmanager
def single_instance(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(data_dir / "app.lock", timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise AlreadyRunning(
            "coach is already open in another terminal (using the same data folder); "
            "switch to that window or close it first."
        ) from None
    try:
        yield
    finally:
        lock.release()
