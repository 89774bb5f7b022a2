"""Passages already read keep their place at the front of the prompt while they are still wanted."""

from coach.coaching.ask import in_reading_order, passage_key
from coach.coaching.ask_models import NumberedPassage


def _ranked(*ids: str) -> list[NumberedPassage]:
    return [NumberedPassage(n=n, doc_id=i, title=i, source=i, text=f"text of {i}", score=1.0 / n, chunk_id=i)
            for n, i in enumerate(ids, start=1)]


def _order(passages: list[NumberedPassage]) -> list[tuple[int, str]]:
    return [(p.n, p.doc_id) for p in passages]


def test_read_passages_still_wanted_come_first_in_the_order_read_then_the_rest_by_rank():
    read = _ranked("a", "b", "c", "d")
    assert _order(in_reading_order(_ranked("c", "b", "a", "e"), read)) == [(1, "a"), (2, "b"), (3, "c"), (4, "e")]


def test_the_read_order_holds_only_up_to_the_first_passage_no_longer_wanted():
    read = _ranked("a", "b", "c", "d")
    assert _order(in_reading_order(_ranked("d", "c", "a", "e"), read)) == [(1, "a"), (2, "d"), (3, "c"), (4, "e")]


def test_with_nothing_read_or_nothing_shared_the_rank_order_stands():
    ranked = _ranked("x", "y")
    assert _order(in_reading_order(ranked, ())) == [(1, "x"), (2, "y")]
    assert _order(in_reading_order(ranked, _ranked("a"))) == [(1, "x"), (2, "y")]


def test_the_same_chunk_with_other_text_is_another_passage():
    wider = _ranked("a")[0].model_copy(update={"text": "text of a, widened with its next chunk"})
    assert passage_key([wider]) != passage_key(_ranked("a"))


def test_a_note_read_before_keeps_the_words_read_even_when_another_chunk_of_it_now_ranks_best():
    read = _ranked("a", "b")
    now = [p.model_copy(update={"text": f"another chunk of {p.doc_id}", "chunk_id": p.doc_id + ":2", "score": 0.9})
           for p in _ranked("b", "a")]
    ordered = in_reading_order(now, read)
    assert [p.text for p in ordered] == ["text of a", "text of b"] and ordered[0].score == 0.9
