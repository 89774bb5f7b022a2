from hypothesis import given
from hypothesis import strategies as st

from coach.coaching.citations import CitationStreamFilter, cited_numbers, filter_citations


def test_cited_numbers_in_first_order_including_groups():
    assert cited_numbers("Do this [2]. And that [1, 3]. Again [2].") == [2, 1, 3]


def test_invented_numbers_are_removed_and_counted():
    text, removed = filter_citations("Listen first [1]. Be open [7]. Both [1, 9].", {1, 2})
    assert text == "Listen first [1]. Be open. Both [1]."
    assert removed == 2


def test_a_cited_fence_id_is_removed_like_an_invented_number():
    text, removed = filter_citations("Make it public [56c79888360f]. Listen first [1].", {1})
    assert text == "Make it public. Listen first [1]." and removed == 1
    assert cited_numbers("Make it public [56c79888360f] [2].") == [2]


def test_non_citation_brackets_are_left_alone():
    text, removed = filter_citations("Use [bold] and [a-b] and [ ] as text.", {1})
    assert text == "Use [bold] and [a-b] and [ ] as text." and removed == 0


@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30))
def test_stream_filter_equals_whole_text_filter_for_any_split(cuts):
    text = "Start [1]. Then [5] and [2, 8]. Finally [3][12] done [bold] [0a1b2c3d4e5f] [4"
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    stream = CitationStreamFilter({1, 2, 3})
    streamed = "".join(stream.feed(p) for p in pieces) + stream.flush()
    expected, removed = filter_citations(text, {1, 2, 3})
    assert streamed == expected and stream.removed == removed
