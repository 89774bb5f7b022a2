"""`coach progress`: scores per skill over the saved debriefs, their trend, and what to practise
next; `--json` for programs, `--format md|csv -o FILE` to share with a programme lead."""

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.table import Table

from coach.cli.common import make_services, out
from coach.coaching.progress.export import score_marks, to_csv, to_json, to_markdown
from coach.coaching.progress.service import NO_SESSIONS, ProgressReport, parse_since
from coach.errors import CoachError

FORMATS = ("md", "csv")
RECENT_MARKS = 12  # bars in the table: what fits in 80 columns


def progress(as_json: Annotated[bool, typer.Option("--json", help="Print JSON: per skill the sessions, moving average and trend.")] = False,
             since: Annotated[Optional[str], typer.Option("--since", help="Only sessions from this date (YYYY-MM-DD).")] = None,
             fmt: Annotated[Optional[str], typer.Option("--format", help="md or csv, to share the report.")] = None,
             output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of printing.")] = None) -> None:
    """Progress per practised skill, and the scenario to practise next. Nothing leaves this computer
    unless you write it to a file and send it."""
    if fmt is not None and fmt not in FORMATS:
        raise CoachError(f"Unknown format '{fmt}'; use --format md or --format csv (or --json).")
    if fmt is not None and as_json:
        raise CoachError("Give --json or --format, not both.")
    report = make_services().progress().report(parse_since(since))
    text = json.dumps(to_json(report), indent=2, ensure_ascii=False) if as_json else \
        to_csv(report) if fmt == "csv" else to_markdown(report) if fmt == "md" or output else None
    if text is None:
        print_report(report)
    elif output is None:
        print(text, end="")
    else:
        write_report(output, text)


def write_report(output: Path, text: str) -> None:
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CoachError(f"Could not write {output} ({error.strerror}); check the folder exists and is writable.") from None
    out.print(f"Wrote the progress report to {output}")


def print_report(report: ProgressReport) -> None:
    if report.empty:
        out.print(NO_SESSIONS)
    else:
        # No column may wrap: a skill name or a row of bars broken over two lines reads badly in 80 columns.
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, title=f"Scores per skill (the last {RECENT_MARKS}, oldest first)")
        for heading in ("skill", "n", "last", "scores", "avg", "trend", "drills"):
            table.add_column(heading, no_wrap=True)
        for skill in report.skills:
            table.add_row(skill.name, str(skill.sessions), skill.last_practised[5:],
                          score_marks([p.score for p in skill.points[-RECENT_MARKS:]]),
                          f"{skill.moving_average[-1]:.1f}", skill.trend,
                          ", ".join(f"{d.passed}/{d.tried}" for d in skill.drills) or "-")
        out.print(table)
    if report.next:
        out.print(f"Next: {report.next.reason} (`coach practice {report.next.scenario_id}`)")
