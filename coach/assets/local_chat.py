"""The local chat model as a BackendSource: the GGUF named by the `model` setting (a catalog name
in the model cache, or the user's own file). Its name and health come from the cache alone; only
`load()` reads the model into memory."""

from coach.assets.catalog import find_entry
from coach.assets.pull import sha256_of
from coach.assets.resolve import ResolvedModel, resolve_chat_model
from coach.config import Settings
from coach.errors import ModelNotFound
from coach.llm.base import BackendHealth, ChatBackend


class LocalModelSource:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def model(self) -> ResolvedModel:
        return resolve_chat_model(self.settings.model, self.settings.models_dir)

    @property
    def name(self) -> str:
        return self.model().name

    def location(self) -> str:
        return str(self.model().path)

    def health(self) -> BackendHealth:
        model = self.model()
        if model.pulled:
            return BackendHealth(ok=True)
        if model.expected_size is None:  # the user's own GGUF: nothing to pull
            return BackendHealth(ok=False, problem=f"No model file at {model.path}; check the path or run "
                                                   "`coach models use NAME|PATH`.")
        return BackendHealth(ok=False, pull=self.settings.model,
                             problem=f"The chat model {self.settings.model} is not pulled yet; "
                                     f"run `coach models pull {self.settings.model}`.")

    def integrity(self) -> BackendHealth:
        """The file against the catalog's sha256 (slow: reads the whole file). Own GGUFs pass."""
        model = self.model()
        if not model.pulled or model.expected_size is None:
            return self.health()
        actual = sha256_of(model.path)
        if actual == find_entry(model.name).files[0].sha256:
            return BackendHealth(ok=True)
        return BackendHealth(ok=False, pull=model.name,
                             problem=f"sha256 MISMATCH ({actual[:16]}…); run `coach models pull {model.name}` again")

    def load(self) -> ChatBackend:
        from coach.llm.llama_backend import LlamaBackend  # imported late: llama.cpp is slow to import

        health = self.health()
        if not health.ok:
            raise ModelNotFound(health.problem)
        model, s = self.model(), self.settings
        return LlamaBackend(model.path, n_ctx=s.n_ctx, n_threads=s.n_threads, temperature=s.temperature,
                            name=model.name, expected_size=model.expected_size)
