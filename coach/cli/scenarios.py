"""`coach scenarios`: list and show practice scenarios; trainers write, validate and try new ones."""

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from coach.cli.common import err, make_services, out
from coach.errors import CoachError

scenarios_app = typer.Typer(help="Practice scenarios: list, show, and for trainers new, validate, try.",
                            no_args_is_help=True)



@scenarios_app.command("list")
def scenarios_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every practice scenario: id, difficulty, title and the skills it practises."""
    from coach.coaching.scenarios import read_scenarios

    read = read_scenarios(make_services().workspace.scenarios_dir)
    scenarios = read.cards
    for problem in read.problems:  # a broken card is skipped, not fatal; say why on stderr
        err.print(f"skipped: {problem}")
    if as_json:
        print(json.dumps([s.model_dump(include={"id", "title", "difficulty", "skills"}) for s in scenarios], indent=2))
        return
    table = Table("id", "difficulty", "title", "skills")
    for s in scenarios:
        table.add_row(s.id, "●" * s.difficulty, s.title, ", ".join(s.skills))
    out.print(table)


@scenarios_app.command("show")
def scenarios_show(scenario_id: str, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
                   trainer: Annotated[bool, typer.Option("--trainer", help="Also show the hidden trainer layer.")] = False) -> None:
    """One scenario's briefing and mentee (the hidden layer only with --trainer)."""
    scenario = make_services().scenario(scenario_id)
    shown = scenario.model_dump(exclude=None if trainer else {"hidden"})
    if as_json:
        print(json.dumps(shown, indent=2, ensure_ascii=False))
        return
    out.print(f"{scenario.title}  (difficulty {scenario.difficulty}; skills: {', '.join(scenario.skills)})\n")
    out.print(scenario.briefing + "\n")
    m = scenario.mentee
    out.print(f"Mentee: {m.name}, {m.role}. Manner: {m.manner}.\nOpening line: \"{m.opening_line}\"")
    if trainer:
        out.print(f"\nHidden concern: {scenario.hidden.concern}\nCloses up if: {scenario.hidden.closes_up_if}")


@scenarios_app.command("new")
def scenarios_new(scenario_id: str) -> None:
    """Write a commented scenario template into the corpus's scenarios/ folder."""
    from coach.coaching.authoring import new_scenario

    target = new_scenario(make_services().workspace.scenarios_dir, scenario_id)
    out.print(f"Wrote {target}; fill it in, then run `coach scenarios validate` and `coach scenarios try {scenario_id}`.")


@scenarios_app.command("validate")
def scenarios_validate(paths: Annotated[Optional[list[Path]], typer.Argument(help="Cards or folders (default: the corpus's scenarios/).")] = None,
                       as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Check cards: field errors, unknown rubric skills, unknown guidance tags, missing opening line."""
    from coach.coaching.authoring import card_paths, check_card

    services = make_services()
    known_tags = {tag for document in services.corpus().documents() for tag in document.tags}
    checks = [check_card(path, known_tags) for path in card_paths(paths or [services.workspace.scenarios_dir])]
    if not checks:
        raise CoachError("No scenario cards found there; give .toml files or a folder holding them.")
    if as_json:
        print(json.dumps([c.model_dump() for c in checks], indent=2, ensure_ascii=False))
    else:
        for check in checks:
            out.print(f"{'ok ' if not check.problems else '!! '} {check.path}")
            for problem in check.problems:
                out.print(f"     {problem}")
    if any(check.problems for check in checks):
        raise typer.Exit(1)


@scenarios_app.command("try")
def scenarios_try(scenario_id: str,
                  as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Play three scripted mentor turns with the current model and print the mentee's replies."""
    from coach.coaching.authoring import smoke_test
    from coach.sessions.store import scratch_session_store

    with scratch_session_store("coach-try-") as scratch:  # a try-out is not a practice session
        turns = smoke_test(make_services(session_store=scratch).practice_engine(scenario_id))
    if as_json:
        print(json.dumps(turns, indent=2, ensure_ascii=False))
        return
    for turn in turns:
        note = f"   [regenerated once: {', '.join(turn['problems'])}]" if turn.get("retries") else ""
        out.print(f"{turn['speaker']}: {turn['text']}{note}")
