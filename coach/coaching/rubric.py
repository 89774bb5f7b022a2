"""The rubric as data (prompts/rubric.toml): skills, and the signals that score each one."""

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coach import paths
from coach.errors import PromptError
from coach.formats.toml_files import load_toml_as

RULES = ("asked_before_advising", "advice_before_first_question", "concern_revealed",
         "mentee_closed_up", "mostly_closed_questions", "talked_over_mentee")
BEHAVIOURS = ("acknowledge", "dismiss", "advice", "open_question", "closed_question")


class Signal(BaseModel):
    """One reason a skill gains or loses points; exactly one of behaviour, exemplars or rule."""

    model_config = ConfigDict(extra="forbid")
    id: str
    says: str
    points: int = Field(ge=-2, le=2)
    behaviour: Literal[BEHAVIOURS] | None = None  # type: ignore[valid-type]
    exemplars: list[str] = []
    threshold: float = Field(default=0.5, gt=0, lt=1)
    rule: Literal[RULES] | None = None  # type: ignore[valid-type]
    max_lines: int = Field(default=1, ge=1)
    scope: Literal["all", "opening", "closing"] = "all"

    @model_validator(mode="after")
    def _one_way_to_fire(self) -> "Signal":
        ways = [self.behaviour is not None, bool(self.exemplars), self.rule is not None]
        if sum(ways) != 1:
            raise ValueError(f"signal '{self.id}' needs exactly one of behaviour, exemplars or rule")
        return self


class Skill(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    description: str
    good_looks_like: str  # the retrieval query for the guidance passage the debrief cites
    guidance_tags: list[str]
    signals: list[Signal] = Field(min_length=1)


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid")
    skills: list[Skill] = Field(min_length=1)

    def skill(self, skill_id: str) -> Skill:
        return next(s for s in self.skills if s.id == skill_id)

    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.skills)


@cache
def load_rubric() -> Rubric:
    return load_toml_as(paths.prompts_dir() / "rubric.toml", Rubric, PromptError)
