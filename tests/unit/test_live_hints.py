"""The wording of live hints: label names in a fixed order, and advice before any question or offer
named as such."""

from types import SimpleNamespace

from coach.coaching.practice.hints import EARLY_ADVICE, LiveHints, hint_wording


def test_each_line_reads_as_its_label_names_in_a_fixed_order():
    assert hint_wording([["open_question"], ["reflection", "open_question"], ["neutral"]]) == [
        "open question", "open question · reflection", "other"]


def test_advice_before_any_question_or_offer_is_advice_before_asking():
    assert hint_wording([["advice"], ["advice", "dismiss"]]) == [EARLY_ADVICE, f"{EARLY_ADVICE} · dismissal"]


def test_advice_after_a_question_or_in_the_same_line_as_one_is_plain_advice():
    assert hint_wording([["open_question"], ["advice"]]) == ["open question", "advice"]
    assert hint_wording([["advice", "closed_question"]]) == ["closed question · advice"]


def test_advice_after_an_offer_is_plain_advice():
    assert hint_wording([["acknowledge"], ["offer"], ["advice"]]) == ["acknowledgement", "offer to advise", "advice"]


def test_no_labels_give_an_empty_hint_and_an_unknown_label_keeps_its_name():
    assert hint_wording([[], ["new_label"]]) == ["", "new_label"]


class CountingLabeller:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def label(self, lines, nearest=True):
        self.seen += lines
        return [SimpleNamespace(labels=["open_question" if line.endswith("?") else "advice"]) for line in lines]


def test_each_line_is_labelled_once_and_then_known_at_once():
    labeller = CountingLabeller()
    hints = LiveHints(SimpleNamespace(labeller=labeller))
    assert hints.known(["Do this."]) is None
    assert hints.hints(["Do this.", "How is it going?"]) == [EARLY_ADVICE, "open question"]
    assert hints.hints(["Do this.", "How is it going?", "Do this."]) == [EARLY_ADVICE, "open question", "advice"]
    assert labeller.seen == ["Do this.", "How is it going?"]
    assert hints.known(["How is it going?", "Do this."]) == ["open question", "advice"]
