"""The scorer against hand-written transcripts a trainer scored (tests/calibration/*.toml): four
mentor styles for every scenario, plus long meetings."""

import tomllib
from itertools import product
from pathlib import Path

import pytest

from coach.coaching.debrief.signals import Line
from coach.coaching.debrief.transcript_scoring import TranscriptScorer
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.rubric import load_rubric
from coach.coaching.scenarios import find_scenario, load_scenarios

CALIBRATION = Path(__file__).parents[1] / "calibration"
CASES = {path.stem: tomllib.loads(path.read_text()) for path in sorted(CALIBRATION.glob("*.toml"))}
OTHER_STYLES = ("fixer", "interrogator", "dismissive")


@pytest.fixture(scope="module")
def scorer(embedder) -> TranscriptScorer:
    return TranscriptScorer(load_rubric(), BehaviourClassifier(embedder.embed))


@pytest.fixture(scope="module")
def scored(scorer) -> dict[str, dict[str, int]]:
    results = {}
    for name, case in CASES.items():
        scenario = find_scenario(case["scenario"])
        facts = scorer.read([Line(speaker=s, text=t) for s, t in case["turns"]], scenario)
        results[name] = {score.skill: score.score for score in scorer.score(facts, scenario.skills).scores}
    return results


def _of(scenario: str, *styles: str) -> list[str]:
    return [name for name, case in CASES.items() if case["scenario"] == scenario and case["style"] in styles
            and "-long-" not in name]


def test_the_set_covers_every_scenario_in_four_styles_and_long_meetings():
    assert len(CASES) >= 40
    for scenario in load_scenarios():
        assert all(_of(scenario.id, style) for style in ("listener", *OTHER_STYLES)), scenario.id
    long_ones = [case for name, case in CASES.items() if "-long-" in name]
    assert len(long_ones) >= 3 and all(sum(s == "mentor" for s, _ in c["turns"]) >= 50 for c in long_ones)
    for case in CASES.values():  # the trainer scored exactly the skills the scenario practises
        assert set(case["trainer"]) == set(find_scenario(case["scenario"]).skills)


def test_the_listener_beats_every_other_style_in_total_in_every_scenario(scored):
    losses = [(listener, other) for scenario in load_scenarios()
              for listener, other in product(_of(scenario.id, "listener"), _of(scenario.id, *OTHER_STYLES))
              if sum(scored[listener].values()) <= sum(scored[other].values())]
    assert losses == []


def _skill_orders(scored) -> tuple[list, list]:
    """(every listener/other/skill where the trainer gave the listener 2 and the other 0, the ones the
    scorer does not put in the same order)."""
    items = [(listener, other, skill) for scenario in load_scenarios()
             for listener, other in product(_of(scenario.id, "listener"), _of(scenario.id, *OTHER_STYLES))
             for skill, trainer in CASES[other]["trainer"].items() if trainer == 0 and CASES[listener]["trainer"][skill] == 2]
    return items, [(good, other, skill) for good, other, skill in items if scored[good][skill] <= scored[other][skill]]


def test_the_listener_scores_higher_on_nearly_every_skill_the_other_style_fails(scored):
    items, losses = _skill_orders(scored)
    assert len(items) >= 100 and len(losses) <= 0.05 * len(items), losses


def test_the_listener_scores_higher_on_every_skill_the_other_style_fails(scored):
    assert _skill_orders(scored)[1] == []


def test_scores_are_within_one_of_the_trainer_on_nine_items_in_ten(scored):
    items = [(name, skill, trainer, scored[name][skill])
             for name, case in CASES.items() for skill, trainer in case["trainer"].items()]
    far = [item for item in items if abs(item[2] - item[3]) > 1]
    assert len(far) <= 0.1 * len(items), far


def test_a_long_lecture_with_two_open_questions_cannot_max_out_open_questions(scored):
    lecture = next(name for name, case in CASES.items() if case["style"] == "lecturer")
    assert scored[lecture]["asked-open-questions"] < 2
    listener = next(name for name, case in CASES.items() if "-long-" in name and case["style"] == "listener")
    assert min(scored[listener].values()) >= 1  # a long good meeting still scores on every skill


def test_the_same_transcript_always_gets_the_same_scores(embedder, scored):
    again = TranscriptScorer(load_rubric(), BehaviourClassifier(embedder.embed))
    case = CASES["favourite-worry-mixed"]
    scenario = find_scenario(case["scenario"])
    facts = again.read([Line(speaker=s, text=t) for s, t in case["turns"]], scenario)
    assert {s.skill: s.score for s in again.score(facts, scenario.skills).scores} == scored["favourite-worry-mixed"]
