"""A reply reveals the hidden concern only when it tells the concern, not the open situation that
shares its words (real MiniLM embeddings, a shipped scenario)."""

import pytest

from coach.coaching.practice.reveal import says_concern
from coach.coaching.scenarios import find_scenario


@pytest.fixture(scope="module")
def dev():
    return find_scenario("no-time-mentor")


@pytest.mark.parametrize("reply", [
    "Honestly, at my last review my manager called mentoring a nice extra, and I'm scared it counts against me.",
    "Look. My manager said mentoring was just 'a nice extra' in my review. I think it's hurting me.",
])
def test_a_reply_that_tells_the_concern_reveals_it(dev, embedder, reply):
    assert says_concern(reply, dev, embedder.embed)


@pytest.mark.parametrize("reply", [
    "Maybe, but I think we can make a plan that leaves room for mentoring.",
    "Look, my targets are all delivery; mentoring isn't in my job anywhere.",
    "I want to keep mentoring, I just don't have the hours.",
])
def test_talk_about_the_open_situation_is_not_a_reveal(dev, embedder, reply):
    assert not says_concern(reply, dev, embedder.embed)


def test_a_short_reply_that_only_names_the_mentee_is_not_a_reveal(embedder):
    tom = find_scenario("ending-the-relationship")
    assert not says_concern("Yes, I am Tom's manager.", tom, embedder.embed)
    assert says_concern("Honestly, I'm nervous about my first performance reviews as a manager, and you're my safety net.",
                        tom, embedder.embed)
