"""Progress per skill: moving average, trend, reading old and new debriefs, drill lines, exports."""

import csv
import io

import pytest

from coach.coaching.progress.export import to_csv, to_json, to_markdown
from coach.coaching.progress.service import ProgressService, check_drill_skill, parse_since
from coach.coaching.progress.trend import moving_average, trend
from coach.coaching.rubric import load_rubric
from coach.errors import CoachError
from coach.sessions.store import DrillAttempt, SessionStore


def test_moving_average_is_trailing_over_three():
    assert moving_average([0, 1, 2, 2, 0]) == [0.0, 0.5, 1.0, 1.67, 1.33]


def test_trend_needs_three_sessions_and_reads_the_latest_direction():
    assert trend([0, 2])[0] == "too few sessions"
    assert trend([0, 1, 1, 2])[0] == "improving"
    assert trend([2, 2, 1, 0])[0] == "slipping"
    assert trend([1, 2, 1, 2, 1, 2, 1])[0] == "steady"
    # Only the latest six count: a long-gone bad start does not make today look like improvement.
    assert trend([0, 0, 0, 0, 2, 2, 2, 2, 2, 2])[0] == "steady"


def hit(points: int, *lines: str) -> dict:
    return {"signal": "x", "says": "x", "points": points,
            "evidence": [{"line": n, "text": text} for n, text in enumerate(lines, start=1)]}


def score(skill: str, value: int, *hits: dict) -> dict:
    return {"skill": skill, "name": skill, "score": value, "max_score": 2, "hits": list(hits)}


@pytest.fixture
def store(tmp_path):
    store = SessionStore(tmp_path / "sessions.db")
    yield store
    store.close()


def add(store: SessionStore, day: int, scenario: str, debrief: dict | None) -> str:
    session = store.create_session(scenario, "scripted", f"2026-11-{day:02d}T09:00:00+00:00")
    if debrief is not None:
        store.save_debrief(session.id, debrief)
    return session.id


def legacy_debrief(*scores: dict) -> dict:
    """The shape saved before part 6: the model's narrative, no strengths, no labelled lines."""
    return {"session_id": "x", "scenario_id": "quiet-mentee", "narrative": {"summary": "old"}, "scores": list(scores)}


def service(store: SessionStore) -> ProgressService:
    from coach.coaching.scenarios import load_scenarios

    return ProgressService(store, load_scenarios(), load_rubric())


def test_old_and_new_debriefs_count_and_undebriefed_sessions_do_not(store):
    old = add(store, 1, "quiet-mentee", legacy_debrief(score("asked-open-questions", 0)))
    add(store, 2, "quiet-mentee", None)
    new = add(store, 3, "quiet-mentee", {"scores": [score("asked-open-questions", 2)], "strengths": [], "lines": []})
    report = service(store).report()
    (skill,) = report.skills
    assert [(p.session_id, p.score) for p in skill.points] == [(old, 0), (new, 2)]
    assert skill.name == "Asked open questions"  # from the rubric
    assert (skill.sessions, skill.last_practised) == (2, "2026-11-03")


def test_since_keeps_later_sessions_and_a_bad_date_is_one_sentence(store):
    add(store, 1, "quiet-mentee", {"scores": [score("asked-open-questions", 0)]})
    add(store, 5, "quiet-mentee", {"scores": [score("asked-open-questions", 2)]})
    report = service(store).report(parse_since("2026-11-05"))
    assert [p.score for p in report.skills[0].points] == [2]
    assert report.next is not None  # the suggestion still reads the whole history
    with pytest.raises(CoachError, match="is not a date; give --since as YYYY-MM-DD"):
        parse_since("last tuesday")


def test_an_empty_store_gives_an_empty_report_with_a_first_suggestion(store):
    report = service(store).report()
    assert report.empty
    assert report.next.difficulty == 1
    assert "No debriefed sessions yet" in to_markdown(report)


def test_drill_results_form_their_own_series(store):
    add(store, 1, "quiet-mentee", {"scores": [score("asked-open-questions", 0)]})
    for passed in (True, False, True, True):
        store.add_drill_attempt(DrillAttempt(drill_id="d1", session_id="s", skill="asked-open-questions",
                                             original="o", attempt="a", passed=passed))
    (skill,) = service(store).report().skills
    (drill,) = skill.drills
    assert (drill.passed, drill.tried, drill.score) == (3, 4, 1.5)
    assert [p.score for p in skill.points] == [0]  # drills never mix into the session scores


