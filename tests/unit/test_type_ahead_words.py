"""Which words a look during typing uses: a last word is taken only once a space or punctuation
follows it (a half-typed word finds other passages)."""

import pytest

from coach.coaching.type_ahead import whole_words


@pytest.mark.parametrize(("typed", "looked_up"), [
    ("how do I handle favo", "how do I handle"),
    ("how do I handle favoritism ", "how do I handle favoritism"),
    ("how do I handle favoritism?", "how do I handle favoritism?"),
    ("what if she's", "what if"),
    ("one", ""),
])
def test_a_look_uses_only_the_words_already_finished(typed, looked_up):
    assert whole_words(typed) == looked_up
