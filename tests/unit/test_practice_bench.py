"""The mentee figures of `coach bench --only practice`, counted from played sessions."""

from coach.bench.practice_styles import summarise


def _turn(mentee: str, problems=(), first_shown=1.0, concern_sent=False, concern_told=False) -> dict:
    return {"mentor": "x", "mentee": mentee, "retries": 0, "problems": list(problems), "clean_first_try": not problems,
            "first_shown_seconds": first_shown, "passes_guard": True, "fallback": False,
            "concern_sent": concern_sent, "concern_told": concern_told}


def _session(style: str, revealed_after, *turns) -> dict:
    return {"scenario": "s", "style": style, "opening": "Hello there, thanks for the time.",
            "turns": list(turns), "revealed_after": revealed_after}


def test_reveals_compliance_repeats_and_character_are_counted_by_style():
    played = [
        _session("listener", 3, _turn("It is the team."), _turn("I got a project.", concern_sent=True, concern_told=True)),
        _session("listener", None, _turn("Fine.")),
        _session("fixer", 2, _turn("I'll do that."), _turn("Yes, it does."), _turn("I'll do that.")),
        _session("dismissive", None, _turn("Okay.", problems=["spoke like an assistant"])),
        _session("interrogator", None, _turn("No.", problems=["repeated an earlier sentence"], concern_sent=True)),
    ]
    figures = summarise(played)
    assert figures["premature_reveals"] == 1 and figures["listener_reveal_rate"] == 0.5
    assert figures["compliance_runs"] == 1
    assert figures["concern_in_prompt_before_follow_up"] == 1
    assert figures["in_character_first_try"] == round(7 / 8, 3)  # a repeat caught is not out of character
    assert figures["in_character_first_try_by_style"] == {"listener": 1.0, "fixer": 1.0, "dismissive": 0.0,
                                                          "interrogator": 1.0}
    assert figures["passed_whole_first_try"] == round(6 / 8, 3)
    # "I'll do that." twice in the fixer's session: one of the 13 sentences (openings too) is not new.
    assert figures["distinct_sentences"] == round(12 / 13, 3)
    assert figures["first_words_warm_median_seconds"] == 1.0


def test_first_words_are_also_timed_over_the_turns_the_model_began_itself():
    begun = {**_turn("Oh. Okay.", first_shown=0.01), "opener": "Oh. Okay."}
    played = [_session("dismissive", None, _turn("Hi."), begun, _turn("It is the team.", first_shown=1.5),
                       _turn("Fine, I guess.", first_shown=2.5))]
    figures = summarise(played)
    assert figures["first_words_warm_median_seconds"] == 1.5  # the opener's instant words count here
    assert figures["first_words_warm_model_begun_median_seconds"] == 2.0  # not here
