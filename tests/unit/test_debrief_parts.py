"""Pure debrief logic: the rubric file, evidence validation, the weakest line, prompt rendering."""

import numpy as np
import pytest

from coach.coaching.debrief.markdown import write_up_lines
from coach.coaching.debrief.phrasing import bare_words, copies, stitched
from coach.coaching.debrief.scoring import Evidence, SignalHit, SkillScore, weakest_line
from coach.coaching.debrief.service import Debrief
from coach.coaching.debrief.signals import RULES as RULE_FUNCTIONS
from coach.coaching.debrief.signals import TranscriptFacts
from coach.coaching.practice.behaviours import LineLabel
from coach.coaching.rubric import RULES, Rubric, load_rubric


def test_the_shipped_rubric_has_six_to_eight_skills_each_with_signals():
    rubric = load_rubric()
    assert 6 <= len(rubric.skills) <= 8
    assert all(skill.signals and skill.good_looks_like for skill in rubric.skills)


def test_every_rule_the_rubric_may_name_exists():
    assert set(RULES) == set(RULE_FUNCTIONS)


def test_a_signal_must_fire_one_way_only():
    skill = {"id": "s", "name": "S", "description": "d", "good_looks_like": "g", "guidance_tags": [],
             "signals": [{"id": "x", "says": "y", "points": 1, "behaviour": "dismiss", "rule": "concern_revealed"}]}
    with pytest.raises(ValueError, match="exactly one of"):
        Rubric.model_validate({"skills": [skill]})


def test_a_copied_or_stitched_phrasing_is_not_a_rewrite_and_lead_ins_are_stripped():
    line = "Take the lead role, that's my decision."
    assert copies(f"You could say: '{line}'", line)
    assert not copies("What matters most to you in the next role?", line)
    assert copies("You could say to Priya instead of line 3: acknowledge it.", line)  # the prompt handed back
    assert bare_words("you could have said: 'That sounds hard. What happened?'") == "That sounds hard. What happened?"
    assert bare_words(", 'I hear you. What is on your mind?'") == "I hear you. What is on your mind?"
    said = ["Don't worry about the team.", "You should take the project and ignore them."]
    assert stitched("Don't worry, take the project and ignore the team.", said)
    assert not stitched("That sounds lonely. What has lunch been like this week?", said)


def test_a_debrief_saved_before_part_6_still_reads_as_it_was_written():
    old = {"narrative": {"strengths": [{"line": 1, "point": "Asked openly."}], "tries": [{"line": 2, "point": "Slow down."}],
                         "rewrite": "What happened?"}, "narrative_note": "", "weakest": {"line": 2, "text": "Just do it."}}
    text = "\n".join(write_up_lines(old))
    assert "Asked openly. (line 1)" in text and "Slow down. (line 2)" in text and "> What happened?" in text
    restored = Debrief.model_validate({"session_id": "s", "scenario_id": "x", "scenario_title": "X", "hidden_concern": "h",
                                       "concern_surfaced": False, "mentor_share": 0.5, "scores": [], "guidance": [],
                                       "weakest": None, **old})
    assert "> What happened?" in "\n".join(write_up_lines(restored.model_dump()))


def test_a_new_write_up_quotes_each_point_and_says_where_the_rewrite_came_from():
    new = {"strengths": [{"skill": "s", "point": "You asked open questions: asked an open question.", "line": 1, "quote": "How was it?"}],
           "tries": [{"skill": "t", "point": "Ask before advising.", "line": None, "quote": ""}],
           "rewrite": {"line": 2, "original": "Just do it.", "text": "What would help?", "source": "guidance",
                       "guidance_title": "Listen first", "labels": [], "drafts_tried": 3}}
    text = "\n".join(write_up_lines(new))
    assert 'Line 1: "How was it?"' in text and "- Ask before advising." in text
    assert "> What would help?" in text and "from the guidance: Listen first" in text


def _facts(lines: list[str], behaviours: list[list[str]]) -> TranscriptFacts:
    labels = [LineLabel(text=t, behaviours=b, scores={}) for t, b in zip(lines, behaviours)]
    return TranscriptFacts(mentor_lines=lines, labels=labels, stages=["guarded"] * len(lines), revealed_after=None,
                           mentor_share=0.5, vectors=[np.zeros((1, 384)) for _ in lines])


def test_the_weakest_line_is_the_one_that_lost_most():
    facts = _facts(["How are you?", "Just ignore them.", "Any questions?"], [["open_question"], ["dismiss"], ["closed_question"]])
    credit = SignalHit(signal="open", says="asked", points=1, evidence=[Evidence(line=1, text="How are you?")])
    assert weakest_line([SkillScore(skill="s", name="S", score=1, hits=[credit])], facts) == 2
    assert weakest_line([], _facts([], [])) is None


