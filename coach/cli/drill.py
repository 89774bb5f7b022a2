"""`coach drill`: say about five of your own weak lines again, each checked at once by the line
labeller (no chat model). Answers come from the keyboard, or one per line on standard input."""

import json
import sys
from typing import Annotated, Optional

import typer

from coach.cli.common import make_services, out, typed_lines
from coach.coaching.progress.drill_check import DrillVerdict
from coach.coaching.progress.drills import DrillLine

NOTHING_TO_DRILL = ("No weak lines to drill yet: once a debrief finds a line that cost points, it can be "
                    "practised here.")


def drill(skill: Annotated[Optional[str], typer.Option("--skill", help="Only lines that cost this skill points.")] = None,
          as_json: Annotated[bool, typer.Option("--json", help="Read answers from standard input; print the results as JSON.")] = False) -> None:
    """Say your own weak lines again so they ask, acknowledge or offer; each is checked at once and
    the results are saved for the progress chart."""
    service = make_services().drills()
    sitting = service.start(skill)
    say = (lambda text: None) if as_json else out.print
    if not sitting.drill.lines:
        say(NOTHING_TO_DRILL)
    results = []
    answers = typed_lines(interactive=not as_json and sys.stdin.isatty())
    for n, line in enumerate(sitting.drill.lines, start=1):
        say(f"\n{n}/{len(sitting.drill.lines)} · {line.skill_name}\n{line.ask}")
        said = next(answers, None)
        if said is None:
            break
        verdict = service.check(sitting, line, said)
        say(_feedback(verdict))
        results.append(_result(line, said, verdict))
    if as_json:
        empty = {} if sitting.drill.lines else {"note": NOTHING_TO_DRILL}  # why there is nothing to say
        print(json.dumps({"drill_id": sitting.drill.drill_id, "passed": sum(r["passed"] for r in results),
                          "tried": len(results), "lines": results, **empty}, indent=2, ensure_ascii=False))
    elif results:
        say(f"\n{sum(r['passed'] for r in results)} of {len(results)} passed; saved for `coach progress`.")


def _feedback(verdict: DrillVerdict) -> str:
    if verdict.passed or verdict.example is None:
        return f"  {verdict.feedback}"
    return f"  {verdict.feedback}\n  {verdict.example.shown}"


def _result(line: DrillLine, said: str, verdict: DrillVerdict) -> dict:
    return {"session_id": line.session_id, "skill": line.skill, "original": line.text, "ask": line.ask, "said": said,
            **verdict.model_dump()}
