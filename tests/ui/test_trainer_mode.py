"""An app started without trainer mode (a `coach serve` browser session without --trainer) has no
Trainer screen: F8, the command palette and switch_mode all leave the shared corpus alone."""

import pytest
from textual.app import UnknownModeError

from coach.ui.app import CoachApp
from coach.ui.screens.trainer import TrainerScreen
from tests.ui.driving import settle


async def test_without_trainer_mode_there_is_no_trainer_screen(make_services):
    services, _ = make_services()
    app = CoachApp(services, trainer=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f8")
        await settle(app, pilot)
        assert not isinstance(app.screen, TrainerScreen)
        assert "Trainer" not in [command.title for command in app.get_system_commands(app.screen)]
        assert "f8" not in [binding.key for (_, binding, enabled, _) in app.screen.active_bindings.values() if enabled]
        with pytest.raises(UnknownModeError):
            app.switch_mode("trainer")


async def test_the_terminal_app_keeps_its_trainer_screen(make_services):
    services, _ = make_services()
    app = CoachApp(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f8")
        await settle(app, pilot)
        assert isinstance(app.screen, TrainerScreen)
