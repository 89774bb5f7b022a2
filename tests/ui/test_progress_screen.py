"""The Progress and Drill screens driven by Pilot over the 24-session history by the scripted mentor
styles (real labeller, real index, scripted chat backend that is never needed), plus an SVG
snapshot of the Progress screen."""

import pytest
from textual.widgets import Input, OptionList, Static

from coach.sessions.store import SessionStore
from coach.ui.app import CoachApp
from coach.ui.screens.debrief import DebriefScreen
from coach.ui.screens.drill import DrillScreen
from coach.ui.screens.progress import ProgressScreen
from coach.ui.widgets.score_chart import ScoreChart
from tests.progress_history import install_history, shared_history
from tests.ui.driving import settle, started


@pytest.fixture
def with_history(tmp_path, tmp_path_factory, embedder, shipped_store):
    return install_history(tmp_path / "data", shared_history(tmp_path_factory, embedder, shipped_store))


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_progress(app, pilot) -> ProgressScreen:
    await pilot.press("f9")
    await settle(app, pilot)
    assert isinstance(app.screen, ProgressScreen)
    return app.screen


async def test_each_skill_charts_its_sessions_and_a_point_opens_its_debrief(make_services, with_history):
    services, backend = make_services()
    async with started(services) as (app, pilot):
        screen = await open_progress(app, pilot)
        skills = screen.query_one("#skill-list", OptionList)
        assert skills.option_count == len(screen.report.skills) >= 5
        assert "Asked open questions" in str(skills.get_option_at_index(1).prompt)
        chart = screen.query_one(ScoreChart)
        first = screen.report.skills[0]
        assert len(chart.points) == first.sessions and chart.cursor == first.sessions - 1
        assert {p.session_id for s in screen.report.skills for p in s.points} == set(with_history)
        assert text_of(screen, "#next-suggestion").startswith("Next: ")

        chart.focus()
        await pilot.press("left", "left")
        await pilot.pause()
        chosen = chart.points[first.sessions - 3]
        assert chosen.started[:10] in text_of(screen, "#point-detail")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and app.screen.debrief.session_id == chosen.key
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        assert chart.cursor == first.sessions - 3  # back where the mentor was on the chart
        assert backend.calls == 0  # progress and saved debriefs need no model


async def test_a_new_mentor_sees_one_friendly_sentence_not_an_empty_chart(make_services):
    services, _ = make_services()
    async with started(services) as (app, pilot):
        screen = await open_progress(app, pilot)
        assert text_of(screen, "#progress-empty").startswith("No debriefed sessions yet")
        assert not screen.query_one("#progress-body").display
        assert "A gentle first scenario" in text_of(screen, "#next-suggestion")


async def test_the_practice_screen_suggests_the_next_scenario(make_services, with_history):
    services, _ = make_services()
    async with started(services) as (app, pilot):
        await pilot.press("f6")
        await settle(app, pilot)
        expected = services.progress().suggestion()
        assert text_of(app.screen, "#next-suggestion") == f"Suggested next: {expected.reason}"


async def test_a_drill_checks_each_line_at_once_and_saves_it_for_the_chart(make_services, with_history, tmp_path):
    services, backend = make_services()
    async with started(services) as (app, pilot):
        await app.push_screen(DrillScreen(skill="asked-open-questions"))
        await settle(app, pilot)
        drill = app.screen
        assert text_of(drill, "#drill-heading").startswith("Line 1 of 5 · Asked open questions")
        assert text_of(drill, "#drill-ask").endswith("Say it again so that it asks an open question.")
        for said in ("What has been on your mind most since we last met?", "You should just tell your manager."):
            drill.query_one("#drill-line", Input).value = said
            await pilot.press("enter")
            await settle(app, pilot)
        assert text_of(drill, "#drill-heading").startswith("Line 3 of 5")
        assert "The guidance's example: “" in text_of(drill, "#drill-feedback")
        await pilot.press("escape")
        await pilot.pause()
        screen = await open_progress(app, pilot)
        chart_skill = next(s for s in screen.report.skills if s.skill == "asked-open-questions")
        assert [(d.passed, d.tried) for d in chart_skill.drills] == [(1, 2)]
        assert backend.calls == 0


async def test_words_from_a_session_are_shown_as_written_never_as_markup(make_services, tmp_path):
    store = SessionStore(tmp_path / "data" / "sessions.db")
    session = store.create_session("quiet-mentee", "scripted")
    line = "[bold]Just[/] ignore [red]them[/red], \x1b[2Jit's nothing."
    hit = {"signal": "dismissed", "says": "Dismissed", "points": -1, "evidence": [{"line": 1, "text": line}]}
    store.save_debrief(session.id, {"scores": [{"skill": "acknowledged-concern", "name": "x", "score": 0, "hits": [hit]}]})
    store.close()
    services, _ = make_services()
    async with started(services) as (app, pilot):
        await app.push_screen(DrillScreen())
        await settle(app, pilot)
        assert "You said: “[bold]Just[/] ignore [red]them[/red], it's nothing.”" in text_of(app.screen, "#drill-ask")


def test_progress_screen_snapshot(snap_compare, make_services, with_history):
    services, _ = make_services()

    async def show(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("f9")
        await settle(pilot.app, pilot)

    assert snap_compare(CoachApp(services), terminal_size=(120, 30), run_before=show)
