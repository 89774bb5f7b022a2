"""One line at the bottom: what the model is doing (loading, ready, tok/s)."""

from textual.widgets import Static

from coach.formats.display import display_safe


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, markup=False, **kwargs)  # a model's file name may hold "[" or "]"

    def show(self, text: str) -> None:
        self.update(display_safe(text))
