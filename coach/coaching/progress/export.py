"""The progress report as JSON, Markdown or CSV, for a mentor who chooses to share it (nothing is
sent anywhere: the file is written where they say)."""

import csv
import io

from coach.coaching.progress.series import SkillProgress
from coach.coaching.progress.service import NO_SESSIONS, ProgressReport
from coach.formats.display import display_safe


def to_json(report: ProgressReport) -> dict:
    """Per skill: the scored sessions, the moving average and the trend (and the drill series)."""
    return {"since": report.since,
            "skills": [skill.model_dump() for skill in report.skills],
            "next": report.next.model_dump() if report.next else None}


def to_markdown(report: ProgressReport) -> str:
    parts = ["# Practice progress", ""]
    if report.since:
        parts += [f"Sessions since {report.since}.", ""]
    if report.empty:
        return "\n".join(parts + [NO_SESSIONS]) + "\n"
    parts += ["| skill | sessions | last practised | latest average | trend |", "|---|---|---|---|---|"]
    parts += [f"| {s.name} | {s.sessions} | {s.last_practised} | {s.moving_average[-1]:.1f}/2 | {s.trend} |"
              for s in report.skills]
    for skill in report.skills:
        parts += ["", *_skill_markdown(skill, report.titles)]
    if report.next:
        parts += ["", "## Next", "", f"{report.next.title}: {report.next.reason}"]
    return display_safe("\n".join(parts) + "\n")


def _skill_markdown(skill: SkillProgress, titles: dict[str, str]) -> list[str]:
    lines = [f"## {skill.name}", "", "| date | scenario | score | moving average |", "|---|---|---|---|"]
    lines += [f"| {p.started[:10]} | {_cell(titles.get(p.scenario, p.scenario))} | {p.score}/2 | {avg:.2f} |"
              for p, avg in zip(skill.points, skill.moving_average)]
    if skill.drills:
        lines += ["", "Drills: " + ", ".join(f"{d.started[:10]} {d.passed}/{d.tried} passed" for d in skill.drills)]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "/")


def to_csv(report: ProgressReport) -> str:
    """One row per point: a debriefed session's score or a drill sitting's share passed (0-2)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["skill", "series", "id", "date", "scenario", "score", "moving_average"])
    for skill in report.skills:
        for point, average in zip(skill.points, skill.moving_average):
            writer.writerow([skill.skill, "session", point.session_id, point.started, point.scenario, point.score, average])
        for drill in skill.drills:
            writer.writerow([skill.skill, "drill", drill.drill_id, drill.started, "", drill.score, ""])
    return display_safe(buffer.getvalue())


MARKS = "▁▄█"  # 0, 1, 2: one block per session, readable in any terminal
DRILL = "◆"


def score_marks(scores: list[int]) -> str:
    """Scores as a row of bars, oldest first, for a terminal or a list row."""
    return "".join(MARKS[max(0, min(2, score))] for score in scores)
