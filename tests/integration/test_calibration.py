"""The scorer against hand-written transcripts a trainer scored (tests/calibration/*.toml)."""

import tomllib
from pathlib import Path

import pytest

from coach.coaching.debrief.scoring import Scorer
from coach.coaching.debrief.signals import Line, read_transcript
from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.rubric import load_rubric
from coach.coaching.scenarios import find_scenario

CALIBRATION = Path(__file__).parents[1] / "calibration"
CASES = {path.stem: tomllib.loads(path.read_text()) for path in sorted(CALIBRATION.glob("*.toml"))}


@pytest.fixture(scope="module")
def scored(embedder) -> dict[str, dict[str, int]]:
    classifier = BehaviourClassifier(embedder.embed)
    scorer = Scorer(load_rubric(), embedder.embed)
    results = {}
    for name, case in CASES.items():
        scenario = find_scenario(case["scenario"])
        facts = read_transcript([Line(speaker=s, text=t) for s, t in case["turns"]], scenario.hidden.concern, classifier)
        results[name] = {score.skill: score.score for score in scorer.score(scenario.skills, facts)}
    return results


def test_the_calibration_set_covers_several_scenarios_and_every_kind():
    assert len(CASES) >= 6
    assert len({case["scenario"] for case in CASES.values()}) >= 3
    assert {case["kind"] for case in CASES.values()} == {"good", "mixed", "dismissive"}
    for case in CASES.values():  # the trainer scored exactly the skills the scenario practises
        assert set(case["trainer"]) == set(find_scenario(case["scenario"]).skills)


def test_every_good_transcript_beats_its_dismissive_twin_on_every_practised_skill(scored):
    pairs = [(name, case["twin"]) for name, case in CASES.items() if case["kind"] == "good"]
    assert len(pairs) >= 3
    losses = [(good, skill, scored[good][skill], scored[bad][skill])
              for good, bad in pairs for skill in scored[good] if scored[good][skill] <= scored[bad][skill]]
    assert losses == []


def test_scores_are_within_one_of_the_trainer_on_nine_items_in_ten(scored):
    items = [(name, skill, trainer, scored[name][skill])
             for name, case in CASES.items() for skill, trainer in case["trainer"].items()]
    far = [item for item in items if abs(item[2] - item[3]) > 1]
    assert len(far) <= 0.1 * len(items), far


def test_the_same_transcript_always_gets_the_same_scores(embedder, scored):
    again = Scorer(load_rubric(), embedder.embed)
    case = CASES["favourite-worry-mixed"]
    scenario = find_scenario(case["scenario"])
    facts = read_transcript([Line(speaker=s, text=t) for s, t in case["turns"]], scenario.hidden.concern,
                            BehaviourClassifier(embedder.embed))
    assert {s.skill: s.score for s in again.score(scenario.skills, facts)} == scored["favourite-worry-mixed"]
