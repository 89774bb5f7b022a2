"""The practice engine's view of the labeller: each mentor line's behaviours, as a trainer would give
them, with the probabilities and nearest training lines that explain them."""

import pytest

from coach.coaching.practice.behaviours import BehaviourClassifier

# Written for this test, not taken from the labelled lines.
CASES = [
    ("Don't stress about them, just crack on with your work.", {"dismiss", "advice"}),
    ("How have things been going for you lately?", {"open_question"}),
    ("Sounds like that has been weighing on you for weeks.", {"reflection"}),
    ("You ought to raise it with your manager tomorrow morning.", {"advice"}),
    ("Ugh, that's rough. What happened next?", {"acknowledge", "open_question"}),
]


@pytest.fixture(scope="module")
def classifier(embedder):
    return BehaviourClassifier(embedder.embed)


def test_lines_get_the_behaviours_a_trainer_would_give_and_no_costly_extra(classifier):
    for label, (_, expected) in zip(classifier.label([text for text, _ in CASES]), CASES):
        assert expected <= set(label.behaviours), label
        assert not ({"dismiss", "advice"} - expected) & set(label.behaviours), label


def test_labels_are_reproducible_and_explain_themselves(classifier):
    first = classifier.label(["Don't worry about them."])[0]
    again = classifier.label(["Don't worry about them."])[0]
    assert first == again and first.scores["dismiss"] > 0.5 and len(first.nearest) == 2
    assert set(first.behaviours) <= set(first.scores)
