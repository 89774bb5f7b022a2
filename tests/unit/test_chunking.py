from hypothesis import given, settings
from hypothesis import strategies as st

from coach.retrieval.chunking import HARD_MAX_TOKENS, OVERLAP_MAX_TOKENS, chunk_markdown, estimate_tokens

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
sentence = st.builds(lambda ws, end: " ".join(ws).capitalize() + end, st.lists(words, min_size=1, max_size=40),
                     st.sampled_from([".", "!", "?"]))
paragraph = st.lists(sentence, min_size=1, max_size=12).map(" ".join)
section = st.builds(lambda h, ps: (f"## {h}\n\n" if h else "") + "\n\n".join(ps),
                    st.one_of(st.just(""), words), st.lists(paragraph, min_size=1, max_size=5))
document = st.lists(section, min_size=1, max_size=6).map("\n\n".join)


def _body_words(chunks) -> list[str]:
    # Section titles packed into a passage appear as "title:" units; they are headings, not body.
    return [w for c in chunks for w in c.body.split() if not w.endswith(":")]


def _text_words(markdown: str) -> list[str]:
    return [w for line in markdown.splitlines() if not line.startswith("#") for w in line.split()]


@settings(max_examples=150, deadline=None)
@given(document)
def test_no_text_lost_no_empty_chunk_bounded_size(markdown):
    chunks = chunk_markdown(markdown)
    assert chunks and all(chunk.body.strip() for chunk in chunks)
    assert _body_words(chunks) == _text_words(markdown)
    for chunk in chunks:
        assert estimate_tokens(chunk.body) <= HARD_MAX_TOKENS
        assert estimate_tokens(chunk.overlap) <= OVERLAP_MAX_TOKENS


@settings(max_examples=100, deadline=None)
@given(document)
def test_chunks_end_on_sentence_boundaries(markdown):
    for chunk in chunk_markdown(markdown):
        assert chunk.body.rstrip()[-1] in ".!?", chunk.body[-40:]


def test_long_section_is_split_near_the_target_with_overlap():
    text = " ".join(f"Sentence number {i} talks about listening to a mentee." for i in range(80))
    chunks = chunk_markdown(f"# Title\n\n{text}")
    assert len(chunks) >= 3
    assert all(estimate_tokens(c.body) <= 200 for c in chunks)
    assert chunks[1].overlap and chunks[1].overlap in chunks[0].body


def test_headings_start_new_chunks_once_big_enough():
    big = " ".join(["Mentors listen carefully before they offer any advice at all."] * 14)
    chunks = chunk_markdown(f"## First\n\n{big}\n\n## Second\n\n{big}")
    assert [c.heading for c in chunks] == ["First", "Second"]
