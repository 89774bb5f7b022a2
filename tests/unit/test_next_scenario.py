"""The what-to-practise-next rule over made-up histories: weakest recent skill, step up after two
2/2s, step back after two 0/2s, and a one-line reason."""

from coach.coaching.progress.next_scenario import CardSummary, suggest_next, target_level
from coach.coaching.progress.series import ScoredSession

CARDS = [
    CardSummary(id="easy-open", title="Leila wants you to decide", difficulty=1, skills=["open", "peer"]),
    CardSummary(id="mid-open", title="Sam says almost nothing", difficulty=2, skills=["open", "ack"]),
    CardSummary(id="hard-open", title="Your mentee outranks you", difficulty=3, skills=["open", "peer"]),
    CardSummary(id="mid-ack", title="Dev has no time", difficulty=2, skills=["ack"]),
]
NAMES = {"open": "Asked open questions", "ack": "Acknowledged the concern", "peer": "Treated the mentee as a peer"}


def history(*sessions: tuple[str, dict[str, int]]) -> list[ScoredSession]:
    return [ScoredSession(session_id=f"s{n}", started=f"2026-11-{n + 1:02d}T10:00:00+00:00", scenario=scenario,
                          scores=scores, names={}) for n, (scenario, scores) in enumerate(sessions)]


def test_the_weakest_recent_skill_is_chosen_at_the_same_level():
    made_up = history(("mid-open", {"open": 1, "ack": 2}), ("mid-open", {"open": 0, "ack": 2}),
                      ("mid-ack", {"ack": 1}), ("mid-open", {"open": 1, "ack": 2}))
    suggestion = suggest_next(made_up, CARDS, NAMES)
    assert suggestion.skill == "open"
    assert suggestion.difficulty == 2
    assert suggestion.reason == ("Asked open questions has been 0–1 in your last three sessions; "
                                 "Sam says almost nothing practises it at the same level.")


def test_two_full_marks_in_a_row_step_up():
    made_up = history(("mid-open", {"open": 2}), ("mid-open", {"open": 2}))
    suggestion = suggest_next(made_up, CARDS, NAMES)
    assert suggestion.difficulty == 3
    assert suggestion.scenario_id == "hard-open"
    assert suggestion.reason == ("Asked open questions has scored 2/2 in your last two sessions; "
                                 "Your mentee outranks you will stretch it.")


def test_without_a_harder_card_the_reason_does_not_promise_a_stretch():
    made_up = history(("mid-ack", {"ack": 2}), ("mid-ack", {"ack": 2}))
    suggestion = suggest_next(made_up, CARDS, NAMES)
    assert (suggestion.scenario_id, suggestion.difficulty) == ("mid-open", 2)
    assert suggestion.reason.endswith("Sam says almost nothing practises it at the same level.")


def test_two_zeros_in_a_row_step_back():
    made_up = history(("hard-open", {"open": 1, "peer": 2}), ("hard-open", {"open": 0, "peer": 2}),
                      ("hard-open", {"open": 0, "peer": 2}))
    suggestion = suggest_next(made_up, CARDS, NAMES)
    assert (suggestion.skill, suggestion.difficulty) == ("open", 2)
    assert suggestion.reason == ("Asked open questions has been 0–1 in your last three sessions; "
                                 "Sam says almost nothing is gentler practice for it.")


def test_one_full_mark_or_one_zero_is_not_enough_to_move():
    assert target_level_of([1, 2], [2, 2]) == 2
    assert target_level_of([2, 0], [2, 2]) == 2
    assert target_level_of([0, 0], [1, 1]) == 1  # never below the easiest
    assert target_level_of([2, 2], [3, 3]) == 3  # never above the hardest


def target_level_of(scores: list[int], difficulties: list[int]) -> int:
    from coach.coaching.progress.next_scenario import SkillRecord

    return target_level(SkillRecord(skill="open", scores=scores, difficulties=difficulties, scenarios=["x"] * len(scores)))


def test_only_the_last_three_sessions_count_as_recent():
    # "ack" was poor long ago and is good now; "open" is middling now: "open" is the weaker recent skill.
    made_up = history(("mid-ack", {"ack": 0}), ("mid-ack", {"ack": 0}), ("mid-open", {"open": 1, "ack": 2}),
                      ("mid-open", {"open": 1, "ack": 2}), ("mid-open", {"open": 1, "ack": 2}))
    assert suggest_next(made_up, CARDS, NAMES).skill == "open"


def test_the_scenario_just_played_gives_way_to_another_at_the_same_level():
    made_up = history(("mid-ack", {"ack": 1}), ("mid-open", {"open": 2, "ack": 1}))
    suggestion = suggest_next(made_up, CARDS, NAMES)
    assert suggestion.skill == "ack"
    assert suggestion.scenario_id == "mid-ack"  # the last "ack" session was mid-open, at the same level
    assert suggestion.reason == "Acknowledged the concern has scored 1/2 in your last two sessions; " \
                                "Dev has no time practises it at the same level."


def test_a_new_mentor_is_offered_the_easiest_scenario():
    suggestion = suggest_next([], CARDS, NAMES)
    assert suggestion.scenario_id == "easy-open"
    assert suggestion.reason.startswith("A gentle first scenario: Leila wants you to decide practises asked open questions")


def test_skills_no_card_practises_are_left_out_and_no_cards_means_no_suggestion():
    made_up = history(("gone", {"retired-skill": 0, "open": 2}))
    assert suggest_next(made_up, CARDS, NAMES).skill == "open"
    assert suggest_next(made_up, [], NAMES) is None
