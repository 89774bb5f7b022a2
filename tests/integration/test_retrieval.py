"""Real ChromaDB in a temporary folder with the real int8 MiniLM embeddings."""

import tomllib

import numpy as np
from chromadb.utils.embedding_functions import ONNXMiniLM_L6_V2

from coach.config import Settings
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








