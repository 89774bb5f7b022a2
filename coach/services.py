"""The one factory that builds coach's collaborators, shared by the CLI, the app and the tests."""

import threading
from collections.abc import Callable
from functools import cached_property

from coach.assets.catalog import find_entry
from coach.assets.resolve import ResolvedModel, embedding_folder, resolve_chat_model
from coach.coaching.ask import AskService
from coach.coaching.prompts import load_prompt
from coach.config import Settings
from coach.errors import CoachError, ModelNotFound
from coach.llm.base import ChatBackend
from coach.retrieval.embeddings import MiniLMEmbedding
from coach.retrieval.store import GuidanceStore

BackendFactory = Callable[[Settings], ChatBackend]


def local_backend(settings: Settings) -> ChatBackend:
    from coach.llm.llama_backend import LlamaBackend  # imported late: llama.cpp is slow to import

    model = resolve_chat_model(settings.model, settings.models_dir)
    if not model.pulled:
        raise ModelNotFound(_missing_model_message(settings.model, model))
    return LlamaBackend(model.path, n_ctx=settings.n_ctx, n_threads=settings.n_threads,
                        temperature=settings.temperature, name=model.name,
                        expected_size=model.expected_size)


def _missing_model_message(setting: str, model: ResolvedModel) -> str:
    if model.expected_size is None:
        return f"No model file at {model.path}; check the path or run `coach models use NAME|PATH`."
    return f"The chat model {setting} is not pulled yet; run `coach models pull {setting}`."


class Services:
    """Lazily built collaborators; each is created on first use and then reused."""

    def __init__(self, settings: Settings, backend_factory: BackendFactory = local_backend) -> None:
        self.settings = settings
        self._backend_factory = backend_factory
        self._backend: ChatBackend | None = None
        self._backend_lock = threading.Lock()

    @cached_property
    def embedder(self) -> MiniLMEmbedding:
        entry = find_entry(self.settings.embedding_model)
        return MiniLMEmbedding(embedding_folder(entry, self.settings.models_dir),
                               threads=self.settings.n_threads)

    @cached_property
    def store(self) -> GuidanceStore:
        return GuidanceStore(self.settings.index_dir, self.embedder)

    def chat_model(self) -> ResolvedModel:
        return resolve_chat_model(self.settings.model, self.settings.models_dir)

    def backend(self) -> ChatBackend:
        """The chat model, loaded once per process (the first call pays for loading)."""
        with self._backend_lock:
            if self._backend is None:
                self._backend = self._backend_factory(self.settings)
            return self._backend

    @cached_property
    def ask_prompt(self):
        return load_prompt("ask")

    @cached_property
    def session_store(self):
        from coach.sessions.store import SessionStore

        return SessionStore(self.settings.data_dir / "sessions.db")

    @cached_property
    def workspace(self):
        from coach.corpus.workspace import CorpusWorkspace

        workspace = CorpusWorkspace(self.settings.corpus_path)
        workspace.ensure()
        return workspace

    def corpus(self):
        from coach.corpus.service import CorpusService

        return CorpusService(self.workspace, self.store)

    def scenarios(self) -> list:
        from coach.coaching.scenarios import load_scenarios

        return load_scenarios(self.workspace.scenarios_dir)

    def scenario(self, scenario_id: str):
        from coach.coaching.scenarios import find_scenario

        return find_scenario(scenario_id, self.workspace.scenarios_dir)

    def use_session_store(self, store) -> None:
        """Keep sessions elsewhere: the bench's scripted sessions must not fill a user's History."""
        self.__dict__["session_store"] = store

    def practice_engine(self, scenario_id: str):
        from coach.coaching.practice.behaviours import BehaviourClassifier
        from coach.coaching.practice.engine import PracticeEngine

        scenario = self.scenario(scenario_id)  # a wrong id fails before the model loads
        return PracticeEngine(scenario, self.backend(), BehaviourClassifier(self.embedder.embed),
                              self.session_store, load_prompt("mentee"))

    def history(self):
        from coach.coaching.history import History

        return History(self.session_store, self.workspace.scenarios_dir)

    def debrief_service(self):
        from coach.coaching.debrief.rubric import load_rubric
        from coach.coaching.debrief.service import DebriefService
        from coach.coaching.debrief.writing import NarrativeWriter
        from coach.coaching.practice.behaviours import BehaviourClassifier

        return DebriefService(load_rubric(), BehaviourClassifier(self.embedder.embed), self.store,
                              NarrativeWriter(self.backend(), load_prompt("debrief")), self.session_store)

    def ask_service(self) -> AskService:
        s = self.settings
        backend = self.backend()  # a broken model is reported before an empty index
        if self.store.chunk_count() == 0:
            raise CoachError("The guidance index is empty; run `coach corpus sync` (or `coach setup`) first.")
        return AskService(self.store, backend, self.ask_prompt, top_k=s.top_k,
                          min_relevance=s.min_relevance, max_tokens=s.max_tokens,
                          max_question_chars=s.max_question_chars)


def build_services(settings: Settings, backend_factory: BackendFactory = local_backend) -> Services:
    return Services(settings, backend_factory)
