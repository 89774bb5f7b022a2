"""The one factory that builds coach's collaborators, shared by the CLI, the app and the tests."""

import threading
from functools import cached_property
from typing import TYPE_CHECKING

from coach.assets.catalog import find_entry
from coach.assets.local_chat import LocalModelSource
from coach.assets.resolve import embedding_folder
from coach.coaching.ask import AskService
from coach.coaching.debrief.service import DebriefService
from coach.coaching.debrief.transcript_scoring import TranscriptScorer
from coach.coaching.history import History
from coach.coaching.key_guidance import SentenceVectors
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.practice.engine import PracticeEngine
from coach.coaching.prompts import PromptTemplate, load_prompt
from coach.coaching.scenarios import Scenario, find_scenario, load_scenarios
from coach.config import Settings
from coach.corpus.service import CorpusService
from coach.corpus.workspace import CorpusWorkspace
from coach.errors import CoachError
from coach.llm.base import BackendSource, ChatBackend
from coach.retrieval.embeddings import MiniLMEmbedding
from coach.retrieval.index_connection import IndexConnection, LocalIndex
from coach.retrieval.store import GuidanceStore
from coach.sessions.store import SessionStore

if TYPE_CHECKING:
    from coach.coaching.progress.service import DrillService, ProgressService


class Services:
    """Lazily built collaborators; each is created on first use and then reused.

    `backend_source`, `index` and `session_store` default to the local ones the settings describe;
    tests and the bench pass their own (a scripted chat backend, a throwaway session store)."""

    def __init__(self, settings: Settings, backend_source: BackendSource | None = None,
                 session_store: SessionStore | None = None, index: IndexConnection | None = None) -> None:
        self.settings = settings
        self.backend_source: BackendSource = backend_source or default_backend_source(settings)
        self.index: IndexConnection = index or default_index(settings)
        self._session_store = session_store
        self._backend: ChatBackend | None = None
        self._backend_lock = threading.Lock()

    @cached_property
    def embedder(self) -> MiniLMEmbedding:
        entry = find_entry(self.settings.embedding_model)
        return MiniLMEmbedding(embedding_folder(entry, self.settings.models_dir), threads=self.settings.n_threads)

    @cached_property
    def sentence_vectors(self) -> SentenceVectors:
        """Passage sentences embedded once per process, for the key guidance."""
        return SentenceVectors(self.embedder.embed)

    @cached_property
    def store(self) -> GuidanceStore:
        return GuidanceStore(self.index, self.embedder)

    def backend(self) -> ChatBackend:
        """The chat model, loaded once per process (the first call pays for loading)."""
        with self._backend_lock:
            if self._backend is None:
                self._backend = self.backend_source.load()
            return self._backend

    @cached_property
    def ask_prompt(self) -> PromptTemplate:
        return load_prompt("ask")

    @cached_property
    def session_store(self) -> SessionStore:
        return self._session_store or SessionStore(self.settings.data_dir / "sessions.db")

    @cached_property
    def workspace(self) -> CorpusWorkspace:
        workspace = CorpusWorkspace(self.settings.corpus_path)
        workspace.ensure()
        return workspace

    def corpus(self) -> CorpusService:
        return CorpusService(self.workspace, self.store)

    def scenarios(self) -> list[Scenario]:
        return load_scenarios(self.workspace.scenarios_dir)

    def scenario(self, scenario_id: str) -> Scenario:
        return find_scenario(scenario_id, self.workspace.scenarios_dir)

    def classifier(self) -> BehaviourClassifier:
        return BehaviourClassifier(self.embedder.embed)

    def practice_engine(self, scenario_id: str) -> PracticeEngine:
        scenario = self.scenario(scenario_id)  # a wrong id fails before the model loads
        return PracticeEngine(scenario, self.backend(), self.classifier(), self.session_store, load_prompt("mentee"))

    def history(self) -> History:
        return History(self.session_store, self.workspace.scenarios_dir)

    def transcript_scorer(self) -> TranscriptScorer:
        """Labels and scores only: no chat model is loaded."""
        from coach.coaching.rubric import load_rubric

        return TranscriptScorer(load_rubric(), self.classifier())

    def debrief_service(self) -> DebriefService:
        from coach.coaching.debrief.rewriting import RewriteDrafter
        from coach.coaching.rubric import load_rubric

        classifier = self.classifier()
        return DebriefService(load_rubric(), TranscriptScorer(load_rubric(), classifier), self.store,
                              RewriteDrafter(self.backend(), load_prompt("debrief"), classifier), self.session_store)

    def progress(self) -> "ProgressService":
        """Scores per skill over the saved debriefs and what to practise next: no model is loaded."""
        from coach.coaching.progress.service import ProgressService
        from coach.coaching.rubric import load_rubric

        return ProgressService(self.session_store, self.scenarios(), load_rubric())

    def drills(self) -> "DrillService":
        """Drills from the mentor's own weak lines, checked by the labeller: no chat model is loaded."""
        from coach.coaching.progress.service import DrillService
        from coach.coaching.rubric import load_rubric

        return DrillService(self.session_store, load_rubric(), self.classifier(), self.store)

    def ask_service(self) -> AskService:
        s = self.settings
        backend = self.backend()  # a broken model is reported before an empty index
        if self.store.chunk_count() == 0:
            raise CoachError("The guidance index is empty; run `coach corpus sync` (or `coach setup`) first.")
        return AskService(self.store, backend, self.ask_prompt, sentences=self.sentence_vectors, top_k=s.top_k,
                          min_relevance=s.min_relevance, max_tokens=s.max_tokens,
                          max_question_chars=s.max_question_chars)


def default_backend_source(settings: Settings) -> BackendSource:
    """The model server when `model_url` is set, else the local GGUF."""
    if settings.model_url:
        from coach.llm.server_source import ServerModelSource

        return ServerModelSource(settings)
    return LocalModelSource(settings)


def default_index(settings: Settings) -> IndexConnection:
    """The Chroma server when `index_url` is set, else the folder in the data dir."""
    if settings.index_url:
        from coach.retrieval.http_index import HttpIndex

        token = settings.index_token.get_secret_value() if settings.index_token else None
        return HttpIndex(settings.index_url, token, timeout=settings.server_timeout)
    return LocalIndex(settings.index_dir)


def build_services(settings: Settings, backend_source: BackendSource | None = None,
                   session_store: SessionStore | None = None, index: IndexConnection | None = None) -> Services:
    return Services(settings, backend_source, session_store, index)
