"""`coach practice`: the role-play loop in a plain terminal (for scripts and screen readers).

Mentor lines come from the keyboard or, with --script, from a file (one line per turn).
`/coach QUESTION` asks the coach apart from the role-play; `/end` (or end of input) stops.
"""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console

from coach.cli.common import err, make_services, out, typed_lines
from coach.coaching.debrief.markdown import narrative_markdown, scores_markdown
from coach.errors import CoachError

if TYPE_CHECKING:  # the services pull in the model and index libraries: only when a command runs
    from coach.services import Services


def run_practice(services: "Services", scenario_id: str, script: Path | None, as_json: bool, out: Console) -> None:
    engine = services.practice_engine(scenario_id)
    say = (lambda text: None) if as_json else out.print
    say(f"{engine.scenario.title}\n\n{engine.scenario.briefing}\n")
    say(f"{engine.scenario.mentee.name}: {engine.start().text}")
    for line in _mentor_lines(script, interactive=not as_json and script is None):
        if line.strip() == "/end":
            break
        if line.startswith("/coach "):
            result = engine.time_out(services.ask_service(), line.removeprefix("/coach ").strip())
            say(f"[coach] {result.answer}")
            continue
        try:
            reply = engine.mentor_says(line)
        except CoachError as error:  # an over-long line, say: one sentence, and the session goes on
            err.print(str(error))
            continue
        say(f"{engine.scenario.mentee.name}: {reply.turn.text}")
    debrief = _debrief(services, engine, say)
    if as_json:
        print(json.dumps(_session_json(engine, debrief), indent=2, ensure_ascii=False))
    else:
        say(f"\nSession {engine.session_id} saved; see it again with `coach sessions show {engine.session_id}`.")


def _debrief(services: "Services", engine, say) -> dict | None:
    """Scores first (no model), then the write-up; nothing to debrief if the mentor said nothing."""
    if not engine.can_debrief():
        return None
    say("\nScoring…")
    final = None
    for update in services.debrief_service().run(engine.session_id, engine.scenario):
        if final is None:
            say("\n".join(scores_markdown(update.debrief.model_dump())) + "\n\nDrafting a better phrasing of your weakest line…")
        final = update.debrief
    dumped = final.model_dump()
    say("\n".join(narrative_markdown(dumped)))
    return dumped


def _mentor_lines(script: Path | None, interactive: bool) -> Iterable[str]:
    if script is not None:
        try:
            lines = script.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise CoachError(f"Could not read the script {script} ({error.strerror}); check the path.") from None
        yield from (line for line in lines if line.strip())
        return
    yield from typed_lines(interactive)


def _session_json(engine, debrief: dict | None) -> dict:
    return {"scenario": engine.scenario.id, "session_id": engine.session_id, "debrief": debrief,
            "transcript": [t.model_dump(include={"speaker", "text", "retries"}) for t in engine.transcript()],
            "timeouts": [t.model_dump(include={"question", "answer", "citations"}) for t in engine.timeouts()],
            "listening": engine.state.model_dump()}


def practice(scenario_id: str,
             script: Annotated[Optional[Path], typer.Option("--script", help="Mentor lines, one per turn.")] = None,
             as_json: Annotated[bool, typer.Option("--json", help="Print the transcript and debrief as JSON at the end.")] = False) -> None:
    """Rehearse a scenario with a role-played mentee, then get a debrief. `/coach QUESTION` asks the
    coach mid-conversation; `/end` (or the end of input) ends and debriefs."""
    run_practice(make_services(), scenario_id, script, as_json, out)
