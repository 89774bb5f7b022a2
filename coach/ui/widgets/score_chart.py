"""One skill's scores over time as a dot chart you can move along: a column per debriefed session
(●) or drill sitting (◆), rows for 2, 1 and 0, and the moving average beneath as bars.

Scores are only ever 0, 1 or 2, so three rows of dots say exactly what happened; a plotted line
(textual-plotext) would draw slopes between values no session had, and a Sparkline cannot show
which column is which or be moved along to open a session's debrief."""

from pydantic import BaseModel
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

AVERAGE_BARS = "▁▂▃▄▅▆▇█"
COLUMN = 2  # characters per point
AXIS = 4  # "2 │ " before the first point


class ChartPoint(BaseModel):
    kind: str  # "session" or "drill"
    key: str  # the session id or the drill id
    started: str
    score: float  # 0-2; a drill's is the share of lines that passed, on the same scale
    average: float | None = None  # the moving average after this session (sessions only)
    note: str = ""  # what a drill point stands for ("3 of 5 lines passed")


class ScoreChart(Widget, can_focus=True):
    DEFAULT_CSS = """
    ScoreChart { height: 6; padding: 0 1; }
    ScoreChart:focus { background: $boost; }
    """
    BINDINGS = [Binding("left", "move(-1)", "Earlier", show=False), Binding("right", "move(1)", "Later", show=False),
                Binding("home", "move(-1000)", show=False), Binding("end", "move(1000)", show=False),
                Binding("enter", "open", "Open")]
    cursor = reactive(0)

    class Highlighted(Message):
        def __init__(self, point: ChartPoint) -> None:
            self.point = point
            super().__init__()

    class Selected(Highlighted):
        pass

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.points: list[ChartPoint] = []

    def show(self, points: list[ChartPoint]) -> None:
        """New points, with the latest one highlighted."""
        self.points = points
        self.cursor = max(0, len(points) - 1)
        self.refresh()
        if points:
            self.post_message(self.Highlighted(points[self.cursor]))

    def action_move(self, step: int) -> None:
        if self.points:
            self.cursor = max(0, min(len(self.points) - 1, self.cursor + step))
            self.post_message(self.Highlighted(self.points[self.cursor]))

    def action_open(self) -> None:
        if self.points:
            self.post_message(self.Selected(self.points[self.cursor]))

    def on_click(self, event: Click) -> None:
        index = self._first_shown() + (event.x - AXIS - 1) // COLUMN
        if 0 <= index < len(self.points) and event.x > AXIS:
            self.cursor = index
            self.post_message(self.Selected(self.points[index]))

    def watch_cursor(self) -> None:
        self.refresh()

    def _fits(self) -> int:
        return max(1, (self.size.width - AXIS - 2) // COLUMN)

    def _first_shown(self) -> int:
        """Scrolls so that the highlighted point is always on screen."""
        return max(0, self.cursor - self._fits() + 1)

    def render(self) -> Text:
        shown = list(enumerate(self.points))[self._first_shown():][: self._fits()]
        rows = [self._row(level, shown) for level in (2, 1, 0)]
        averages = Text("avg ") + Text("".join(_bar(p.average).ljust(COLUMN) for _, p in shown), style="dim")
        axis = Text("  └" + "─" * (COLUMN * len(shown) + 1))
        return Text("\n").join([*rows, axis, averages])

    def _row(self, level: int, shown: list[tuple[int, ChartPoint]]) -> Text:
        row = Text(f"{level} │ ")
        for index, point in shown:
            mark = ("◆" if point.kind == "drill" else "●") if round(point.score) == level else " "
            style = "reverse" if index == self.cursor else ("magenta" if point.kind == "drill" else "cyan")
            row.append(mark, style=style)
            row.append(" " * (COLUMN - 1))
        return row


def _bar(average: float | None) -> str:
    if average is None:
        return " "
    return AVERAGE_BARS[min(len(AVERAGE_BARS) - 1, int(average / 2 * (len(AVERAGE_BARS) - 1) + 0.5))]
