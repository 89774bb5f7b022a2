"""What a first run still needs: the chat model, the embedding model, an index. Cheap to compute."""

from pydantic import BaseModel

from coach.assets.catalog import find_entry, looks_like_path
from coach.assets.pull import is_pulled
from coach.errors import CoachError
from coach.services import Services


class Readiness(BaseModel):
    models_to_pull: list[str]  # catalog names
    chat_model_problem: str = ""  # e.g. your own GGUF path does not exist
    index_empty: bool

    @property
    def ready(self) -> bool:
        return not (self.models_to_pull or self.chat_model_problem or self.index_empty)


def check_readiness(services: Services) -> Readiness:
    s = services.settings
    missing = [] if is_pulled(find_entry(s.embedding_model), s.models_dir) else [s.embedding_model]
    model = services.chat_model()
    problem = ""
    if not model.pulled:
        if looks_like_path(s.model):
            problem = f"No model file at {model.path}; run `coach models use NAME|PATH`."
        else:
            missing.append(s.model)
    return Readiness(models_to_pull=missing, chat_model_problem=problem, index_empty=_index_empty(services, missing))


def _index_empty(services: Services, missing: list[str]) -> bool:
    if services.settings.embedding_model in missing:
        return True
    try:
        return services.store.chunk_count() == 0
    except CoachError:
        return True
