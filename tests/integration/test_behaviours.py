"""Mentor lines labelled by the real MiniLM embeddings against the exemplars in prompts/behaviours.toml."""

import pytest

from coach.coaching.practice.behaviours import BehaviourClassifier

CASES = [
    ("Don't worry about them, just do your work.", ["dismiss"]),
    ("Any questions? No? Great, see you next week.", ["closed_question"]),
    ("How are things going for you?", ["open_question"]),
    ("It sounds like that has been weighing on you.", ["acknowledge"]),
    ("Thanks for telling me, I can see why you'd feel awkward.", ["acknowledge"]),
    ("You should just talk to your manager about it.", ["advice"]),
    ("What have you noticed about how the team reacts?", ["open_question"]),
    ("That's rough. What happened next?", ["acknowledge", "open_question"]),
    ("What do you think is behind it?", ["open_question"]),  # a bare question takes no stance
]


@pytest.fixture(scope="module")
def classifier(embedder):
    return BehaviourClassifier(embedder.embed)


def test_lines_get_the_behaviours_a_trainer_would_give(classifier):
    labels = classifier.label([text for text, _ in CASES])
    assert [label.behaviours for label in labels] == [sorted(expected) for _, expected in CASES]


def test_labels_are_reproducible_and_explain_themselves(classifier):
    first = classifier.label(["Don't worry about them."])[0]
    again = classifier.label(["Don't worry about them."])[0]
    assert first == again and first.scores["dismiss"] > 0.9 and set(first.scores) >= {"acknowledge", "advice"}
