"""Driving the app in tests: start it with injected services, and let its workers finish."""

from contextlib import asynccontextmanager

from coach.ui.app import CoachApp


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


@asynccontextmanager
async def started(services, size: tuple[int, int] = (120, 40)):
    """The app after its start-up checks (and, with everything ready, the model load) are done."""
    app = CoachApp(services)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        yield app, pilot
