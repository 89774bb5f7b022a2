"""Scenario cards (corpus/scenarios/*.toml): what the mentor is told, who the mentee is, and the
trainer-only layer (`hidden`) that only the mentee prompt and the debrief may see."""

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from coach import paths
from coach.coaching.rubric import load_rubric
from coach.errors import CorpusError
from coach.formats.display import display_safe
from coach.formats.toml_files import load_toml_as

ScenarioId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{2,63}$")]
# Card text reaches the screen and the model: escape codes are dropped as it is read.
Text = Annotated[str, AfterValidator(display_safe), StringConstraints(strip_whitespace=True, min_length=1)]


class Mentee(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Text
    role: Text
    situation: Text
    manner: Text  # e.g. guarded, talkative, senior-to-you
    wants: Text
    opening_line: Text
    # How they talk (words they use, how long they go on); the persona asks the model to keep to it.
    voice: Text = "plain, everyday words; short sentences"


class Reactions(BaseModel):
    """How this mentee reacts; the stage note carries the one the listening state calls for. The
    defaults suit a card written before reactions existed."""

    model_config = ConfigDict(extra="forbid")
    early_advice: Text = "You are polite but unconvinced: say it is not that simple, and why."
    dismissal: Text = "You feel brushed off and say less."
    being_heard: Text = "You relax a little and open up."


class Hidden(BaseModel):
    """Trainer layer: surfaces only after real listening; never shown in the briefing. Only the
    stage notes pass `hint` and `concern` to the model, and only when the listening state allows."""

    model_config = ConfigDict(extra="forbid")
    concern: Text
    # The concern as the mentee would say it, in the first person. Given only the third-person
    # concern, the small model often told a different worry of its own making; given these words it
    # tells this one. Optional: without it, the stage note passes `concern`.
    in_own_words: Text | None = None
    closes_up_if: Text
    hint: Text = "There is something else on your mind that you have not said yet."
    reactions: Reactions = Reactions()


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: ScenarioId
    title: Text
    briefing: Text
    difficulty: int = Field(ge=1, le=3)
    skills: list[str] = Field(min_length=1)
    guidance_tags: list[str] = Field(min_length=1)
    mentee: Mentee
    hidden: Hidden

    @field_validator("skills")
    @classmethod
    def _skills_are_in_the_rubric(cls, skills: list[str]) -> list[str]:
        unknown = sorted(set(skills) - set(rubric_skill_ids()))
        if unknown:
            raise ValueError(f"unknown skill(s) {unknown}; use ids from prompts/rubric.toml")
        return skills


def rubric_skill_ids() -> tuple[str, ...]:
    return load_rubric().ids()


def scenarios_dir() -> Path:
    return paths.shipped_corpus_dir() / "scenarios"


def load_scenario(path: Path) -> Scenario:
    """One card; a bad one is rejected naming the file, the field and what is wrong."""
    return load_toml_as(path, Scenario, CorpusError)


class ScenarioRead(BaseModel):
    cards: list[Scenario]
    problems: list[str]  # one sentence per card that could not be used


def read_scenarios(folder: Path | None = None) -> ScenarioRead:
    """Every usable card; a broken one is reported and skipped, so it cannot block the others."""
    folder = folder or scenarios_dir()
    cards, problems, seen = [], [], {}
    for path in sorted(folder.glob("*.toml")):
        try:
            card = load_scenario(path)
        except CorpusError as error:
            problems.append(str(error))
            continue
        if card.id in seen:
            problems.append(f"{path} and {seen[card.id]} both use the id '{card.id}'; rename one.")
            continue
        seen[card.id] = path
        cards.append(card)
    return ScenarioRead(cards=cards, problems=problems)


def load_scenarios(folder: Path | None = None) -> list[Scenario]:
    return read_scenarios(folder).cards


def find_scenario(scenario_id: str, folder: Path | None = None) -> Scenario:
    read = read_scenarios(folder)
    for scenario in read.cards:
        if scenario.id == scenario_id:
            return scenario
    broken = [p for p in read.problems if f"{scenario_id}.toml" in p]
    if broken:
        raise CorpusError(broken[0])
    known = ", ".join(s.id for s in read.cards)
    raise CorpusError(f"There is no scenario '{scenario_id}'; choose one of: {known}.")
