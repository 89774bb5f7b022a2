"""Real ChromaDB in a temporary folder with the real int8 MiniLM embeddings."""

import subprocess
import sys
import time
import tomllib

import numpy as np
import pytest
from chromadb.utils.embedding_functions import ONNXMiniLM_L6_V2

from coach.config import Settings
from coach.errors import StoreBusy
from coach.retrieval.documents import load_document
from coach.retrieval.store import local_store
from coach.retrieval.sync import load_corpus, sync_corpus
from tests.conftest import REPO, TEST_PAGE

QUESTIONS = tomllib.loads((REPO / "corpus" / "evals" / "questions.toml").read_text())


def test_vectors_match_chromas_own_onnx_function(embedder, embedding_dir):
    class ChromaOnSameFiles(ONNXMiniLM_L6_V2):
        DOWNLOAD_PATH = embedding_dir.parent  # Chroma looks in DOWNLOAD_PATH/onnx

    texts = [load_document(TEST_PAGE).body[:900], "how do I handle favoritism?", "short",
             "Mentors are fellow colleagues. " * 40]  # the last one is cut at 256 tokens by both
    theirs = np.array(ChromaOnSameFiles()(texts))
    ours = embedder.embed(texts)
    assert (theirs * ours).sum(axis=1).min() >= 0.999


def test_golden_recall_at_4(shipped_store):
    hits = [any(e in {p.doc_id for p in shipped_store.search(item["q"], 4)} for e in item["expect"])
            for item in QUESTIONS["questions"]]
    assert len(hits) >= 30
    assert sum(hits) / len(hits) >= 0.9


def test_relevance_threshold_separates_golden_from_off_topic(shipped_store):
    threshold = Settings().min_relevance
    on_topic = [shipped_store.search(i["q"], 1)[0].score for i in QUESTIONS["questions"]]
    off_topic = [shipped_store.search(i["q"], 1)[0].score for i in QUESTIONS["off_topic"]]
    assert min(on_topic) > threshold > max(off_topic)


def test_chunk_metadata_and_stable_ids(shipped_store):
    got = shipped_store._collection.get(where={"doc_id": "confidentiality"}, include=["metadatas"])
    assert got["ids"] and all(i.startswith("confidentiality:") for i in got["ids"])
    meta = got["metadatas"][0]
    assert set(meta) >= {"doc_id", "title", "source", "author", "date", "heading", "tags", "content_hash"}
    assert "confidentiality" in meta["tags"].split(",")


def test_copied_page_is_indexed_without_boilerplate(tmp_path, embedder):
    store = local_store(tmp_path / "index", embedder)
    report = sync_corpus(store, [load_document(TEST_PAGE)])
    assert report.added and store.chunk_count() >= 2
    stored = " ".join(store._collection.get(include=["documents"])["documents"])
    assert "Akismet" not in stored and "Leave a Reply" not in stored
    assert "fellow colleagues" in stored and "Click to share" not in stored
    assert store.search("should my mentor act like my boss?", 1)[0].doc_id == "blog-page-peer-mentors"


def test_incremental_sync_re_embeds_only_what_changed(tmp_path, embedder, corpus_copy):
    store = local_store(tmp_path / "index", embedder)
    first = sync_corpus(store, load_corpus(corpus_copy))
    assert len(first.added) == len(list(corpus_copy.glob("*.md")))
    before = embedder.texts_embedded
    note = corpus_copy / "meeting-cadence.md"
    note.write_text(note.read_text() + "\n\n## One more idea\n\nEnd every session by naming one thing to try.\n")
    second = sync_corpus(store, load_corpus(corpus_copy))
    assert second.changed == ["meeting-cadence"] and not second.added and not second.removed
    # only new passages of that one note were embedded (+1 for its title vector)
    assert 0 < embedder.texts_embedded - before <= second.chunks_embedded + 1 <= 4
    (corpus_copy / "confidentiality.md").unlink()
    third = sync_corpus(store, load_corpus(corpus_copy))
    assert third.removed == ["confidentiality"] and third.chunks_embedded == 0
    assert not store._collection.get(where={"doc_id": "confidentiality"})["ids"]
    assert "confidentiality" not in {p.doc_id for p in store.search("can I keep what my mentee tells me private", 4)}


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
