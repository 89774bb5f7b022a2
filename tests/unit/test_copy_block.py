"""The copy blocker marks down the tokens that would carry on a run of words copied from a source, by
more for each word the run grows, whatever the case, punctuation or token split; and nothing else."""

import numpy as np

from coach.llm.copy_block import CopyBlocker, Spellings, words_of

SOURCE = "Talk to your mentee about the pattern you noticed in the team meetings."
TOKENS = [" the", "The", " pattern", " pat", "tern", " team", " idea", " meetings", "ings", " meet", ".", " Pattern",
          " about", "About", " you"]
SPELLINGS = Spellings(TOKENS)


def _blocker(**kwargs) -> CopyBlocker:
    return CopyBlocker([SOURCE], spell=lambda ids: "", spellings=SPELLINGS, **kwargs)


def _ids(*texts: str) -> set[int]:
    return {TOKENS.index(text) for text in texts}


def test_words_are_read_as_the_copy_measure_reads_them():
    assert words_of("Talk to YOUR mentee’s team [2], now.") == ["talk", "to", "your", "mentee's", "team", "now"]


def test_every_token_that_starts_the_next_copied_word_is_marked_down_and_no_other():
    marks = _blocker(first_marked=5, per_word=1.5).marks("Tell them: talk to your mentee")
    assert set(marks) == _ids(" about", "About")  # the 5th word of a copied run, spaced or glued on
    assert all(penalty == 1.5 for penalty in marks.values())


def test_the_mark_down_grows_with_each_copied_word():
    blocker = _blocker(first_marked=5, per_word=1.5)
    fifth = blocker.marks("Talk to your mentee")
    seventh = blocker.marks("Talk to your mentee about the")
    assert max(fifth.values()) == 1.5 and max(seventh.values()) == 4.5
    assert set(seventh) == _ids(" pattern", " pat", " Pattern")


def test_case_punctuation_and_citations_do_not_hide_a_copy():
    marks = _blocker(first_marked=5, per_word=1.5).marks("TALK to your mentee [1] about,")
    assert set(marks) == _ids(" the", "The")  # after a comma, a word may start without a space and max(marks.values()) == 3.0


def test_a_word_begun_is_marked_down_only_by_the_tokens_that_finish_it_as_copied():
    marks = _blocker(first_marked=5, per_word=1.5).marks("Talk to your mentee about the pat")
    assert set(marks) == _ids("tern") and max(marks.values()) == 4.5


def test_text_that_copies_nothing_long_enough_is_left_alone():
    blocker = _blocker(first_marked=5, per_word=1.5)
    assert blocker.marks("Talk to your manager about") == {}
    assert blocker.marks("to your mentee") == {}
    assert blocker.marks("") == {}


def test_as_a_logits_processor_it_reads_only_the_reply_and_lowers_those_logits():
    replies = {(): "", (1,): "Talk to your mentee"}
    blocker = CopyBlocker([SOURCE], spell=lambda ids: replies[tuple(ids)], spellings=SPELLINGS)
    prompt = np.array([7, 7, 7])
    untouched = np.zeros(len(TOKENS), dtype=np.float32)
    assert (blocker(prompt, untouched) == untouched).all()  # the first call: the prompt alone
    scores = blocker(np.append(prompt, 1), untouched)
    marked = sorted(_ids(" about", "About"))
    assert (scores[marked] == -4.0).all() and (np.delete(scores, marked) == 0).all()


def test_spellings_group_tokens_by_the_word_they_start():
    assert SPELLINGS.starting("pattern") == _ids(" pat", " pattern", " Pattern")
    assert SPELLINGS.continuing("tern") == _ids("tern")


def test_while_a_copy_is_pressed_tokens_in_other_scripts_are_marked_down_as_much():
    texts = [" minutes", "分钟", " mins", " hours"]
    blocker = CopyBlocker(["Meet every two weeks for thirty minutes at most."], spellings=Spellings(texts),
                          spell=lambda ids: "every two weeks for thirty" if ids else "")
    untouched = np.zeros(len(texts), dtype=np.float32)
    blocker(np.array([7]), untouched)  # the prompt
    scores = blocker(np.array([7, 1]), untouched)
    assert scores[0] == scores[1] == -8.0 and scores[2] == scores[3] == 0  # "minutes" would be the 6th copied word
