"""`coach debrief score`: label and score transcripts that already exist, with no chat model unless
--write-up asks for a rewrite."""

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from coach.cli.common import err, make_services, out
from coach.coaching.debrief.transcript_files import TranscriptFileError
from coach.coaching.debrief.transcript_scoring import FileScore, score_file
from coach.coaching.labeller.labels import LABEL_NAMES
from coach.errors import CoachError

debrief_app = typer.Typer(help="Score transcripts with the debrief's labeller and rubric.", no_args_is_help=True)


@debrief_app.command("score")
def debrief_score(files: Annotated[list[Path], typer.Argument(help="Transcripts: JSON [{speaker, text}] or 'Mentor:'/'Mentee:' text.")],
                  scenario: Annotated[Optional[str], typer.Option("--scenario", help="Score the skills this scenario practises.")] = None,
                  skills: Annotated[Optional[str], typer.Option("--skills", help="Comma-separated skill ids to score.")] = None,
                  as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per file, one per line.")] = False,
                  write_up: Annotated[bool, typer.Option("--write-up", help="Add strengths, tries, a rewrite (loads the model).")] = False) -> None:
    """Each mentor line's labels with probabilities, and each skill's score with its evidence."""
    services = make_services()
    scorer = services.transcript_scorer()
    card = services.scenario(scenario) if scenario else None
    if card and skills:
        raise CoachError("Give --scenario or --skills, not both.")
    skill_ids = card.skills if card else scorer.check_skills([s.strip() for s in skills.split(",") if s.strip()]) if skills \
        else scorer.skills_without_scenario()
    failed = 0
    for path in files:
        try:
            result, facts, lines = score_file(path, scorer, skill_ids, card)
        except TranscriptFileError as error:
            failed += 1
            err.print(str(error))
            if as_json:
                print(json.dumps({"file": str(path), "error": str(error)}, ensure_ascii=False))
            continue
        extra = _write_up(services, result, facts, lines, card) if write_up else {}
        if as_json:
            print(json.dumps(result.model_dump() | extra, ensure_ascii=False))
        else:
            _print(result, extra)
    if failed:
        raise typer.Exit(1)


def _write_up(services, result: FileScore, facts, lines, card) -> dict:
    from coach.coaching.debrief.rewriting import RewriteDrafter
    from coach.coaching.debrief.service import FULL_MARKS, draft_rewrite
    from coach.coaching.debrief.write_up import strengths, tries
    from coach.coaching.prompts import load_prompt
    from coach.coaching.rubric import load_rubric

    rubric = load_rubric()
    written = {"strengths": [p.model_dump() for p in strengths(result.scores, rubric)],
               "tries": [p.model_dump() for p in tries(result.scores, rubric)], "rewrite": None}
    if result.total == result.max_total:  # as in the app's debrief: a "better" line could only be worse
        return written | {"rewrite_note": FULL_MARKS}
    drafter = RewriteDrafter(services.backend(), load_prompt("debrief"), services.classifier())
    rewrite = draft_rewrite(rubric, drafter, services.store, result.scores, facts, lines,
                            card.mentee.name if card else "the mentee", card)
    return written | {"rewrite": rewrite.model_dump() if rewrite else None}


def _print(result: FileScore, extra: dict) -> None:
    out.print(f"{result.file}: {result.total}/{result.max_total}")
    for line in result.lines:
        labels = ", ".join(f"{LABEL_NAMES[name]} {p:.2f}" for name, p in line.labels.items())
        out.print(f"  {line.n:>3}. {line.text}\n       {labels}")
    for score in result.scores:
        out.print(f"  {score.name}: {score.score}/{score.max_score} · {score.why}")
    for heading, key in (("Strengths", "strengths"), ("Try next time", "tries")):
        if extra.get(key):  # an empty list gets no heading
            out.print(f"  {heading}:")
            for point in extra[key]:
                out.print(f"    - {point['point']}" + (f" (line {point['line']}: “{point['quote']}”)" if point.get("line") else ""))
    if extra.get("rewrite"):
        rewrite = extra["rewrite"]
        origin = "checked model draft" if rewrite["source"] == "model" else f"from the guidance: {rewrite['guidance_title']}"
        out.print(f"  Instead of line {rewrite['line']}, you could say: “{rewrite['text']}” ({origin})")
    elif extra.get("rewrite_note"):
        out.print(f"  {extra['rewrite_note']}")
