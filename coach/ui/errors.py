"""Turn any failure inside a worker into one sentence for a notification, never a dead app."""

from collections.abc import Iterator
from contextlib import contextmanager

from coach.errors import CoachError, disk_full, is_disk_full


def describe(error: Exception) -> str:
    if isinstance(error, CoachError):
        return str(error)
    if is_disk_full(error):
        return str(disk_full("coach's files"))
    # Not one we foresaw: say what it was and keep the app alive; the details are for a bug report.
    return f"Something went wrong ({error.__class__.__name__}: {error}); try again, and report it if it repeats."


@contextmanager
def errors_as_notices(screen, timeout: float | None = None) -> Iterator[None]:
    """Inside a thread worker: any failure becomes a notification, never a dead app."""
    try:
        yield
    except Exception as error:
        screen.app.call_from_thread(screen.notify, describe(error), severity="error", timeout=timeout)
