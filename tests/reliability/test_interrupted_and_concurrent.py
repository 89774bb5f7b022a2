"""Kill -9 mid-write and a second writer: what was completed survives, nothing is half-written, a second writer or app is refused."""

import subprocess
import sys
import time

import pytest

from coach.assets.catalog import find_entry
from coach.assets.pull import is_pulled, pull
from coach.errors import CoachError, StoreBusy
from coach.retrieval.documents import load_document
from coach.retrieval.store import local_store
from coach.retrieval.sync import load_corpus, sync_corpus
from coach.sessions.store import SessionStore
from tests.conftest import TEST_PAGE
from tests.reliability.cli import run_coach


def test_second_writer_is_refused_within_two_seconds(tmp_path, embedder):
    store = local_store(tmp_path / "index", embedder)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from filelock import FileLock; "
         "l = FileLock(sys.argv[1]); l.acquire(); print('held', flush=True); time.sleep(30)",
         str(tmp_path / "index" / ".writer.lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(StoreBusy, match="Another coach process is writing"):
            sync_corpus(store, [load_document(TEST_PAGE)])
        assert time.monotonic() - started < 3.0
    finally:
        holder.kill()
        holder.wait()


KILLABLE_SYNC = """
import sys
from pathlib import Path
from coach.retrieval.embeddings import MiniLMEmbedding
from coach.retrieval.store import local_store
from coach.retrieval.sync import load_corpus, sync_corpus
store = local_store(Path(sys.argv[1]), MiniLMEmbedding(Path(sys.argv[2])))
sync_corpus(store, load_corpus(Path(sys.argv[3])), lambda done, total, doc: print(done, flush=True))
"""


def test_sync_killed_with_sigkill_loses_nothing_already_indexed(tmp_path, embedder, embedding_dir, corpus_copy):
    index = tmp_path / "index"
    worker = subprocess.Popen([sys.executable, "-c", KILLABLE_SYNC, str(index), str(embedding_dir), str(corpus_copy)],
                              stdout=subprocess.PIPE, text=True)
    while int(worker.stdout.readline() or 999) < 10:  # let ten notes finish, then kill mid-sync
        pass
    worker.kill()
    worker.wait()
    store = local_store(index, embedder)
    survived = store.document_hashes()
    assert len(survived) >= 9
    _assert_no_half_documents(store, load_corpus(corpus_copy))
    report = sync_corpus(store, load_corpus(corpus_copy))
    assert len(report.unchanged) >= 9  # finished notes were durable and are not re-embedded
    documents = load_corpus(corpus_copy)
    from coach.retrieval.store import index_hash

    assert store.document_hashes() == {d.doc_id: {index_hash(d)} for d in documents}


def _assert_no_half_documents(store, documents) -> None:
    """Every document in the index has all of its passages, and no passage belongs to no document."""
    from coach.retrieval.chunking import chunk_markdown
    from coach.retrieval.store import chunk_id

    expected = {d.doc_id: {chunk_id(d, c) for c in chunk_markdown(d.body)} for d in documents}
    stored: dict[str, set[str]] = {}
    dump = store.dump()
    for passage_id, meta in zip(dump["ids"], dump["metadatas"]):
        stored.setdefault(meta["doc_id"], set()).add(passage_id)
    assert set(stored) <= set(expected)
    assert all(stored[doc] == expected[doc] for doc in stored)


def test_damaged_file_is_one_sentence(tmp_path):
    bad = tmp_path / "s.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CoachError, match="damaged"):
        SessionStore(bad)


WRITER = """
import sys
from pathlib import Path
from coach.sessions.store import SessionStore
store = SessionStore(Path(sys.argv[1]))
session = store.create_session("favourite-worry", "m")
for n in range(100000):
    store.add_turn(session.id, "mentor" if n % 2 else "mentee", f"line {n}")
    print(n, flush=True)
"""


def test_kill_9_keeps_every_completed_turn(tmp_path):
    path = tmp_path / "s.db"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    last = -1
    while last < 40:
        last = int(writer.stdout.readline())
    writer.kill()
    writer.wait()
    store = SessionStore(path)
    assert store.quick_check() == "ok"
    (session,) = store.sessions()
    texts = [t.text for t in store.transcript(session.id)]
    assert texts[: last + 1] == [f"line {n}" for n in range(last + 1)]


KILLABLE_PULL = """
import sys
from pathlib import Path
from coach.assets.catalog import find_entry
from coach.assets.pull import pull
pull(find_entry("smollm2-135m"), Path(sys.argv[1]),
     lambda done, total, stage: print(stage, flush=True) if stage.startswith("assembling") else None)
"""


def test_pull_killed_mid_assembly_leaves_no_model_file(tmp_path):
    import subprocess
    import sys

    puller = subprocess.Popen([sys.executable, "-c", KILLABLE_PULL, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert puller.stdout.readline().startswith("assembling")  # bytes are being written now
    puller.kill()
    puller.wait()
    entry = find_entry("smollm2-135m")
    assert not (tmp_path / "smollm2-135m" / entry.files[0].name).exists()
    assert not is_pulled(entry, tmp_path)
    pull(entry, tmp_path)  # the next pull clears the scratch and completes
    assert is_pulled(entry, tmp_path) and not list(tmp_path.glob(".pull-*"))


def test_second_app_instance_is_refused(isolated_dirs):
    lock_path = isolated_dirs / "data" / "app.lock"
    lock_path.parent.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from filelock import FileLock; "
         "l = FileLock(sys.argv[1]); l.acquire(); print('held', flush=True); time.sleep(30)", str(lock_path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = run_coach(timeout=30)
        assert result.returncode == 3 and "already open in another terminal" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_a_turn_that_fails_mid_reply_leaves_no_half_turn_and_the_model_free(tiny_model_path, embedder, tmp_path):
    """A model error (or a full disk) during a reply: the mentor's line is taken back, listening is
    as before, the model's lock is released, and the next line plays normally."""
    from coach.coaching.practice.behaviours import BehaviourClassifier
    from coach.coaching.practice.engine import PracticeEngine
    from coach.coaching.prompts import load_prompt
    from coach.coaching.scenarios import find_scenario
    from coach.llm.llama_backend import LlamaBackend
    from coach.sessions.store import SessionStore

    backend = LlamaBackend(tiny_model_path, n_ctx=2048, n_threads=2, temperature=0.0)
    engine = PracticeEngine(find_scenario("favourite-worry"), backend, BehaviourClassifier(embedder.embed),
                            SessionStore(tmp_path / "sessions.db"), load_prompt("mentee"), max_tokens=32)
    engine.start()
    state_before = engine.state

    def failing_progress(text):
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        engine.mentor_says("What's been happening with the team?", progress=failing_progress)
    assert [t.speaker for t in engine.transcript()] == ["mentee"] and engine.state == state_before
    reply = engine.mentor_says("What's been happening with the team?")  # would hang if the lock were held
    assert [t.speaker for t in engine.transcript()] == ["mentee", "mentor", "mentee"] and reply.turn.text


def test_closing_a_reply_early_releases_the_model(tiny_model_path):
    from coach.llm.base import ChatMessage
    from coach.llm.llama_backend import LlamaBackend

    backend = LlamaBackend(tiny_model_path, n_ctx=1024, n_threads=2, temperature=0.0)
    question = [ChatMessage(role="user", content="Count slowly from one to one hundred.")]
    reply = backend.stream(question, 200)
    next(reply)
    reply.close()  # a reader that walks away without a stop event
    assert backend.stream(question, 4).text()  # the lock is free: this would block for ever otherwise
