"""Shared fixtures. Models come from the real cache (the README's test command pulls them); config
and data are isolated per test so nothing touches the user's own index or settings."""

import shutil
from pathlib import Path

import pytest

from coach import paths
from coach.assets.catalog import find_entry
from coach.assets.pull import is_pulled

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seeds" / "000_4a6e084feae26993.txt"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    for name in ("COACH_MODEL", "COACH_N_CTX", "COACH_MIN_RELEVANCE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _pulled(name: str) -> Path:
    entry = find_entry(name)
    models_dir = paths.default_models_dir()
    if not is_pulled(entry, models_dir):
        pytest.fail(f"{name} is not pulled; run the README's test command (it pulls it first).")
    return entry.folder(models_dir)


@pytest.fixture(scope="session")
def embedding_dir() -> Path:
    return _pulled("all-minilm-l6-v2-int8")


@pytest.fixture(scope="session")
def tiny_model_path() -> Path:
    return _pulled("smollm2-135m") / find_entry("smollm2-135m").files[0].name


@pytest.fixture(scope="session")
def embedder(embedding_dir):
    from coach.retrieval.embeddings import MiniLMEmbedding

    return MiniLMEmbedding(embedding_dir)


@pytest.fixture(scope="session")
def shipped_store(tmp_path_factory, embedder):
    """The shipped corpus indexed once per test run in a temporary Chroma folder."""
    from coach.retrieval.store import GuidanceStore
    from coach.retrieval.sync import load_corpus, sync_corpus

    store = GuidanceStore(tmp_path_factory.mktemp("index"), embedder)
    sync_corpus(store, load_corpus(REPO / "corpus" / "guidance"))
    return store


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    target = tmp_path / "corpus" / "guidance"
    shutil.copytree(REPO / "corpus" / "guidance", target)
    return target
