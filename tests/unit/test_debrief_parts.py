"""Pure debrief logic: the rubric file, evidence validation, the weakest line, prompt rendering."""

import json

import numpy as np
import pytest

from coach.coaching.debrief.scoring import Evidence, SignalHit, SkillScore, weakest_line
from coach.coaching.debrief.signals import RULES as RULE_FUNCTIONS
from coach.coaching.debrief.signals import Line, TranscriptFacts
from coach.coaching.debrief.writing import NarrativeWriter, narrative_schema, parse_narrative, partial_narrative
from coach.coaching.practice.behaviours import LineLabel
from coach.coaching.prompts import load_prompt
from coach.coaching.rubric import RULES, Rubric, load_rubric


def narrative(strength_lines=(1, 2), try_lines=(2, 3), rewrite="What has been hardest for you?") -> str:
    return json.dumps({"strengths": [{"line": n, "point": f"good {n}"} for n in strength_lines],
                       "tries": [{"line": n, "point": f"try {n}"} for n in try_lines], "rewrite": rewrite})


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


def test_a_fabricated_evidence_line_is_dropped():
    parsed = parse_narrative(narrative(strength_lines=(1, 9)), line_numbers=[1, 2, 3])
    assert [p.line for p in parsed.strengths] == [1]
    assert [p.line for p in parsed.tries] == [2, 3]


def test_invalid_json_is_not_a_narrative_and_a_copied_rewrite_is_dropped():
    assert parse_narrative('{"strengths": [', [1]) is None
    assert parse_narrative(narrative(strength_lines=(7, 8), try_lines=(9, 9)), [1, 2]) is None
    line = "Take the lead role, that's my decision."
    copied = parse_narrative(narrative(rewrite=f"You could say: '{line}'"), [1, 2, 3], line)
    assert copied.rewrite == "" and len(copied.strengths) == 2
    fresh = parse_narrative(narrative(rewrite="What matters most to you in the next role?"), [1, 2, 3], line)
    assert fresh.rewrite == "What matters most to you in the next role?"
    wrapped = parse_narrative(narrative(rewrite="you could have said: 'That sounds hard. What happened?'"), [1], line)
    assert wrapped.rewrite == "That sounds hard. What happened?"
    assert parse_narrative(narrative(rewrite=", 'I hear you. What is on your mind?'"), [1], line).rewrite == \
        "I hear you. What is on your mind?"
    echoed = parse_narrative(narrative(rewrite="You could say to Priya instead of line 3: acknowledge it."), [1], line)
    assert echoed.rewrite == ""


def test_the_schema_only_allows_real_line_numbers_and_two_points():
    schema = narrative_schema([1, 2, 3])
    assert schema["properties"]["strengths"]["items"]["properties"]["line"]["enum"] == [1, 2, 3]
    assert schema["properties"]["tries"]["minItems"] == schema["properties"]["tries"]["maxItems"] == 2


def test_a_half_written_reply_can_be_shown_as_far_as_it_goes():
    partial = partial_narrative('{"strengths": [{"line": 1, "point": "You asked wh')
    assert partial == {"strengths": [{"line": 1, "point": "You asked wh"}]}
    assert partial_narrative("") == {}


def _facts(lines: list[str], behaviours: list[list[str]]) -> TranscriptFacts:
    labels = [LineLabel(text=t, behaviours=b, scores={}) for t, b in zip(lines, behaviours)]
    return TranscriptFacts(mentor_lines=lines, labels=labels, stages=["guarded"] * len(lines), revealed_after=None,
                           mentor_share=0.5, vectors=[np.zeros((1, 384)) for _ in lines])


def test_the_weakest_line_is_the_one_that_lost_most():
    facts = _facts(["How are you?", "Just ignore them.", "Any questions?"], [["open_question"], ["dismiss"], ["closed_question"]])
    credit = SignalHit(signal="open", says="asked", points=1, evidence=[Evidence(line=1, text="How are you?")])
    assert weakest_line([SkillScore(skill="s", name="S", score=1, hits=[credit])], facts) == 2
    assert weakest_line([], _facts([], [])) is None


def test_the_debrief_prompt_numbers_only_the_mentor_lines():
    writer = NarrativeWriter(backend=None, prompt=load_prompt("debrief"))
    lines = [Line(speaker="mentee", text="Hi."), Line(speaker="mentor", text="How are you?"),
             Line(speaker="mentee", text="Fine."), Line(speaker="mentor", text="Tell me more.")]
    score = SkillScore(skill="asked-open-questions", name="Asked open questions", score=2, hits=[])
    user = writer.messages("A title", "Priya", lines, [score], [], 2)[1].content
    assert "[1] You: How are you?" in user and "[2] You: Tell me more." in user
    assert "Priya: Fine." in user and "your line 2" in user and "Asked open questions: 2" in user
