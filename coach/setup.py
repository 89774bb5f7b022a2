"""First-run preparation shared by `coach setup` and the app: pull what is missing, then index."""

from collections.abc import Callable

from coach.assets.catalog import find_entry
from coach.assets.pull import pull
from coach.readiness import Readiness
from coach.retrieval.sync import SyncReport
from coach.services import Services

Progress = Callable[[int, int, str], None]


def prepare(services: Services, readiness: Readiness, progress: Progress,
            index_progress: Progress | None = None) -> SyncReport | None:
    """Pull missing models (progress in bytes), then index an empty index (progress in notes)."""
    pull_missing(services, readiness, progress)
    if not readiness.index_empty:
        return None
    return index_shipped_corpus(services, index_progress or progress)


def pull_missing(services: Services, readiness: Readiness, progress: Progress) -> None:
    for name in readiness.models_to_pull:
        pull(find_entry(name), services.settings.models_dir,
             lambda done, total, stage: progress(done, total, f"{name}: {stage}"))


def index_shipped_corpus(services: Services, progress: Progress) -> SyncReport:
    """Index the corpus folder (seeded from the shipped corpus on first use)."""
    return services.corpus().sync(lambda done, total, doc: progress(done, total, f"indexing {doc}".strip()))
