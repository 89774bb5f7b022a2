"""The write-up states only what the signals found: no strength for a skill scored 0, and no "try"
asking for a move the mentor already made. Checked over every possible set of fired signals."""

from hypothesis import given
from hypothesis import strategies as st

from coach.coaching.debrief.scoring import MAX_SCORE, Evidence, SignalHit, SkillScore
from coach.coaching.debrief.write_up import strengths, tries
from coach.coaching.rubric import load_rubric

RUBRIC = load_rubric()


@st.composite
def scored_skills(draw) -> list[SkillScore]:
    scores = []
    for skill in draw(st.lists(st.sampled_from(RUBRIC.skills), min_size=1, max_size=4, unique_by=lambda s: s.id)):
        fired = draw(st.lists(st.sampled_from(skill.signals), max_size=len(skill.signals), unique_by=lambda s: s.id))
        hits = [SignalHit(signal=s.id, says=s.says, points=s.points,
                          evidence=[Evidence(line=draw(st.integers(1, 9)), text="a line")]) for s in fired]
        total = max(0, min(MAX_SCORE, sum(h.points for h in hits)))
        scores.append(SkillScore(skill=skill.id, name=skill.name, score=total, hits=hits))
    return scores


@given(scored_skills())
def test_no_strength_is_listed_for_a_skill_that_scored_zero(scores):
    zero = {s.skill for s in scores if s.score == 0}
    assert not {p.skill for p in strengths(scores, RUBRIC)} & zero


@given(scored_skills())
def test_every_strength_is_a_signal_that_earned_points_with_its_evidence(scores):
    for point in strengths(scores, RUBRIC):
        score = next(s for s in scores if s.skill == point.skill)
        earned = [h for h in score.hits if h.points > 0]
        assert any(h.says[1:] in point.point for h in earned)
        assert point.line in {e.line for h in earned for e in h.evidence}


@given(scored_skills())
def test_no_try_asks_for_a_move_the_mentor_already_made(scores):
    for point in tries(scores, RUBRIC):
        score = next(s for s in scores if s.skill == point.skill)
        assert score.score < score.max_score  # full marks leave nothing to try
        skill = RUBRIC.skill(point.skill)
        fired = {h.signal for h in score.hits}
        made = [s for s in skill.signals if s.points > 0 and s.id in fired]
        assert point.point not in {s.try_next for s in made}


def test_a_try_about_a_costly_line_quotes_that_line():
    skill = RUBRIC.skill("acknowledged-concern")
    dismissed = next(s for s in skill.signals if s.id == "dismissed")
    hit = SignalHit(signal=dismissed.id, says=dismissed.says, points=-1, evidence=[Evidence(line=2, text="Don't worry.")])
    [point] = tries([SkillScore(skill=skill.id, name=skill.name, score=0, hits=[hit])], RUBRIC)
    assert point.point == dismissed.try_next and point.line == 2 and point.quote == "Don't worry."
