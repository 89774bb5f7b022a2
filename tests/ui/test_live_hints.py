"""Live hints on the Practice screen, driven by Pilot with a scripted mentee and the real labeller:
off by default, F4 shows each mentor line's labels under it (lines already said too) and hides them
again, and `live_hints = true` starts with them on."""

from coach.ui.app import CoachApp
from coach.ui.widgets.chat_log import ChatLog
from tests.ui.test_practice_screens import REPLY, open_scenario, settle, type_line

ORDER = "You should talk to your manager about it this week."
OPEN_QUESTION = "What has been on your mind since we last met?"
SUGGESTION = "You could try keeping a note of what people say."


def hints_shown(screen) -> list[str]:
    return [str(hint.render()) for hint in screen.query_one(ChatLog).query(".turn-hint")]


def log_lines(screen) -> list[str]:
    return [str(child.render()) for child in screen.query_one(ChatLog).children]


async def say(app, pilot, line: str) -> None:
    await type_line(pilot, "#mentor-line", line)
    await settle(app, pilot)


async def test_hints_are_off_until_the_key_turns_them_on_for_every_line(make_services):
    services, _ = make_services(REPLY, index=False)
    app = CoachApp(services)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_scenario(app, pilot)
        key = screen.active_bindings["f4"]  # what the footer shows
        assert key.enabled and key.binding.show and key.binding.description == "Live hints"
        await say(app, pilot, ORDER)
        await say(app, pilot, OPEN_QUESTION)
        assert hints_shown(screen) == []

        await pilot.press("f4")
        await settle(app, pilot)
        assert hints_shown(screen) == ["↳ advice before asking", "↳ open question"]
        lines = log_lines(screen)  # each hint sits right under its own line
        assert lines[lines.index(f"You: {ORDER}") + 1] == "↳ advice before asking"
        assert lines[lines.index(f"You: {OPEN_QUESTION}") + 1] == "↳ open question"

        await say(app, pilot, SUGGESTION)  # the log is redrawn after the reply: every hint stays under its line
        lines = log_lines(screen)
        assert hints_shown(screen) == ["↳ advice before asking", "↳ open question", "↳ advice"]
        assert lines[lines.index(f"You: {SUGGESTION}") + 1] == "↳ advice"  # a question came first: plain advice
        assert lines[lines.index(f"You: {ORDER}") + 1] == "↳ advice before asking"

        await pilot.press("f4")
        await pilot.pause()
        assert hints_shown(screen) == []
        assert f"You: {ORDER}" in log_lines(screen)


async def test_the_setting_starts_practice_with_hints_on(make_services, monkeypatch):
    monkeypatch.setenv("COACH_LIVE_HINTS", "true")
    services, _ = make_services(REPLY, index=False)
    assert services.settings.live_hints
    app = CoachApp(services)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_scenario(app, pilot)
        await say(app, pilot, OPEN_QUESTION)
        assert hints_shown(screen) == ["↳ open question"]
        await say(app, pilot, "[bold]Just[/] tell them to stop.")  # a line is never read as markup
        assert "You: [bold]Just[/] tell them to stop." in log_lines(screen)
        assert hints_shown(screen)[-1].startswith("↳ ")
