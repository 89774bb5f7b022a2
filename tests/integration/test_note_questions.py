"""A note's `questions` front matter steers retrieval toward it: two notes with the same body, one
of them listing the question a mentor asks (real MiniLM embeddings, a real Chroma index)."""

from coach.retrieval.store import local_store
from coach.retrieval.sync import load_corpus, sync_corpus

BODY = "Agree what you will work on together, and check in every few weeks on how it is going.\n"
ASKED = "My coworkers keep calling me the teacher's pet since I got a mentor. What should I do?"


def _note(folder, name, questions=()):
    listed = "".join(f'  - "{q}"\n' for q in questions)
    front = f"---\ntitle: Note {name}\n" + (f"questions:\n{listed}" if questions else "") + "---\n"
    (folder / f"{name}.md").write_text(front + BODY, encoding="utf-8")


def _top(tmp_path, embedder, questions_of_b, questions_of_a=()):
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    _note(folder, "a", questions_of_a)
    _note(folder, "b", questions_of_b)
    store = local_store(tmp_path / "index", embedder)
    sync_corpus(store, load_corpus(folder))
    return [p.doc_id for p in store.search(ASKED, 2)]


def test_the_note_listing_the_question_comes_first(tmp_path, embedder):
    assert _top(tmp_path, embedder, [ASKED, "Everyone thinks I get special treatment. How do I handle it?"])[0] == "b"


def test_moving_only_the_questions_re_embeds_both_notes(tmp_path, embedder):
    assert _top(tmp_path, embedder, [ASKED])[0] == "b"
    assert _top(tmp_path, embedder, [], questions_of_a=[ASKED])[0] == "a"
