"""The role-play transcript: one block per turn, never parsed as markup, with a typing line and,
when live hints are on, a hint under each of the mentor's lines."""

from textual.containers import VerticalScroll
from textual.widgets import Static

from coach.formats.display import display_safe

SPEAKER_CLASS = {"mentor": "turn-mentor", "mentee": "turn-mentee", "note": "turn-note", "timeout": "turn-timeout"}


class ChatLog(VerticalScroll):
    DEFAULT_CSS = """
    ChatLog { height: 1fr; padding: 0 1; }
    ChatLog Static { margin: 0 0 1 0; }
    ChatLog .turn-mentor { color: $text; padding-left: 8; text-align: right; }
    ChatLog .turn-mentee { color: $text; border-left: thick $accent; padding-left: 1; }
    ChatLog .turn-note { color: $warning; text-style: italic; text-align: center; }
    ChatLog .turn-timeout { color: $text-muted; text-style: italic; }
    ChatLog .turn-mentor.hinted { margin-bottom: 0; }
    ChatLog .turn-hint { color: $text-muted; text-style: italic; text-align: right; }
    ChatLog #typing { color: $text-muted; text-style: italic; }
    """

    def __init__(self, mentee: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.mentee = mentee
        # Kept, not queried: children removed a moment ago are still in the DOM until pruned.
        self._mentor_turns: list[Static] = []
        self._hints: list[Static] = []

    def clear(self) -> None:
        self._mentor_turns, self._hints = [], []
        self.remove_children()

    def add_turn(self, speaker: str, text: str) -> None:
        self.hide_typing()
        label = {"mentor": "You", "mentee": self.mentee, "note": "⋯", "timeout": "Time-out"}[speaker]
        turn = Static(display_safe(f"{label}: {text}"), markup=False, classes=SPEAKER_CLASS[speaker])
        self.mount(turn)
        if speaker == "mentor":
            self._mentor_turns.append(turn)
        self.scroll_end(animate=False)

    def show_hints(self, hints: list[str]) -> None:
        """`hints[i]` under the i-th mentor line (an empty hint shows nothing)."""
        at_end = self.scroll_y >= self.max_scroll_y
        self.hide_hints()
        for turn, hint in zip(self._mentor_turns, hints):
            if hint:
                turn.add_class("hinted")
                self._hints.append(Static(display_safe(f"↳ {hint}"), markup=False, classes="turn-hint"))
                self.mount(self._hints[-1], after=turn)
        if at_end:  # the newest line's hint stays in view; a mentor scrolled back up stays where they are
            self.scroll_end(animate=False)

    def hide_hints(self) -> None:
        for hint in self._hints:
            hint.remove()
        self._hints = []
        for turn in self._mentor_turns:
            turn.remove_class("hinted")

    def show_typing(self, text: str) -> None:
        typing = self.query("#typing")
        if typing:
            typing.first(Static).update(display_safe(text))
        else:
            self.mount(Static(display_safe(text), markup=False, id="typing"))
        self.scroll_end(animate=False)

    def hide_typing(self) -> None:
        self.query("#typing").remove()
