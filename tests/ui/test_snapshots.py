"""SVG snapshots of the two main screens (pytest-textual-snapshot); update with --snapshot-update."""

from coach.ui.app import CoachApp


def test_first_run_screen(snap_compare, make_services):
    services, _ = make_services(index=False)

    async def settle(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(CoachApp(services), terminal_size=(100, 30), run_before=settle)


def test_ask_screen_after_an_answer(snap_compare, make_services):
    services, _ = make_services()

    async def ask(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.click("#question")
        for key in "favoritism":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
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
