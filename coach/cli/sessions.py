"""`coach sessions`: list, show, export and delete saved practice sessions."""

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from coach.cli.common import make_services, out
from coach.errors import CoachError
from coach.formats.display import display_safe

sessions_app = typer.Typer(help="Saved practice sessions: list, show, export, delete.", no_args_is_help=True)



@sessions_app.command("list")
def sessions_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Past sessions, newest first: id, date, scenario, your lines and the debrief total."""
    summaries = make_services().history().summaries()
    if as_json:
        print(json.dumps([s.model_dump() for s in summaries], indent=2, ensure_ascii=False))
        return
    if not summaries:
        out.print("No practice sessions yet; start one with `coach practice SCENARIO` or in the app.")
        return
    table = Table("id", "started", "scenario", "your lines", "score")
    for s in summaries:
        table.add_row(s.id, s.started_at.replace("T", " ")[:16], s.title, str(s.mentor_lines),
                      f"{s.score}/{s.max_score}" if s.score is not None else "not debriefed")
    out.print(table)


@sessions_app.command("show")
def sessions_show(session_id: str, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """One session: briefing, transcript, time-outs and debrief."""
    text = make_services().history().export(session_id, "json" if as_json else "md")
    print(text if as_json else display_safe(text))  # JSON already escapes control characters


@sessions_app.command("export")
def sessions_export(session_id: str,
                    fmt: Annotated[str, typer.Option("--format", help="md or json.")] = "md",
                    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of printing.")] = None) -> None:
    """Export a session as Markdown (with the debrief's citations) or JSON."""
    if fmt not in ("md", "json"):
        raise CoachError(f"Unknown export format '{fmt}'; use --format md or --format json.")
    text = make_services().history().export(session_id, fmt)  # type: ignore[arg-type]
    if output is None:
        print(text if fmt == "json" else display_safe(text))
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CoachError(f"Could not write {output} ({error.strerror}); check the folder exists and is writable.") from None
    out.print(f"Exported session {session_id} to {output}")


@sessions_app.command("delete")
def sessions_delete(session_id: str) -> None:
    """Delete a session with its turns, time-outs and debrief."""
    make_services().history().delete(session_id)
    out.print(f"Deleted session {session_id}.")
