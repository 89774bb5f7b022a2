"""Scenario authoring for trainers: a commented template, validation that reports every problem
(fields, unknown rubric skills, unknown guidance tags), and a 3-turn smoke test with the model."""

import re
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

from coach.coaching.scenarios import Scenario
from coach.errors import CorpusError
from coach.formats.toml_files import read_toml

if TYPE_CHECKING:
    from coach.coaching.practice.engine import PracticeEngine

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")
SMOKE_LINES = ["How have things been since we last talked?",
               "That sounds like a lot. What has been on your mind?",
               "What would help you most right now?"]

TEMPLATE = '''# A practice scenario. Mentors see the title and briefing; the [hidden] part is for the mentee
# prompt and the debrief only. Check it with `coach scenarios validate` and try it with
# `coach scenarios try {id}`.
id = "{id}"
title = "One line a mentor will recognise, e.g. 'Sam wants you to fix a conflict with his lead'"
difficulty = 1  # 1 = gentle, 2 = some resistance, 3 = hard or sensitive

# Skill ids from prompts/rubric.toml that this conversation practises (2-4 is typical).
skills = ["listened-before-advising", "asked-open-questions", "acknowledged-concern"]

# Corpus tags the debrief draws guidance from (see the tags column of `coach corpus list`).
guidance_tags = ["listening", "questions"]

briefing = """
What the mentor knows before starting: who the mentee is, how long you have worked together,
and what they asked to talk about.
"""

[mentee]
name = "Sam"
role = "Their job, e.g. support engineer, one year in"
situation = "What is going on for them, in a sentence or two."
manner = "How they come across, e.g. guarded, talkative, senior to you"
wants = "What they want from this conversation"
opening_line = "The first thing they say."

[hidden]
concern = "What they only say once the mentor has listened and asked open questions."
# Optional: the concern as they would say it, in the first person; a small model tells it more
# faithfully from these words than from the line above.
in_own_words = "What I haven't said is…"
closes_up_if = "What makes them close up, e.g. the mentor jumps to advice"
'''


class CardCheck(BaseModel):
    path: str
    scenario_id: str = ""
    problems: list[str]


def new_scenario(folder: Path, scenario_id: str) -> Path:
    if not ID_PATTERN.match(scenario_id):
        raise CorpusError(f"'{scenario_id}' is not a usable id; use 3-64 lower-case letters, digits and dashes.")
    target = folder / f"{scenario_id}.toml"
    if target.exists():
        raise CorpusError(f"{target} already exists; choose another id or edit that file.")
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(TEMPLATE.replace("{id}", scenario_id), encoding="utf-8")
    return target


def card_paths(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        found += sorted(path.glob("*.toml")) if path.is_dir() else [path]
    return found


def check_card(path: Path, known_tags: set[str]) -> CardCheck:
    """Every problem with one card, each naming the field."""
    try:
        data = read_toml(path, CorpusError)
    except CorpusError as error:
        return CardCheck(path=str(path), problems=[str(error)])
    try:
        card = Scenario.model_validate(data)
    except ValidationError as error:
        return CardCheck(path=str(path), scenario_id=str(data.get("id", "")), problems=[
            f"field '{'.'.join(str(p) for p in e['loc']) or '(file)'}': {e['msg']}" for e in error.errors()])
    unknown = sorted(set(card.guidance_tags) - known_tags)
    problems = [f"field 'guidance_tags': no corpus note carries {', '.join(unknown)}"] if unknown else []
    if path.stem != card.id:
        problems.append(f"field 'id': '{card.id}' differs from the file name '{path.stem}'")
    return CardCheck(path=str(path), scenario_id=card.id, problems=problems)


def smoke_test(engine: "PracticeEngine", lines: list[str] | None = None) -> list[dict]:
    """Three scripted mentor turns with the current model (give it an engine over a scratch store)."""
    turns = [{"speaker": "mentee", "text": engine.start().text}]
    for line in (lines or SMOKE_LINES)[:3]:
        reply = engine.mentor_says(line)
        turns += [{"speaker": "mentor", "text": line},
                  {"speaker": "mentee", "text": reply.turn.text, "retries": reply.retries, "problems": reply.problems}]
    return turns
