"""Shared fixtures. The test models come from the cache the README's test command pulls them into;
every test sees them through a throwaway models folder of links, with throwaway config and data
folders, so no test reads outside the repository or writes to the user's own folders."""

import shutil
from pathlib import Path

import pytest

from coach import paths
from coach.assets.catalog import find_entry
from coach.assets.pull import is_pulled

REPO = Path(__file__).resolve().parent.parent
# A copied blog page written for these tests: byline, article, bullets, share prompts, comment form.
TEST_PAGE = REPO / "tests" / "data" / "blog-page-peer-mentors.txt"


# Read once, before any test changes the environment: where the README's test command pulled to.
PULLED_MODELS = paths.default_models_dir()
TEST_MODELS = ("smollm2-135m", "all-minilm-l6-v2-int8")


def _cache_listing() -> dict[str, tuple[int, int]]:
    if not PULLED_MODELS.is_dir():
        return {}
    return {str(p.relative_to(PULLED_MODELS)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in PULLED_MODELS.rglob("*") if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def real_model_cache_is_untouched():
    """Fails the run if any test added, changed or removed a file in the real model cache."""
    before = _cache_listing()
    yield
    assert _cache_listing() == before, f"a test wrote into the real model cache {PULLED_MODELS}"


@pytest.fixture(scope="session")
def test_models_dir(tmp_path_factory) -> Path:
    """A models folder holding links to the two pulled test models, and nothing else: a test that
    wanted the default model would find it missing instead of downloading 1.1 GB."""
    folder = tmp_path_factory.mktemp("models")
    for name in TEST_MODELS:
        if (PULLED_MODELS / name).is_dir():
            (folder / name).symlink_to(PULLED_MODELS / name, target_is_directory=True)
    return folder


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch, test_models_dir):
    monkeypatch.setenv("COACH_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COACH_MODELS_DIR", str(test_models_dir))
    # Belt and braces for anything that asks platformdirs directly.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    for name in ("COACH_MODEL", "COACH_N_CTX", "COACH_MIN_RELEVANCE", "COACH_CORPUS_DIR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _pulled(name: str) -> Path:
    entry = find_entry(name)
    if not is_pulled(entry, PULLED_MODELS):
        pytest.fail(f"{name} is not pulled; run the README's test command (it pulls it first).")
    return entry.folder(PULLED_MODELS)


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
    from coach.retrieval.store import local_store
    from coach.retrieval.sync import load_corpus, sync_corpus

    store = local_store(tmp_path_factory.mktemp("index"), embedder)
    sync_corpus(store, load_corpus(REPO / "corpus" / "guidance"))
    return store


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    target = tmp_path / "corpus" / "guidance"
    shutil.copytree(REPO / "corpus" / "guidance", target)
    return target


ARTICLE = ("Mentoring works best when the mentee sets the agenda. Ask what they want from each meeting, "
           "listen before offering any advice, and agree one small next step before you part. ") * 3


@pytest.fixture
def workspace(tmp_path):
    """An empty corpus workspace in the test's folder."""
    from coach.corpus.workspace import CorpusWorkspace

    space = CorpusWorkspace(tmp_path / "corpus")
    space.guidance_dir.mkdir(parents=True)
    return space
