"""The index on a real Chroma server (`chroma run` on loopback): sync, search and Ask through it,
two trainers syncing at once, the server-side lease, and a server that is not there."""

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from coach.coaching.ask import AskService
from coach.config import Settings
from coach.errors import StoreBusy
from coach.retrieval import server_lease
from coach.retrieval.http_index import HttpIndex
from coach.retrieval.server_lease import ServerLease
from coach.retrieval.store import GuidanceStore
from coach.services import build_services
from tests.conftest import REPO
from tests.servers import chroma_server, free_port

ASK_NOTES = ("favouritism-perceptions", "colleagues-left-out", "meeting-cadence", "the-first-conversation")


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma")) as server:
        yield server


def _corpus(root: Path, shipped: tuple[str, ...] = (), notes: dict[str, str] | None = None) -> Path:
    (root / "guidance").mkdir(parents=True)
    for doc_id in shipped:
        shutil.copy(REPO / "corpus" / "guidance" / f"{doc_id}.md", root / "guidance")
    for doc_id, text in (notes or {}).items():
        (root / "guidance" / f"{doc_id}.md").write_text(text)
    return root


def _note(title: str, marker: str) -> str:
    return (f"---\ntitle: {title}\ntags: [test]\nsource: test\n---\n"
            f"The {marker} ritual helps a mentee settle in. Ask about the {marker} ritual in the first week.\n")


def _coach(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True, timeout=240,
                          env={**os.environ, **env})


def _store(url: str, embedder) -> GuidanceStore:
    return GuidanceStore(HttpIndex(url), embedder)


def test_sync_search_and_ask_through_the_server(chroma, tmp_path, embedder, tiny_model_path, isolated_dirs):
    env = {"COACH_INDEX_URL": chroma.url, "COACH_CORPUS_DIR": str(_corpus(tmp_path / "trainer", ASK_NOTES))}
    synced = _coach("corpus", "sync", env=env)
    assert synced.returncode == 0, synced.stderr
    assert "4 added" in synced.stdout
    found = _coach("corpus", "search", "how do I handle favoritism", "-k", "2", "--json", env=env)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)[0]["doc_id"] in {"favouritism-perceptions", "colleagues-left-out"}
    assert not (isolated_dirs / "data" / "index").exists()  # nothing was written to a local index

    # A mentor's coach: same server, no corpus of its own, the tiny model on this machine.
    services = build_services(Settings(index_url=chroma.url, model="smollm2-135m", n_ctx=2048))
    ask: AskService = services.ask_service()
    ask.max_tokens = 24
    result = [item for item in ask.ask("how do I handle favoritism?")][-1]
    assert result.grounded and result.passages[0].doc_id in {"favouritism-perceptions", "colleagues-left-out"}
    assert result.key_guidance  # quoted from passages that came back from the server


