"""Choose a practice scenario: title and difficulty in a list, the briefing and skills beside it."""

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


def difficulty_dots(level: int) -> str:
    return "●" * level + "○" * (3 - level)


class ScenarioPicker(Horizontal):
    DEFAULT_CSS = """
    ScenarioPicker { height: 1fr; }
    ScenarioPicker OptionList { width: 1fr; border: round $primary 40%; }
    ScenarioPicker #briefing { width: 1fr; border: round $secondary 40%; padding: 0 1; }
    """

    class Chosen(Message):
        def __init__(self, scenario) -> None:
            self.scenario = scenario
            super().__init__()

    def __init__(self, scenarios: list, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenarios = scenarios

    def compose(self) -> ComposeResult:
        options = [Option(Content(f"{difficulty_dots(s.difficulty)}  {s.title}"), id=s.id) for s in self.scenarios]
        yield OptionList(*options, id="scenario-list")
        with VerticalScroll(id="briefing"):
            yield Static("", markup=False, id="briefing-text")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.scenarios:
            options.highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        s = self.scenarios[event.option_index]
        skills = ", ".join(skill.replace("-", " ") for skill in s.skills)
        self.query_one("#briefing-text", Static).update(
            f"{s.title}\n\nDifficulty {difficulty_dots(s.difficulty)}   Practises: {skills}\n\n"
            f"{' '.join(s.briefing.split())}\n\nYou will talk with {s.mentee.name}, {s.mentee.role}.\n\n"
            "Press Enter to start.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(self.scenarios[event.option_index]))
