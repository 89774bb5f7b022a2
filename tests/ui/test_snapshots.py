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
