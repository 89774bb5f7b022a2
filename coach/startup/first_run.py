"""First run: what is still missing (the chat model, the embedding model, an index), cheap to
compute, and the preparation that fills the gaps; shared by `coach setup` and the app."""

from collections.abc import Callable

from pydantic import BaseModel

from coach.assets.catalog import find_entry
from coach.assets.pull import is_pulled, pull
from coach.errors import CoachError
from coach.retrieval.sync import SyncReport
from coach.services import Services

Progress = Callable[[int, int, str], None]


class Readiness(BaseModel):
    models_to_pull: list[str]  # catalog names
    chat_model_problem: str = ""  # e.g. your own GGUF path does not exist
    index_empty: bool

    @property
    def ready(self) -> bool:
        return not (self.models_to_pull or self.chat_model_problem or self.index_empty)


def check_readiness(services: Services) -> Readiness:
    """Asks the injected chat backend for its health, so a scripted or remote one needs no file."""
    s = services.settings
    missing = [] if is_pulled(find_entry(s.embedding_model), s.models_dir) else [s.embedding_model]
    health = services.backend_source.health()
    problem = ""
    if health.pull:
        missing.append(health.pull)
    elif not health.ok:
        problem = health.problem
    return Readiness(models_to_pull=missing, chat_model_problem=problem, index_empty=_index_empty(services, missing))


def _index_empty(services: Services, missing: list[str]) -> bool:
    if services.settings.embedding_model in missing:
        return True
    try:
        return services.store.chunk_count() == 0
    except CoachError:
        if services.index.shared:  # a server that does not answer: say so, rather than offer to rebuild it here
            raise
        return True


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
