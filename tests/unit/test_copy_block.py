"""The copy blocker marks down exactly the token that would extend a copied run (and its look-alikes),
and nothing else."""

import numpy as np

from coach.llm.copy_block import CopyBlocker, Vocabulary, source_variants


def test_the_token_that_completes_a_copied_run_is_marked_down():
    blocker = CopyBlocker([[1, 2, 3, 4, 5]], run=4, penalty=4.0)
    scores = blocker(np.array([9, 9, 2, 3, 4]), np.zeros(10, dtype=np.float32))
    assert scores[5] == -4.0 and (np.delete(scores, 5) == 0).all()


def test_other_contexts_and_short_prompts_are_left_alone():
    blocker = CopyBlocker([[1, 2, 3, 4, 5]], run=4)
    untouched = np.arange(10, dtype=np.float32)
    assert (blocker(np.array([2, 3, 9]), untouched) == untouched).all()
    assert (blocker(np.array([3]), untouched) == untouched).all()
    assert (CopyBlocker([[1, 2]], run=4)(np.array([1, 2, 1]), untouched) == untouched).all()


def test_every_continuation_seen_in_the_sources_is_marked_down():
    blocker = CopyBlocker([[1, 2, 3, 7], [1, 2, 3, 8]], run=4, penalty=4.0)
    scores = blocker(np.array([1, 2, 3]), np.zeros(10, dtype=np.float32))
    assert (scores[[7, 8]] == -4.0).all() and (scores[:7] == 0).all()


def test_sources_are_read_line_by_line_with_and_without_a_leading_space():
    assert source_variants("First line.\n\n  Second line. ") == ["First line.", " First line.", "Second line.", " Second line."]


def test_a_marked_word_takes_its_other_spellings_starts_and_longer_forms_with_it():
    texts = [" knowledge", "knowledge", " Knowledge", "knowledg", " kn", " knowledgeable", " know", " team", ".", "团队"]
    vocabulary = Vocabulary(texts)
    assert vocabulary.look_alikes(0) == [0, 1, 2, 3, 4, 5, 6]
    assert vocabulary.look_alikes(7) == [7] and vocabulary.look_alikes(8) == [8]


def test_with_a_vocabulary_the_blocker_marks_down_the_look_alikes_of_the_next_copied_token():
    blocker = CopyBlocker([[9, 9, 9, 0]], run=4, vocabulary=Vocabulary([" knowledge", "knowledge", " team"] + ["x"] * 7),
                          penalty=4.0)
    scores = blocker(np.array([9, 9, 9]), np.zeros(10, dtype=np.float32))
    assert (scores[[0, 1]] == -4.0).all() and (scores[2:] == 0).all()
