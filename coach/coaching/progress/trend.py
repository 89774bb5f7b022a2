"""A skill's moving average and trend over its scores, oldest first."""

from typing import Literal

Trend = Literal["improving", "steady", "slipping", "too few sessions"]

WINDOW = 3  # sessions in the moving average: enough to smooth one odd session, few enough to move
TREND_SPAN = 6  # the trend looks at the latest sessions only: old habits should not hide new ones
MIN_FOR_TREND = 3
FLAT = 0.1  # points per session below which a slope is noise on a 0-2 scale


def moving_average(scores: list[float], window: int = WINDOW) -> list[float]:
    """The trailing mean at each session (shorter at the start, where fewer sessions exist)."""
    return [round(sum(scores[max(0, i - window + 1): i + 1]) / len(scores[max(0, i - window + 1): i + 1]), 2)
            for i in range(len(scores))]


def slope(scores: list[float]) -> float:
    """Least-squares change in score per session."""
    n = len(scores)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, sum(scores) / n
    spread = sum((x - mean_x) ** 2 for x in range(n))
    return sum((x - mean_x) * (y - mean_y) for x, y in enumerate(scores)) / spread


def trend(scores: list[float]) -> tuple[Trend, float]:
    """A word for the direction of the latest sessions, and the slope behind it."""
    if len(scores) < MIN_FOR_TREND:
        return "too few sessions", 0.0
    change = round(slope(scores[-TREND_SPAN:]), 2)
    if change > FLAT:
        return "improving", change
    if change < -FLAT:
        return "slipping", change
    return "steady", change
