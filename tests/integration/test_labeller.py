"""The trained line labeller with the real MiniLM embeddings: its test-split figures, lines that must
never cost points, the reasons it gives, and weights that reproduce from the data and the script."""

import numpy as np
import pytest

from coach.coaching.labeller.dataset import data_fingerprint, load_lines, split
from coach.coaching.labeller.measure import measure
from coach.coaching.labeller.model import Labeller, LabellerModel
from coach.coaching.labeller.training import train

# Written for this test, not taken from the labelled lines.
NEXT_STEPS = ["Shall we find half an hour next Wednesday to see where you've got to?",
              "So the plan is you'll sound out Marta first, and we'll compare notes after.",
              "Let's both sleep on it and pick it up at our next catch-up.",
              "What's the first small thing you could try before we meet again?"]
PERMISSION = ["Would it be useful if I told you how I handled a similar mess last year?",
              "I've got one idea about the rota, do you want to hear it or not yet?",
              "Can I offer a thought, and you tell me if it doesn't fit?"]


@pytest.fixture(scope="module")
def labeller(embedder) -> Labeller:
    return Labeller(embedder.embed)


@pytest.fixture(scope="module")
def test_split_figures(labeller):
    test = split(load_lines(), "test")
    return measure([line.labels for line in test], [read.labels for read in labeller.label([x.text for x in test], nearest=False)])


def test_the_test_split_macro_f1_and_reflection_meet_their_targets(test_split_figures):
    assert test_split_figures.lines >= 300
    assert test_split_figures.macro_f1 >= 0.85, test_split_figures.per_label
    assert test_split_figures.f1("reflection") >= 0.85


def test_the_test_split_open_closed_advice_and_dismiss_meet_their_targets(test_split_figures):
    assert test_split_figures.open_closed_accuracy >= 0.92
    assert min(test_split_figures.f1("advice"), test_split_figures.f1("dismiss")) >= 0.85


def test_next_steps_and_asking_permission_never_read_as_dismissal_or_advice(labeller):
    for read in labeller.label(NEXT_STEPS):
        assert "next_step" in read.labels and not {"dismiss", "advice"} & set(read.labels), read
    for read in labeller.label(PERMISSION):
        assert "offer" in read.labels and not {"dismiss", "advice"} & set(read.labels), read


def test_each_label_comes_with_its_probability_and_the_nearest_training_lines(labeller):
    [read] = labeller.label(["That sounds exhausting. What's been the hardest part?"])
    assert {"acknowledge", "open_question"} <= set(read.labels)
    assert all(0.0 <= p <= 1.0 for p in read.probabilities.values()) and read.probabilities["open_question"] > 0.5
    assert len(read.nearest) == 2 and read.nearest[0].similarity >= read.nearest[1].similarity
    assert read.nearest[0].text in set(LabellerModel.load().train_texts) and read.nearest[0].labels


def test_the_shipped_weights_reproduce_from_the_data_and_the_script(embedder):
    shipped = LabellerModel.load()
    again = train(embedder.embed, split(load_lines(), "train"), data_fingerprint(), report=lambda _: None)
    assert again.fingerprint == shipped.fingerprint and again.train_texts == shipped.train_texts
    assert np.allclose(again.thresholds, shipped.thresholds)
    assert np.allclose(again.weights, shipped.weights, atol=1e-3) and np.allclose(again.bias, shipped.bias, atol=1e-3)