def test_exports_carry_every_point(store):
    first = add(store, 1, "quiet-mentee", {"scores": [score("asked-open-questions", 0), score("acknowledged-concern", 1)]})
    add(store, 2, "decide-for-me", {"scores": [score("asked-open-questions", 2)]})
    report = service(store).report()
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert [(r["skill"], r["score"], r["moving_average"]) for r in rows] == [
        ("asked-open-questions", "0", "0.0"), ("asked-open-questions", "2", "1.0"), ("acknowledged-concern", "1", "1.0")]
    markdown = to_markdown(report)
    assert "## Asked open questions" in markdown and "| 2026-11-01 | Sam says almost nothing | 0/2 | 0.00 |" in markdown
    as_json = to_json(report)
    assert as_json["skills"][0]["points"][0] == {"session_id": first, "started": "2026-11-01T09:00:00+00:00",
                                                 "scenario": "quiet-mentee", "score": 0}
    assert as_json["skills"][0]["moving_average"] == [0.0, 1.0] and as_json["skills"][0]["trend"] == "too few sessions"


def test_weak_lines_are_the_ones_that_cost_points_newest_first(store):
    from coach.coaching.progress.drills import new_drill

    add(store, 1, "quiet-mentee", legacy_debrief(score("asked-open-questions", 0, hit(-1, "Did you tell anyone?")),
                                                 score("acknowledged-concern", 0, hit(-1, "Don't worry about it."))))
    add(store, 2, "quiet-mentee", {"scores": [score("asked-open-questions", 1, hit(1, "What happened?"),
                                                    hit(-1, "Is it your manager?", "did you tell anyone?"))]})
    drill = new_drill(store, load_rubric())
    assert [line.text for line in drill.lines] == ["Is it your manager?", "did you tell anyone?", "Don't worry about it."]
    assert drill.lines[0].ask == "You said: “Is it your manager?”. Say it again so that it asks an open question."
    assert drill.lines[2].aim == "acknowledges the worry first"
    only = new_drill(store, load_rubric(), "acknowledged-concern")
    assert [line.text for line in only.lines] == ["Don't worry about it."]
    assert len(new_drill(store, load_rubric(), count=1).lines) == 1


def test_an_unknown_drill_skill_names_the_ones_there_are():
    with pytest.raises(CoachError, match="Unknown skill 'listening'; choose one of: listened-before-advising"):
        check_drill_skill("listening", load_rubric())


class NoNotes:
    """A guidance store with nothing in it (a corpus without "What to say" sections)."""

    def search(self, query, k, tags=None):
        return []


def test_with_no_quoted_phrasing_the_rubrics_advice_is_shown_as_such():
    from coach.coaching.progress.drill_check import RUBRIC, guidance_example

    skill = load_rubric().skill("asked-open-questions")
    example = guidance_example(skill, NoNotes(), checker=None)  # nothing to check when nothing is found
    assert example.source == RUBRIC
    assert example.shown == "What the rubric suggests: Ask a what or how question that the mentee cannot answer with yes or no."


def test_odd_saved_records_are_passed_over_not_fatal(store):
    from coach.coaching.progress.drills import new_drill

    add(store, 1, "quiet-mentee", {"scores": {"asked-open-questions": 2}})  # an early hand-made shape
    add(store, 2, "quiet-mentee", {"scores": ["broken", {"skill": "asked-open-questions", "score": "high"},
                                              {"skill": "acknowledged-concern", "score": 1, "hits": [None, {"points": -1}]}]})
    add(store, 3, "quiet-mentee", {"narrative": "no scores at all"})
    report = service(store).report()
    assert {(s.skill, tuple(p.score for p in s.points)) for s in report.skills} == {
        ("asked-open-questions", (2,)), ("acknowledged-concern", (1,))}
    assert new_drill(store, load_rubric()).lines == []


def test_since_reads_stored_utc_times_on_the_mentors_own_calendar(monkeypatch):
    import time

    from coach.coaching.progress.series import local_date

    monkeypatch.setenv("TZ", "Pacific/Auckland")  # UTC+13 in November
    time.tzset()
    try:
        assert local_date("2026-11-27T20:30:00+00:00") == "2026-11-28"
        assert local_date("2026-11-27") == "2026-11-27"  # a bare date stays as it is
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
