"""One line at the bottom: what the model is doing (loading, ready, tok/s)."""

from textual.widgets import Static


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    def show(self, text: str) -> None:
        self.update(text)
