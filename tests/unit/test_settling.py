"""After a read-ahead, the prompt keeps the notes the model read in full while they stay relevant,
and always has the whole question's best note."""

from coach.coaching.ask_models import NumberedPassage
from coach.coaching.settling import filled, fully_read, settled, still_relevant


def _ranked(*ids: str) -> list[NumberedPassage]:
    return [NumberedPassage(n=n, doc_id=i, title=i, source=i, text=f"text of {i}", score=1.0 / n, chunk_id=i)
            for n, i in enumerate(ids, start=1)]


def _ids(passages: list[NumberedPassage]) -> list[str]:
    return [p.doc_id for p in passages]


def test_notes_read_stay_while_they_rank_in_the_wider_list_and_only_up_to_the_first_that_does_not():
    read = _ranked("a", "b", "c", "d")
    assert _ids(still_relevant(read, _ranked("b", "a", "x", "y", "c", "z", "d"))) == ["a", "b", "c", "d"]
    assert _ids(still_relevant(read, _ranked("b", "a", "d", "x"))) == ["a", "b"]  # c dropped: d after it too
    assert still_relevant(read, _ranked("x", "y")) == []


def test_a_note_kept_takes_its_score_for_the_whole_question_but_keeps_the_words_read():
    wider = [p.model_copy(update={"text": "another chunk", "score": 0.7}) for p in _ranked("a")]
    kept = still_relevant(_ranked("a"), wider)
    assert kept[0].text == "text of a" and kept[0].score == 0.7


def test_fully_read_counts_the_longest_run_of_notes_the_cache_holds_to_their_end():
    notes = _ranked("a", "b", "c")
    cached_through = 2  # the model read a and b, and part of c
    assert fully_read(notes, lambda prefix: max(0, len(prefix) - cached_through) * 100) == 2
    assert fully_read(notes, lambda prefix: 0) == 3
    assert fully_read(notes, lambda prefix: 5) == 0


def test_notes_read_in_full_stand_and_the_best_note_follows_if_missing():
    relevant = _ranked("a", "b", "c")
    chosen = settled(_ranked("x", "a", "b", "y"), relevant, 3, limit=4)
    assert _ids(chosen) == ["a", "b", "c", "x"] and [p.n for p in chosen] == [1, 2, 3, 4]
    assert _ids(settled(_ranked("a", "y", "b"), relevant, 3, limit=4)) == ["a", "b", "c"]  # y is not the best


def test_a_half_read_note_stays_only_when_it_is_the_best():
    relevant = _ranked("a", "b", "c")
    assert _ids(settled(_ranked("c", "a", "b"), relevant, 2, limit=4)) == ["a", "b", "c"]
    assert _ids(settled(_ranked("a", "b", "c"), relevant, 2, limit=4)) == ["a", "b"]


def test_over_the_limit_the_latest_read_notes_that_are_not_the_best_give_way():
    relevant = _ranked("a", "b", "c", "d")
    assert _ids(settled(_ranked("x", "a", "y"), relevant, 4, limit=4)) == ["a", "b", "c", "x"]


def test_nothing_read_leaves_the_best_note():
    assert _ids(settled(_ranked("x", "y", "z", "w"), [], 0, limit=4)) == ["x"]


def test_while_typing_the_settled_notes_come_first_then_the_rest_by_rank_up_to_the_limit():
    chosen = settled(_ranked("x", "a", "y", "z"), _ranked("a", "b"), 1, limit=4)  # a read in full, b half
    assert _ids(chosen) == ["a", "x"]  # b was half read and is not the best: the best comes first
    assert _ids(filled(chosen, _ranked("x", "a", "y", "z"), limit=4)) == ["a", "x", "y", "z"]
