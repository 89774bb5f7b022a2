"""History and Trainer keep going when the ground moves: cards read once, worker errors as notices."""

import shutil

from textual.widgets import DataTable, Input

from coach.ui.screens.history import HistoryScreen
from coach.ui.screens.trainer import TrainerScreen
from tests.ui.driving import settle, started


def _two_sessions(services) -> None:
    for scenario_id in ("favourite-worry", "quiet-mentee"):
        session = services.session_store.create_session(scenario_id, "scripted")
        services.session_store.add_turn(session.id, "mentor", f"A line in {scenario_id}.")


async def test_history_highlights_use_the_cards_read_when_the_list_loaded(make_services):
    services, _ = make_services()
    _two_sessions(services)
    async with started(services) as (app, pilot):
        await pilot.press("f7")
        await settle(app, pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen) and history.query_one(DataTable).row_count == 2
        # Cards gone after the list loaded: a highlight that re-read them would lose the titles.
        shutil.rmtree(services.workspace.scenarios_dir)
        table = history.query_one(DataTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.pause()
        shown = history.query_one("#session-view").source
        assert "no longer in the corpus" not in shown
        assert history.record.title == history.cards[history.record.session.scenario_id].title


async def test_a_failing_trainer_search_is_a_notice_not_an_exit(make_services):
    services, _ = make_services()

    def broken_search(query, k, tags=()):
        raise RuntimeError("index went away")

    async with started(services, size=(140, 44)) as (app, pilot):
        await pilot.press("f8")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TrainerScreen)
        services.store.search = broken_search
        screen.query_one("#trainer-tabs").active = "tab-search"
        await pilot.pause()
        screen.query_one("#trainer-search", Input).value = "favouritism"
        await settle(app, pilot)
        assert app.is_running and app.screen is screen
        assert any("index went away" in str(n.message) for n in app._notifications)


async def test_a_failed_setup_stops_the_progress_bar_and_says_why(make_services):
    from textual.widgets import ProgressBar

    from coach.errors import CoachError
    from coach.ui.screens.first_run import FirstRunScreen

    services, _ = make_services(index=False)

    def damaged_index():
        raise CoachError("The index at /x could not be opened (InternalError); delete that folder and rebuild it.")

    services.corpus = damaged_index
    async with started(services) as (app, pilot):
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.click("#setup")
        await settle(app, pilot)
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen) and app.is_running
        assert not app.screen.query_one(ProgressBar).display  # no bar left spinning after the error
        assert "Setup stopped" in str(app.screen.query_one("#setup-stage").render())
        assert not app.screen.query_one("#setup").disabled
