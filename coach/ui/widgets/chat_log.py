"""The role-play transcript: one block per turn, never parsed as markup, with a typing line."""

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
    ChatLog #typing { color: $text-muted; text-style: italic; }
    """

    def __init__(self, mentee: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.mentee = mentee

    def add_turn(self, speaker: str, text: str) -> None:
        self.hide_typing()
        label = {"mentor": "You", "mentee": self.mentee, "note": "⋯", "timeout": "Time-out"}[speaker]
        self.mount(Static(display_safe(f"{label}: {text}"), markup=False, classes=SPEAKER_CLASS[speaker]))
        self.scroll_end(animate=False)

    def show_typing(self, text: str) -> None:
        typing = self.query("#typing")
        if typing:
            typing.first(Static).update(display_safe(text))
        else:
            self.mount(Static(display_safe(text), markup=False, id="typing"))
        self.scroll_end(animate=False)

    def hide_typing(self) -> None:
        self.query("#typing").remove()
