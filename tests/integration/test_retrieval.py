"""Real ChromaDB in a temporary folder with the real int8 MiniLM embeddings."""

import tomllib

import numpy as np
from chromadb.utils.embedding_functions import ONNXMiniLM_L6_V2

from coach.config import Settings
from coach.retrieval.documents import load_document
from coach.retrieval.store import LEXICAL_WEIGHT, local_store
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
    # only new passages of that one note were embedded (+1 for its title vector, + its questions)
    asked = len(load_document(note).questions)
    assert 0 < embedder.texts_embedded - before <= second.chunks_embedded + 1 + asked <= 4 + asked
    (corpus_copy / "confidentiality.md").unlink()
    third = sync_corpus(store, load_corpus(corpus_copy))
    assert third.removed == ["confidentiality"] and third.chunks_embedded == 0
    assert not store._collection.get(where={"doc_id": "confidentiality"})["ids"]
    assert "confidentiality" not in {p.doc_id for p in store.search("can I keep what my mentee tells me private", 4)}










def test_word_matching_lifts_the_first_hit_without_losing_any_from_the_top_four(shipped_store):
    from coach.retrieval.evaluation import check, load_questions

    questions = load_questions(REPO / "corpus" / "evals" / "questions.toml")
    shipped_store.lexical_weight = 0.0
    dense = check(shipped_store, questions, 4)
    shipped_store.lexical_weight = LEXICAL_WEIGHT
    fused = check(shipped_store, questions, 4)
    assert fused.recall == dense.recall
    assert fused.recall_at_1 >= dense.recall_at_1 + 0.15 and fused.mrr >= dense.mrr + 0.1
    found = [p.doc_id for p in shipped_store.search("My director wants me to mentor her nephew. Is that a problem?", 4)]
    assert found[0] == "mentoring-and-nepotism"


def test_the_word_index_follows_what_another_writer_stored(tmp_path, embedder, corpus_copy):
    reader = local_store(tmp_path / "index", embedder)
    sync_corpus(reader, load_corpus(corpus_copy))
    assert reader.search("kite ritual", 4)  # the word index is built now, without the new note
    (corpus_copy / "kite.md").write_text("---\ntitle: The kite ritual\ntags: [kite]\n---\n# The kite ritual\n\n"
                                         "Fly a kite with your mentee to mark the end of the first month together.\n")
    sync_corpus(local_store(tmp_path / "index", embedder), load_corpus(corpus_copy))  # another writer
    assert reader._words_index().scores("kite").max() > 0
    assert reader.search("kite ritual with my mentee", 4)[0].doc_id == "kite"