def test_two_trainers_syncing_at_once_lose_nothing(chroma, tmp_path, embedder):
    """Two `coach corpus sync` processes against one server, started together: each adds its own
    note, both edit a shared one. Every note ends up stored, each in exactly one version."""
    url = chroma.url + "/"  # the same server under another spelling is still one server
    shared = {f"shared-{n}": _note(f"Shared note {n}", f"shared{n}") for n in range(3)}
    first = _corpus(tmp_path / "first", notes={**shared, "only-first": _note("First's own", "kite"),
                                               "contested": _note("Contested", "lantern")})
    second = _corpus(tmp_path / "second", notes={**shared, "only-second": _note("Second's own", "compass"),
                                                 "contested": _note("Contested", "harbour")})
    runs = [subprocess.Popen([sys.executable, "-m", "coach", "corpus", "sync"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "COACH_INDEX_URL": url, "COACH_CORPUS_DIR": str(folder)})
            for folder in (first, second)]
    outcomes = [run.communicate(timeout=240) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outcomes

    store = _store(url, embedder)
    stored = store.document_hashes()
    assert {"only-first", "only-second", "contested", *shared} <= set(stored)
    assert all(len(hashes) == 1 for hashes in stored.values()), stored  # no note left half-replaced
    stored_texts = store.dump()
    contested = [text for text, meta in zip(stored_texts["documents"], stored_texts["metadatas"])
                 if meta["doc_id"] == "contested"]
    assert len({("lantern" in text, "harbour" in text) for text in contested}) == 1  # one whole version, not a mix
    assert ("lantern" in contested[0]) != ("harbour" in contested[0])

    # The first trainer deletes its own note: it goes. The second's note, which the first folder
    # never had, stays, and is reported as left alone.
    (first / "guidance" / "only-first.md").unlink()
    again = _coach("corpus", "sync", env={"COACH_INDEX_URL": url, "COACH_CORPUS_DIR": str(first)})
    assert again.returncode == 0 and "1 removed" in again.stdout and "other folders" in again.stdout, again
    assert set(_store(url, embedder).document_hashes()) >= {"only-second"} and \
        "only-first" not in _store(url, embedder).document_hashes()


def test_the_lease_lets_one_writer_in_at_a_time(chroma):
    index, inside, most, lock = HttpIndex(chroma.url), [0], [0], threading.Lock()

    def write() -> None:
        with index.writer():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.3)
            with lock:
                inside[0] -= 1

    writers = [threading.Thread(target=write) for _ in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert most[0] == 1


def test_a_held_lease_makes_a_second_writer_wait_then_give_up_in_one_sentence(chroma, monkeypatch):
    client = HttpIndex(chroma.url).client()
    with ServerLease(client, chroma.url, wait_seconds=5).held():
        with pytest.raises(StoreBusy, match=r"^A sync from .* is writing to the index at .*; wait for it"):
            with ServerLease(client, chroma.url, wait_seconds=1).held():
                pass


def test_a_killed_writers_lease_lapses(chroma, monkeypatch):
    client = HttpIndex(chroma.url).client()
    monkeypatch.setattr(server_lease, "LEASE_SECONDS", 0.5)
    abandoned = ServerLease(client, chroma.url, wait_seconds=1)
    abandoned._acquire()  # taken and never released, as by a process killed mid-sync
    time.sleep(0.6)
    with ServerLease(client, chroma.url, wait_seconds=2).held():
        pass


def test_a_server_that_is_not_there_is_one_sentence(tmp_path):
    gone = f"http://127.0.0.1:{free_port()}"
    done = _coach("corpus", "search", "favoritism", env={"COACH_INDEX_URL": gone,
                                                         "COACH_CORPUS_DIR": str(_corpus(tmp_path / "c", ASK_NOTES[:1]))})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == f"Could not reach the Chroma server at {gone}; check index_url and that the server is running."


def test_the_app_reports_an_unreachable_server_instead_of_offering_to_rebuild_it():
    from coach.retrieval.http_index import ServerUnreachable
    from coach.startup.first_run import check_readiness

    gone = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ServerUnreachable, match=f"^Could not reach the Chroma server at {gone}; check index_url"):
        check_readiness(build_services(Settings(index_url=gone, model="smollm2-135m")))


def test_old_lease_records_are_pruned(chroma, monkeypatch):
    monkeypatch.setattr(server_lease, "KEEP_GENERATIONS", 3)
    client = HttpIndex(chroma.url).client()
    for _ in range(6):
        with ServerLease(client, chroma.url, wait_seconds=2).held():
            pass
    newest, _ = ServerLease(client, chroma.url, wait_seconds=1)._newest()
    kept = set(client.get_collection(server_lease.LEASE_COLLECTION).get(include=[])["ids"])
    assert {f"lease-{g:012d}" for g in range(newest - 2, newest + 1)} <= kept  # the last three stay
    assert not {f"lease-{g:012d}" for g in range(newest - 8, newest - 2)} & kept  # each take dropped one older
