"""Exemplar signals that need a contrast: a blanket promise of secrecy sounds like an honest word on
confidentiality's limits, and an order to go to HR sounds like deciding together who needs to know.
Scored with the real MiniLM embeddings and the shipped rubric."""

import pytest

from coach.coaching.debrief.scoring import Scorer
from coach.coaching.debrief.signals import Line, read_transcript
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.rubric import load_rubric
from coach.coaching.scenarios import find_scenario


@pytest.fixture(scope="module")
def hits_for(embedder):
    scorer, classifier = Scorer(load_rubric(), embedder.embed), BehaviourClassifier(embedder.embed)
    card = find_scenario("confidentiality-limits")

    def hits(*mentor_lines: str) -> set[str]:
        turns = [Line(speaker=s, text=t) for line in mentor_lines for s, t in (("mentee", "Can I tell you something?"), ("mentor", line))]
        scores = scorer.score(["kept-confidentiality"], read_transcript(turns, card, classifier))
        return {hit.signal for score in scores for hit in score.hits}

    return hits


def test_a_blanket_promise_is_not_honesty_about_limits(hits_for):
    found = hits_for("Of course, it stays between us. What's happened?")
    assert "stated-limits" not in found


def test_an_honest_limit_still_counts(hits_for):
    found = hits_for("Most of this stays between us, but if someone could get hurt I might have to act, and I'd tell you first.")
    assert "stated-limits" in found and "promised-secrecy" not in found


def test_an_order_to_go_to_hr_does_not_keep_the_mentee_in_the_choice(hits_for):
    assert "shared-choice" not in hits_for("That needs to go to HR. You should file a report today, don't sit on it.")
    assert "shared-choice" in hits_for("Shall we work out together who needs to know, and when?")
