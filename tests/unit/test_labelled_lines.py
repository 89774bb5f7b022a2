"""The labelled mentor lines the labeller learns from, and the fixed split that keeps a test set."""

import tomllib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coach.coaching.labeller.dataset import data_fingerprint, in_test_split, load_lines, normalised, split
from coach.coaching.labeller.labels import LABELS
from coach.coaching.labeller.model import LabellerModel

CALIBRATION = Path(__file__).parents[1] / "calibration"


def test_there_are_enough_lines_for_every_label():
    lines = load_lines()
    assert len(lines) >= 1500
    for label in LABELS:
        assert sum(label in line.labels for line in lines) >= 100, label
    assert sum(len(line.labels) > 1 for line in lines) >= 0.25 * len(lines)  # mixed moves are common


def test_the_split_is_about_one_in_five_and_the_parts_do_not_overlap():
    lines = load_lines()
    train, test = split(lines, "train"), split(lines, "test")
    assert len(train) + len(test) == len(lines) and 0.15 <= len(test) / len(lines) <= 0.25
    assert not {normalised(x.text) for x in train} & {normalised(x.text) for x in test}


@given(st.text(alphabet="abcdefgXYZ ?.,'", min_size=1, max_size=80))
def test_the_split_depends_only_on_the_text_not_on_case_or_spacing(text):
    assert in_test_split(text) == in_test_split("  " + text.upper().replace(" ", "   ") + "\n")


def test_the_labeller_never_saw_a_calibration_line():
    calibration = {normalised(t) for path in CALIBRATION.glob("*.toml")
                   for s, t in tomllib.loads(path.read_text())["turns"] if s == "mentor"}
    assert not calibration & {normalised(x.text) for x in load_lines()}


def test_the_shipped_weights_were_trained_on_exactly_this_data():
    model = LabellerModel.load()
    assert model.fingerprint == data_fingerprint(), "retrain: python -m coach.coaching.labeller.training"
    assert model.labels == LABELS and model.weights.shape[0] == len(LABELS)
    assert set(model.train_texts) == {x.text for x in split(load_lines(), "train")}  # no test line inside
