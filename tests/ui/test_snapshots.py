"""SVG snapshots of the two main screens (pytest-textual-snapshot); update with --snapshot-update."""

from pathlib import Path

from coach.ui.app import CoachApp

# Two short notes with clearly separate relevance. The int8 embedding model's last digits differ
# between CPUs (with and without VNNI), so a snapshot over the whole corpus, whose passages 2 to 4
# nearly tie, could reorder on another machine; the scores shown are masked for the same reason.
SNAPSHOT_CORPUS = Path(__file__).parent / "data" / "snapshot_corpus"


def test_first_run_screen(snap_compare, make_services):
    services, _ = make_services(index=False)

    async def settle(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(CoachApp(services), terminal_size=(100, 30), run_before=settle)


def test_ask_screen_after_an_answer(snap_compare, make_services, monkeypatch):
    monkeypatch.setattr("coach.ui.widgets.sources_panel.score_label", lambda score: "·.··")
    services, _ = make_services(corpus=SNAPSHOT_CORPUS)

    async def ask(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.click("#question")
        for key in "favoritism":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        # The emptied box keeps focus: a blinking cursor would be drawn or not by the moment (a CI flake).
        pilot.app.screen.query_one("#question").cursor_blink = False
        await pilot.pause()

    assert snap_compare(CoachApp(services), terminal_size=(120, 36), run_before=ask)


def test_debrief_screen(snap_compare, make_services):
    import tomllib

    from coach.coaching.scenarios import find_scenario
    from coach.ui.screens.debrief import DebriefScreen
    from tests.conftest import REPO

    services, backend = make_services("It makes sense this worries you. What would feel fair to you and the team?")
    case = tomllib.loads((REPO / "tests" / "calibration" / "favourite-worry-good.toml").read_text())
    store = services.session_store
    session_id = store.create_session("favourite-worry", "scripted").id
    for speaker, text in case["turns"]:
        store.add_turn(session_id, speaker, text)
    debrief = services.debrief_service().debrief(session_id, find_scenario("favourite-worry"))

    async def show(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.app.push_screen(DebriefScreen(saved=debrief))
        await pilot.pause()

    assert snap_compare(CoachApp(services), terminal_size=(130, 44), run_before=show)
