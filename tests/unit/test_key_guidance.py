"""Key guidance, the citation gate, the copy measure and word matching: pure logic, no models."""

import numpy as np

from coach.coaching.citations import CitationGate
from coach.coaching.copying import copied_share
from coach.coaching.key_guidance import SentenceVectors, key_guidance, passage_sentences
from coach.retrieval.lexical import LexicalIndex, terms

PASSAGE = """Spending regular, private time with one colleague is visible to the whole team.
What to do:
- Make the arrangement public and boring: say who you mentor and how often you meet.
- Keep mentoring and work allocation apart, so nobody sees favours.
What to avoid:
- Praising your mentee in front of the team more than anyone else.
Write to hr-help@example.com for the official favouritism form today."""


def bag_of_words(texts: list[str]) -> np.ndarray:
    """A stand-in embedder: hashed word counts, unit length, so overlap means similarity."""
    vectors = np.zeros((len(texts), 64), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in terms(text):
            vectors[row, hash(word) % 64] += 1
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def test_passage_sentences_drop_markers_keep_negating_lead_ins_and_skip_contact_details():
    found = passage_sentences(PASSAGE)
    assert "Make the arrangement public and boring: say who you mentor and how often you meet." in found
    assert "What to avoid: Praising your mentee in front of the team more than anyone else." in found
    assert not any(s.startswith(("-", "What to do")) for s in found)  # a neutral lead-in is left off
    assert not any("hr-help" in s for s in found)


def test_key_guidance_quotes_two_to_four_relevant_sentences_with_their_passage_number():
    other = "Meet every two weeks for an hour. Ask the mentee to send a topic a day ahead of time."
    vectors = SentenceVectors(bag_of_words)
    picked = key_guidance("how do I keep work allocation apart from mentoring favours?",
                          [(1, other), (2, PASSAGE)], vectors)
    assert 2 <= len(picked) <= 4
    assert picked[0].n == 2 and "work allocation apart" in picked[0].text
    sources = {1: other, 2: PASSAGE}
    assert all(p.text.split(": ")[-1] in sources[p.n].replace("\n", " ") for p in picked)


def test_key_guidance_skips_a_sentence_that_only_restates_one_already_chosen():
    passage = ("Keep mentoring and work allocation apart at all times. "
               "Keep mentoring and work allocation apart at all times, always. "
               "Offer the same help to other colleagues who ask for it.")
    picked = key_guidance("keep mentoring and work allocation apart", [(1, passage)], SentenceVectors(bag_of_words))
    assert [p.text for p in picked][:2] == ["Keep mentoring and work allocation apart at all times.",
                                            "Offer the same help to other colleagues who ask for it."]


def test_sentence_vectors_embed_each_sentence_once():
    calls: list[list[str]] = []

    def counting(texts):
        calls.append(list(texts))
        return bag_of_words(texts)

    vectors = SentenceVectors(counting)
    vectors.warm([PASSAGE])
    vectors.vectors(passage_sentences(PASSAGE))
    assert len(calls) == 1 and len(calls[0]) == len(passage_sentences(PASSAGE))


def test_the_gate_holds_text_until_a_citation_and_then_passes_everything():
    gate = CitationGate()
    assert gate.feed("Make it ") == "" and gate.feed("visible") == ""
    assert gate.feed(" [1]. Then") == "Make it visible [1]. Then" and gate.opened
    assert gate.feed(" more.") == " more."
    never = CitationGate()
    assert never.feed("Friends help friends.") == "" and not never.opened


def test_copied_share_counts_sentences_with_eight_words_in_a_row_from_a_passage():
    passage = "Make the arrangement public and boring: say who you mentor and how often you meet."
    answer = ("You should make the arrangement public and boring, say who you mentor [1]. "
              "Tell your team plainly what the mentoring is for [1].")
    assert copied_share(answer, [passage]) == 0.5
    assert copied_share("Talk to your team about it openly [1].", [passage]) == 0.0


def test_word_matching_folds_spelling_and_endings_and_ranks_the_note_that_names_the_thing():
    assert terms("Favouritism favoritism mentoring") == ["favoritism", "favoritism", "mentor"]
    index = LexicalIndex(["a", "b"], ["Mentoring your director's nephew raises nepotism worries.",
                                      "Meet every two weeks and keep notes."])
    scores = index.scores("my director wants me to mentor her nephew")
    assert scores[0] > 0 == scores[1]
