from pathlib import Path

import pytest

from coach.config import Settings
from coach.retrieval.sync import load_corpus, sync_corpus
from coach.services import build_services
from tests.conftest import REPO
from tests.ui.fakes import ScriptedBackend, ScriptedSource

ANSWER = "Make the arrangement visible to the team [1]. Keep it apart from who gets which work [2]. [bold]not bold[/] stays literal [9]."


@pytest.fixture
def make_services(tmp_path, embedding_dir):
    """Real settings, a real Chroma index of the shipped corpus, and a scripted chat backend."""

    def build(script: str = ANSWER, seconds_per_token: float = 0.0, index: bool = True,
              corpus: Path = REPO / "corpus" / "guidance"):
        settings = Settings(data_dir=tmp_path / "data")
        backend = ScriptedBackend(script, seconds_per_token)
        services = build_services(settings, ScriptedSource(backend))
        if index:
            sync_corpus(services.store, load_corpus(corpus))
        return services, backend

    return build
